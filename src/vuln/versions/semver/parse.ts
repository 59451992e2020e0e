import { compareNumeric, compareStrings, isAllDigits, isDigit } from '../numeric.js';

/**
 * A SemVer 2.0.0 version, numbers kept as digit strings so that any size compares exactly.
 * Shared by the semver, npm, Go and Cargo schemes, which differ only in what they accept.
 */
export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  prerelease: readonly string[];
  build: readonly string[];
}

const NUMBER = '0|[1-9]\\d*';
const IDENTIFIER = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const STRICT = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);

/** Exactly SemVer 2.0.0 (no prefix, no leading zeros); undefined otherwise. */
export function parseStrict(s: string): SemVer | undefined {
  const m = STRICT.exec(s);
  if (!m) return undefined;
  return {
    major: m[1]!,
    minor: m[2]!,
    patch: m[3]!,
    prerelease: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

/**
 * Reads anything as a SemVer, for a total order on strings that are not versions: a leading
 * "v" or "=" and blanks are dropped, up to three leading numbers are the core (missing ones
 * are 0, extra numeric components count as build metadata), a "-" or any other text after the
 * core starts the pre-release, "+" the build metadata.
 */
export function parseLenient(input: string): SemVer {
  const s = input.trim();
  let i = 0;
  while (i < s.length && (s[i] === 'v' || s[i] === 'V' || s[i] === '=' || s[i] === ' ')) i++;
  const core: string[] = [];
  while (core.length < 3) {
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === start) break;
    core.push(s.slice(start, i));
    if (s[i] !== '.' || !isDigit(s.charCodeAt(i + 1))) break;
    i++;
  }
  let rest = s.slice(i);
  const plus = rest.indexOf('+');
  let build = plus >= 0 ? rest.slice(plus + 1) : '';
  if (plus >= 0) rest = rest.slice(0, plus);
  if (core.length === 3 && /^(?:\.\d+)+$/.test(rest)) {
    build = rest.slice(1) + (build ? `.${build}` : '');
    rest = '';
  }
  const pre = rest.startsWith('-') ? rest.slice(1) : rest;
  return {
    major: core[0] ?? '0',
    minor: core[1] ?? '0',
    patch: core[2] ?? '0',
    prerelease: pre === '' && rest === '' ? [] : pre.split('.'),
    build: build === '' ? [] : build.split('.'),
  };
}

/** SemVer precedence of pre-release identifier lists (an empty list is a release, and highest). */
export function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareIdentifiers(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Numeric identifiers compare as numbers and below alphanumeric ones, which compare in ASCII order. */
export function compareIdentifiers(a: string, b: string): number {
  const an = isAllDigits(a);
  const bn = isAllDigits(b);
  if (an && bn) return compareNumeric(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a, b);
}

function compareCore(a: SemVer, b: SemVer): number {
  return (
    compareNumeric(a.major, b.major) || compareNumeric(a.minor, b.minor) || compareNumeric(a.patch, b.patch)
  );
}

/** SemVer 2.0.0 precedence: build metadata does not count. */
export function comparePrecedence(a: SemVer, b: SemVer): number {
  return compareCore(a, b) || comparePrerelease(a.prerelease, b.prerelease);
}
