import { inputError } from '../../../util/errors.js';
import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { isRecord } from '../untrusted.js';
import { composerPackage } from './composerPackage.js';

/** composer.lock: `packages` are the requirements, `packages-dev` the development ones. */
export function parseComposerLock(source: string, path: string): ParseResult {
  const lock: unknown = JSON.parse(source);
  if (!isRecord(lock)) throw inputError(path, 'composer.lock is not a JSON object');
  const packages: FoundPackage[] = [];
  let unnamed = 0;
  for (const [key, dev] of [
    ['packages', false],
    ['packages-dev', true],
  ] as const) {
    const list = lock[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const pkg = composerPackage(entry, dev);
      if (pkg) packages.push(pkg);
      else if (pkg === undefined) unnamed++;
    }
  }
  return {
    packages,
    warnings: unnamed > 0 ? [`${unnamed} package(s) without name and version skipped`] : [],
  };
}
