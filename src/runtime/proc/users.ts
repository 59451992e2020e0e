import { readFileSync } from 'node:fs';

/**
 * User and group names as a process sees them: from the passwd and group files of its own
 * root (a container's, through /proc/PID/root), read once per mount namespace and again after
 * `maxAgeMs`, so a user added at run time is named soon after.
 */
export class UserNames {
  private readonly tables = new Map<
    number,
    { users: Map<number, string>; groups: Map<number, string>; at: number }
  >();

  constructor(
    private readonly procRoot = '/proc',
    private readonly maxAgeMs = 30_000,
  ) {}

  user(pid: number, mntns: number, uid: number): string | undefined {
    return this.table(pid, mntns).users.get(uid) ?? (uid === 0 ? 'root' : undefined);
  }

  group(pid: number, mntns: number, gid: number): string | undefined {
    return this.table(pid, mntns).groups.get(gid) ?? (gid === 0 ? 'root' : undefined);
  }

  private table(pid: number, mntns: number) {
    const known = this.tables.get(mntns);
    if (known && Date.now() - known.at < this.maxAgeMs) return known;
    const root = `${this.procRoot}/${pid}/root/etc`;
    const users = readIds(`${root}/passwd`);
    const groups = readIds(`${root}/group`);
    // A process already gone cannot be read: keep what the namespace had.
    if (known && users.size === 0) return known;
    const table = { users, groups, at: Date.now() };
    this.tables.set(mntns, table);
    return table;
  }
}

/** `name:x:id:…` lines (passwd and group share the first three fields) → id → name. */
export function parseIdFile(text: string): Map<number, string> {
  const ids = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || id === undefined || !/^\d+$/.test(id)) continue;
    const n = Number(id);
    if (!ids.has(n)) ids.set(n, name);
  }
  return ids;
}

function readIds(path: string): Map<number, string> {
  try {
    return parseIdFile(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}
