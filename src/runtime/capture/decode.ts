import { canonicalIp } from '../rules/ip.js';
import {
  capabilities,
  memfdFlags,
  mountFlags,
  namespaceFlags,
  openFlags,
  ptraceRequest,
  socketDomain,
  socketType,
  unlinkatFlags,
} from './flags.js';
import { type RawRecord, unescapeBytes } from './lines.js';
import { ARG_CHUNKS, CODE, STRING_BYTES, SYSCALL_CODES } from './program.js';
import { HEADER_FIELDS, SOCKET_FIELDS, type SyscallSpec } from './syscalls.js';

/** What every record says: when, which thread, where (mount namespace), as whom, result. */
export interface Header {
  /** Milliseconds since the epoch. */
  ts: number;
  tid: number;
  pid: number;
  mntns: number;
  uid: number;
  gid: number;
  res: number;
}

export interface ExecRecord extends Header {
  kind: 'exec';
  type: 'execve' | 'execveat';
  ppid: number;
  /** argv, argv[0] included. */
  argv: string[];
  /** The command line was longer than the capture reads. */
  truncated: boolean;
  comm: string;
  parentComm: string;
  /** The path given to exec. */
  filename: string;
  /** The executable's own name when it has no link left (a memfd or a deleted file). */
  unlinkedName?: string;
  exeIno: number;
  /** The executable's inode change time, ms. */
  exeCtime: number;
  tty: number;
  loginuid: number;
  vpid: number;
  /** cgroup v2 id (0 or 1 without a unified hierarchy). */
  cgroupId: number;
}

export interface ForkRecord extends Header {
  kind: 'fork';
  ppid: number;
  /** The new process's name when it was created (its parent's). */
  comm: string;
}

export interface ExitRecord extends Header {
  kind: 'exit';
}

export interface Endpoint {
  ip: string;
  port: number;
}

export interface SocketRecord {
  /** 0 when the descriptor is not a socket. */
  family: number;
  protocol: number;
  /** The descriptor's file mode (its type bits tell a pipe from a file). */
  imode: number;
  local?: Endpoint;
  remote?: Endpoint;
  unixPath?: string;
}

export interface SyscallRecord extends Header {
  kind: 'syscall';
  type: string;
  spec: SyscallSpec;
  /** Arguments by Falco name, rendered as Falco does. */
  args: Record<string, string | number>;
  /** String arguments as the process passed them, by Falco name. */
  strings: Record<string, string>;
  socket?: SocketRecord;
}

export type KernelRecord = ExecRecord | ForkRecord | ExitRecord | SyscallRecord;

/** Turns records into events; `epochOffsetMs` converts the kernel's monotonic clock. */
export function decodeRecord(r: RawRecord, epochOffsetMs: number): KernelRecord | undefined {
  const f = r.fields;
  if (f.length < HEADER_FIELDS.length) return undefined;
  const header: Header = {
    ts: f[0]! / 1e6 + epochOffsetMs,
    tid: f[1]!,
    pid: f[2]!,
    mntns: f[3]!,
    uid: f[4]!,
    gid: f[5]!,
    res: f[6]!,
  };
  const n = HEADER_FIELDS.length;
  switch (r.code) {
    case CODE.exec:
      return decodeExec(header, f.slice(n), r.parts);
    case CODE.fork:
      return f.length > n
        ? { kind: 'fork', ...header, res: 0, ppid: f[n]!, comm: r.parts.at(-1) ?? '' }
        : undefined;
    case CODE.exit:
      return { kind: 'exit', ...header };
  }
  const spec = SYSCALL_CODES.get(r.code);
  return spec ? decodeSyscall(header, spec, f.slice(n), r.parts) : undefined;
}

function decodeExec(h: Header, f: number[], parts: string[]): ExecRecord | undefined {
  if (f.length < 11) return undefined;
  const [ppid, argLen, exeIno, ctimeSec, ctimeNsec, tty, loginuid, vpid, cgroupId, unlinked, execveat] =
    f as [number, ...number[]];
  const chunks = Math.max(1, Math.min(ARG_CHUNKS, Math.ceil(argLen! / STRING_BYTES)));
  const expected = chunks + 3 + (unlinked ? 1 : 0);
  // Strings of records lost before this one may precede its own: take the last ones.
  const own = parts.slice(-expected);
  if (own.length < expected) return undefined;
  return {
    kind: 'exec',
    type: execveat ? 'execveat' : 'execve',
    ...h,
    ppid,
    argv: commandLine(own.slice(0, chunks), argLen!),
    truncated: argLen! > ARG_CHUNKS * STRING_BYTES,
    comm: own[chunks]!,
    parentComm: own[chunks + 1]!,
    filename: own[chunks + 2]!,
    ...(unlinked ? { unlinkedName: own[chunks + 3]! } : {}),
    exeIno: exeIno!,
    exeCtime: ctimeSec! * 1000 + ctimeNsec! / 1e6,
    tty: tty!,
    loginuid: loginuid! >= 0xffffffff ? -1 : loginuid!,
    vpid: vpid!,
    cgroupId: cgroupId!,
  };
}

/**
 * argv from its chunks: chunk i holds bytes [i·200, i·200+200) of the argument area, except
 * the last when the area ends inside it, which holds the area's last 200 bytes.
 */
export function commandLine(chunks: string[], length: number): string[] {
  const pieces: Buffer[] = [];
  chunks.forEach((chunk, i) => {
    const bytes = unescapeBytes(chunk);
    const start = i * STRING_BYTES;
    const readFrom = length >= start + STRING_BYTES ? start : length - STRING_BYTES;
    const want = Math.min(STRING_BYTES, length - start);
    if (want > 0) pieces.push(bytes.subarray(start - readFrom, start - readFrom + want));
  });
  const all = Buffer.concat(pieces);
  const argv = all.toString('utf8').split('\0');
  if (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
  return argv;
}

type Render = (n: number) => string | number;
const RENDER: Record<string, Render> = {
  'open.flags': openFlags,
  'openat.flags': openFlags,
  'openat2.flags': openFlags,
  'creat.flags': openFlags,
  'unlinkat.flags': unlinkatFlags,
  'mount.flags': mountFlags,
  'memfd_create.flags': memfdFlags,
  'unshare.flags': namespaceFlags,
  'setns.nstype': namespaceFlags,
  'ptrace.request': ptraceRequest,
  'socket.domain': socketDomain,
  'socket.type': socketType,
};

function decodeSyscall(
  h: Header,
  spec: SyscallSpec,
  f: number[],
  parts: string[],
): SyscallRecord | undefined {
  const count = spec.numbers.length + (spec.socket ? SOCKET_FIELDS.length : 0);
  if (f.length < count) return undefined;
  const args: Record<string, string | number> = {};
  spec.numbers.forEach((num, i) => {
    const render = RENDER[`${spec.type}.${num.as}`];
    args[num.as] = render ? render(f[i]!) : f[i]!;
  });
  if (spec.type === 'capset') {
    for (const set of ['cap_effective', 'cap_permitted', 'cap_inheritable']) {
      args[set] = capabilities(Number(args[set]), Number(args[`${set}_hi`]));
      delete args[`${set}_hi`];
    }
  }
  const socket = spec.socket ? socketOf(f.slice(spec.numbers.length)) : undefined;
  const expected = spec.strings.length + (socket?.family === 1 && spec.socket?.address ? 1 : 0);
  const own = parts.slice(-expected);
  if (own.length < expected) return undefined;
  const strings: Record<string, string> = {};
  spec.strings.forEach((s, i) => {
    strings[s.as] = own[i]!;
  });
  if (socket && expected > spec.strings.length) socket.unixPath = own[spec.strings.length]!;
  return { kind: 'syscall', type: spec.type, spec, ...h, args, strings, ...(socket ? { socket } : {}) };
}

function socketOf(f: number[]): SocketRecord {
  const [family, protocol, imode, l0, l1, l2, l3, lport, r0, r1, r2, r3, rport] = f as number[];
  const socket: SocketRecord = { family: family!, protocol: protocol!, imode: imode! };
  if (family === 2 || family === 10) {
    socket.local = { ip: address(family, [l0!, l1!, l2!, l3!]), port: lport! };
    socket.remote = { ip: address(family, [r0!, r1!, r2!, r3!]), port: rport! };
  }
  return socket;
}

/** Address words as the kernel stores them (network byte order, read little-endian). */
export function address(family: number, words: number[]): string {
  const bytes = Buffer.alloc(16);
  words.forEach((w, i) => {
    bytes.writeUInt32LE(w >>> 0, i * 4);
  });
  if (family === 2) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return canonicalIp(groups.join(':')) ?? groups.join(':');
}
