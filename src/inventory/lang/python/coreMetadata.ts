import { inputError } from '../../../util/errors.js';
import type { ParseResult } from '../fileAnalyzer.js';

/**
 * Core metadata of an installed distribution (METADATA, PKG-INFO): RFC 822 style headers up
 * to the first blank line, long values continued on indented lines. Licenses come from the
 * most precise field present: License-Expression (PEP 639), else a one-line License field
 * (many carry the whole license text, which names nothing), else the License classifiers.
 */
export function parseCoreMetadata(source: string, path: string): ParseResult {
  const headers = readHeaders(source);
  const name = headers.get('name')?.[0];
  const version = headers.get('version')?.[0];
  if (!name || !version) throw inputError(path, 'core metadata without Name and Version');
  return { packages: [{ name, version, licenses: licensesOf(headers) }] };
}

function readHeaders(source: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | undefined;
  for (const line of source.split(/\r?\n/)) {
    // Only an empty line ends the headers; whitespace-only lines continue a long value.
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (last) last.values[last.index] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(key, values);
    last = { values, index: values.length - 1 };
  }
  return headers;
}

const MAX_LICENSE_NAME = 100;

function licensesOf(headers: Map<string, string[]>): string[] {
  const expression = headers.get('license-expression')?.[0];
  if (expression) return [expression];
  const license = headers.get('license')?.[0];
  if (license && license !== 'UNKNOWN' && !license.includes('\n') && license.length <= MAX_LICENSE_NAME)
    return [license];
  return (headers.get('classifier') ?? [])
    .map((c) => c.split('::').map((part) => part.trim()))
    .filter(
      (parts) =>
        parts[0] === 'License' && parts.length > 1 && !(parts.length === 2 && parts[1] === 'OSI Approved'),
    )
    .map((parts) => parts[parts.length - 1]!);
}
