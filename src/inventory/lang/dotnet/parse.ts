import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { entriesOf, isRecord, stringOf } from '../untrusted.js';

/**
 * .NET dependency files. `<app>.deps.json` (written next to every built or published app)
 * keys `libraries` by "Name/Version" with a `type`: NuGet packages are "package"; "project"
 * and "reference" are the app's own code. `packages.lock.json` (NuGet lock files) lists each
 * target framework's dependencies with the `resolved` version; "Project" entries are local.
 */

export function parseDepsJson(text: string, path: string): ParseResult {
  const doc: unknown = JSON.parse(text);
  if (!isRecord(doc) || !isRecord(doc.libraries))
    return { packages: [], warnings: [`${path}: no "libraries" object`] };
  const packages: FoundPackage[] = [];
  let skipped = 0;
  for (const [key, library] of entriesOf(doc.libraries)) {
    if (!isRecord(library) || library.type !== 'package') continue;
    const slash = key.lastIndexOf('/');
    const name = key.slice(0, slash);
    const version = key.slice(slash + 1);
    if (slash > 0 && version) packages.push({ name, version });
    else skipped++;
  }
  return {
    packages,
    warnings: skipped > 0 ? [`${path}: ${skipped} libraries not named "Name/Version" skipped`] : [],
  };
}

export function parsePackagesLock(text: string, path: string): ParseResult {
  const doc: unknown = JSON.parse(text);
  if (!isRecord(doc) || !isRecord(doc.dependencies))
    return { packages: [], warnings: [`${path}: no "dependencies" object`] };
  const packages: FoundPackage[] = [];
  let skipped = 0;
  for (const [, framework] of entriesOf(doc.dependencies))
    for (const [name, dep] of entriesOf(framework)) {
      if (!isRecord(dep) || dep.type === 'Project') continue;
      const version = stringOf(dep.resolved);
      if (version) packages.push({ name, version });
      else skipped++;
    }
  return {
    packages,
    warnings: skipped > 0 ? [`${path}: ${skipped} dependencies without a resolved version skipped`] : [],
  };
}
