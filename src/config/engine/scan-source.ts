import type { Finding } from '../../types.js';
import { errorMessage } from '../../util/errors.js';
import {
  type CheckMeta,
  ConfigParseError,
  type FileKind,
  type Hit,
  type SourceFile,
  type TreeHit,
} from './check.js';
import { snippet, splitLines } from './source-text.js';
import { findSuppression, parseSuppressions, type Suppression } from './suppressions.js';

/** A file that could not be scanned (or a check that failed on it): one entry per problem. */
export interface ConfigFileError {
  path: string;
  /** The file kind it was taken for, when known. */
  kind?: string;
  message: string;
  line?: number;
  /** Set when one check failed rather than the whole file. */
  ruleId?: string;
}

export interface FileScan {
  path: string;
  kind: string;
  findings: Finding[];
  errors: ConfigFileError[];
  /** What the kind's tree checks need of this file, when it has any. */
  summary?: unknown;
}

/** A parsed file's summary, as tree checks receive it. */
export interface FileSummary {
  path: string;
  summary: unknown;
}

/** What a kind's tree checks found across the scanned files. */
export interface TreeScan {
  findings: Finding[];
  /** Tree checks that failed. */
  errors: { ruleId: string; message: string }[];
}

/** A file kind with its model type erased, as the scanner holds it. */
export interface RegisteredKind {
  readonly id: string;
  readonly title: string;
  readonly companions: readonly string[];
  /** Metadata of the per-file checks (what a cache of results must be keyed by). */
  readonly checks: readonly CheckMeta[];
  matchesName(path: string): boolean;
  contentCandidate(path: string): boolean;
  matchesContent(text: string, path: string): boolean;
  scan(source: SourceFile): FileScan;
  /** Runs the tree checks over every file of this kind the scan parsed; `textOf` reads a file again for snippets and suppressions. */
  scanTree(files: readonly FileSummary[], textOf: (path: string) => string | undefined): TreeScan;
}

export function registerKind<M, S = never>(kind: FileKind<M, S>): RegisteredKind {
  return {
    id: kind.id,
    title: kind.title,
    companions: kind.companions ?? [],
    checks: kind.checks,
    matchesName: (path) => kind.matchesName?.(path) ?? false,
    contentCandidate: (path) => kind.contentCandidate?.(path) ?? false,
    matchesContent: (text, path) => kind.matchesContent?.(text, path) ?? false,
    scan: (source) => scanSource(kind, source),
    scanTree: (files, textOf) => scanTree(kind, files as { path: string; summary: S }[], textOf),
  };
}

/** Parses the file once, runs every check of its kind, attaches snippets and inline suppressions. */
export function scanSource<M, S = never>(kind: FileKind<M, S>, source: SourceFile): FileScan {
  const result: FileScan = { path: source.path, kind: kind.id, findings: [], errors: [] };
  let model: M;
  try {
    model = kind.parse(source);
  } catch (err) {
    const line = err instanceof ConfigParseError ? err.line : undefined;
    const message =
      err instanceof ConfigParseError ? err.message : `parser failed unexpectedly: ${errorMessage(err)}`;
    result.errors.push({ path: source.path, kind: kind.id, message, ...(line ? { line } : {}) });
    return result;
  }
  const lines = splitLines(source.text);
  const suppressions = parseSuppressions(lines);
  for (const check of kind.checks) {
    try {
      for (const hit of check.run(model)) {
        result.findings.push(toFinding(kind.id, check, hit, source.path, lines, suppressions));
      }
    } catch (err) {
      result.errors.push({
        path: source.path,
        kind: kind.id,
        ruleId: check.id,
        message: `check ${check.id} failed: ${errorMessage(err)}`,
      });
    }
  }
  if (kind.summarize && kind.treeChecks?.length) {
    try {
      result.summary = kind.summarize(model);
    } catch (err) {
      result.errors.push({
        path: source.path,
        kind: kind.id,
        message: `summary for tree checks failed: ${errorMessage(err)}`,
      });
    }
  }
  result.findings.sort(compareFindings);
  return result;
}

/** Runs every tree check of a kind; hits become findings in the file they name, with its snippet and suppressions. */
function scanTree<M, S>(
  kind: FileKind<M, S>,
  files: readonly { path: string; summary: S }[],
  textOf: (path: string) => string | undefined,
): TreeScan {
  const result: TreeScan = { findings: [], errors: [] };
  const hits: { check: CheckMeta; hit: TreeHit }[] = [];
  for (const check of kind.treeChecks ?? []) {
    try {
      for (const hit of check.run(files)) hits.push({ check, hit });
    } catch (err) {
      result.errors.push({ ruleId: check.id, message: `check ${check.id} failed: ${errorMessage(err)}` });
    }
  }
  const texts = new Map<string, { lines: string[]; suppressions: Suppression[] }>();
  for (const { check, hit } of hits) {
    let text = texts.get(hit.path);
    if (!text) {
      const lines = splitLines(textOf(hit.path) ?? '');
      text = { lines, suppressions: parseSuppressions(lines) };
      texts.set(hit.path, text);
    }
    result.findings.push(toFinding(kind.id, check, hit, hit.path, text.lines, text.suppressions));
  }
  result.findings.sort(compareFindings);
  return result;
}

function toFinding(
  kind: string,
  check: CheckMeta,
  hit: Hit,
  path: string,
  lines: readonly string[],
  suppressions: readonly Suppression[],
): Finding {
  const line = hit.line;
  const endLine = Math.max(line, hit.endLine ?? line);
  const suppression = findSuppression(suppressions, lines, check.id, { line, endLine }, hit.scope);
  return {
    kind: 'misconfiguration',
    ruleId: check.id,
    severity: check.severity,
    title: check.title,
    target: path,
    location: { path, line, endLine, snippet: snippet(lines, line, endLine) },
    fix: check.remediation,
    references: [...check.references],
    status: suppression ? 'ignored' : 'open',
    description: check.description,
    details: {
      message: hit.message,
      fileKind: kind,
      ...(check.frameworks ? { frameworks: { ...check.frameworks } } : {}),
      ...(suppression
        ? { ignoredBy: { file: path, line: suppression.line, reason: suppression.reason, inline: true } }
        : {}),
      ...hit.details,
    },
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.path ?? a.target, b.location.path ?? b.target) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(String(a.details?.message ?? ''), String(b.details?.message ?? ''))
  );
}

/** Code-unit order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
