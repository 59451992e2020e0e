import { compareNumeric, compareStrings, isDigit } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { type Clause, parseRequirement, release } from './requirement.js';

/**
 * RubyGems versions ordered as Gem::Version#<=> orders them: "-" reads as ".pre.", segments
 * are runs of digits or letters, trailing zeros of the numeric part and of each part after a
 * letter are dropped, and a letter segment sorts below any number (1.0.a < 1.0). Any string
 * gets the same reading, so invalid versions order by their segments too.
 */

type Segment = string;

function isNumber(s: Segment): boolean {
  return isDigit(s.charCodeAt(0));
}

/** Gem::Version#canonical_segments. */
function canonicalSegments(input: string): Segment[] {
  const segments =
    input
      .trim()
      .replaceAll('-', '.pre.')
      .match(/[0-9]+|[a-z]+/gi) ?? [];
  const numbers = segments.map((s) => (isNumber(s) ? s.replace(/^0+(?=\d)/, '') : s));
  const firstString = numbers.findIndex((s) => !isNumber(s));
  const groups = firstString < 0 ? [numbers] : [numbers.slice(0, firstString), numbers.slice(firstString)];
  return groups.flatMap((group) => {
    let end = group.length;
    while (end > 0 && group[end - 1] === '0') end--;
    return group.slice(0, end);
  });
}

export const segmentsOf = cachedParser(canonicalSegments);

export function compareSegments(a: Segment[], b: Segment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? '0';
    const r = b[i] ?? '0';
    if (l === r) continue;
    const ln = isNumber(l);
    const rn = isNumber(r);
    if (ln !== rn) return ln ? 1 : -1;
    return ln ? compareNumeric(l, r) : compareStrings(l, r);
  }
  return 0;
}

function compare(a: string, b: string): number {
  return a === b ? 0 : compareSegments(segmentsOf(a), segmentsOf(b));
}

const VERSION = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;

/** Gem::Version.correct? (which also accepts the empty string, as version 0). */
function isValid(version: string): boolean {
  return VERSION.test(version);
}

function holds(c: Clause, version: string): boolean {
  const r = compare(version, c.version);
  switch (c.op) {
    case '=':
      return r === 0;
    case '!=':
      return r !== 0;
    case '>':
      return r > 0;
    case '<':
      return r < 0;
    case '>=':
      return r >= 0;
    case '<=':
      return r <= 0;
    case '~>':
      return r >= 0 && compare(release(version), c.bump!) < 0;
  }
}

function isValidRange(range: string): boolean {
  return parseRequirement(range) !== undefined;
}

/** Gem::Requirement#satisfied_by? (RubyGems has no pre-release exclusion here). */
function satisfies(version: string, range: string): boolean {
  const clauses = parseRequirement(range);
  return clauses !== undefined && isValid(version) && clauses.every((c) => holds(c, version));
}

export const rubygems: VersionScheme = { name: 'rubygems', isValid, compare, isValidRange, satisfies };
