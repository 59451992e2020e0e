import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
} from '../../../src/runtime/capture/flags.js';

/**
 * Expected renderings written from the kernel's own constants (include/uapi/asm-generic/fcntl.h,
 * linux/ptrace.h, linux/socket.h, linux/net.h, linux/sched.h, linux/mount.h, linux/memfd.h,
 * linux/capability.h), never from the module's tables.
 */

// asm-generic/fcntl.h (octal, as the header writes them)
const O = {
  O_WRONLY: 0o1,
  O_RDWR: 0o2,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000,
  O_DSYNC: 0o10000,
  O_ASYNC: 0o20000, // FASYNC
  O_DIRECT: 0o40000,
  O_LARGEFILE: 0o100000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  __O_SYNC: 0o4000000,
  O_PATH: 0o10000000,
  __O_TMPFILE: 0o20000000,
};
const O_SYNC = O.__O_SYNC | O.O_DSYNC;
const O_TMPFILE = O.__O_TMPFILE | O.O_DIRECTORY;

describe('openFlags', () => {
  it('renders the access mode first, then the other flags', () => {
    expect(openFlags(0)).toBe('O_RDONLY');
    expect(openFlags(O.O_WRONLY | O.O_CREAT)).toBe('O_WRONLY|O_CREAT');
    expect(openFlags(O.O_WRONLY | O.O_CREAT | O.O_TRUNC)).toBe('O_WRONLY|O_CREAT|O_TRUNC');
    expect(openFlags(O.O_CLOEXEC)).toBe('O_RDONLY|O_CLOEXEC');
    expect(openFlags(O.O_RDWR | O.O_APPEND | O.O_NONBLOCK)).toBe('O_RDWR|O_APPEND|O_NONBLOCK');
    expect(openFlags(O.O_DIRECTORY)).toBe('O_RDONLY|O_DIRECTORY');
    expect(openFlags(O.O_PATH | O.O_CLOEXEC)).toBe('O_RDONLY|O_CLOEXEC|O_PATH');
    expect(openFlags(O.O_WRONLY | O.O_CREAT | O.O_EXCL | O.O_NOFOLLOW)).toBe(
      'O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW',
    );
  });

  it('names the composite flags once, not as their parts', () => {
    // O_SYNC is __O_SYNC|O_DSYNC; O_TMPFILE is __O_TMPFILE|O_DIRECTORY.
    expect(openFlags(O_SYNC)).toBe('O_RDONLY|O_SYNC');
    expect(openFlags(O.O_DSYNC)).toBe('O_RDONLY|O_DSYNC');
    expect(openFlags(O_TMPFILE | O.O_RDWR)).toBe('O_RDWR|O_TMPFILE');
    expect(openFlags(O.O_DIRECTORY | O.O_RDWR)).toBe('O_RDWR|O_DIRECTORY');
  });

  it('keeps bits it has no name for, in hex, and the invalid access mode 3 as O_RDWR', () => {
    expect(openFlags(0x80000000 | O.O_WRONLY)).toBe('O_WRONLY|0x80000000');
    expect(openFlags(3)).toBe('O_RDWR');
  });

  it('every rendering names exactly the bits of the value (property)', () => {
    const names: Record<string, number> = {
      O_RDONLY: 0,
      O_WRONLY: O.O_WRONLY,
      O_RDWR: O.O_RDWR,
      O_SYNC,
      O_TMPFILE,
      ...Object.fromEntries(Object.entries(O).filter(([k]) => !k.startsWith('__'))),
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x3fffffff }), (flags) => {
        const parts = openFlags(flags).split('|');
        expect(['O_RDONLY', 'O_WRONLY', 'O_RDWR']).toContain(parts[0]);
        let value = 0;
        for (const p of parts) {
          const bits = p.startsWith('0x') ? Number.parseInt(p, 16) : names[p];
          expect(bits, p).toBeDefined();
          value |= bits!;
        }
        // Access mode 3 is shown as O_RDWR; everything else comes back exactly.
        expect(value).toBe((flags & 3) === 3 ? flags & ~1 : flags);
        expect(new Set(parts).size).toBe(parts.length);
      }),
    );
  });
});

describe('the other renderers', () => {
  it('ptrace requests (linux/ptrace.h)', () => {
    expect(ptraceRequest(0)).toBe('PTRACE_TRACEME');
    expect(ptraceRequest(5)).toBe('PTRACE_POKEDATA');
    expect(ptraceRequest(16)).toBe('PTRACE_ATTACH');
    expect(ptraceRequest(17)).toBe('PTRACE_DETACH');
    expect(ptraceRequest(0x4200)).toBe('PTRACE_SETOPTIONS');
    expect(ptraceRequest(0x4206)).toBe('PTRACE_SEIZE');
    expect(ptraceRequest(0x4204)).toBe('PTRACE_GETREGSET');
    expect(ptraceRequest(999)).toBe('999');
  });

  it('socket domains and types (linux/socket.h, linux/net.h)', () => {
    expect(socketDomain(1)).toBe('AF_UNIX');
    expect(socketDomain(2)).toBe('AF_INET');
    expect(socketDomain(10)).toBe('AF_INET6');
    expect(socketDomain(16)).toBe('AF_NETLINK');
    expect(socketDomain(17)).toBe('AF_PACKET');
    expect(socketDomain(99)).toBe('99');
    // SOCK_NONBLOCK = O_NONBLOCK, SOCK_CLOEXEC = O_CLOEXEC
    expect(socketType(1)).toBe('SOCK_STREAM');
    expect(socketType(2 | O.O_CLOEXEC)).toBe('SOCK_DGRAM|SOCK_CLOEXEC');
    expect(socketType(3 | O.O_NONBLOCK | O.O_CLOEXEC)).toBe('SOCK_RAW|SOCK_NONBLOCK|SOCK_CLOEXEC');
    expect(socketType(5)).toBe('SOCK_SEQPACKET');
  });

  it('namespace flags (linux/sched.h)', () => {
    expect(namespaceFlags(0)).toBe('0');
    expect(namespaceFlags(0x00020000)).toBe('CLONE_NEWNS');
    expect(namespaceFlags(0x00020000 | 0x20000000 | 0x40000000)).toBe(
      'CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWNET',
    );
    expect(namespaceFlags(0x10000000)).toBe('CLONE_NEWUSER');
    expect(namespaceFlags(0x00000080)).toBe('CLONE_NEWTIME');
    expect(namespaceFlags(0x02000000 | 0x04000000 | 0x08000000)).toBe(
      'CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC',
    );
  });

  it('mount flags (linux/mount.h), with the old magic number in the upper half ignored', () => {
    expect(mountFlags(0)).toBe('0');
    expect(mountFlags(1 | 2 | 4 | 8)).toBe('MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC');
    expect(mountFlags(4096 | 16384)).toBe('MS_BIND|MS_REC');
    expect(mountFlags(32 | 4096 | 1)).toBe('MS_RDONLY|MS_REMOUNT|MS_BIND');
    expect(mountFlags((1 << 18) | 16384)).toBe('MS_REC|MS_PRIVATE');
    // MS_MGC_VAL 0xC0ED0000: what old programs put in the upper 16 bits.
    expect(mountFlags(0xc0ed0000 | 1)).toBe('MS_RDONLY');
    expect(mountFlags(0xc0ed0000)).toBe('0');
  });

  it('memfd flags (linux/memfd.h) and unlinkat flags (AT_REMOVEDIR)', () => {
    expect(memfdFlags(0)).toBe('0');
    expect(memfdFlags(1 | 2)).toBe('MFD_CLOEXEC|MFD_ALLOW_SEALING');
    expect(memfdFlags(0x10)).toBe('MFD_EXEC');
    expect(unlinkatFlags(0x200)).toBe('AT_REMOVEDIR');
    expect(unlinkatFlags(0)).toBe('0');
  });

  it('capability sets from two 32-bit words (linux/capability.h numbering)', () => {
    expect(capabilities(0, 0)).toBe('');
    expect(capabilities(1 << 21, 0)).toBe('CAP_SYS_ADMIN');
    expect(capabilities((1 << 0) | (1 << 7) | (1 << 19), 0)).toBe('CAP_CHOWN CAP_SETUID CAP_SYS_PTRACE');
    // CAP_BPF is 39, CAP_CHECKPOINT_RESTORE 40: bits 7 and 8 of the high word.
    expect(capabilities(0, (1 << 7) | (1 << 8))).toBe('CAP_BPF CAP_CHECKPOINT_RESTORE');
    expect(capabilities(0x80000000, 0)).toBe('CAP_SETFCAP');
    expect(capabilities(1 << 30, 0)).toBe('CAP_AUDIT_CONTROL');
    expect(capabilities(0xffffffff, 0x1ff).split(' ')).toHaveLength(41);
  });
});
