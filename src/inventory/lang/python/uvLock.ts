import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { parseTomlDocument } from '../toml.js';
import { entriesOf, isRecord, stringOf } from '../untrusted.js';

/**
 * uv.lock: one `[[package]]` per locked distribution. The project and its workspace members
 * (`source = { editable | virtual }`) and folder dependencies are the user's code, not listed.
 * uv records no dev flag, so it is derived from the graph as uv resolves it: a package is
 * development-only when the members' `dev-dependencies` groups reach it and their
 * `dependencies` and `optional-dependencies` do not (an edge's `extra` pulls in that extra's
 * dependencies).
 */
export function parseUvLock(source: string, path: string): ParseResult {
  const lock = parseTomlDocument(source, path);
  const entries = (Array.isArray(lock.package) ? lock.package : []).filter(isRecord);
  const graph = new Graph(entries);
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    if (isLocal(entry)) continue;
    const name = stringOf(entry.name);
    const version = stringOf(entry.version);
    if (!name || !version) {
      warnings.push(`a [[package]] without name and version; skipped`);
      continue;
    }
    packages.push({ name, version, dev: graph.devOnly.has(entry) });
  }
  return { packages, warnings };
}

function isLocal(entry: Record<string, unknown>): boolean {
  const source = entry.source;
  return (
    isRecord(source) &&
    (source.editable !== undefined || source.virtual !== undefined || source.directory !== undefined)
  );
}

function isMember(entry: Record<string, unknown>): boolean {
  const source = entry.source;
  return isRecord(source) && (source.editable !== undefined || source.virtual !== undefined);
}

type Entry = Record<string, unknown>;

class Graph {
  readonly devOnly: Set<Entry>;
  /** Entries by "name" and by "name\0version". */
  private readonly index = new Map<string, Entry[]>();

  constructor(entries: Entry[]) {
    for (const entry of entries) {
      const name = stringOf(entry.name);
      if (!name) continue;
      this.add(name, entry);
      this.add(`${name}\u0000${stringOf(entry.version) ?? ''}`, entry);
    }
    const members = entries.filter(isMember);
    const extras: unknown[] = [];
    const devGroups: unknown[] = [];
    for (const member of members) {
      for (const [, deps] of entriesOf(member['optional-dependencies'])) extras.push(deps);
      for (const [, deps] of entriesOf(member['dev-dependencies'])) devGroups.push(deps);
    }
    const prod = this.reach(members, extras);
    this.devOnly = new Set([...this.reach([], devGroups)].filter((e) => !prod.has(e)));
  }

  /** Entries reachable from `entries` and from lists of edges ({name, version?, extra?}). */
  private reach(entries: Entry[], edgeLists: unknown[]): Set<Entry> {
    const seen = new Set<Entry>();
    const seenExtras = new Set<string>();
    const followed = new Set<string>();
    const pending: { entry: Entry; extras: string[] }[] = [];
    const follow = (edge: unknown) => {
      if (!isRecord(edge)) return;
      const extras = Array.isArray(edge.extra)
        ? edge.extra.filter((x): x is string => typeof x === 'string')
        : [];
      const key = this.key(edge);
      const once = `${key}\u0000${extras.join(',')}`;
      if (key === undefined || followed.has(once)) return;
      followed.add(once);
      for (const entry of this.index.get(key) ?? []) pending.push({ entry, extras });
    };
    for (const entry of entries) pending.push({ entry, extras: [] });
    for (const list of edgeLists) if (Array.isArray(list)) for (const edge of list) follow(edge);
    for (let next = pending.pop(); next; next = pending.pop()) {
      const { entry, extras } = next;
      if (!seen.has(entry)) {
        seen.add(entry);
        if (Array.isArray(entry.dependencies)) for (const edge of entry.dependencies) follow(edge);
      }
      const optional = isRecord(entry['optional-dependencies']) ? entry['optional-dependencies'] : {};
      for (const extra of extras) {
        const key = `${stringOf(entry.name)} ${stringOf(entry.version)} ${extra}`;
        if (seenExtras.has(key) || !Object.hasOwn(optional, extra)) continue;
        seenExtras.add(key);
        const deps = optional[extra];
        if (Array.isArray(deps)) for (const edge of deps) follow(edge);
      }
    }
    return seen;
  }

  /** An edge names a package, and a version when several are locked (per-platform forks). */
  private key(edge: Record<string, unknown>): string | undefined {
    const name = stringOf(edge.name);
    const version = stringOf(edge.version);
    if (!name) return undefined;
    return version ? `${name}\u0000${version}` : name;
  }

  private add(key: string, entry: Entry): void {
    const same = this.index.get(key);
    if (same) same.push(entry);
    else this.index.set(key, [entry]);
  }
}
