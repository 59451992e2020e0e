import type { ParsedPurl } from '../../inventory/purl-parse.js';

/**
 * Whether a purl from a VEX product names a scanned package's purl: type, namespace and name
 * equal (case-insensitively where the purl type definitions say the registry is, PyPI names
 * by PEP 503); the version, each qualifier and the subpath only where the pattern gives them.
 */

/** Types whose namespace and name are case-insensitive (purl-spec type definitions). */
const CASE_INSENSITIVE = new Set([
  'alpm',
  'apk',
  'bitbucket',
  'composer',
  'deb',
  'github',
  'hex',
  'npm',
  'nuget',
  'pub',
  'pypi',
]);

function identity(purl: ParsedPurl): string {
  const type = purl.type.toLowerCase();
  let namespace = purl.namespace ?? '';
  let name = purl.name;
  if (CASE_INSENSITIVE.has(type)) {
    namespace = namespace.toLowerCase();
    name = name.toLowerCase();
  }
  if (type === 'pypi') name = name.replace(/[-_.]+/g, '-');
  return `${type}/${namespace}/${name}`;
}

export function purlMatches(pattern: ParsedPurl, subject: ParsedPurl): boolean {
  if (identity(pattern) !== identity(subject)) return false;
  if (pattern.version !== undefined && pattern.version !== subject.version) return false;
  if (pattern.subpath !== undefined && pattern.subpath !== subject.subpath) return false;
  for (const [key, value] of Object.entries(pattern.qualifiers))
    if (subject.qualifiers[key] !== value) return false;
  return true;
}
