import { compareNumberLists, numbersOf } from '../number-list.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';

/**
 * CRAN (R) package versions, as R's package_version compares them: numbers separated by "."
 * or "-", compared one by one, a longer version greater when the shorter is its prefix
 * (0.1.0 < 0.1.0.0).
 */
const parse = cachedParser(numbersOf);

function compare(a: string, b: string): number {
  return a === b ? 0 : compareNumberLists(parse(a), parse(b));
}

/** R's valid_package_version: at least two numbers. */
function isValid(version: string): boolean {
  return /^(?:\d+[.-])+\d+$/.test(version);
}

export const cran: VersionScheme = { name: 'cran', isValid, compare };
