/**
 * Compares two runs of ASCII digits as numbers of any size, without allocating:
 * `s[aStart..aEnd)` against `t[bStart..bEnd)`, leading zeros ignored, an empty run is 0.
 */
export function compareDigitRuns(
  s: string,
  aStart: number,
  aEnd: number,
  t: string,
  bStart: number,
  bEnd: number,
): number {
  while (aStart < aEnd && s.charCodeAt(aStart) === 48) aStart++;
  while (bStart < bEnd && t.charCodeAt(bStart) === 48) bStart++;
  const lengthDiff = aEnd - aStart - (bEnd - bStart);
  if (lengthDiff !== 0) return lengthDiff < 0 ? -1 : 1;
  for (; aStart < aEnd; aStart++, bStart++) {
    const d = s.charCodeAt(aStart) - t.charCodeAt(bStart);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Compares two strings of ASCII digits as numbers of any size. */
export function compareNumeric(a: string, b: string): number {
  return compareDigitRuns(a, 0, a.length, b, 0, b.length);
}

/** Compares strings by UTF-16 code units, as Go's and C's byte-wise comparisons do for ASCII. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}
