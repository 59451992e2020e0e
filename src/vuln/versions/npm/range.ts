import { cachedParser } from '../parse-cache.js';
import { comparePrecedence, type SemVer } from '../semver/parse.js';

/**
 * node-semver ranges: `||` of comparator sets; each set is a hyphen range or space-separated
 * comparators (`<`, `<=`, `>`, `>=`, `=`, `~`, `~>`, `^`, partial and x-range versions),
 * desugared to primitive comparators exactly as node-semver 7 does.
 */

type Op = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Op;
  version: SemVer;
}
/** A set matches when every comparator does; an empty set matches any release. */
type ComparatorSet = Comparator[];

const NUMBER = '0|[1-9]\\d*';
const X = `${NUMBER}|x|X|\\*`;
const IDENTIFIER = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const PARTIAL = `[v=\\s]*(${X})(?:\\.(${X})(?:\\.(${X})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?)?)?`;
const COMPARATOR = new RegExp(`^(<=|>=|<|>|=|~>|~|\\^)?${PARTIAL}$`);
const HYPHEN = new RegExp(
  `^\\s*(${PARTIAL.replace(/\((?!\?)/g, '(?:')})\\s+-\\s+(${PARTIAL.replace(/\((?!\?)/g, '(?:')})\\s*$`,
);
const BUILD = /\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*/g;
const PARTIAL_ONLY = new RegExp(`^${PARTIAL}$`);

interface Partial {
  major?: string;
  minor?: string;
  patch?: string;
  prerelease: string[];
}

function isX(id: string | undefined): boolean {
  return id === undefined || id === 'x' || id === 'X' || id === '*';
}

/** node-semver rejects an x-range with a number after an x ("1.x.3", "*.2"), except after ~ and ^. */
function xBeforeNumber(
  major: string | undefined,
  minor: string | undefined,
  patch: string | undefined,
): boolean {
  return (isX(major) && !isX(minor)) || (isX(minor) && patch !== undefined && !isX(patch));
}

/** What follows an x is ignored: "1.x.3" reads as "1.x". */
function readPartial(m: RegExpExecArray, at: number): Partial {
  const major = isX(m[at]) ? undefined : m[at];
  const minor = major === undefined || isX(m[at + 1]) ? undefined : m[at + 1];
  const patch = minor === undefined || isX(m[at + 2]) ? undefined : m[at + 2];
  const pre = patch === undefined ? undefined : m[at + 3];
  return { major, minor, patch, prerelease: pre ? pre.split('.') : [] };
}

function inc(n: string): string {
  return (BigInt(n) + 1n).toString();
}

function v(major: string, minor: string, patch: string, prerelease: string[] = []): SemVer {
  return { major, minor, patch, prerelease, build: [] };
}

/** `<x.y.z-0`: below every pre-release of x.y.z. */
function below(major: string, minor: string, patch: string): Comparator {
  return { op: '<', version: v(major, minor, patch, ['0']) };
}

function tilde(p: Partial): ComparatorSet {
  if (p.major === undefined) return [];
  if (p.minor === undefined)
    return [{ op: '>=', version: v(p.major, '0', '0') }, below(inc(p.major), '0', '0')];
  return [
    { op: '>=', version: v(p.major, p.minor, p.patch ?? '0', p.patch === undefined ? [] : p.prerelease) },
    below(p.major, inc(p.minor), '0'),
  ];
}

function caret(p: Partial): ComparatorSet {
  const { major, minor, patch } = p;
  if (major === undefined) return [];
  if (minor === undefined) return [{ op: '>=', version: v(major, '0', '0') }, below(inc(major), '0', '0')];
  const from: Comparator = {
    op: '>=',
    version: v(major, minor, patch ?? '0', patch === undefined ? [] : p.prerelease),
  };
  if (major !== '0') return [from, below(inc(major), '0', '0')];
  if (minor !== '0' || patch === undefined) return [from, below('0', inc(minor), '0')];
  return [from, below('0', '0', inc(patch))];
}

/** node-semver's replaceXRange, plus plain comparators on full versions. */
function primitive(op: Op | '', p: Partial): ComparatorSet {
  const { major, minor, patch } = p;
  if (major !== undefined && minor !== undefined && patch !== undefined)
    return [{ op: op === '' ? '=' : op, version: v(major, minor, patch, p.prerelease) }];
  if (major === undefined) return op === '<' || op === '>' ? [below('0', '0', '0')] : [];
  if (op === '' || op === '=') {
    if (minor === undefined) return [{ op: '>=', version: v(major, '0', '0') }, below(inc(major), '0', '0')];
    return [{ op: '>=', version: v(major, minor, '0') }, below(major, inc(minor), '0')];
  }
  if (op === '>') {
    if (minor === undefined) return [{ op: '>=', version: v(inc(major), '0', '0') }];
    return [{ op: '>=', version: v(major, inc(minor), '0') }];
  }
  if (op === '<=') {
    if (minor === undefined) return [below(inc(major), '0', '0')];
    return [below(major, inc(minor), '0')];
  }
  if (op === '<') return [below(major, minor ?? '0', '0')];
  return [{ op: '>=', version: v(major, minor ?? '0', '0') }];
}

function hyphen(from: Partial, to: Partial): ComparatorSet {
  const out: ComparatorSet = [];
  if (from.major !== undefined)
    out.push({
      op: '>=',
      version: v(
        from.major,
        from.minor ?? '0',
        from.patch ?? '0',
        from.patch === undefined ? [] : from.prerelease,
      ),
    });
  if (to.major !== undefined) {
    if (to.minor === undefined) out.push(below(inc(to.major), '0', '0'));
    else if (to.patch === undefined) out.push(below(to.major, inc(to.minor), '0'));
    else out.push({ op: '<=', version: v(to.major, to.minor, to.patch, to.prerelease) });
  }
  return out;
}

function isAnyVersion(c: Comparator): boolean {
  const { major, minor, patch, prerelease } = c.version;
  return c.op === '>=' && major === '0' && minor === '0' && patch === '0' && prerelease.length === 0;
}

/** One `||` alternative; ">=0.0.0" means any, as node-semver reads it. */
function parseSet(text: string): ComparatorSet | undefined {
  return parseComparators(text)?.filter((c) => !isAnyVersion(c));
}

function parseComparators(alternative: string): ComparatorSet | undefined {
  // node-semver strips anything that looks like build metadata, wherever it is.
  const text = alternative.replace(BUILD, '');
  const h = HYPHEN.exec(text);
  if (h) {
    const from = PARTIAL_ONLY.exec(h[1]!.trim());
    const to = PARTIAL_ONLY.exec(h[2]!.trim());
    if (!from || !to) return undefined;
    return hyphen(readPartial(from, 1), readPartial(to, 1));
  }
  // Operators may be followed by blanks: ">= 1.2.3" is ">=1.2.3".
  const compact = text.trim().replace(/(<=|>=|<|>|=|~>|~|\^)\s+/g, '$1');
  const set: ComparatorSet = [];
  for (const token of compact.split(/\s+/)) {
    if (token === '') continue;
    const m = COMPARATOR.exec(token);
    if (!m) return undefined;
    const op = m[1] ?? '';
    const partial = readPartial(m, 2);
    if (op === '~' || op === '~>') set.push(...tilde(partial));
    else if (op === '^') set.push(...caret(partial));
    else if (xBeforeNumber(m[2], m[3], m[4])) return undefined;
    else set.push(...primitive(op as Op | '', partial));
  }
  return set;
}

/** The comparator sets of a node-semver range, or undefined when node-semver rejects it. */
export const parseRange = cachedParser((range: string): ComparatorSet[] | undefined => {
  if (range.length > 256) return undefined;
  const sets: ComparatorSet[] = [];
  for (const part of range.split('||')) {
    const set = parseSet(part);
    if (!set) return undefined;
    sets.push(set);
  }
  // As node-semver does, a range with a "*" alternative is just "*" (which admits no pre-release).
  return sets.length > 1 && sets.some((set) => set.length === 0) ? [[]] : sets;
}, 2048);

function test(c: Comparator, version: SemVer): boolean {
  const r = comparePrecedence(version, c.version);
  switch (c.op) {
    case '<':
      return r < 0;
    case '<=':
      return r <= 0;
    case '>':
      return r > 0;
    case '>=':
      return r >= 0;
    default:
      return r === 0;
  }
}

/**
 * node-semver's satisfies: a pre-release version matches a set only if some comparator of
 * that set names a pre-release of the same major.minor.patch.
 */
export function satisfiesSets(version: SemVer, sets: ComparatorSet[]): boolean {
  return sets.some(
    (set) =>
      set.every((c) => test(c, version)) &&
      (version.prerelease.length === 0 ||
        set.some(
          (c) =>
            c.version.prerelease.length > 0 &&
            c.version.major === version.major &&
            c.version.minor === version.minor &&
            c.version.patch === version.patch,
        )),
  );
}
