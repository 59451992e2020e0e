import type { PurlParts } from '../../inventory/purl.js';

/**
 * Reading package URLs (the inverse of inventory/purl's buildPurl), for matching products that
 * other tools wrote: `pkg:type/namespace/name@version?qualifiers#subpath`, each component
 * percent-decoded, the type and qualifier keys lower-cased, names normalised as the purl type
 * definitions say for case-insensitive registries.
 */

export interface ParsedPurl extends PurlParts {
  qualifiers: Record<string, string>;
}

/** Types whose namespace and name are case-insensitive (purl-spec type definitions). */
const CASE_INSENSITIVE = new Set([
  'npm',
  'pypi',
  'deb',
  'apk',
  'alpm',
  'composer',
  'nuget',
  'hex',
  'github',
  'bitbucket',
  'pub',
]);

function decode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

/** The parts of a purl, or undefined when the string is not one. Never throws. */
export function parsePurl(text: string): ParsedPurl | undefined {
  if (!/^pkg:/i.test(text)) return undefined;
  let rest = text.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .map((s) => decode(s) ?? s)
      .join('/');
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = decode(pair.slice(eq + 1));
      if (value === undefined) return undefined;
      if (value !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) return undefined;
  let path = rest.slice(slash + 1).replace(/\/+$/, '');
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > path.lastIndexOf('/') && at > 0) {
    version = decode(path.slice(at + 1));
    if (version === undefined) return undefined;
    path = path.slice(0, at);
  }
  const segments = path.split('/').filter((s) => s !== '');
  const decoded = segments.map(decode);
  if (decoded.length === 0 || decoded.some((s) => s === undefined)) return undefined;
  const parts = decoded as string[];
  let name = parts.pop() as string;
  let namespace = parts.length > 0 ? parts.join('/') : undefined;
  if (CASE_INSENSITIVE.has(type)) {
    name = name.toLowerCase();
    namespace = namespace?.toLowerCase();
  }
  if (type === 'pypi') name = name.replace(/[-_.]+/g, '-');
  const purl: ParsedPurl = { type, name, qualifiers };
  if (namespace !== undefined) purl.namespace = namespace;
  if (version !== undefined && version !== '') purl.version = version;
  if (subpath) purl.subpath = subpath;
  return purl;
}

/**
 * Whether `pattern` (from a VEX product) names `subject` (a scanned package): type, namespace
 * and name equal; the version, each qualifier and the subpath only where the pattern gives them.
 */
export function purlMatches(pattern: ParsedPurl, subject: ParsedPurl): boolean {
  if (pattern.type !== subject.type || pattern.name !== subject.name) return false;
  if ((pattern.namespace ?? '') !== (subject.namespace ?? '')) return false;
  if (pattern.version !== undefined && pattern.version !== subject.version) return false;
  if (pattern.subpath !== undefined && pattern.subpath !== subject.subpath) return false;
  for (const [key, value] of Object.entries(pattern.qualifiers))
    if (subject.qualifiers[key] !== value) return false;
  return true;
}
