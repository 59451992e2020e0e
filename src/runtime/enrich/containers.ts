import { readlinkSync } from 'node:fs';
import { CgroupIndex, containerOfProcess } from './cgroup.js';
import { containerOfMounts } from './mountinfo.js';
import { type ContainerRef, containerFromCgroup } from './runtime-paths.js';

/**
 * Which container a process runs in. Every process of a container shares its mount
 * namespace, so the answer is kept per namespace: learned once from the runtime (the first
 * process of each container it reports), or from any process of the namespace (its cgroup
 * file, its mount table, or its cgroup id when it is already gone). A process that lives a
 * millisecond is therefore still placed in its container.
 */
const UNKNOWN_TTL_MS = 1000;
const MAX_UNKNOWN = 4096;

export class ContainerResolver {
  private readonly byNamespace = new Map<number, ContainerRef>();
  private readonly cgroups = new CgroupIndex();
  /** Namespaces nothing placed in a container, and when that was last found. */
  private readonly unknown = new Map<number, number>();

  constructor(
    private readonly hostMountNamespace: number,
    private readonly procRoot = '/proc',
  ) {}

  /** The runtime reported a container whose first process is `pid`. */
  learn(ref: ContainerRef, pid: number): void {
    const ns = mountNamespace(pid, this.procRoot);
    if (ns === undefined) return;
    this.byNamespace.set(ns, ref);
    this.unknown.delete(ns);
  }

  /**
   * The container of a process (undefined on the host or when nothing tells). A program
   * start carries its cgroup id, which is checked against what the namespace is known as:
   * namespace numbers are reused once a container is gone.
   */
  resolve(
    pid: number,
    mntns: number,
    cgroupId: number | undefined,
    started = false,
  ): ContainerRef | undefined {
    if (mntns === this.hostMountNamespace || mntns === 0) return undefined;
    const known = this.byNamespace.get(mntns);
    if (known && started && cgroupId !== undefined && cgroupId > 1) {
      const current = this.fromCgroupId(cgroupId);
      if (current && current.id !== known.id) {
        this.byNamespace.set(mntns, current);
        return current;
      }
    }
    if (known) return known;
    // A namespace no container owns (`unshare -m`, a sandbox) is asked about again only at a
    // program start or after a while, not on every event of its processes.
    const unknownSince = this.unknown.get(mntns);
    if (!started && unknownSince !== undefined && Date.now() - unknownSince < UNKNOWN_TTL_MS)
      return undefined;
    const ref =
      containerOfProcess(pid, this.procRoot) ??
      containerOfMounts(pid, this.procRoot) ??
      (cgroupId !== undefined && cgroupId > 1 ? this.fromCgroupId(cgroupId) : undefined);
    if (ref) {
      this.byNamespace.set(mntns, ref);
      this.unknown.delete(mntns);
    } else {
      if (this.unknown.size >= MAX_UNKNOWN) this.unknown.clear();
      this.unknown.set(mntns, Date.now());
    }
    return ref;
  }

  /** Forgets the namespaces of a container that ended (their numbers will be reused). */
  forget(id: string): void {
    for (const [ns, known] of this.byNamespace) if (known.id === id) this.byNamespace.delete(ns);
  }

  private fromCgroupId(id: number): ContainerRef | undefined {
    const path = this.cgroups.pathOf(id);
    return path === undefined ? undefined : containerFromCgroup(path);
  }
}

export function mountNamespace(pid: number, procRoot = '/proc'): number | undefined {
  try {
    const m = /\[(\d+)\]/.exec(readlinkSync(`${procRoot}/${pid}/ns/mnt`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
