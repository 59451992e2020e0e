import { compareDigitRuns, isDigit } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Composer/Packagist versions, ordered as PHP's version_compare() orders them once a leading
 * "v" or "V" is dropped (as Composer's normaliser does): "-", "_" and "+" are dots, a switch
 * between digits and letters is a dot, and the special forms rank
 * dev < alpha = a < beta = b < RC = rc < # (a number) < pl = p, any other word below all.
 * Numbers of any length compare exactly (PHP clamps them to PHP_INT_MAX).
 */

function isSeparator(c: string): boolean {
  return c === '-' || c === '_' || c === '+';
}

function isDigitAt(s: string, i: number): boolean {
  return isDigit(s.charCodeAt(i));
}

/**
 * php_canonicalize_version: separators and digit/letter switches become single dots. One
 * deviation: "#" (the special form of numbers) is kept after a dot, where PHP drops it, so
 * that "1.2.3.#" = "1.2.3.1" as osv.dev's corpus has it.
 */
function canonicalize(s: string): string {
  const out: string[] = [s[0]!];
  let dotted = s[0] === '.';
  const dot = (): void => {
    if (!dotted) out.push('.');
    dotted = true;
  };
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    const previous = s[i - 1]!;
    if (isSeparator(c)) {
      dot();
    } else if (previous !== '.' && c !== '.' && isDigitAt(s, i - 1) !== isDigitAt(s, i)) {
      dot();
      out.push(c);
      dotted = false;
    } else if (!/[A-Za-z0-9#]/.test(c)) {
      dot();
    } else {
      out.push(c);
      dotted = false;
    }
  }
  return out.join('');
}

const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

/** compare_special_version_forms: the first form a part starts with; no form ranks lowest. */
function specialForm(part: string): number {
  for (const [form, order] of SPECIAL_FORMS) if (part.startsWith(form)) return order;
  return -1;
}

function compareForms(a: string, b: string): number {
  return Math.sign(specialForm(a) - specialForm(b));
}

function leadingDigitCount(part: string): number {
  let end = 0;
  while (end < part.length && isDigitAt(part, end)) end++;
  return end;
}

function compareParts(a: string, b: string): number {
  const da = isDigitAt(a, 0);
  const db = isDigitAt(b, 0);
  if (da && db) return compareDigitRuns(a, 0, leadingDigitCount(a), b, 0, leadingDigitCount(b));
  if (!da && !db) return compareForms(a, b);
  return da ? compareForms('#N#', b) : compareForms(a, '#N#');
}

const NUMBER_FORM = ['#N#'];

/**
 * php_version_compare on canonical strings split at their dots, walked as PHP walks them: while
 * neither rest is empty, part against part; then a longer rest wins if it goes on with a number,
 * and is compared with "#N#" otherwise.
 */
function versionCompare(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? -1 : 1;
  let i = 0;
  let j = 0;
  let more1 = true;
  let more2 = true;
  while (more1 && more2 && !(a[i] === '' && i === a.length - 1) && !(b[j] === '' && j === b.length - 1)) {
    more1 = i < a.length - 1;
    more2 = j < b.length - 1;
    const result = compareParts(a[i]!, b[j]!);
    if (result !== 0) return result;
    if (more1) i++;
    if (more2) j++;
  }
  // Both ran into an empty part (a trailing dot): PHP answers -1 both ways round; the shorter rest is lower here.
  if (more1 && more2)
    return a[i] === '' && i === a.length - 1 ? (b[j] === '' && j === b.length - 1 ? 0 : -1) : 1;
  if (more1) return isDigitAt(a[i]!, 0) ? 1 : versionCompare(restOf(a, i), NUMBER_FORM);
  if (more2) return isDigitAt(b[j]!, 0) ? -1 : versionCompare(NUMBER_FORM, restOf(b, j));
  return 0;
}

/** The parts from i on, as PHP's recursion on the rest of the string sees them ("" is no parts). */
function restOf(parts: readonly string[], i: number): readonly string[] {
  return i === parts.length - 1 && parts[i] === '' ? [] : parts.slice(i);
}

/** PHP leaves strings that start with "#" as they are. */
const partsOf = cachedParser((version: string): readonly string[] => {
  const v = version.replace(/^[vV]/, '');
  if (v === '') return [];
  return (v.startsWith('#') ? v : canonicalize(v)).split('.');
});

function compare(a: string, b: string): number {
  return a === b ? 0 : versionCompare(partsOf(a), partsOf(b));
}

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*))?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');

/** What Composer's VersionParser::normalize accepts: classic or date versions, dev branches. */
function isValid(version: string): boolean {
  let v = version.trim();
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(v);
  if (alias) v = alias[1]!;
  v = v.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '');
  if (/^(?:dev-)?(?:master|trunk|default)$/i.test(v) || /^dev-\S+$/i.test(v)) return true;
  v = v.replace(/^([^,\s+]+)\+\S+$/, '$1');
  if (CLASSICAL.test(v) || DATE.test(v)) return true;
  const branch = /^(.*?)[.-]?dev$/i.exec(v);
  return !!branch && /^v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,3}$/.test(branch[1]!);
}

export const composer: VersionScheme = { name: 'composer', isValid, compare };
