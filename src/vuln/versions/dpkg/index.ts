import { compareDigitRuns, isAsciiAlpha, isDigit } from '../numeric.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Debian versions, `[epoch:]upstream[-revision]`, compared as dpkg's verrevcmp does.
 * Works on index ranges of the original string, so a comparison allocates nothing.
 */

interface Parts {
  /** Digits of the epoch (before the first colon), or an empty range for epoch 0. */
  epochStart: number;
  epochEnd: number;
  upstreamStart: number;
  upstreamEnd: number;
  /** Empty when there is no revision (dpkg compares a missing revision as ""). */
  revisionStart: number;
  revisionEnd: number;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Splits like dpkg's parseversion: surrounding blanks trimmed, the epoch is what precedes the
 * first colon, the revision what follows the last hyphen. On strings dpkg rejects, the epoch
 * is the number its text starts with (as Perl's Dpkg::Version numifies it).
 */
function split(s: string, into: Parts): Parts {
  let start = 0;
  let end = s.length;
  while (start < end && isBlank(s.charCodeAt(start))) start++;
  while (end > start && isBlank(s.charCodeAt(end - 1))) end--;
  const colon = s.indexOf(':', start);
  into.epochStart = into.epochEnd = start;
  if (colon >= 0 && colon < end - 1) {
    let e = start;
    while (e < colon && isDigit(s.charCodeAt(e))) e++;
    into.epochEnd = e;
    start = colon + 1;
  }
  const hyphen = s.lastIndexOf('-', end - 1);
  into.upstreamStart = start;
  if (hyphen >= start) {
    into.upstreamEnd = hyphen;
    into.revisionStart = hyphen + 1;
  } else {
    into.upstreamEnd = end;
    into.revisionStart = end;
  }
  into.revisionEnd = end;
  return into;
}

function order(c: number): number {
  if (isDigit(c)) return 0;
  if (isAsciiAlpha(c)) return c;
  if (c === 126) return -1; // '~' sorts before everything, even the end of the string
  if (c !== 0) return c + 256;
  return 0;
}

/** dpkg's verrevcmp on `a[ai..ae)` and `b[bi..be)`; 0 stands for "end of part". */
function verrevcmp(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  while (ai < ae || bi < be) {
    while ((ai < ae && !isDigit(a.charCodeAt(ai))) || (bi < be && !isDigit(b.charCodeAt(bi)))) {
      const ac = order(ai < ae ? a.charCodeAt(ai) : 0);
      const bc = order(bi < be ? b.charCodeAt(bi) : 0);
      if (ac !== bc) return ac < bc ? -1 : 1;
      ai++;
      bi++;
    }
    const aDigits = ai;
    while (ai < ae && isDigit(a.charCodeAt(ai))) ai++;
    const bDigits = bi;
    while (bi < be && isDigit(b.charCodeAt(bi))) bi++;
    const r = compareDigitRuns(a, aDigits, ai, b, bDigits, bi);
    if (r !== 0) return r;
  }
  return 0;
}

const pa = {} as Parts;
const pb = {} as Parts;

function compare(a: string, b: string): number {
  if (a === b) return 0;
  split(a, pa);
  split(b, pb);
  return (
    compareDigitRuns(a, pa.epochStart, pa.epochEnd, b, pb.epochStart, pb.epochEnd) ||
    verrevcmp(a, pa.upstreamStart, pa.upstreamEnd, b, pb.upstreamStart, pb.upstreamEnd) ||
    verrevcmp(a, pa.revisionStart, pa.revisionEnd, b, pb.revisionStart, pb.revisionEnd)
  );
}

const UPSTREAM = /^\d[A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;
const INT_MAX = 2147483647;

/** What dpkg accepts without error or warning (so the upstream part starts with a digit). */
function isValid(version: string): boolean {
  const v = version.replace(/^[ \t]+|[ \t]+$/g, '');
  if (v === '' || /[ \t]/.test(v)) return false;
  const colon = v.indexOf(':');
  if (colon >= 0 && !(/^\d+$/.test(v.slice(0, colon)) && Number(v.slice(0, colon)) <= INT_MAX)) return false;
  const rest = v.slice(colon + 1);
  const hyphen = rest.lastIndexOf('-');
  if (!UPSTREAM.test(hyphen >= 0 ? rest.slice(0, hyphen) : rest)) return false;
  return hyphen < 0 || REVISION.test(rest.slice(hyphen + 1));
}

export const dpkg: VersionScheme = { name: 'dpkg', isValid, compare };
