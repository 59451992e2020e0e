import { compareNumeric } from '../numeric.js';
import { cachedParser } from '../parse-cache.js';
import { comparePrerelease, type SemVer } from '../semver/parse.js';

/**
 * Cargo version requirements (`^1.2`, `~1.2.3`, `>=1.0, <2`, `1.*`, `=1.2.3-beta`), matched as
 * the `semver` crate's VersionReq::matches does, including its pre-release rule: a pre-release
 * matches only a comparator of the same major.minor.patch that names a pre-release.
 */

type Op = '=' | '>' | '>=' | '<' | '<=' | '~' | '^' | '*';
interface Comparator {
  op: Op;
  major: string;
  minor?: string;
  patch?: string;
  prerelease: string[];
}

const NUMBER = '0|[1-9]\\d*';
const WILD = '\\*|x|X';
const IDENTIFIER = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const COMPARATOR = new RegExp(
  `^(=|>=|>|<=|<|~|\\^)?\\s*(${NUMBER})(?:\\.(${NUMBER}|${WILD})(?:\\.(${NUMBER}|${WILD})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?$`,
);

function isWild(s: string | undefined): boolean {
  return s === '*' || s === 'x' || s === 'X';
}

function parseComparator(text: string): Comparator | undefined {
  const m = COMPARATOR.exec(text.trim());
  if (!m) return undefined;
  const [, op, major, minor, patch, pre] = m;
  if (isWild(minor) && patch !== undefined && !isWild(patch)) return undefined;
  const wildcard = isWild(minor) || isWild(patch);
  return {
    op: (op as Op | undefined) ?? (wildcard ? '*' : '^'),
    major: major!,
    minor: isWild(minor) ? undefined : minor,
    patch: isWild(minor) || isWild(patch) ? undefined : patch,
    prerelease: pre && !wildcard ? pre.split('.') : [],
  };
}

/** The comparators of a requirement ("*" has none), or undefined when the crate rejects it. */
export const parseRequirement = cachedParser((req: string): Comparator[] | undefined => {
  if (/^\s*[*xX]\s*$/.test(req)) return [];
  const out: Comparator[] = [];
  for (const part of req.split(',')) {
    const c = parseComparator(part);
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}, 2048);

/** Compares major, then minor and patch where the comparator gives them; undefined = all given parts equal. */
function compareGiven(v: SemVer, c: Comparator): number | undefined {
  const r = compareNumeric(v.major, c.major);
  if (r !== 0) return r;
  if (c.minor === undefined) return undefined;
  const rm = compareNumeric(v.minor, c.minor);
  if (rm !== 0) return rm;
  if (c.patch === undefined) return undefined;
  return compareNumeric(v.patch, c.patch);
}

function exact(c: Comparator, v: SemVer): boolean {
  const r = compareGiven(v, c);
  return (r === undefined || r === 0) && comparePrerelease(v.prerelease, c.prerelease) === 0;
}

function greater(c: Comparator, v: SemVer): boolean {
  const r = compareGiven(v, c);
  if (r === undefined) return false;
  return r !== 0 ? r > 0 : comparePrerelease(v.prerelease, c.prerelease) > 0;
}

function less(c: Comparator, v: SemVer): boolean {
  const r = compareGiven(v, c);
  if (r === undefined) return false;
  return r !== 0 ? r < 0 : comparePrerelease(v.prerelease, c.prerelease) < 0;
}

function tilde(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major || (c.minor !== undefined && v.minor !== c.minor)) return false;
  if (c.patch !== undefined && v.patch !== c.patch) return compareNumeric(v.patch, c.patch) > 0;
  return comparePrerelease(v.prerelease, c.prerelease) >= 0;
}

function caret(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major) return false;
  if (c.minor === undefined) return true;
  const byMinor = compareNumeric(v.minor, c.minor);
  if (c.patch === undefined) return c.major !== '0' ? byMinor >= 0 : byMinor === 0;
  const byPatch = compareNumeric(v.patch, c.patch);
  if (c.major !== '0') {
    if (byMinor !== 0) return byMinor > 0;
    if (byPatch !== 0) return byPatch > 0;
  } else if (c.minor !== '0') {
    if (byMinor !== 0) return false;
    if (byPatch !== 0) return byPatch > 0;
  } else if (byMinor !== 0 || byPatch !== 0) {
    return false;
  }
  return comparePrerelease(v.prerelease, c.prerelease) >= 0;
}

function matches(c: Comparator, v: SemVer): boolean {
  switch (c.op) {
    case '=':
    case '*':
      return exact(c, v);
    case '>':
      return greater(c, v);
    case '>=':
      return exact(c, v) || greater(c, v);
    case '<':
      return less(c, v);
    case '<=':
      return exact(c, v) || less(c, v);
    case '~':
      return tilde(c, v);
    case '^':
      return caret(c, v);
  }
}

export function requirementMatches(req: Comparator[], v: SemVer): boolean {
  if (!req.every((c) => matches(c, v))) return false;
  return (
    v.prerelease.length === 0 ||
    req.some(
      (c) => c.major === v.major && c.minor === v.minor && c.patch === v.patch && c.prerelease.length > 0,
    )
  );
}
