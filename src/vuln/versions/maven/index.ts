import { type Interval, inInterval, parseInterval } from '../interval.js';
import { compareNumeric, compareStrings, isDigit } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Maven versions ordered as maven-artifact's ComparableVersion orders them: a tree of number,
 * qualifier and list items (a "-" or a digit/letter switch opens a sub-list), trailing nulls
 * removed, known qualifiers alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
 * release < sp, unknown qualifiers after them in text order. Every string is a Maven version.
 */

/** One shape for every item kind keeps property access monomorphic in the comparison loop. */
interface Item {
  kind: 'number' | 'qualifier' | 'list';
  /** Digits without leading zeros, or the qualifier's comparable form (see comparableQualifier). */
  text: string;
  items: Item[];
}
type ListItem = Item;

const NO_ITEMS: Item[] = [];

function newList(): ListItem {
  return { kind: 'list', text: '', items: [] };
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = '5';
/** Sub-lists nested deeper than this are read as one list (a version with 500 "-" parts). */
const MAX_DEPTH = 500;

function qualifier(text: string, followedByDigit: boolean): Item {
  let value = text;
  if (followedByDigit && value.length === 1)
    value = { a: 'alpha', b: 'beta', m: 'milestone' }[value] ?? value;
  return { kind: 'qualifier', text: comparableQualifier(ALIASES[value] ?? value), items: NO_ITEMS };
}

function number(text: string): Item {
  return { kind: 'number', text: text.replace(/^0+/, ''), items: NO_ITEMS };
}

function parseItem(isNumber: boolean, text: string): Item {
  return isNumber ? number(text) : qualifier(text, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'list') return item.items.length === 0;
  return item.text === (item.kind === 'number' ? '' : RELEASE_INDEX);
}

/**
 * Removes trailing null items (0, "", empty lists) up to the last non-list item. Then, where
 * that leaves a sub-list holding nothing but a list ("1-ga-1" = [1, [[1]]]), the inner list
 * takes its place: osv.dev reads the POM spec so (1-ga-1 = 1-1); maven-artifact keeps the level.
 */
function normalize(list: ListItem, isRoot: boolean): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
  const only = list.items[0];
  if (!isRoot && list.items.length === 1 && only?.kind === 'list') list.items = only.items;
}

function parse(version: string): ListItem {
  const v = version.toLowerCase();
  const root = newList();
  let current = root;
  const stack: ListItem[] = [root];
  const open = (): void => {
    // Deeper nesting would only come from absurd input and would overflow the comparison's stack.
    if (stack.length >= MAX_DEPTH) return;
    const child = newList();
    current.items.push(child);
    current = child;
    stack.push(child);
  };
  let isNumber = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46 /* . */ || c === 45 /* - */) {
      current.items.push(i === start ? number('0') : parseItem(isNumber, v.slice(start, i)));
      start = i + 1;
      if (c === 45) open();
    } else if (isDigit(c)) {
      if (!isNumber && i > start) {
        current.items.push(qualifier(v.slice(start, i), true));
        start = i;
        open();
      }
      isNumber = true;
    } else {
      if (isNumber && i > start) {
        current.items.push(number(v.slice(start, i)));
        start = i;
        open();
      }
      isNumber = false;
    }
  }
  if (v.length > start) {
    current.items.push(parseItem(isNumber, v.slice(start)));
  }
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i]!, i === 0);
  return root;
}

/** Known qualifiers as their rank ("0".."6"), unknown ones after them as "7-name": compared as text. */
function comparableQualifier(value: string): string {
  const i = QUALIFIERS.indexOf(value);
  return i < 0 ? `${QUALIFIERS.length}-${value}` : String(i);
}

/** ComparableVersion's Item.compareTo; `b` undefined stands for a missing item. */
function compareItems(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'number':
      if (!b) return a.text === '' ? 0 : 1;
      return b.kind === 'number' ? compareNumeric(a.text, b.text) : 1;
    case 'qualifier':
      if (!b) return compareStrings(a.text, RELEASE_INDEX);
      if (b.kind !== 'qualifier') return -1;
      return compareStrings(a.text, b.text);
    case 'list':
      if (!b) {
        for (const item of a.items) {
          const r = compareItems(item, undefined);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.kind === 'number') return -1;
      if (b.kind === 'qualifier') return 1;
      return compareLists(a, b);
  }
}

function compareLists(a: ListItem, b: ListItem): number {
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i];
    const r = b.items[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItems(r, undefined)) : compareItems(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

const parseCached = cachedParser(parse);

function compare(a: string, b: string): number {
  return a === b ? 0 : compareLists(parseCached(a), parseCached(b));
}

/** Maven accepts any string; a version needs a character other than separators to mean anything. */
function isValid(version: string): boolean {
  return /^[^\s]+$/.test(version) && /[^.-]/.test(version);
}

/**
 * Maven's VersionRange.createFromVersionSpec: comma-separated bracketed intervals
 * (`(,1.0],[1.2,)`), in order and not overlapping; a bare version is a soft requirement that
 * Maven lets any version satisfy. Undefined when Maven rejects the spec.
 */
const parseRange = cachedParser((spec: string): Interval[] | undefined => {
  let rest = spec.trim();
  const intervals: Interval[] = [];
  while (rest.startsWith('[') || rest.startsWith('(')) {
    const ends = [rest.indexOf(')'), rest.indexOf(']')].filter((i) => i >= 0);
    if (ends.length === 0) return undefined;
    const end = Math.min(...ends);
    const interval = parseInterval(rest.slice(0, end + 1), compare);
    const previous = intervals[intervals.length - 1];
    if (!interval) return undefined;
    if (
      previous?.upper !== undefined &&
      interval.lower !== undefined &&
      compare(interval.lower, previous.upper) < 0
    )
      return undefined;
    intervals.push(interval);
    rest = rest.slice(end + 1).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
  }
  if (rest === '') return intervals.length > 0 ? intervals : undefined;
  if (intervals.length > 0 || !isValid(rest)) return undefined;
  return [{ lowerInclusive: true, upperInclusive: true }];
}, 2048);

function isValidRange(range: string): boolean {
  return parseRange(range) !== undefined;
}

function satisfies(version: string, range: string): boolean {
  return parseRange(range)?.some((i) => inInterval(version, i, compare)) ?? false;
}

export const maven: VersionScheme = { name: 'maven', isValid, compare, isValidRange, satisfies };
