import { type CvssScore, type CvssVersion, cvssRating } from '../cvss/index.js';
import type { AffectedRange, RangeEventKind, RangeType, Reference } from './model.js';

/**
 * The compact text encoding of list-valued columns: records split by RS (\x1e), fields by
 * US (\x1f). Decoding is a couple of String.split calls, far cheaper than JSON.parse on
 * the matcher's hot path. Importers refuse values that contain either separator.
 */

const RS = '\x1e';
const US = '\x1f';

export function hasSeparator(value: string): boolean {
  return value.includes(RS) || value.includes(US);
}

export function encodeList(items: readonly string[]): string {
  return items.join(US);
}

export function decodeList(text: string): string[] {
  return text === '' ? [] : text.split(US);
}

/** decodeList(text).includes(item), without building the list. */
export function listIncludes(text: string, item: string): boolean {
  if (hasSeparator(item)) return false;
  if (item === '') return text !== '' && (text.startsWith(US) || text.endsWith(US) || text.includes(US + US));
  let at = text.indexOf(item);
  while (at >= 0) {
    const end = at + item.length;
    if ((at === 0 || text[at - 1] === US) && (end === text.length || text[end] === US)) return true;
    at = text.indexOf(item, at + 1);
  }
  return false;
}

const RANGE_CODE: Record<RangeType, string> = { ECOSYSTEM: 'E', SEMVER: 'S', GIT: 'G' };
const RANGE_TYPE: Record<string, RangeType> = { E: 'ECOSYSTEM', S: 'SEMVER', G: 'GIT' };
const EVENT_CODE: Record<RangeEventKind, string> = {
  introduced: 'i',
  fixed: 'f',
  last_affected: 'l',
  limit: 'm',
};
const EVENT_KIND: Record<string, RangeEventKind> = {
  i: 'introduced',
  f: 'fixed',
  l: 'last_affected',
  m: 'limit',
};

export function encodeRanges(ranges: readonly AffectedRange[]): string {
  return ranges
    .map((r) => [RANGE_CODE[r.type], ...r.events.map((e) => EVENT_CODE[e.kind] + e.version)].join(US))
    .join(RS);
}

export function decodeRanges(text: string): AffectedRange[] {
  if (text === '') return [];
  return text.split(RS).map((range) => {
    const [code, ...events] = range.split(US);
    return {
      type: RANGE_TYPE[code as string] as RangeType,
      events: events.map((e) => ({
        kind: EVENT_KIND[e[0] as string] as RangeEventKind,
        version: e.slice(1),
      })),
    };
  });
}

export function encodeCvss(scores: readonly CvssScore[]): string {
  return scores.map((s) => [s.version, s.score, s.vector].join(US)).join(RS);
}

export function decodeCvss(text: string): CvssScore[] {
  if (text === '') return [];
  return text.split(RS).map((entry) => {
    const [version, score, vector] = entry.split(US) as [CvssVersion, string, string];
    const value = Number(score);
    return { version, vector, score: value, rating: cvssRating(version, value) };
  });
}

export function encodeReferences(refs: readonly Reference[]): string {
  return refs.map((r) => r.type + US + r.url).join(RS);
}

export function decodeReferences(text: string): Reference[] {
  if (text === '') return [];
  return text.split(RS).map((entry) => {
    const [type, url] = entry.split(US) as [string, string];
    return { type, url };
  });
}
