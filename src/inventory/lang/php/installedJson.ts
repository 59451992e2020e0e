import { inputError } from '../../../util/errors.js';
import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { isRecord } from '../untrusted.js';
import { composerPackage } from './composerPackage.js';

/**
 * vendor/composer/installed.json: Composer 1 writes a bare array of packages, Composer 2
 * `{packages: [...], dev, dev-package-names}`; the latter says which were installed only as
 * development requirements.
 */
export function parseComposerInstalled(source: string, path: string): ParseResult {
  const doc: unknown = JSON.parse(source);
  const list = Array.isArray(doc)
    ? doc
    : isRecord(doc) && Array.isArray(doc.packages)
      ? doc.packages
      : undefined;
  if (!list)
    throw inputError(path, 'neither a package list (Composer 1) nor {"packages": [...]} (Composer 2)');
  const devNames = new Set<unknown>(
    isRecord(doc) && Array.isArray(doc['dev-package-names']) ? doc['dev-package-names'] : [],
  );
  const packages: FoundPackage[] = [];
  let unnamed = 0;
  for (const entry of list) {
    const pkg = composerPackage(entry, false);
    if (pkg) packages.push({ ...pkg, dev: devNames.has(pkg.name) });
    else if (pkg === undefined) unnamed++;
  }
  return {
    packages,
    warnings: unnamed > 0 ? [`${unnamed} package(s) without name and version skipped`] : [],
  };
}
