import { compareNumeric } from './numeric.js';

/**
 * Versions that are plain lists of numbers (CRAN's package_version, Hackage's Data.Version):
 * the digit runs of the string, compared element-wise, the longer list greater when one is a
 * prefix of the other. Reading digit runs keeps the order total on strings that are not versions.
 */
export function numbersOf(version: string): string[] {
  return version.match(/\d+/g) ?? [];
}

export function compareNumberLists(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareNumeric(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
