import { inputError } from '../../../util/errors.js';
import type { ParseResult } from '../fileAnalyzer.js';
import { isRecord, stringOf } from '../untrusted.js';
import { npmLicenses } from './licenses.js';

/**
 * The package.json of an installed package (node_modules/NAME/package.json). One without a
 * name or version is not an installed package (a bare folder, a fixture) and yields nothing.
 */
export function parseInstalledPackageJson(source: string, path: string): ParseResult {
  const manifest: unknown = JSON.parse(source);
  if (!isRecord(manifest)) throw inputError(path, 'package.json is not a JSON object');
  const name = stringOf(manifest.name);
  const version = stringOf(manifest.version);
  if (!name || !version) return { packages: [] };
  return { packages: [{ name, version, licenses: npmLicenses(manifest) }] };
}
