import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * What /proc says about a process, for processes that were running before capture started
 * (or whose start the capture missed). Each reader returns undefined when the process is gone
 * or the file is unreadable; the parsers are pure.
 */

export interface ProcStat {
  /** The kernel's comm (up to 15 characters; may contain spaces and parentheses). */
  comm: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Controlling terminal device number, 0 for none. */
  tty: number;
  /** Start time in clock ticks since boot. */
  startTicks: number;
}

/** /proc/PID/stat: `pid (comm) state ppid pgrp session tty_nr ...`; comm may hold anything but NUL. */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is the state; fields follow in proc(5) order from ppid (field 4).
  const num = (i: number) => Number(rest[i]);
  const stat = {
    comm: text.slice(open + 1, close),
    ppid: num(1),
    pgid: num(2),
    sid: num(3),
    tty: num(4),
    startTicks: num(19),
  };
  return Object.values(stat).every((v) => typeof v === 'string' || Number.isFinite(v)) ? stat : undefined;
}

/** The effective uid and gid from /proc/PID/status (`Uid:\treal\teffective\tsaved\tfs`). */
export function parseStatusIds(text: string): { uid: number; gid: number } | undefined {
  const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(text);
  const gid = /^Gid:\s+\d+\s+(\d+)/m.exec(text);
  return uid && gid ? { uid: Number(uid[1]), gid: Number(gid[1]) } : undefined;
}

/** /proc/PID/cmdline: NUL-separated argv (a trailing NUL ends the last). */
export function parseCmdline(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const argv = text.split('\0');
  if (argv[argv.length - 1] === '') argv.pop();
  return argv;
}

/** The innermost pid from /proc/PID/status `NSpid:` (the pid inside the process's own namespace). */
export function parseNsPid(text: string): number | undefined {
  const m = /^NSpid:\s+([\d\s]+)$/m.exec(text);
  if (!m) return undefined;
  const pids = m[1]!.trim().split(/\s+/);
  return Number(pids[pids.length - 1]);
}

export interface ProcSnapshot {
  pid: number;
  stat: ProcStat;
  argv: string[];
  exepath?: string;
  cwd?: string;
  uid: number;
  gid: number;
  vpid?: number;
  loginuid?: number;
  mntns?: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Everything the process tree wants from /proc/PID, or undefined when the process is gone. */
export function readProcess(pid: number, root = '/proc'): ProcSnapshot | undefined {
  const dir = `${root}/${pid}`;
  const statText = read(`${dir}/stat`);
  const stat = statText === undefined ? undefined : parseStat(statText);
  if (!stat) return undefined;
  const status = read(`${dir}/status`) ?? '';
  const ids = parseStatusIds(status) ?? { uid: -1, gid: -1 };
  let argv: string[] = [];
  try {
    argv = parseCmdline(readFileSync(`${dir}/cmdline`));
  } catch {
    // gone or unreadable: no arguments
  }
  const loginuid = Number(read(`${dir}/loginuid`));
  const mnt = /\[(\d+)\]/.exec(link(`${dir}/ns/mnt`) ?? '');
  const exepath = link(`${dir}/exe`);
  const cwd = link(`${dir}/cwd`);
  const vpid = parseNsPid(status);
  return {
    pid,
    stat,
    argv,
    ...(exepath !== undefined ? { exepath } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    uid: ids.uid,
    gid: ids.gid,
    ...(vpid !== undefined ? { vpid } : {}),
    ...(Number.isFinite(loginuid) ? { loginuid: loginuid >= 0xffffffff ? -1 : loginuid } : {}),
    ...(mnt ? { mntns: Number(mnt[1]) } : {}),
  };
}

/** The pids in /proc now. */
export function listPids(root = '/proc'): number[] {
  return readdirSync(root)
    .filter((n) => /^[0-9]+$/.test(n))
    .map(Number);
}

/** A process's working directory now (after fchdir), if it is still there. */
export function currentDirectory(pid: number, root = '/proc'): string | undefined {
  return link(`${root}/${pid}/cwd`);
}

/** Where descriptor `fd` of a process points now (for openat relative to a directory descriptor). */
export function descriptorPath(pid: number, fd: number, root = '/proc'): string | undefined {
  const target = link(`${root}/${pid}/fd/${fd}`);
  return target?.startsWith('/') ? target : undefined;
}
