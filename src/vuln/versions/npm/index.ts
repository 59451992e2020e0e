import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { semver } from '../semver/index.js';
import { parseStrict, type SemVer } from '../semver/parse.js';
import { parseRange, satisfiesSets } from './range.js';

/**
 * npm: versions as node-semver reads them (SemVer 2.0.0, surrounding blanks and one leading
 * "v" allowed, at most 256 characters, numbers up to 2^53-1), ordered by SemVer precedence,
 * and node-semver ranges with its pre-release rule.
 */

const MAX_SAFE = 9007199254740991n;

const parseVersion = cachedParser((version: string): SemVer | null => {
  if (version.length > 256) return null;
  const trimmed = version.trim();
  const v = parseStrict(trimmed.startsWith('v') ? trimmed.slice(1) : trimmed);
  if (!v || [v.major, v.minor, v.patch].some((n) => BigInt(n) > MAX_SAFE)) return null;
  return v;
});

function isValid(version: string): boolean {
  return parseVersion(version) !== null;
}

function isValidRange(range: string): boolean {
  return parseRange(range) !== undefined;
}

function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  const sets = parseRange(range);
  return v !== null && sets !== undefined && satisfiesSets(v, sets);
}

export const npm: VersionScheme = { name: 'npm', isValid, compare: semver.compare, isValidRange, satisfies };
