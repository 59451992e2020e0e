import { compareNumberLists, numbersOf } from '../number-list.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Hackage (Haskell) versions, as Cabal's Version orders them: dot-separated numbers compared
 * as lists, so 1.0 > 1.
 */
const parse = cachedParser(numbersOf);

function compare(a: string, b: string): number {
  return a === b ? 0 : compareNumberLists(parse(a), parse(b));
}

function isValid(version: string): boolean {
  return /^\d+(?:\.\d+)*$/.test(version);
}

export const hackage: VersionScheme = { name: 'hackage', isValid, compare };
