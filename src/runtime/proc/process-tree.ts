import { readFileSync } from 'node:fs';
import type { Event } from '../../types.js';
import { resolvePath } from './path.js';
import { currentDirectory, listPids, type ProcSnapshot, readProcess } from './procfs.js';

/**
 * Per-process state for events: what the process runs (name, exe, command line), where
 * (working directory, mount namespace), and the chain of parents behind proc.pname and
 * proc.aname[N]. Built from /proc at start and kept current by exec, fork, exit and chdir
 * events. Each process's `proc` is an immutable snapshot, replaced when the process changes,
 * so events already built keep what was true when they happened. Bounded: exited processes go
 * after a grace period, and the oldest go first when there are too many.
 */

/** The Event.proc fields a process has whatever the event (tid, uid and gid come with each event). */
export type ProcessFields = Omit<Event['proc'], 'tid' | 'uid' | 'gid' | 'user' | 'group'>;
type Ancestor = NonNullable<Event['proc']['ancestors']>[number];

export interface ProcessState {
  readonly proc: ProcessFields;
  /** Mount namespace inode: which container it runs in. */
  mntns: number;
  /** cgroup v2 id from its last exec, when the kernel gave one. */
  cgroupId?: number;
  exitedAt?: number;
}

export interface ExecInfo {
  pid: number;
  ppid: number;
  ts: number;
  mntns: number;
  comm: string;
  parentComm: string;
  argv: string[];
  /** The executable's resolved path (`memfd:NAME` for a memfd). */
  exepath: string;
  isExeFromMemfd: boolean;
  /** The executable is in the container's writable upper layer (not from the image). */
  isExeUpperLayer?: boolean;
  exeIno: number;
  exeCtime: number;
  tty: number;
  loginuid: number;
  vpid: number;
  cgroupId: number;
}

export interface TreeOptions {
  /** Processes kept at most (default 65,536). */
  maxProcesses?: number;
  /** How long an exited process stays, for events that arrive after its exit (default 10 s). */
  exitGraceMs?: number;
  procRoot?: string;
}

/** proc.aname[N] reaches this far up. */
export const MAX_ANCESTORS = 16;
const CLOCK_TICKS = 100;

export class ProcessTree {
  private readonly byPid = new Map<number, ProcessState>();
  private readonly exited: { pid: number; at: number }[] = [];
  private readonly max: number;
  private readonly grace: number;
  private readonly root: string;
  private readonly bootMs: number;

  constructor(o: TreeOptions = {}) {
    this.max = o.maxProcesses ?? 65_536;
    this.grace = o.exitGraceMs ?? 10_000;
    this.root = o.procRoot ?? '/proc';
    this.bootMs = bootTimeMs(this.root);
  }

  get size(): number {
    return this.byPid.size;
  }

  /** Loads the processes running now (those `keep` accepts), parents before children. */
  seed(keep: (s: ProcSnapshot) => boolean = () => true): number {
    const snaps = new Map<number, ProcSnapshot>();
    for (const pid of listPids(this.root)) {
      const s = readProcess(pid, this.root);
      if (s && keep(s)) snaps.set(pid, s);
    }
    const add = (s: ProcSnapshot, depth: number): ProcessState => {
      const known = this.byPid.get(s.pid);
      if (known) return known;
      const parentSnap = snaps.get(s.stat.ppid);
      const parent = parentSnap && depth < MAX_ANCESTORS ? add(parentSnap, depth + 1) : undefined;
      const state = this.fromSnapshot(s, parent);
      this.put(s.pid, state);
      return state;
    };
    for (const s of snaps.values()) add(s, 0);
    return snaps.size;
  }

  /**
   * The state of `pid`: known, else read from /proc (a process that was running before
   * capture, or whose fork was not seen), else a placeholder with what the event says.
   */
  get(pid: number, mntns: number, ts: number): ProcessState {
    const known = this.byPid.get(pid);
    if (known) return known;
    const state = this.load(pid, 0) ?? {
      proc: { pid, ppid: 0, name: '', exe: '', cmdline: '', args: [], startTs: ts },
      mntns,
    };
    this.put(pid, state);
    return state;
  }

  /** The state of `pid` if the tree knows it (nothing is read from /proc). */
  peek(pid: number): ProcessState | undefined {
    return this.byPid.get(pid);
  }

  /** A program started: the process keeps its pid, working directory and parent. */
  exec(x: ExecInfo): ProcessState {
    const before = this.byPid.get(x.pid);
    const parent = this.parentOf(x.ppid, x.parentComm);
    const args = x.argv.slice(1);
    const state: ProcessState = {
      proc: {
        pid: x.pid,
        ppid: x.ppid,
        name: x.comm,
        exe: x.argv[0] ?? x.exepath,
        exepath: x.exepath,
        cmdline: args.length > 0 ? `${x.comm} ${args.join(' ')}` : x.comm,
        args,
        ...(before?.proc.cwd !== undefined ? { cwd: before.proc.cwd } : {}),
        tty: x.tty,
        vpid: x.vpid,
        loginuid: x.loginuid,
        startTs: before?.proc.startTs ?? x.ts,
        isExeFromMemfd: x.isExeFromMemfd,
        ...(x.isExeUpperLayer !== undefined ? { isExeUpperLayer: x.isExeUpperLayer } : {}),
        exeIno: x.exeIno,
        exeCtime: x.exeCtime,
        ancestors: parent ? lineage(parent) : [],
      },
      mntns: x.mntns,
      ...(x.cgroupId > 1 ? { cgroupId: x.cgroupId } : {}),
    };
    if (state.proc.cwd === undefined) {
      const cwd = currentDirectory(x.pid, this.root) ?? parent?.proc.cwd;
      if (cwd !== undefined) (state.proc as { cwd?: string }).cwd = cwd;
    }
    this.put(x.pid, state);
    return state;
  }

  /**
   * A new process: a copy of its parent. When the parent is already gone (a runtime's
   * short-lived helper), the child is named by `comm`, its name at creation: reading the
   * child from /proc now would show the program it has run since.
   */
  fork(pid: number, ppid: number, ts: number, mntns: number, comm?: string): ProcessState {
    const parent = this.byPid.get(ppid) ?? this.load(ppid, 0);
    if (!parent) {
      if (comm === undefined) return this.get(pid, mntns, ts);
      const state: ProcessState = {
        proc: { pid, ppid, name: comm, exe: comm, cmdline: comm, args: [], startTs: ts, ancestors: [] },
        mntns,
      };
      this.put(pid, state);
      return state;
    }
    const state: ProcessState = {
      proc: { ...parent.proc, pid, ppid, startTs: ts, ancestors: lineage(parent) },
      mntns,
      ...(parent.cgroupId !== undefined ? { cgroupId: parent.cgroupId } : {}),
    };
    this.put(pid, state);
    return state;
  }

  exit(pid: number, ts: number): void {
    const state = this.byPid.get(pid);
    if (!state) return;
    state.exitedAt = ts;
    this.exited.push({ pid, at: ts });
  }

  /** chdir(path) succeeded (path as given), or fchdir (no path: read from /proc). */
  chdir(pid: number, path: string | undefined): void {
    const state = this.byPid.get(pid);
    if (!state) return;
    const cwd = path === undefined ? currentDirectory(pid, this.root) : resolvePath(path, state.proc.cwd);
    if (cwd === undefined) return;
    this.put(pid, { ...state, proc: { ...state.proc, cwd } });
  }

  /** Forgets exited processes older than the grace period, and the oldest beyond the limit. */
  evict(now: number): void {
    while (this.exited.length > 0 && (this.exited[0]!.at < now - this.grace || this.byPid.size > this.max)) {
      const { pid, at } = this.exited.shift()!;
      if (this.byPid.get(pid)?.exitedAt === at) this.byPid.delete(pid);
    }
    for (const pid of this.byPid.keys()) {
      if (this.byPid.size <= this.max) break;
      this.byPid.delete(pid);
    }
  }

  private put(pid: number, state: ProcessState): void {
    this.byPid.delete(pid);
    this.byPid.set(pid, state);
  }

  private parentOf(ppid: number, comm: string): ProcessState | undefined {
    if (ppid <= 0) return undefined;
    const known = this.byPid.get(ppid) ?? this.load(ppid, 0);
    if (known) return known;
    return { proc: { pid: ppid, ppid: 0, name: comm, exe: '', cmdline: comm, args: [] }, mntns: 0 };
  }

  /** A process not seen by capture, from /proc, with its parents (cached in the tree). */
  private load(pid: number, depth: number): ProcessState | undefined {
    if (pid <= 0) return undefined;
    const snap = readProcess(pid, this.root);
    if (!snap) return undefined;
    const ppid = snap.stat.ppid;
    const parent =
      depth < MAX_ANCESTORS && ppid > 0 ? (this.byPid.get(ppid) ?? this.load(ppid, depth + 1)) : undefined;
    const state = this.fromSnapshot(snap, parent);
    this.put(pid, state);
    return state;
  }

  private fromSnapshot(s: ProcSnapshot, parent: ProcessState | undefined): ProcessState {
    const args = s.argv.slice(1);
    const name = s.stat.comm;
    return {
      proc: {
        pid: s.pid,
        ppid: s.stat.ppid,
        name,
        exe: s.argv[0] ?? '',
        ...(s.exepath !== undefined ? { exepath: s.exepath } : {}),
        cmdline: args.length > 0 ? `${name} ${args.join(' ')}` : name,
        args,
        ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
        tty: s.stat.tty,
        ...(s.vpid !== undefined ? { vpid: s.vpid } : {}),
        ...(s.loginuid !== undefined ? { loginuid: s.loginuid } : {}),
        sid: s.stat.sid,
        pgid: s.stat.pgid,
        startTs: this.bootMs + (s.stat.startTicks / CLOCK_TICKS) * 1000,
        ancestors: parent ? lineage(parent) : [],
      },
      mntns: s.mntns ?? 0,
    };
  }
}

/** The ancestors of a child of `parent`: the parent, then its ancestors. */
function lineage(parent: ProcessState): Ancestor[] {
  const p = parent.proc;
  const self: Ancestor = {
    pid: p.pid,
    name: p.name,
    exe: p.exe,
    ...(p.exepath !== undefined ? { exepath: p.exepath } : {}),
    cmdline: p.cmdline,
    ...(p.startTs !== undefined ? { startTs: p.startTs } : {}),
  };
  return [self, ...(p.ancestors ?? []).slice(0, MAX_ANCESTORS - 1)];
}

function bootTimeMs(root: string): number {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync(`${root}/stat`, 'utf8'));
    if (m) return Number(m[1]) * 1000;
  } catch {
    // no /proc/stat: start times relative to the epoch instead
  }
  return 0;
}
