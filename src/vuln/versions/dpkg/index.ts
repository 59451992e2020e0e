import { compareDigitRuns, isAsciiAlpha, isDigit } from '../numeric.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Debian versions, `[epoch:]upstream[-revision]`, compared as dpkg's verrevcmp does.
 * Works on index ranges of the original string, so a comparison allocates nothing.
 */

/** Index ranges of one version: epoch digits, upstream, revision (empty when absent). */
const EPOCH_START = 0;
const EPOCH_END = 1;
const UPSTREAM_START = 2;
const UPSTREAM_END = 3;
const REVISION_START = 4;
const REVISION_END = 5;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Splits like dpkg's parseversion: surrounding blanks trimmed, the epoch is what precedes the
 * first colon, the revision what follows the last hyphen. On strings dpkg rejects, the epoch
 * is the number its text starts with (as Perl's Dpkg::Version numifies it).
 */
function split(s: string, into: Int32Array): void {
  let start = 0;
  let end = s.length;
  while (start < end && isBlank(s.charCodeAt(start))) start++;
  while (end > start && isBlank(s.charCodeAt(end - 1))) end--;
  into[EPOCH_START] = start;
  into[EPOCH_END] = start;
  let colon = -1;
  let hyphen = -1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 58 /* : */ && colon < 0) colon = i;
    else if (c === 45 /* - */) hyphen = i;
  }
  if (colon >= 0 && colon < end - 1) {
    let e = start;
    while (e < colon && isDigit(s.charCodeAt(e))) e++;
    into[EPOCH_END] = e;
    start = colon + 1;
  }
  into[UPSTREAM_START] = start;
  if (hyphen >= start) {
    into[UPSTREAM_END] = hyphen;
    into[REVISION_START] = hyphen + 1;
  } else {
    into[UPSTREAM_END] = end;
    into[REVISION_START] = end;
  }
  into[REVISION_END] = end;
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

const pa = new Int32Array(6);
const pb = new Int32Array(6);

function compare(a: string, b: string): number {
  if (a === b) return 0;
  split(a, pa);
  split(b, pb);
  return (
    compareDigitRuns(a, pa[EPOCH_START]!, pa[EPOCH_END]!, b, pb[EPOCH_START]!, pb[EPOCH_END]!) ||
    verrevcmp(a, pa[UPSTREAM_START]!, pa[UPSTREAM_END]!, b, pb[UPSTREAM_START]!, pb[UPSTREAM_END]!) ||
    verrevcmp(a, pa[REVISION_START]!, pa[REVISION_END]!, b, pb[REVISION_START]!, pb[REVISION_END]!)
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
