import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ContainerRef, containerFromCgroup } from './runtime-paths.js';

/** One line of /proc/PID/cgroup: `hierarchy-id:controllers:path` (`0::/path` for cgroup v2). */
export interface CgroupLine {
  hierarchy: number;
  controllers: string[];
  path: string;
}

export function parseCgroupFile(text: string): CgroupLine[] {
  const lines: CgroupLine[] = [];
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0) continue;
    const hierarchy = Number(line.slice(0, a));
    if (!Number.isInteger(hierarchy)) continue;
    const controllers = line.slice(a + 1, b);
    lines.push({
      hierarchy,
      controllers: controllers ? controllers.split(',') : [],
      path: line.slice(b + 1),
    });
  }
  return lines;
}

/** The container a /proc/PID/cgroup file places its process in (any hierarchy that names one). */
export function containerFromCgroupFile(text: string): ContainerRef | undefined {
  for (const line of parseCgroupFile(text)) {
    const ref = containerFromCgroup(line.path);
    if (ref) return ref;
  }
  return undefined;
}

/** A process's container from its cgroups, while it runs. */
export function containerOfProcess(pid: number, procRoot = '/proc'): ContainerRef | undefined {
  try {
    return containerFromCgroupFile(readFileSync(`${procRoot}/${pid}/cgroup`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * cgroup v2 ids (the inode of the cgroup's directory, what bpftrace's `cgroup` gives) to
 * their paths, for finding the container of a process that is already gone. The tree is
 * walked again when an id is not in it (a cgroup created since), at most once per `minAgeMs`.
 */
export class CgroupIndex {
  private paths = new Map<number, string>();
  private scannedAt = 0;

  constructor(
    private readonly mount: string | undefined = unifiedMount(),
    private readonly minAgeMs = 1000,
  ) {}

  pathOf(id: number): string | undefined {
    if (!this.mount) return undefined;
    const known = this.paths.get(id);
    if (known !== undefined || Date.now() - this.scannedAt < this.minAgeMs) return known;
    this.scan();
    return this.paths.get(id);
  }

  private scan(): void {
    const paths = new Map<number, string>();
    const root = this.mount!;
    const walk = (dir: string, rel: string, depth: number) => {
      if (depth > 12) return;
      let entries: string[];
      try {
        entries = readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name);
        paths.set(statSync(dir).ino, rel || '/');
      } catch {
        return;
      }
      for (const name of entries) walk(join(dir, name), `${rel}/${name}`, depth + 1);
    };
    walk(root, '', 0);
    this.paths = paths;
    this.scannedAt = Date.now();
  }
}

/** Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified (hybrid). */
function unifiedMount(): string | undefined {
  for (const dir of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    try {
      if (readdirSync(dir).includes('cgroup.controllers')) return dir;
    } catch {
      // not there
    }
  }
  return undefined;
}
