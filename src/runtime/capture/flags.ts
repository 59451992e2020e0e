/**
 * Syscall arguments rendered as Falco renders them (`O_RDONLY|O_CLOEXEC`, `PTRACE_ATTACH`,
 * `AF_INET`), from the numbers the kernel passed (x86_64 and arm64 share these values).
 */

type Bits = readonly (readonly [number, string])[];

function joinBits(value: number, bits: Bits): string[] {
  const names: string[] = [];
  let rest = value;
  for (const [bit, name] of bits) {
    if ((rest & bit) === bit && bit !== 0) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names;
}

const OPEN_BITS: Bits = [
  [0o100, 'O_CREAT'],
  [0o200, 'O_EXCL'],
  [0o400, 'O_NOCTTY'],
  [0o1000, 'O_TRUNC'],
  [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'],
  [0o4010000, 'O_SYNC'],
  [0o10000, 'O_DSYNC'],
  [0o20000, 'O_ASYNC'],
  [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'],
  [0o20200000, 'O_TMPFILE'],
  [0o200000, 'O_DIRECTORY'],
  [0o400000, 'O_NOFOLLOW'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
];

const ACCESS = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_RDWR'];

/** `O_WRONLY|O_CREAT|O_TRUNC`: the access mode first, then the other flags. */
export function openFlags(flags: number): string {
  return [ACCESS[flags & 3]!, ...joinBits(flags & ~3, OPEN_BITS)].join('|');
}

const PTRACE: Record<number, string> = {
  0: 'PTRACE_TRACEME',
  1: 'PTRACE_PEEKTEXT',
  2: 'PTRACE_PEEKDATA',
  3: 'PTRACE_PEEKUSR',
  4: 'PTRACE_POKETEXT',
  5: 'PTRACE_POKEDATA',
  6: 'PTRACE_POKEUSR',
  7: 'PTRACE_CONT',
  8: 'PTRACE_KILL',
  9: 'PTRACE_SINGLESTEP',
  12: 'PTRACE_GETREGS',
  13: 'PTRACE_SETREGS',
  14: 'PTRACE_GETFPREGS',
  15: 'PTRACE_SETFPREGS',
  16: 'PTRACE_ATTACH',
  17: 'PTRACE_DETACH',
  24: 'PTRACE_SYSCALL',
  16896: 'PTRACE_SETOPTIONS',
  16897: 'PTRACE_GETEVENTMSG',
  16898: 'PTRACE_GETSIGINFO',
  16899: 'PTRACE_SETSIGINFO',
  16900: 'PTRACE_GETREGSET',
  16901: 'PTRACE_SETREGSET',
  16902: 'PTRACE_SEIZE',
  16903: 'PTRACE_INTERRUPT',
  16904: 'PTRACE_LISTEN',
};

export function ptraceRequest(request: number): string {
  return PTRACE[request] ?? String(request);
}

const DOMAINS: Record<number, string> = {
  0: 'AF_UNSPEC',
  1: 'AF_UNIX',
  2: 'AF_INET',
  10: 'AF_INET6',
  16: 'AF_NETLINK',
  17: 'AF_PACKET',
  38: 'AF_ALG',
  40: 'AF_VSOCK',
  44: 'AF_XDP',
};

export function socketDomain(domain: number): string {
  return DOMAINS[domain] ?? String(domain);
}

const SOCKET_TYPES: Record<number, string> = {
  1: 'SOCK_STREAM',
  2: 'SOCK_DGRAM',
  3: 'SOCK_RAW',
  4: 'SOCK_RDM',
  5: 'SOCK_SEQPACKET',
  6: 'SOCK_DCCP',
  10: 'SOCK_PACKET',
};

export function socketType(type: number): string {
  const names = [SOCKET_TYPES[type & 0xf] ?? String(type & 0xf)];
  if (type & 0o4000) names.push('SOCK_NONBLOCK');
  if (type & 0o2000000) names.push('SOCK_CLOEXEC');
  return names.join('|');
}

const NAMESPACE_BITS: Bits = [
  [0x00020000, 'CLONE_NEWNS'],
  [0x02000000, 'CLONE_NEWCGROUP'],
  [0x04000000, 'CLONE_NEWUTS'],
  [0x08000000, 'CLONE_NEWIPC'],
  [0x10000000, 'CLONE_NEWUSER'],
  [0x20000000, 'CLONE_NEWPID'],
  [0x40000000, 'CLONE_NEWNET'],
  [0x00000080, 'CLONE_NEWTIME'],
  [0x00000200, 'CLONE_FS'],
  [0x00000400, 'CLONE_FILES'],
  [0x00040000, 'CLONE_SYSVSEM'],
];

/** unshare() flags and setns() namespace types: `CLONE_NEWNS|CLONE_NEWPID`. */
export function namespaceFlags(flags: number): string {
  return flags === 0 ? '0' : joinBits(flags, NAMESPACE_BITS).join('|');
}

const MOUNT_BITS: Bits = [
  [1, 'MS_RDONLY'],
  [2, 'MS_NOSUID'],
  [4, 'MS_NODEV'],
  [8, 'MS_NOEXEC'],
  [16, 'MS_SYNCHRONOUS'],
  [32, 'MS_REMOUNT'],
  [64, 'MS_MANDLOCK'],
  [128, 'MS_DIRSYNC'],
  [1024, 'MS_NOATIME'],
  [2048, 'MS_NODIRATIME'],
  [4096, 'MS_BIND'],
  [8192, 'MS_MOVE'],
  [16384, 'MS_REC'],
  [32768, 'MS_SILENT'],
  [1 << 17, 'MS_UNBINDABLE'],
  [1 << 18, 'MS_PRIVATE'],
  [1 << 19, 'MS_SLAVE'],
  [1 << 20, 'MS_SHARED'],
  [1 << 21, 'MS_RELATIME'],
  [1 << 24, 'MS_STRICTATIME'],
  [1 << 25, 'MS_LAZYTIME'],
];

export function mountFlags(flags: number): string {
  // The upper 16 bits may hold the old magic 0xC0ED.
  const f = (flags & 0xffff0000) >>> 0 === 0xc0ed0000 ? flags & 0xffff : flags;
  return f === 0 ? '0' : joinBits(f, MOUNT_BITS).join('|');
}

const MEMFD_BITS: Bits = [
  [1, 'MFD_CLOEXEC'],
  [2, 'MFD_ALLOW_SEALING'],
  [4, 'MFD_HUGETLB'],
  [8, 'MFD_NOEXEC_SEAL'],
  [16, 'MFD_EXEC'],
];

export function memfdFlags(flags: number): string {
  return flags === 0 ? '0' : joinBits(flags, MEMFD_BITS).join('|');
}

export function unlinkatFlags(flags: number): string {
  return flags === 0x200 ? 'AT_REMOVEDIR' : String(flags);
}

const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** A capability set from its low and high 32-bit words, space-separated as Falco prints it. */
export function capabilities(low: number, high: number): string {
  const names: string[] = [];
  for (let i = 0; i < CAPABILITIES.length; i++) {
    const word = i < 32 ? low : high;
    if ((word >>> (i % 32)) & 1) names.push(CAPABILITIES[i]!);
  }
  return names.join(' ');
}
