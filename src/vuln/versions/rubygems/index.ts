import { compareNumeric, compareStrings, isAsciiAlpha, isDigit } from '../numeric.js';
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

/** Gem::Version#canonical_segments, in one pass over the string ("-" reads as ".pre."). */
function canonicalSegments(input: string): Segment[] {
  const s = input.trim();
  const out: Segment[] = [];
  let firstWord = -1;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    let j = i + 1;
    if (isDigit(c)) {
      while (j < s.length && isDigit(s.charCodeAt(j))) j++;
      let k = i;
      while (k < j - 1 && s.charCodeAt(k) === 48) k++;
      out.push(s.slice(k, j));
    } else if (isAsciiAlpha(c) || c === 45 /* - */) {
      if (c === 45) out.push('pre');
      else {
        while (j < s.length && isAsciiAlpha(s.charCodeAt(j))) j++;
        out.push(s.slice(i, j));
      }
      if (firstWord < 0) firstWord = out.length - 1;
    }
    i = j;
  }
  // Trailing zeros go from the numeric part and from the part after the first word.
  const numericEnd = firstWord < 0 ? out.length : firstWord;
  let keptNumeric = numericEnd;
  while (keptNumeric > 0 && out[keptNumeric - 1] === '0') keptNumeric--;
  let end = out.length;
  while (end > numericEnd && out[end - 1] === '0') end--;
  return keptNumeric === numericEnd
    ? out.slice(0, end)
    : [...out.slice(0, keptNumeric), ...out.slice(numericEnd, end)];
}

const segmentsOf = cachedParser(canonicalSegments);

function compareSegments(a: Segment[], b: Segment[]): number {
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
