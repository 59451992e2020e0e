import { readFileSync } from 'node:fs';
import { type ContainerRef, containerFromMountSource } from './runtime-paths.js';

/** One line of /proc/PID/mountinfo (proc(5)): the fields Ringfence reads. */
export interface MountInfo {
  /** The mounted directory's path inside its filesystem (a bind mount's source). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
}

/** `\040`-style octal escapes (space, tab, newline, backslash) back to characters. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

export function parseMountInfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (fields.length < 10 || dash < 0 || dash + 2 >= fields.length) continue;
    mounts.push({
      root: unescapeOctal(fields[3]!),
      mountPoint: unescapeOctal(fields[4]!),
      fsType: fields[dash + 1]!,
      source: unescapeOctal(fields[dash + 2]!),
    });
  }
  return mounts;
}

/** The container whose runtime files (hostname, hosts, resolv.conf…) a mount table holds. */
export function containerFromMountInfo(text: string): ContainerRef | undefined {
  for (const m of parseMountInfo(text)) {
    const ref = containerFromMountSource(m.root);
    if (ref) return ref;
  }
  return undefined;
}

/** A process's container from its mounts (works when its cgroup namespace hides the path). */
export function containerOfMounts(pid: number, procRoot = '/proc'): ContainerRef | undefined {
  try {
    return containerFromMountInfo(readFileSync(`${procRoot}/${pid}/mountinfo`, 'utf8'));
  } catch {
    return undefined;
  }
}
