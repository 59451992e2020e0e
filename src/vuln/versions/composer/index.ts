import { compareNumeric, isDigit } from '../numeric.js';
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

function leadingDigits(part: string): string {
  let end = 0;
  while (end < part.length && isDigitAt(part, end)) end++;
  return part.slice(0, end);
}

/** php_version_compare on canonical strings, part by part as PHP walks them. */
function versionCompare(v1: string, v2: string): number {
  if (v1 === '' || v2 === '') return v1 === v2 ? 0 : v1 === '' ? -1 : 1;
  let p1 = 0;
  let p2 = 0;
  let more1 = true;
  let more2 = true;
  let result = 0;
  while (p1 < v1.length && p2 < v2.length && more1 && more2) {
    const dot1 = v1.indexOf('.', p1);
    const dot2 = v2.indexOf('.', p2);
    more1 = dot1 >= 0;
    more2 = dot2 >= 0;
    const part1 = v1.slice(p1, more1 ? dot1 : v1.length);
    const part2 = v2.slice(p2, more2 ? dot2 : v2.length);
    const d1 = isDigitAt(part1, 0);
    const d2 = isDigitAt(part2, 0);
    if (d1 && d2) result = compareNumeric(leadingDigits(part1), leadingDigits(part2));
    else if (!d1 && !d2) result = compareForms(part1, part2);
    else result = d1 ? compareForms('#N#', part2) : compareForms(part1, '#N#');
    if (result !== 0) return result;
    if (more1) p1 = dot1 + 1;
    if (more2) p2 = dot2 + 1;
  }
  // Both ran into an empty part (a trailing dot): PHP answers -1 both ways round; the shorter rest is lower here.
  if (more1 && more2) return p1 >= v1.length ? (p2 >= v2.length ? 0 : -1) : 1;
  if (more1) return isDigitAt(v1, p1) ? 1 : versionCompare(v1.slice(p1), '#N#');
  if (more2) return isDigitAt(v2, p2) ? -1 : versionCompare('#N#', v2.slice(p2));
  return 0;
}

/** PHP leaves strings that start with "#" as they are. */
const canonicalOf = cachedParser((version: string): string => {
  const v = version.replace(/^[vV]/, '');
  return v === '' || v.startsWith('#') ? v : canonicalize(v);
});

function compare(a: string, b: string): number {
  return a === b ? 0 : versionCompare(canonicalOf(a), canonicalOf(b));
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
