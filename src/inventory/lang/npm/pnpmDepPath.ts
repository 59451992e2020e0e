import { splitDescriptor } from './descriptor.js';

/**
 * The package a pnpm lockfile key ("dependency path") names. The syntax changed twice:
 *   v5:  "/@scope/name/1.2.3_peer@1+other@2"  (a registry host instead of the leading "/")
 *   v6:  "/@scope/name@1.2.3(peer@1)(other@2)"
 *   v9:  "@scope/name@1.2.3(peer@1)"
 */
export function parseDepPath(
  key: string,
  lockfileMajor: number,
): { name: string; version: string } | undefined {
  const path = lockfileMajor >= 9 ? key : withoutRegistry(key);
  if (path === undefined) return undefined;
  if (lockfileMajor < 6) {
    const slash = path.lastIndexOf('/');
    const name = path.slice(0, slash);
    if (slash <= 0 || (name.startsWith('@') && !name.includes('/'))) return undefined;
    return { name, version: cut(path.slice(slash + 1), '_') };
  }
  const { name, range } = splitDescriptor(path);
  return range ? { name, version: withoutPeers(range) } : undefined;
}

/** "lodash@4.17.21(peer@1)" → "lodash@4.17.21": the v9 `packages` key of a `snapshots` key. */
export function withoutPeers(key: string): string {
  return cut(key, '(');
}

function withoutRegistry(key: string): string | undefined {
  if (key.startsWith('/')) return key.slice(1);
  const slash = key.indexOf('/');
  return slash < 0 ? undefined : key.slice(slash + 1);
}

function cut(s: string, separator: string): string {
  const at = s.indexOf(separator);
  return at < 0 ? s : s.slice(0, at);
}
