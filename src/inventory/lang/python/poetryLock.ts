import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { parseTomlDocument } from '../toml.js';
import { isRecord, stringOf } from '../untrusted.js';

/**
 * poetry.lock: one `[[package]]` per locked distribution. Development-only packages are
 * `category = "dev"` in lock format 1.x and have `groups` without "main" in 2.1; format 2.0
 * records neither, so there nothing is marked dev. Folder dependencies are the user's code.
 */
export function parsePoetryLock(source: string, path: string): ParseResult {
  const lock = parseTomlDocument(source, path);
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const entry of Array.isArray(lock.package) ? lock.package : []) {
    if (!isRecord(entry)) continue;
    if (isRecord(entry.source) && entry.source.type === 'directory') continue;
    const name = stringOf(entry.name);
    const version = stringOf(entry.version);
    if (!name || !version) {
      warnings.push(`a [[package]] without name and version; skipped`);
      continue;
    }
    packages.push({ name, version, dev: isDev(entry) });
  }
  return { packages, warnings };
}

function isDev(entry: Record<string, unknown>): boolean {
  if (entry.category === 'dev') return true;
  const groups = entry.groups;
  return Array.isArray(groups) && groups.length > 0 && !groups.includes('main');
}
