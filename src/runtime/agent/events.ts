import { readlinkSync } from 'node:fs';
import type { Event } from '../../types.js';
import type { ExecRecord, SocketRecord, SyscallRecord } from '../capture/decode.js';
import { resolvePath } from '../proc/path.js';
import type { ProcessState } from '../proc/process-tree.js';

/**
 * Kernel records made into events of the rule engine's model (src/types.ts): the process
 * from the process tree with the ids of the moment, the container placement, and per event
 * type the descriptor (fd.*) and arguments (evt.arg.*) Falco's fields read.
 */

export interface Identity {
  uid: number;
  gid: number;
  user?: string;
  group?: string;
}

export interface Placement {
  container?: Event['container'];
  k8s?: Event['k8s'];
}

const AT_FDCWD = -100;
const EINPROGRESS = -115;
const S_IFMT = 0o170000;
const FILE_TYPES = new Map([
  [0o010000, 'pipe'],
  [0o100000, 'file'],
  [0o040000, 'directory'],
  [0o140000, 'unix'],
]);
const L4 = new Map([
  [6, 'tcp'],
  [17, 'udp'],
  [1, 'icmp'],
  [58, 'icmp'],
  [255, 'raw'],
]);

function baseEvent(
  type: string,
  ts: number,
  res: number,
  state: ProcessState,
  tid: number,
  who: Identity,
): Event {
  return {
    ts,
    type,
    proc: processOf(state, tid, who),
    evt: { res, dir: '<' },
  };
}

/**
 * The event's process: the tree's snapshot with the thread and ids of the moment. Snapshots
 * are immutable and events never change their process, so consecutive events of one thread
 * with the same ids share one object instead of copying the snapshot each time.
 */
const lastProcess = new WeakMap<ProcessState['proc'], Event['proc']>();

function processOf(state: ProcessState, tid: number, who: Identity): Event['proc'] {
  const last = lastProcess.get(state.proc);
  if (
    last &&
    last.tid === tid &&
    last.uid === who.uid &&
    last.gid === who.gid &&
    last.user === who.user &&
    last.group === who.group
  )
    return last;
  const proc: Event['proc'] = {
    ...state.proc,
    tid,
    uid: who.uid,
    gid: who.gid,
    ...(who.user !== undefined ? { user: who.user } : {}),
    ...(who.group !== undefined ? { group: who.group } : {}),
  };
  lastProcess.set(state.proc, proc);
  return proc;
}

function place(e: Event, where: Placement): Event {
  if (where.container) e.container = where.container;
  if (where.k8s) e.k8s = where.k8s;
  return e;
}

/** A program started; `state` is the process after the exec. */
export function execEvent(x: ExecRecord, state: ProcessState, who: Identity, where: Placement): Event {
  const e = baseEvent(x.type, x.ts, 0, state, x.tid, who);
  e.evt.args = { filename: resolvePath(x.filename, state.proc.cwd), res: 0 };
  return place(e, where);
}

/** A syscall other than exec, fork and exit. */
export function syscallEvent(r: SyscallRecord, state: ProcessState, who: Identity, where: Placement): Event {
  const e = baseEvent(r.type, r.ts, r.res, state, r.tid, who);
  const args: Record<string, string | number> = { ...r.args, res: r.res };
  const dirfds = dirfdArgs(r);
  r.spec.strings.forEach((s, i) => {
    const raw = r.strings[s.as] ?? '';
    args[s.as] = s.path ? absolute(raw, dirfds[i] ?? AT_FDCWD, r.pid, state.proc.cwd) : raw;
  });
  e.evt.args = args;
  if (r.spec.open) {
    const name = String(args.name);
    const flags = String(args.flags ?? '');
    args.fd = r.res;
    e.fd = {
      num: r.res >= 0 ? r.res : -1,
      name,
      nameraw: r.strings.name ?? name,
      type: flags.includes('O_DIRECTORY') ? 'directory' : 'file',
    };
  } else if (r.socket) {
    const fd = socketDescriptor(r.socket, r.spec.socket!.source, r.res);
    if (fd) {
      const num =
        r.spec.socket!.source === 'accept' || r.spec.socket!.source === 'dup' ? r.res : Number(args.fd);
      e.fd = { ...fd, num };
    }
  }
  return place(e, where);
}

/** The directory descriptor each path string is relative to, in string order. */
function dirfdArgs(r: SyscallRecord): number[] {
  const a = r.args;
  const n = (v: unknown) => (typeof v === 'number' ? v : AT_FDCWD);
  switch (r.type) {
    case 'renameat':
    case 'renameat2':
      return [n(a.olddirfd), n(a.newdirfd)];
    case 'linkat':
      return [n(a.olddir), n(a.newdir)];
    case 'symlinkat':
      return [AT_FDCWD, n(a.linkdirfd)];
    case 'move_mount':
      return [n(a.fromdirfd), n(a.todirfd)];
    default:
      return [n(a.dirfd)];
  }
}

/** A path as Falco shows it: absolute, from the working directory or the directory descriptor. */
function absolute(path: string, dirfd: number, pid: number, cwd: string | undefined): string {
  if (path.startsWith('/') || path === '') return resolvePath(path, cwd);
  if (dirfd === AT_FDCWD || dirfd < 0) return resolvePath(path, cwd);
  const dir = directoryOf(pid, dirfd);
  return dir === undefined ? path : resolvePath(path, dir);
}

/**
 * The directory a descriptor names, from /proc; remembered for a moment, because a program
 * that works relative to a directory (tar, rm -r) opens many files through the same one.
 */
const directories = new Map<string, { dir: string | undefined; at: number }>();
const DIRECTORY_TTL_MS = 500;

function directoryOf(pid: number, fd: number): string | undefined {
  const key = `${pid}:${fd}`;
  const now = Date.now();
  const known = directories.get(key);
  if (known && now - known.at < DIRECTORY_TTL_MS) return known.dir;
  let dir: string | undefined;
  try {
    dir = readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    dir = undefined;
  }
  if (directories.size > 4096) directories.clear();
  directories.set(key, { dir, at: now });
  return dir;
}

/** The absolute path an open names, and its flags as the kernel filter reads them. */
export function openFacts(
  r: SyscallRecord,
  cwd: string | undefined,
): { path: string; flags: number; res: number } {
  const dirfd = typeof r.args.dirfd === 'number' ? r.args.dirfd : AT_FDCWD;
  const flags = String(r.args.flags ?? '');
  const access = flags.startsWith('O_RDWR') ? 2 : flags.startsWith('O_WRONLY') ? 1 : 0;
  return {
    path: absolute(r.strings.name ?? '', dirfd, r.pid, cwd),
    flags: access | (flags.includes('O_CREAT') ? 64 : 0),
    res: r.res,
  };
}

/** fd.* of a socket (or of the descriptor dup copied); undefined when nothing is known. */
function socketDescriptor(s: SocketRecord, source: string, res: number): Event['fd'] | undefined {
  if (s.family === 0) {
    const type = FILE_TYPES.get(s.imode & S_IFMT);
    return type ? { type } : undefined;
  }
  if (s.family === 1) return { type: 'unix', ...(s.unixPath ? { name: s.unixPath } : {}) };
  if ((s.family !== 2 && s.family !== 10) || !s.local || !s.remote) return undefined;
  const type = s.family === 2 ? 'ipv4' : 'ipv6';
  const l4proto = L4.get(s.protocol);
  const server = source === 'accept' || source === 'bind' || source === 'listen';
  const [client, srv] =
    source === 'accept' ? [s.remote, s.local] : server ? [undefined, s.local] : [s.local, s.remote];
  const fd: NonNullable<Event['fd']> = {
    type,
    ...(l4proto ? { l4proto } : {}),
    ...(client ? { cip: client.ip, cport: client.port } : {}),
    sip: srv.ip,
    sport: srv.port,
    isServer: server,
    connected:
      source === 'connect' ? res >= 0 || res === EINPROGRESS : source !== 'bind' && source !== 'listen',
  };
  fd.name = client ? `${client.ip}:${client.port}->${srv.ip}:${srv.port}` : `${srv.ip}:${srv.port}`;
  return fd;
}
