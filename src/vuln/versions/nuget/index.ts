import { type Interval, inInterval, parseInterval } from '../interval.js';
import { compareNumeric, isAllDigits, isDigit } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';

/**
 * NuGet versions as NuGet.Versioning's NuGetVersion reads and orders them: up to four numeric
 * parts (missing ones are 0, leading zeros ignored), dot-separated release labels compared
 * numerically or case-insensitively, build metadata ignored. A string that is not a NuGet
 * version is read leniently: its leading numbers are the parts, the rest is the label.
 */

interface NuGetVersion {
  parts: [string, string, string, string];
  labels: string[];
}

const STRICT =
  /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function parse(input: string): NuGetVersion {
  const s = input.trim();
  const parts: [string, string, string, string] = ['0', '0', '0', '0'];
  let i = 0;
  for (let p = 0; p < 4; p++) {
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === start) break;
    parts[p] = s.slice(start, i);
    if (s[i] !== '.' || !isDigit(s.charCodeAt(i + 1))) break;
    i++;
  }
  let label = s.slice(i);
  const plus = label.indexOf('+');
  if (plus >= 0) label = label.slice(0, plus);
  if (label.startsWith('-')) label = label.slice(1);
  return { parts, labels: label === '' ? [] : label.split('.') };
}

function compareLabel(a: string, b: string): number {
  const an = isAllDigits(a);
  const bn = isAllDigits(b);
  if (an && bn) return compareNumeric(a, b);
  if (an !== bn) return an ? -1 : 1;
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  return al < bl ? -1 : al > bl ? 1 : 0;
}

function compareParsed(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const r = compareNumeric(a.parts[i]!, b.parts[i]!);
    if (r !== 0) return r;
  }
  if (a.labels.length === 0 || b.labels.length === 0)
    return a.labels.length === b.labels.length ? 0 : a.labels.length === 0 ? 1 : -1;
  const n = Math.min(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const r = compareLabel(a.labels[i]!, b.labels[i]!);
    if (r !== 0) return r;
  }
  return a.labels.length === b.labels.length ? 0 : a.labels.length < b.labels.length ? -1 : 1;
}

const parseCached = cachedParser(parse);

function compare(a: string, b: string): number {
  return a === b ? 0 : compareParsed(parseCached(a), parseCached(b));
}

function isValid(version: string): boolean {
  const m = STRICT.exec(version.trim());
  return !!m && m.slice(1, 5).every((n) => n === undefined || Number(n) <= 2147483647);
}

/**
 * NuGet's VersionRange: a bare version means "at least" (`1.0` = `[1.0,)`), otherwise one
 * bracketed interval; both bounds missing, or an empty interval, is invalid.
 */
const parseRange = cachedParser((range: string): Interval | undefined => {
  const text = range.trim();
  if (isValid(text)) return { lower: text, lowerInclusive: true, upperInclusive: false };
  const interval = parseInterval(text, compare);
  if (!interval || (interval.lower === undefined && interval.upper === undefined)) return undefined;
  if ([interval.lower, interval.upper].some((v) => v !== undefined && !isValid(v))) return undefined;
  if (
    interval.lower !== undefined &&
    interval.upper !== undefined &&
    compare(interval.lower, interval.upper) === 0 &&
    !(interval.lowerInclusive && interval.upperInclusive)
  )
    return undefined;
  return interval;
}, 2048);

function isValidRange(range: string): boolean {
  return parseRange(range) !== undefined;
}

function satisfies(version: string, range: string): boolean {
  const interval = parseRange(range);
  return interval !== undefined && isValid(version) && inInterval(version, interval, compare);
}

export const nuget: VersionScheme = { name: 'nuget', isValid, compare, isValidRange, satisfies };
