import { compareDigitRuns, isAsciiAlpha, isDigit } from '../numeric.js';
import type { VersionScheme } from '../scheme.js';

/**
 * RPM versions, `[epoch:]version[-release]`, compared segment by segment as rpm's
 * rpmvercmp does (tilde sorts before anything, caret after the base version but before any
 * longer one). Works on index ranges of the original strings, allocating nothing.
 */

const TILDE = 126;
const CARET = 94;

function isAlnum(c: number): boolean {
  return isDigit(c) || isAsciiAlpha(c);
}

/** rpmvercmp on `a[ai..ae)` and `b[bi..be)`. */
function rpmvercmp(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  while (ai < ae || bi < be) {
    while (ai < ae && !isSegmentStart(a.charCodeAt(ai))) ai++;
    while (bi < be && !isSegmentStart(b.charCodeAt(bi))) bi++;
    const ac = ai < ae ? a.charCodeAt(ai) : 0;
    const bc = bi < be ? b.charCodeAt(bi) : 0;
    if (ac === TILDE || bc === TILDE) {
      if (ac !== TILDE) return 1;
      if (bc !== TILDE) return -1;
      ai++;
      bi++;
      continue;
    }
    if (ac === CARET || bc === CARET) {
      if (ai >= ae) return -1;
      if (bi >= be) return 1;
      if (ac !== CARET) return 1;
      if (bc !== CARET) return -1;
      ai++;
      bi++;
      continue;
    }
    if (ai >= ae || bi >= be) break;
    const numeric = isDigit(ac);
    const inSegment = numeric ? isDigit : isAsciiAlpha;
    let aEnd = ai;
    while (aEnd < ae && inSegment(a.charCodeAt(aEnd))) aEnd++;
    let bEnd = bi;
    while (bEnd < be && inSegment(b.charCodeAt(bEnd))) bEnd++;
    // A numeric segment is newer than an alphabetic one.
    if (bEnd === bi) return numeric ? 1 : -1;
    const r = numeric ? compareDigitRuns(a, ai, aEnd, b, bi, bEnd) : compareRange(a, ai, aEnd, b, bi, bEnd);
    if (r !== 0) return r;
    ai = aEnd;
    bi = bEnd;
  }
  if (ai >= ae && bi >= be) return 0;
  return ai >= ae ? -1 : 1;
}

function isSegmentStart(c: number): boolean {
  return isAlnum(c) || c === TILDE || c === CARET;
}

function compareRange(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  for (; ai < ae && bi < be; ai++, bi++) {
    const d = a.charCodeAt(ai) - b.charCodeAt(bi);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ai < ae ? 1 : bi < be ? -1 : 0;
}

interface Evr {
  epochStart: number;
  epochEnd: number;
  versionStart: number;
  versionEnd: number;
  /** -1 when there is no release. */
  releaseStart: number;
}

/** rpm's parseEVR: an epoch only when all of the text before the first colon is digits; release after the last hyphen. */
function parseEvr(s: string, into: Evr): Evr {
  let i = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  const hyphen = s.lastIndexOf('-');
  const releaseStart = hyphen >= i ? hyphen + 1 : -1;
  if (s.charCodeAt(i) === 58 /* ':' */) {
    into.epochStart = 0;
    into.epochEnd = i;
    into.versionStart = i + 1;
  } else {
    into.epochStart = into.epochEnd = 0;
    into.versionStart = 0;
  }
  into.versionEnd = releaseStart >= 0 ? releaseStart - 1 : s.length;
  into.releaseStart = releaseStart;
  return into;
}

const ea: Evr = { epochStart: 0, epochEnd: 0, versionStart: 0, versionEnd: 0, releaseStart: 0 };
const eb: Evr = { ...ea };

/** Epoch (missing = 0), then version, then release, a missing release first (as rpm.vercmp). */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  parseEvr(a, ea);
  parseEvr(b, eb);
  const byEpoch = compareDigitRuns(a, ea.epochStart, ea.epochEnd, b, eb.epochStart, eb.epochEnd);
  if (byEpoch !== 0) return byEpoch;
  const byVersion = rpmvercmp(a, ea.versionStart, ea.versionEnd, b, eb.versionStart, eb.versionEnd);
  if (byVersion !== 0) return byVersion;
  if (ea.releaseStart < 0 || eb.releaseStart < 0)
    return ea.releaseStart < 0 ? (eb.releaseStart < 0 ? 0 : -1) : 1;
  return rpmvercmp(a, ea.releaseStart, a.length, b, eb.releaseStart, b.length);
}

const EVR = /^(?:\d+:)?[A-Za-z0-9._+~^]+(?:-[A-Za-z0-9._+~^]+)?$/;

/** The characters rpmbuild allows in a version and a release, with an optional numeric epoch. */
function isValid(version: string): boolean {
  return EVR.test(version) && /[A-Za-z0-9]/.test(version);
}

export const rpm: VersionScheme = { name: 'rpm', isValid, compare };
