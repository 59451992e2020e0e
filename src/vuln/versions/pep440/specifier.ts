import { cachedParser } from '../parse-cache.js';
import { compareVersions, type Pep440, parseVersion } from './version.js';

/**
 * PEP 440 specifier sets (`>=1.0,<2`, `~=1.4.2`, `==1.*`, `!=1.3`, `===foo`), evaluated as
 * `packaging.specifiers.SpecifierSet.contains(v, prereleases=True)`: every clause must hold,
 * and pre-releases are admitted, since a scanner asks about versions already installed.
 */

type Operator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

interface Clause {
  op: Operator;
  /** The text after the operator. */
  text: string;
  /** Parsed version (undefined for `===` and for prefix matches). */
  version?: Pep440;
  /** For `==V.*` / `!=V.*`: the release prefix, written form. */
  prefix?: Pep440;
}

const CLAUSE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(.*?)\s*$/;

function parseClause(raw: string): Clause | undefined {
  const m = CLAUSE.exec(raw);
  if (!m) return undefined;
  const op = m[1] as Operator;
  const text = m[2]!;
  if (op === '===') return /^[^\s;)]+$/.test(text) ? { op, text } : undefined;
  if ((op === '==' || op === '!=') && text.endsWith('.*')) {
    const prefix = parseVersion(text.slice(0, -2));
    if (!prefix || prefix.pre || prefix.post !== undefined || prefix.dev !== undefined || prefix.local)
      return undefined;
    return { op, text, prefix };
  }
  const version = parseVersion(text);
  if (!version || /\s/.test(text)) return undefined;
  if (version.local && op !== '==' && op !== '!=') return undefined;
  if (op === '~=' && version.writtenRelease.length < 2) return undefined;
  return { op, text, version };
}

export const parseSpecifierSet = cachedParser((spec: string): Clause[] | undefined => {
  const clauses: Clause[] = [];
  for (const raw of spec.split(',')) {
    if (raw.trim() === '') continue;
    const clause = parseClause(raw);
    if (!clause) return undefined;
    clauses.push(clause);
  }
  return clauses;
}, 2048);

function publicOf(v: Pep440): Pep440 {
  return v.local ? { ...v, local: undefined } : v;
}

/** packaging's str(Version): the normalised spelling, trailing zeros kept. */
function normalized(v: Pep440): string {
  let s = v.epoch === '0' ? '' : `${v.epoch}!`;
  s += v.writtenRelease.join('.');
  if (v.pre) s += v.pre.label + v.pre.number;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join('.')}`;
  return s;
}

const PRE_IN_SEGMENT = /^(\d+)((?:a|b|c|rc)\d+)$/;

/** packaging's _version_split: epoch, then dot-separated segments, "1rc1" split in two. */
function versionSplit(text: string): string[] {
  const bang = text.lastIndexOf('!');
  const out = [bang >= 0 ? text.slice(0, bang) || '0' : '0'];
  for (const item of text.slice(bang + 1).split('.')) {
    const m = PRE_IN_SEGMENT.exec(item);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(item);
  }
  return out;
}

function canonical(text: string): string {
  const v = parseVersion(text);
  return v ? normalized(v) : text;
}

/** `==P.*`: the version, split and zero-padded like the prefix, starts with the prefix's segments. */
function matchesPrefix(v: Pep440, prefixText: string): boolean {
  const spec = versionSplit(canonical(prefixText));
  let numeric = 0;
  while (numeric < spec.length && /^\d+$/.test(spec[numeric]!)) numeric++;
  const split = versionSplit(normalized(publicOf(v)));
  let have = 0;
  while (have < split.length && /^\d+$/.test(split[have]!)) have++;
  const padded = [
    ...split.slice(0, have),
    ...Array<string>(Math.max(0, numeric - have)).fill('0'),
    ...split.slice(have),
  ];
  return spec.every((segment, i) => padded[i] === segment);
}

function isSuffix(segment: string): boolean {
  return ['dev', 'a', 'b', 'rc', 'post'].some((p) => segment.startsWith(p));
}

/** `~=V`: the segments of V as written, up to its first suffix, less the last one. */
function compatiblePrefix(text: string): string {
  const split = versionSplit(text);
  const kept: string[] = [];
  for (const segment of split) {
    if (isSuffix(segment)) break;
    kept.push(segment);
  }
  kept.pop();
  const [epoch, ...rest] = kept;
  return epoch === undefined ? '' : `${epoch}!${rest.join('.')}`;
}

function isPrerelease(v: Pep440): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function holds(c: Clause, v: Pep440): boolean {
  switch (c.op) {
    case '===':
      return normalized(v).toLowerCase() === c.text.toLowerCase();
    case '==':
    case '!=': {
      const equal = c.prefix
        ? matchesPrefix(v, c.text.slice(0, -2))
        : compareVersions(c.version!.local ? v : publicOf(v), c.version!) === 0;
      return c.op === '==' ? equal : !equal;
    }
    case '~=':
      return compareVersions(publicOf(v), c.version!) >= 0 && matchesPrefix(v, compatiblePrefix(c.text));
    case '<=':
      return compareVersions(publicOf(v), c.version!) <= 0;
    case '>=':
      return compareVersions(publicOf(v), c.version!) >= 0;
    case '<': {
      const spec = c.version!;
      if (compareVersions(v, spec) >= 0) return false;
      // "<V" admits no pre-release of V unless V is one.
      return (
        isPrerelease(spec) ||
        !isPrerelease(v) ||
        compareVersions(v, { ...spec, dev: '0', local: undefined }) < 0
      );
    }
    case '>': {
      const spec = c.version!;
      if (compareVersions(v, spec) <= 0) return false;
      // ">V" admits no post-release of V unless V is one, and no local version of V.
      const postBase: Pep440 = { ...v, post: undefined, dev: undefined, local: undefined };
      if (spec.post === undefined && v.post !== undefined && compareVersions(postBase, spec) === 0)
        return false;
      return !(v.local && compareVersions(publicOf(v), spec) === 0);
    }
  }
}

export function containsVersion(clauses: Clause[], v: Pep440): boolean {
  return clauses.every((c) => holds(c, v));
}
