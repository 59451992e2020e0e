import { compareNumeric, compareStrings, isDigit } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Maven versions ordered as maven-artifact's ComparableVersion orders them: a tree of number,
 * qualifier and list items (a "-" or a digit/letter switch opens a sub-list), trailing nulls
 * removed, known qualifiers alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
 * release < sp, unknown qualifiers after them in text order. Every string is a Maven version.
 */

type Item = { kind: 'number'; digits: string } | { kind: 'qualifier'; value: string } | ListItem;
interface ListItem {
  kind: 'list';
  items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = '5';

function qualifier(text: string, followedByDigit: boolean): Item {
  let value = text;
  if (followedByDigit && value.length === 1)
    value = { a: 'alpha', b: 'beta', m: 'milestone' }[value] ?? value;
  return { kind: 'qualifier', value: ALIASES[value] ?? value };
}

function number(text: string): Item {
  return { kind: 'number', digits: text.replace(/^0+/, '') };
}

function parseItem(isNumber: boolean, text: string): Item {
  return isNumber ? number(text) : qualifier(text, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'number') return item.digits === '';
  if (item.kind === 'qualifier') return item.value === '';
  return item.items.length === 0;
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
  const root: ListItem = { kind: 'list', items: [] };
  let list = root;
  const stack: ListItem[] = [root];
  const open = (): void => {
    const child: ListItem = { kind: 'list', items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  let isNumber = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46 /* . */ || c === 45 /* - */) {
      list.items.push(i === start ? number('0') : parseItem(isNumber, v.slice(start, i)));
      start = i + 1;
      if (c === 45) open();
    } else if (isDigit(c)) {
      if (!isNumber && i > start) {
        list.items.push(qualifier(v.slice(start, i), true));
        start = i;
        open();
      }
      isNumber = true;
    } else {
      if (isNumber && i > start) {
        list.items.push(number(v.slice(start, i)));
        start = i;
        open();
      }
      isNumber = false;
    }
  }
  if (v.length > start) {
    list.items.push(parseItem(isNumber, v.slice(start)));
  }
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i]!, i === 0);
  return root;
}

function comparableQualifier(value: string): string {
  const i = QUALIFIERS.indexOf(value);
  return i < 0 ? `${QUALIFIERS.length}-${value}` : String(i);
}

/** ComparableVersion's Item.compareTo; `b` undefined stands for a missing item. */
function compareItems(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'number':
      if (!b) return a.digits === '' ? 0 : 1;
      return b.kind === 'number' ? compareNumeric(a.digits, b.digits) : 1;
    case 'qualifier':
      if (!b) return Math.sign(compareStrings(comparableQualifier(a.value), RELEASE_INDEX));
      if (b.kind !== 'qualifier') return -1;
      return Math.sign(compareStrings(comparableQualifier(a.value), comparableQualifier(b.value)));
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

export const maven: VersionScheme = { name: 'maven', isValid, compare };
