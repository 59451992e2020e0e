import { compareNumeric, compareStrings, isAllDigits } from '../numeric.js';

/**
 * PEP 440 versions as `packaging` reads them, and packaging's old LegacyVersion key for
 * strings that are not PEP 440 (they sort before every valid version, as they did there).
 */

export interface Pep440 {
  epoch: string;
  /** Release numbers with trailing zeros removed (1.0.0 == 1). */
  release: string[];
  /** The release as written, trailing zeros kept (prefix matching needs them). */
  writtenRelease: string[];
  pre?: { label: 'a' | 'b' | 'rc'; number: string };
  post?: string;
  dev?: string;
  /** Lower-cased local segments; numeric ones sort above alphanumeric ones. */
  local?: string[];
}

type Parsed = { valid: true; version: Pep440 } | { valid: false; legacy: string[] };

const PATTERN =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const PRE_LABEL: Record<string, 'a' | 'b' | 'rc'> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};

function withoutLeadingZeros(n: string): string {
  const s = n.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

export function parseVersion(s: string): Pep440 | undefined {
  const m = PATTERN.exec(s);
  if (!m) return undefined;
  const writtenRelease = m[2]!.split('.').map(withoutLeadingZeros);
  const release = [...writtenRelease];
  while (release.length > 1 && release[release.length - 1] === '0') release.pop();
  const version: Pep440 = { epoch: withoutLeadingZeros(m[1] ?? '0'), release, writtenRelease };
  if (m[3]) version.pre = { label: PRE_LABEL[m[3].toLowerCase()]!, number: withoutLeadingZeros(m[4] ?? '0') };
  if (m[5] !== undefined || m[6]) version.post = withoutLeadingZeros(m[5] ?? m[7] ?? '0');
  if (m[8]) version.dev = withoutLeadingZeros(m[9] ?? '0');
  if (m[10]) version.local = m[10].toLowerCase().split(/[-_.]/);
  return version;
}

const LEGACY_PART = /(\d+|[a-z]+|\.|-)/;
const LEGACY_REPLACEMENT: Record<string, string> = {
  pre: 'c',
  preview: 'c',
  '-': 'final-',
  rc: 'c',
  dev: '@',
};

/** packaging 21's `_legacy_cmpkey` parts (compared as a tuple of strings). */
function legacyKey(s: string): string[] {
  const parts: string[] = [];
  const pieces = s.toLowerCase().split(LEGACY_PART);
  pieces.push('*final');
  for (const piece of pieces) {
    let part = piece === '*final' ? piece : (LEGACY_REPLACEMENT[piece] ?? piece);
    if (part === '' || part === '.') continue;
    if (part !== '*final') part = /^\d/.test(part) ? part.padStart(8, '0') : `*${part}`;
    if (part.startsWith('*')) {
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

export function parse(s: string): Parsed {
  const version = parseVersion(s);
  return version ? { valid: true, version } : { valid: false, legacy: legacyKey(s) };
}

function compareReleases(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareNumeric(a[i] ?? '0', b[i] ?? '0');
    if (r !== 0) return r;
  }
  return 0;
}

/** packaging's _cmpkey: a dev release with no pre or post sorts before the pre-releases. */
function preRank(v: Pep440): number {
  if (!v.pre && v.post === undefined && v.dev !== undefined) return -1;
  return v.pre ? 0 : 1;
}

function comparePre(a: Pep440, b: Pep440): number {
  const ra = preRank(a);
  const rb = preRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (!a.pre || !b.pre) return 0;
  return compareStrings(a.pre.label, b.pre.label) || compareNumeric(a.pre.number, b.pre.number);
}

function compareOptional(a: string | undefined, b: string | undefined, missing: -1 | 1): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? missing : -missing;
  return compareNumeric(a, b);
}

function compareLocal(a: string[] | undefined, b: string[] | undefined): number {
  if (!a || !b) return a === b ? 0 : a ? 1 : -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const an = isAllDigits(a[i]!);
    const bn = isAllDigits(b[i]!);
    const r =
      an && bn ? compareNumeric(a[i]!, b[i]!) : an !== bn ? (an ? 1 : -1) : compareStrings(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareVersions(a: Pep440, b: Pep440): number {
  return (
    compareNumeric(a.epoch, b.epoch) ||
    compareReleases(a.release, b.release) ||
    comparePre(a, b) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

function compareLegacy(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareStrings(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareParsed(a: Parsed, b: Parsed): number {
  if (a.valid && b.valid) return compareVersions(a.version, b.version);
  if (!a.valid && !b.valid) return compareLegacy(a.legacy, b.legacy);
  return a.valid ? 1 : -1;
}
