import { inputError } from '../../../util/errors.js';
import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { isLocalRange, splitDescriptor } from './descriptor.js';

/**
 * yarn.lock as Yarn 1 writes it (not YAML): unindented entries headed by the descriptors that
 * resolved to them, each with an indented `version "x"` line. Deeper lines (dependencies,
 * integrity) are not needed. A line that fits no part of the format makes the file unreadable.
 */
export function parseYarnClassic(source: string, path: string): ParseResult {
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  let entry: { descriptors: string[]; line: number; version?: string } | undefined;
  const finish = () => {
    if (!entry) return;
    const pkg = packageOf(entry.descriptors, entry.version);
    if (pkg) found.push(pkg);
    else if (pkg === undefined) warnings.push(`line ${entry.line}: entry has no version; skipped`);
  };
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (!line.endsWith(':'))
        throw inputError(path, `line ${i + 1}: expected an entry heading "name@range:"`);
      finish();
      entry = { descriptors: splitList(line.slice(0, -1), path, i + 1), line: i + 1 };
    } else if (!entry) {
      throw inputError(path, `line ${i + 1}: indented line before any entry`);
    } else if (indent === 2 && /^version:?\s/.test(trimmed)) {
      entry.version = unquote(trimmed.replace(/^version:?\s+/, ''), path, i + 1);
    }
  }
  finish();
  return { packages: found, warnings };
}

/** null: a local folder, not a package; undefined: no version. */
function packageOf(descriptors: string[], version: string | undefined): FoundPackage | null | undefined {
  const first = splitDescriptor(descriptors[0] ?? '');
  if (isLocalRange(first.range)) return null;
  if (!version) return undefined;
  // "alias@npm:real@^1" installs the package "real".
  const name = first.range.startsWith('npm:') ? splitDescriptor(first.range.slice(4)).name : first.name;
  return { name, version };
}

function splitList(heading: string, path: string, line: number): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < heading.length; i++) {
    const c = heading[i]!;
    if (c === '"' && heading[i - 1] !== '\\') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  parts.push(current.trim());
  return parts.map((p) => unquote(p, path, line));
}

function unquote(value: string, path: string, line: number): string {
  if (!value.startsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // reported below
  }
  throw inputError(path, `line ${line}: malformed quoted string`);
}
