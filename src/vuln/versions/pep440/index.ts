import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { containsVersion, parseSpecifierSet } from './specifier.js';
import { compareParsed, parse, parseVersion } from './version.js';

/** PyPI: PEP 440 versions and specifier sets, as the `packaging` library reads them. */
const parseCached = cachedParser(parse);

function isValid(version: string): boolean {
  return parseVersion(version) !== undefined;
}

function compare(a: string, b: string): number {
  return a === b ? 0 : compareParsed(parseCached(a), parseCached(b));
}

function isValidRange(range: string): boolean {
  return parseSpecifierSet(range) !== undefined;
}

function satisfies(version: string, range: string): boolean {
  const clauses = parseSpecifierSet(range);
  const parsed = parseCached(version);
  if (!clauses) return false;
  // `===` is the one operator that can match a string that is not PEP 440.
  if (!parsed.valid)
    return (
      clauses.length > 0 &&
      clauses.every((c) => c.op === '===' && c.text.toLowerCase() === version.trim().toLowerCase())
    );
  return containsVersion(clauses, parsed.version);
}

export const pep440: VersionScheme = { name: 'pep440', isValid, compare, isValidRange, satisfies };
