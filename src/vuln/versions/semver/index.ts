import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { comparePrecedence, parseLenient, parseStrict } from './parse.js';

/**
 * SemVer 2.0.0 as OSV's SEMVER ranges use it (Hex, and the fallback for any ecosystem whose
 * ranges are typed SEMVER): an optional leading "v", precedence without build metadata.
 * Strings that are not SemVer are read leniently (see parseLenient) so the order stays total.
 */
const parse = cachedParser(parseLenient);

function isValid(version: string): boolean {
  return parseStrict(version.startsWith('v') ? version.slice(1) : version) !== undefined;
}

function compare(a: string, b: string): number {
  return a === b ? 0 : comparePrecedence(parse(a), parse(b));
}

export const semver: VersionScheme = { name: 'semver', isValid, compare };
