import type { Ecosystem, Package } from '../../types.js';
import { UserError } from '../../util/errors.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, ScanMode } from '../analyzer.js';

/**
 * Syft's generic cataloger in our terms: a language analyzer is a path predicate plus a pure
 * parser of one file's text. This module reads the file (bounded), runs the parser, turns a
 * malformed file into a warning naming it, and fills in what every package shares.
 */

/** What a parser reports for one package; the analyzer adds ecosystem, path and its own name. */
export interface FoundPackage {
  name: string;
  version: string;
  licenses?: string[];
  /** Only a development dependency, where the file says so. */
  dev?: boolean;
}

export interface ParseResult {
  packages: FoundPackage[];
  warnings?: string[];
}

/**
 * Parses one file. A file that cannot be read as its format throws a UserError (or the
 * SyntaxError of JSON.parse); entries it can skip become warnings in the result. Warnings
 * need not name the file: the pipeline puts its path in front of every analyzer warning.
 */
export type TextParser = (text: string, path: string) => ParseResult;

interface FileAnalyzerSpec {
  name: string;
  version: number;
  ecosystem: Ecosystem;
  modes: readonly ScanMode[];
  wants: (path: string) => boolean;
  /** Files larger than this are skipped with a warning. */
  maxBytes: number;
  /** Read just the first maxBytes of larger files instead (formats whose fields come first). */
  prefixOnly?: boolean;
  parse: TextParser;
}

/** Where installed-package analyzers run; lockfiles describe source trees and run in 'fs' (as Trivy). */
export const INSTALLED_MODES: readonly ScanMode[] = ['image', 'rootfs'];
export const SOURCE_TREE_MODES: readonly ScanMode[] = ['fs'];

const MAX_NAME = 512;
const MAX_VERSION = 256;
const MAX_WARNINGS = 20;
const CONTROL = /[\u0000-\u001f\u007f]/;
const decoder = new TextDecoder('utf-8');

export function fileAnalyzer(spec: FileAnalyzerSpec): Analyzer {
  return {
    name: spec.name,
    version: spec.version,
    modes: spec.modes,
    wants: (file, scanMode) => spec.modes.includes(scanMode) && spec.wants(file.path),
    analyze: (input) => analyzeFile(spec, input),
  };
}

async function analyzeFile(spec: FileAnalyzerSpec, input: AnalyzerInput): Promise<AnalyzerOutput> {
  const { path, content } = input;
  if (content.size > spec.maxBytes && !spec.prefixOnly)
    return { warnings: [`skipped, ${content.size} bytes is over the ${spec.maxBytes}-byte limit`] };
  const bytes = content.size > spec.maxBytes ? await content.readAt(0, spec.maxBytes) : await content.read();
  let result: ParseResult;
  try {
    result = spec.parse(decoder.decode(bytes), path);
  } catch (err) {
    if (err instanceof UserError) return { warnings: [withoutPath(firstLine(err.message), path)] };
    // V8 quotes the offending input in the message, line breaks included.
    if (err instanceof SyntaxError)
      return { warnings: [`invalid JSON: ${err.message.replace(/\s+/g, ' ').slice(0, 200)}`] };
    throw err;
  }
  const warnings = [...(result.warnings ?? [])];
  const packages: Package[] = [];
  const seen = new Map<string, Package>();
  for (const found of result.packages) {
    if (!usable(found.name, MAX_NAME) || !usable(found.version, MAX_VERSION)) {
      warnings.push(`skipped a package with an unusable name or version ${preview(found)}`);
      continue;
    }
    const key = `${found.name}\u0000${found.version}`;
    const known = seen.get(key);
    if (known) {
      if (!found.dev) delete known.dev;
      continue;
    }
    const pkg = toPackage(spec, path, found);
    seen.set(key, pkg);
    packages.push(pkg);
  }
  return { packages, warnings: capped(warnings) };
}

function toPackage(spec: FileAnalyzerSpec, path: string, found: FoundPackage): Package {
  const pkg: Package = {
    name: found.name,
    version: found.version,
    ecosystem: spec.ecosystem,
    purl: '',
    paths: [path],
    analyzer: spec.name,
  };
  const licenses = [...new Set((found.licenses ?? []).map((l) => l.trim()).filter((l) => usable(l, 1024)))];
  if (licenses.length > 0) pkg.licenses = licenses;
  if (found.dev) pkg.dev = true;
  return pkg;
}

function usable(s: unknown, max: number): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= max && s.trim() === s && !CONTROL.test(s);
}

function preview(found: FoundPackage): string {
  return JSON.stringify(`${String(found.name)}@${String(found.version)}`.slice(0, 80));
}

/** inputError(path, problem) reads "path: problem"; the pipeline adds the path itself. */
function withoutPath(warning: string, path: string): string {
  return warning.startsWith(`${path}: `) ? warning.slice(path.length + 2) : warning;
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim().length > 0) ?? s).trim();
}

function capped(warnings: string[]): string[] | undefined {
  if (warnings.length === 0) return undefined;
  if (warnings.length <= MAX_WARNINGS) return warnings;
  return [
    ...warnings.slice(0, MAX_WARNINGS),
    `... and ${warnings.length - MAX_WARNINGS} more warnings like these`,
  ];
}
