import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { compareIdentifiers, comparePrecedence, parseLenient } from '../semver/parse.js';

/**
 * Dart/Flutter (pub) versions, as pub_semver orders them: SemVer precedence, then build
 * metadata, which pub does compare (no build < any build, then part by part, numbers first).
 * Strings pub rejects are read leniently as SemVer.
 */
const parse = cachedParser(parseLenient);

function compareBuild(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareIdentifiers(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  const va = parse(a);
  const vb = parse(b);
  return comparePrecedence(va, vb) || compareBuild(va.build, vb.build);
}

/**
 * pub_semver's pattern, with the dots between the numbers read as dots: unescaped there, they
 * match any character (so pub takes "12345" for 1.3.5) and backtrack badly on long digit runs.
 */
const VERSION =
  /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

function isValid(version: string): boolean {
  return VERSION.test(version);
}

export const pub: VersionScheme = { name: 'pub', isValid, compare };
