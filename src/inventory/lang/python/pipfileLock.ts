import { inputError } from '../../../util/errors.js';
import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { entriesOf, isRecord, stringOf } from '../untrusted.js';

/**
 * Pipfile.lock: `default` and `develop` map names to `{version: "==1.2.3", ...}`. Entries
 * without a version (editable, path and VCS requirements) name no release and are left out.
 */
export function parsePipfileLock(source: string, path: string): ParseResult {
  const lock: unknown = JSON.parse(source);
  if (!isRecord(lock)) throw inputError(path, 'Pipfile.lock is not a JSON object');
  const packages: FoundPackage[] = [];
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    for (const [name, entry] of entriesOf(lock[section])) {
      const version = stringOf(isRecord(entry) ? entry.version : undefined)?.replace(/^===?/, '');
      if (version) packages.push({ name, version, dev });
    }
  }
  return { packages };
}
