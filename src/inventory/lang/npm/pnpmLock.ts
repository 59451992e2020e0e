import { inputError } from '../../../util/errors.js';
import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { entriesOf, isRecord, stringOf } from '../untrusted.js';
import { parseDepPath, withoutPeers } from './pnpmDepPath.js';
import { parseYamlDocuments } from './yaml.js';

/**
 * pnpm-lock.yaml, lockfile versions 5 to 9. Every package is a `packages` entry; `name` and
 * `version` fields (tarball and git dependencies) win over what the key says. Versions 5 and
 * 6 flag development-only packages with `dev: true`; version 9 dropped the flag, so a package
 * is development-only when the importers' devDependencies reach it through `snapshots` and
 * their dependencies and optionalDependencies do not. pnpm 10 may put its own tool lockfile
 * in a first YAML document; the project's lockfile is the last.
 */
export function parsePnpmLock(source: string, path: string): ParseResult {
  const lock = parseYamlDocuments(source, path)
    .filter(isRecord)
    .findLast((doc) => doc.lockfileVersion !== undefined);
  if (!lock) throw inputError(path, 'no lockfileVersion: not a pnpm lockfile');
  const major = Number.parseFloat(String(lock.lockfileVersion));
  if (!Number.isFinite(major))
    throw inputError(path, `unknown lockfileVersion ${String(lock.lockfileVersion)}`);
  const devOnly = major >= 9 ? devOnlyPackages(lock) : undefined;
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const [key, entry] of entriesOf(lock.packages)) {
    if (!isRecord(entry)) continue;
    // A folder on disk ("file:../lib"): the user's own code, not a dependency.
    if (isRecord(entry.resolution) && entry.resolution.directory !== undefined) continue;
    const fromKey = parseDepPath(key, major);
    const name = stringOf(entry.name) ?? fromKey?.name;
    const version = stringOf(entry.version) ?? fromKey?.version;
    if (!name || !version) {
      warnings.push(`cannot read a package name and version from "${key}"; skipped`);
      continue;
    }
    found.push({ name, version, dev: devOnly ? devOnly.has(key) : entry.dev === 'true' });
  }
  return { packages: found, warnings };
}

/** `packages` keys that only devDependencies reach (lockfile v9). */
function devOnlyPackages(lock: Record<string, unknown>): Set<string> {
  const snapshots = new Map(entriesOf(lock.snapshots));
  const prodRoots: string[] = [];
  const devRoots: string[] = [];
  for (const [, importer] of entriesOf(lock.importers)) {
    if (!isRecord(importer)) continue;
    addSnapshotKeys(importer.dependencies, snapshots, prodRoots);
    addSnapshotKeys(importer.optionalDependencies, snapshots, prodRoots);
    addSnapshotKeys(importer.devDependencies, snapshots, devRoots);
  }
  const prod = new Set([...reachable(prodRoots, snapshots)].map(withoutPeers));
  return new Set([...reachable(devRoots, snapshots)].map(withoutPeers).filter((key) => !prod.has(key)));
}

/** Snapshot keys reachable from `roots` (which it consumes). */
function reachable(roots: string[], snapshots: Map<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const pending = roots;
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    if (seen.has(key)) continue;
    seen.add(key);
    const snapshot = snapshots.get(key);
    if (!isRecord(snapshot)) continue;
    addSnapshotKeys(snapshot.dependencies, snapshots, pending);
    addSnapshotKeys(snapshot.optionalDependencies, snapshots, pending);
  }
  return seen;
}

/**
 * Adds the snapshot keys of a dependency map. A reference is a version ("1.0.0(peer@1)", key
 * "name@1.0.0(peer@1)") or, for an alias, the real package ("real@1.0.0"); importers wrap it
 * in {specifier, version}. Links to workspace folders have no snapshot.
 */
function addSnapshotKeys(deps: unknown, snapshots: Map<string, unknown>, keys: string[]): void {
  for (const [name, value] of entriesOf(deps)) {
    const ref = stringOf(isRecord(value) ? value.version : value);
    if (!ref) continue;
    const key = snapshots.has(`${name}@${ref}`) ? `${name}@${ref}` : ref;
    if (snapshots.has(key)) keys.push(key);
  }
}
