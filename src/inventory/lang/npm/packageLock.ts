import { inputError } from '../../../util/errors.js';
import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { entriesOf, isRecord, stringOf } from '../untrusted.js';
import { npmLicenses } from './licenses.js';

/**
 * package-lock.json and npm-shrinkwrap.json. Versions 2 and 3 list every installed package in
 * `packages`, keyed by its node_modules path; version 1 has only the nested `dependencies`
 * tree (version 2 carries both, and `packages` wins). The project itself, workspace sources
 * and links to them are the user's own code, not dependencies, and are left out.
 */
export function parsePackageLock(source: string, path: string): ParseResult {
  const lock: unknown = JSON.parse(source);
  if (!isRecord(lock)) throw inputError(path, 'lockfile is not a JSON object');
  if (isRecord(lock.packages)) return fromPackagesMap(lock.packages);
  return fromDependencyTree(lock.dependencies);
}

/** "node_modules/a/node_modules/@s/b" → "@s/b"; undefined for keys outside node_modules. */
const INSTALLED_KEY = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/;

function fromPackagesMap(packages: Record<string, unknown>): ParseResult {
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    const folderName = INSTALLED_KEY.exec(key)?.[1];
    if (!folderName || !isRecord(entry) || entry.link === true) continue;
    const version = stringOf(entry.version);
    if (!version) {
      warnings.push(`"${key}" has no version; skipped`);
      continue;
    }
    found.push({
      // An alias ("x": "npm:real@1") is installed as node_modules/x with name "real".
      name: stringOf(entry.name) ?? folderName,
      version,
      licenses: npmLicenses(entry),
      dev: entry.dev === true,
    });
  }
  return { packages: found, warnings };
}

function fromDependencyTree(root: unknown): ParseResult {
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  const pending = [root];
  for (let deps = pending.pop(); deps !== undefined; deps = pending.pop()) {
    for (const [key, entry] of entriesOf(deps)) {
      if (!isRecord(entry)) continue;
      if (entry.dependencies !== undefined) pending.push(entry.dependencies);
      const spec = stringOf(entry.version);
      const resolved = spec === undefined ? undefined : v1Package(key, spec);
      if (resolved === null) continue;
      if (!resolved) {
        warnings.push(`"${key}" has no usable version; skipped`);
        continue;
      }
      found.push({ ...resolved, dev: entry.dev === true });
    }
  }
  return { packages: found, warnings };
}

/** Version 1 writes aliases as "npm:real@1.2.3" and local folders as "file:..." (null: skip). */
function v1Package(key: string, spec: string): { name: string; version: string } | null | undefined {
  if (spec.startsWith('file:') || spec.startsWith('link:')) return null;
  if (!spec.startsWith('npm:')) return { name: key, version: spec };
  const at = spec.lastIndexOf('@');
  if (at <= 'npm:'.length) return undefined;
  return { name: spec.slice('npm:'.length, at), version: spec.slice(at + 1) };
}
