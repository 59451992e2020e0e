import { compareNumeric, compareStrings, isAllDigits } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { comparePrecedence, parseLenient, parseStrict, type SemVer } from '../semver/parse.js';
import { parseRequirement, requirementMatches } from './requirement.js';

/**
 * Cargo (crates.io): versions as the `semver` crate reads and orders them. SemVer precedence,
 * then build metadata, which the crate does order (none first, then identifier by identifier:
 * numbers by value and below words, words in ASCII order). Strings the crate rejects are read
 * leniently as SemVer.
 */
const parse = cachedParser(parseLenient);

function compareBuildIdentifiers(a: string, b: string): number {
  const an = isAllDigits(a);
  const bn = isAllDigits(b);
  if (an && bn) return compareNumeric(a, b) || Math.sign(a.length - b.length);
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a, b);
}

function compareBuild(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareBuildIdentifiers(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareCargo(a: SemVer, b: SemVer): number {
  return comparePrecedence(a, b) || compareBuild(a.build, b.build);
}

function compare(a: string, b: string): number {
  return a === b ? 0 : compareCargo(parse(a), parse(b));
}

function isValid(version: string): boolean {
  return parseStrict(version) !== undefined;
}

function isValidRange(range: string): boolean {
  return parseRequirement(range) !== undefined;
}

function satisfies(version: string, range: string): boolean {
  const v = parseStrict(version);
  const req = parseRequirement(range);
  return v !== undefined && req !== undefined && requirementMatches(req, v);
}

export const cargo: VersionScheme = { name: 'cargo', isValid, compare, isValidRange, satisfies };
