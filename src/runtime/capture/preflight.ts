import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../../util/errors.js';

/**
 * What kernel capture needs, checked before anything starts: root, BTF, tracefs (mounted
 * here when absent), bpftrace new enough. Each missing piece is one line saying what to do.
 */

export interface CaptureHost {
  bpftrace: string;
  version: string;
  /** The host's mount namespace (PID 1's): processes outside it are in containers. */
  hostMountNamespace: number;
  /** syscalls:sys_enter_* tracepoints this kernel has, by syscall name. */
  tracepoints: Set<string>;
}

export const MIN_BPFTRACE = [0, 17] as const;
const TRACEFS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

export function preflight(): CaptureHost {
  if (process.getuid?.() !== 0)
    throw new UserError('ringfence agent needs root (kernel tracing); run it with sudo');
  if (!existsSync('/sys/kernel/btf/vmlinux'))
    throw new UserError(
      'the kernel has no BTF (/sys/kernel/btf/vmlinux): use a kernel built with CONFIG_DEBUG_INFO_BTF=y',
    );
  const events = tracefsEvents();
  const bpftrace = findExecutable('bpftrace');
  if (!bpftrace)
    throw new UserError('bpftrace is not installed: install it (apt-get install bpftrace) or put it on PATH');
  const version = bpftraceVersion(bpftrace);
  return {
    bpftrace,
    version: version.join('.'),
    hostMountNamespace: hostMountNamespace(),
    tracepoints: new Set(
      readdirSync(join(events, 'syscalls'))
        .filter((n) => n.startsWith('sys_enter_'))
        .map((n) => n.slice('sys_enter_'.length)),
    ),
  };
}

/** The tracefs events directory, mounting tracefs when it is absent. */
function tracefsEvents(): string {
  for (const dir of TRACEFS) if (existsSync(join(dir, 'events', 'syscalls'))) return join(dir, 'events');
  try {
    execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS[0]!], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    throw new UserError(
      `tracefs is not mounted and could not be mounted: run 'mount -t tracefs nodev ${TRACEFS[0]}'`,
    );
  }
  const events = join(TRACEFS[0]!, 'events');
  if (!existsSync(join(events, 'syscalls')))
    throw new UserError(
      'the kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS): agent capture needs them',
    );
  return events;
}

function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** `bpftrace v0.17.0` → [0, 17, 0]; too old or unreadable is a UserError. */
function bpftraceVersion(bpftrace: string): number[] {
  let out: string;
  try {
    out = execFileSync(bpftrace, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  } catch (err) {
    throw new UserError(
      `${bpftrace} --version failed (${(err as Error).message.split('\n')[0]}): reinstall bpftrace`,
    );
  }
  const version = parseBpftraceVersion(out);
  if (!version) throw new UserError(`cannot read the bpftrace version from '${out.trim()}'`);
  const [major, minor] = version;
  if (major! < MIN_BPFTRACE[0] || (major === MIN_BPFTRACE[0] && minor! < MIN_BPFTRACE[1]))
    throw new UserError(
      `bpftrace ${version.join('.')} is too old: Ringfence needs ${MIN_BPFTRACE.join('.')} or newer`,
    );
  return version;
}

export function parseBpftraceVersion(text: string): number[] | undefined {
  const m = /\bv?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/**
 * PID 1's mount namespace; when PID 1 holds capabilities the agent lacks (so the kernel
 * refuses to show its namespaces), the agent's own, which is the host's when it runs there.
 */
function hostMountNamespace(): number {
  try {
    return namespaceInode('/proc/1/ns/mnt');
  } catch {
    return namespaceInode('/proc/self/ns/mnt');
  }
}

/** `mnt:[4026531832]` → 4026531832. */
export function namespaceInode(link: string): number {
  const m = /\[(\d+)\]/.exec(readlinkSync(link));
  if (!m) throw new UserError(`cannot read the namespace of ${link}`);
  return Number(m[1]);
}
