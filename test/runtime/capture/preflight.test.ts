import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { namespaceInode, parseBpftraceVersion, preflight } from '../../../src/runtime/capture/preflight.js';
import { needs } from '../../helpers/components.js';

describe('parseBpftraceVersion', () => {
  it('reads the versions bpftrace prints', () => {
    expect(parseBpftraceVersion('bpftrace v0.17.0\n')).toEqual([0, 17, 0]);
    expect(parseBpftraceVersion('bpftrace v0.21.2-1ubuntu1')).toEqual([0, 21, 2]);
    expect(parseBpftraceVersion('bpftrace 0.9')).toEqual([0, 9, 0]);
    expect(parseBpftraceVersion('bpftrace v0.20.0-dirty (llvm 17)')).toEqual([0, 20, 0]);
    expect(parseBpftraceVersion('no version here')).toBeUndefined();
  });
});

describe('namespaceInode', () => {
  it('reads the inode of a namespace link', () => {
    const link = readlinkSync('/proc/self/ns/mnt');
    expect(namespaceInode('/proc/self/ns/mnt')).toBe(Number(/\[(\d+)\]/.exec(link)![1]));
    expect(() => namespaceInode('/proc/self/ns/no-such')).toThrow();
  });
});

describe.skipIf(needs('bpftrace'))('preflight on this host', () => {
  it('finds bpftrace, its version, the host mount namespace and the syscall tracepoints', () => {
    const host = preflight();
    expect(host.bpftrace).toMatch(/\/bpftrace$/);
    const [major, minor] = host.version.split('.').map(Number);
    expect(major! > 0 || minor! >= 17).toBe(true);
    // PID 1's namespace when readable, else ours (here the test runs in the host's).
    let expected: number;
    try {
      expected = namespaceInode('/proc/1/ns/mnt');
    } catch {
      expected = namespaceInode('/proc/self/ns/mnt');
    }
    expect(host.hostMountNamespace).toBe(expected);
    const events = readdirSync('/sys/kernel/tracing/events/syscalls').filter((n) =>
      n.startsWith('sys_enter_'),
    );
    expect(host.tracepoints.size).toBe(events.length);
    expect(host.tracepoints.has('openat')).toBe(true);
    expect(host.tracepoints.has('execve')).toBe(true);
  });
});
