import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { isRecord, stringOf } from '../untrusted.js';
import { isLocalRange, splitDescriptor } from './descriptor.js';

/**
 * yarn.lock as Yarn 2+ writes it: YAML with a `__metadata` entry. Each entry's `resolution`
 * ("ident@npm:1.2.3", "ident@patch:...", "ident@workspace:.") names the real package, so
 * aliases resolve to what was installed; `version` is its version, also for patched
 * packages. Workspaces, portals, links and folders are the user's own code and are skipped.
 */
export function parseYarnBerry(lock: Record<string, unknown>): ParseResult {
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata' || !isRecord(entry)) continue;
    const resolution = splitDescriptor(stringOf(entry.resolution) ?? key.split(',')[0]!.trim());
    if (isLocalRange(resolution.range)) continue;
    const version = stringOf(entry.version);
    if (!version) {
      warnings.push(`"${key}" has no version; skipped`);
      continue;
    }
    found.push({ name: resolution.name, version });
  }
  return { packages: found, warnings };
}
