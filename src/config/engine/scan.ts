import { statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import type { Finding } from '../../types.js';
import { errorMessage, inputError } from '../../util/errors.js';
import { ConfigParseError, type SourceFile } from './check.js';
import { readBounded } from './read-bounded.js';
import {
  type ConfigFileError,
  compareFindings,
  compareStrings,
  type FileScan,
  type FileSummary,
  type RegisteredKind,
} from './scan-source.js';
import { DEFAULT_SKIP_DIRS, skipDirMatcher } from './skip-dirs.js';
import { decodeText } from './source-text.js';
import { walkFiles } from './walk.js';

interface ConfigScanOptions {
  /** The file kinds to look for (normally `configKinds` from src/config/kinds.ts). */
  kinds: readonly RegisteredKind[];
  /** Extra `--skip-dirs` patterns, on top of DEFAULT_SKIP_DIRS. */
  skipDirs?: readonly string[];
  /** Files larger than this are reported (when claimed by name) and not read. */
  maxFileSize?: number;
  /** Called after each file is scanned (for progress display). */
  onFile?: (path: string) => void;
  /** Settings for file kinds by flag name, e.g. `{ 'k8s-version': '1.30' }` (see SourceFile.settings). */
  settings?: Readonly<Record<string, string>>;
}

export interface ScannedFile {
  path: string;
  kind: string;
}

export interface ConfigScanResult {
  /** What the user asked to scan, as given. */
  target: string;
  /** Files that were parsed, whatever their findings. */
  scanned: ScannedFile[];
  findings: Finding[];
  /** Files that could not be read or parsed, one entry each (plus checks that failed). */
  errors: ConfigFileError[];
  /** Things skipped that were not errors (an oversized YAML file that may not be configuration). */
  warnings: string[];
}

/** Files larger than this are not read: reported when claimed by name, skipped otherwise. */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

interface Candidate {
  path: string;
  absPath: string;
  /** Claimed by name; otherwise the kinds that want to look at the content. */
  kind?: RegisteredKind;
  contentKinds: readonly RegisteredKind[];
}

/** Summaries of the parsed files, by kind id, for tree checks; and where to read such a file again. */
interface TreeInputs {
  byKind: Map<string, FileSummary[]>;
  absPaths: Map<string, string>;
}

/**
 * Scans one file or a directory tree: finds configuration files by name (and by content for
 * the kinds that say so), parses each once and runs every check of its kind. A malformed file
 * becomes one error entry and the rest is still scanned. Results are in path, line, rule order.
 * File system access is synchronous: the work is parsing, and small reads are cheapest direct.
 */
export async function scanConfigPath(target: string, options: ConfigScanOptions): Promise<ConfigScanResult> {
  const root = normalize(target);
  let isDir: boolean;
  try {
    isDir = statSync(root).isDirectory();
  } catch (err) {
    throw inputError(target, describeFsError(err), err);
  }
  const result: ConfigScanResult = { target, scanned: [], findings: [], errors: [], warnings: [] };
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const read = { maxFileSize, settings: options.settings, warnings: result.warnings };
  const trees: TreeInputs = { byKind: new Map(), absPaths: new Map() };

  if (!isDir) {
    const kind = options.kinds.find((k) => k.matchesName(root));
    const candidate = { path: toPosix(root), absPath: root, kind, contentKinds: kind ? [] : options.kinds };
    const outcome = scanCandidate(candidate, read);
    if (outcome === undefined) {
      const titles = options.kinds.map((k) => k.title).join(', ');
      throw inputError(target, `not a recognised configuration file (looked for: ${titles})`);
    }
    collect(result, outcome, trees, candidate.absPath);
    runTreeChecks(result, options.kinds, trees, maxFileSize);
    return finish(result);
  }

  const skip = skipDirMatcher([...DEFAULT_SKIP_DIRS, ...(options.skipDirs ?? [])], root);
  const unreadable = (dir: { path: string; code: string }): void => {
    result.errors.push({ path: displayPath(root, dir.path), message: `cannot read directory (${dir.code})` });
  };
  for (const f of walkFiles(root, skip, unreadable)) {
    const kind = options.kinds.find((k) => k.matchesName(f.path));
    const contentKinds = kind ? [] : options.kinds.filter((k) => k.contentCandidate(f.path));
    if (!kind && contentKinds.length === 0) continue;
    const path = displayPath(root, f.path);
    const outcome = scanCandidate({ path, absPath: f.absPath, kind, contentKinds }, read);
    if (outcome) collect(result, outcome, trees, f.absPath);
    options.onFile?.(path);
  }
  runTreeChecks(result, options.kinds, trees, maxFileSize);
  return finish(result);
}

interface ReadOptions {
  maxFileSize: number;
  settings: Readonly<Record<string, string>> | undefined;
  warnings: string[];
}

function scanCandidate(
  c: Candidate,
  { maxFileSize, settings, warnings }: ReadOptions,
): FileScan | ConfigFileError | undefined {
  let text: string;
  try {
    const read = readBounded(c.absPath, maxFileSize);
    if ('tooLarge' in read) {
      const message = `file is ${read.tooLarge} bytes, over the ${maxFileSize}-byte limit; not scanned`;
      if (c.kind) return { path: c.path, kind: c.kind.id, message };
      warnings.push(`${c.path}: ${message}`);
      return undefined;
    }
    text = decodeText(read.bytes);
  } catch (err) {
    if (!c.kind) return undefined;
    const message = err instanceof ConfigParseError ? err.message : `cannot read (${describeFsError(err)})`;
    return { path: c.path, kind: c.kind.id, message };
  }
  const kind = c.kind ?? c.contentKinds.find((k) => k.matchesContent(text, c.path));
  if (!kind) return undefined;
  const source: SourceFile = {
    path: c.path,
    text,
    companions: readCompanions(c.absPath, kind, maxFileSize),
    ...(settings ? { settings } : {}),
  };
  return kind.scan(source);
}

function readCompanions(absPath: string, kind: RegisteredKind, maxFileSize: number): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of kind.companions) {
    try {
      const read = readBounded(join(dirname(absPath), name), maxFileSize);
      if ('bytes' in read) found.set(name, decodeText(read.bytes));
    } catch {
      // An absent or unreadable companion is the same as none.
    }
  }
  return found;
}

function collect(
  result: ConfigScanResult,
  outcome: FileScan | ConfigFileError,
  trees: TreeInputs,
  absPath: string,
): void {
  if (!('findings' in outcome)) {
    result.errors.push(outcome);
    return;
  }
  result.findings.push(...outcome.findings);
  result.errors.push(...outcome.errors);
  if (!outcome.errors.some((e) => e.ruleId === undefined)) {
    result.scanned.push({ path: outcome.path, kind: outcome.kind });
  }
  if (outcome.summary !== undefined) {
    const files = trees.byKind.get(outcome.kind) ?? [];
    trees.byKind.set(outcome.kind, files);
    files.push({ path: outcome.path, summary: outcome.summary });
    trees.absPaths.set(outcome.path, absPath);
  }
}

/** Checks across files (a namespace with no NetworkPolicy anywhere), once every file has been parsed. */
function runTreeChecks(
  result: ConfigScanResult,
  kinds: readonly RegisteredKind[],
  trees: TreeInputs,
  maxFileSize: number,
): void {
  const textOf = (path: string): string | undefined => {
    const absPath = trees.absPaths.get(path);
    try {
      const read = absPath === undefined ? undefined : readBounded(absPath, maxFileSize);
      return read && 'bytes' in read ? decodeText(read.bytes) : undefined;
    } catch {
      return undefined;
    }
  };
  for (const kind of kinds) {
    const files = trees.byKind.get(kind.id);
    if (!files) continue;
    const tree = kind.scanTree(files, textOf);
    result.findings.push(...tree.findings);
    for (const e of tree.errors) result.errors.push({ path: result.target, kind: kind.id, ...e });
  }
}

function finish(result: ConfigScanResult): ConfigScanResult {
  result.scanned.sort((a, b) => compareStrings(a.path, b.path));
  result.findings.sort(compareFindings);
  result.errors.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.message, b.message));
  return result;
}

/** A path inside the scanned directory as the user reaches it: `deploy/app/Dockerfile` for `ringfence config deploy`. */
function displayPath(root: string, rel: string): string {
  return toPosix(root === '.' ? rel : join(root, rel));
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? errorMessage(err);
}
