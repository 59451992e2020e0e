import type { FoundPackage } from '../fileAnalyzer.js';
import { isRecord, stringOf } from '../untrusted.js';

/**
 * One package object as composer.lock and installed.json share it: name, version as Composer
 * shows it ("v5.4.0", "1.2.3", "dev-main"), license as an array (or, in old files, a string).
 * A path repository package (dist type "path") is the user's own code: null. Without a
 * name and version: undefined.
 */
export function composerPackage(entry: unknown, dev: boolean): FoundPackage | null | undefined {
  if (!isRecord(entry)) return undefined;
  if (isRecord(entry.dist) && entry.dist.type === 'path') return null;
  const name = stringOf(entry.name);
  const version = stringOf(entry.version);
  if (!name || !version) return undefined;
  const license = entry.license;
  const licenses = Array.isArray(license)
    ? license.filter((l): l is string => typeof l === 'string')
    : typeof license === 'string'
      ? [license]
      : [];
  return { name, version, licenses, dev };
}
