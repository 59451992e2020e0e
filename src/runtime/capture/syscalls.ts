/**
 * The syscalls the agent can capture, as data: for each Falco event type, the tracepoint, the
 * arguments kept from entry to exit, the user-space strings printed beside the record, and
 * the numbers printed in it with the Falco argument names they become. The program generator
 * writes bpftrace from this table and the decoder reads records back with it, so the two
 * cannot disagree. Expressions name kept arguments as `{name}` and the result as `$ret`.
 */

/** How the socket an event concerns is described (see SOCKET_FIELDS). */
export type SocketSource =
  /** connect: the local end from the socket, the remote end from the address argument. */
  | 'connect'
  /** accept: both ends from the new socket (the result). */
  | 'accept'
  /** bind: the local end from the address argument. */
  | 'bind'
  /** listen: the local end from the socket. */
  | 'listen'
  /** dup: the descriptor duplicated (a socket or not). */
  | 'dup';

export interface SyscallSpec {
  /** The Falco event type. */
  type: string;
  /** The tracepoint pair syscalls:sys_enter_<syscall> / sys_exit_<syscall>. */
  syscall: string;
  /** Tracepoint fields kept from entry to exit (`{name}` in expressions). */
  saves: string[];
  /**
   * User-space strings, printed one per line before the record: the kept pointer, the Falco
   * name, and whether it is a file path (made absolute from the working directory, as Falco shows it).
   */
  strings: { arg: string; as: string; path: boolean }[];
  /** Numbers printed after the common header: the Falco argument name and the bpftrace expression. */
  numbers: { as: string; expr: string }[];
  /** The event concerns a socket or descriptor: SOCKET_FIELDS follow the numbers. */
  socket?: { source: SocketSource; fd: string; address?: string };
  /** An open: its flags (for access narrowing), the path argument (for path narrowing). */
  open?: { flags: string; path: string };
  /** The setuid family: the record's uid/gid are those the thread had when it made the call. */
  idsAtEntry?: boolean;
}

const path = (arg: string, as: string) => ({ arg, as, path: true });
const text = (arg: string, as: string) => ({ arg, as, path: false });
const num = (as: string, expr: string) => ({ as, expr });
/** A signed int argument (a descriptor, AT_FDCWD): kept arguments widen without sign, so narrow it back. */
const int = (as: string, arg: string) => num(as, `(int32){${arg}}`);

/** O_WRONLY|O_CREAT|O_TRUNC: what creat() opens with. */
const CREAT_FLAGS = 0x241;

/**
 * Numbers every record starts with: time (monotonic ns), thread, process, mount namespace,
 * uid, gid, result. Filled by the generator; decoded by position.
 */
export const HEADER_FIELDS = ['ts', 'tid', 'pid', 'mntns', 'uid', 'gid', 'res'] as const;

/** Numbers describing a socket: family (0 when the descriptor is no socket), protocol, file mode, ends. */
export const SOCKET_FIELDS = [
  'family',
  'protocol',
  'imode',
  'local0',
  'local1',
  'local2',
  'local3',
  'localPort',
  'remote0',
  'remote1',
  'remote2',
  'remote3',
  'remotePort',
] as const;

export const SYSCALLS: readonly SyscallSpec[] = [
  {
    type: 'open',
    syscall: 'open',
    saves: ['filename', 'flags', 'mode'],
    strings: [path('filename', 'name')],
    numbers: [num('flags', '{flags}'), num('mode', '{mode}'), num('dirfd', '-100')],
    open: { flags: '{flags}', path: 'filename' },
  },
  {
    type: 'openat',
    syscall: 'openat',
    saves: ['dfd', 'filename', 'flags', 'mode'],
    strings: [path('filename', 'name')],
    numbers: [num('flags', '{flags}'), num('mode', '{mode}'), int('dirfd', 'dfd')],
    open: { flags: '{flags}', path: 'filename' },
  },
  {
    type: 'openat2',
    syscall: 'openat2',
    saves: ['dfd', 'filename', 'how'],
    strings: [path('filename', 'name')],
    numbers: [
      num('flags', '((struct open_how *)uptr({how}))->flags'),
      num('mode', '((struct open_how *)uptr({how}))->mode'),
      int('dirfd', 'dfd'),
    ],
    open: { flags: '((struct open_how *)uptr({how}))->flags', path: 'filename' },
  },
  {
    type: 'creat',
    syscall: 'creat',
    saves: ['pathname', 'mode'],
    strings: [path('pathname', 'name')],
    numbers: [num('flags', String(CREAT_FLAGS)), num('mode', '{mode}'), num('dirfd', '-100')],
    open: { flags: String(CREAT_FLAGS), path: 'pathname' },
  },
  {
    type: 'unlink',
    syscall: 'unlink',
    saves: ['pathname'],
    strings: [path('pathname', 'path')],
    numbers: [],
  },
  {
    type: 'unlinkat',
    syscall: 'unlinkat',
    saves: ['dfd', 'pathname', 'flag'],
    strings: [path('pathname', 'name')],
    numbers: [int('dirfd', 'dfd'), num('flags', '{flag}')],
  },
  {
    type: 'rename',
    syscall: 'rename',
    saves: ['oldname', 'newname'],
    strings: [path('oldname', 'oldpath'), path('newname', 'newpath')],
    numbers: [],
  },
  {
    type: 'renameat',
    syscall: 'renameat',
    saves: ['olddfd', 'oldname', 'newdfd', 'newname'],
    strings: [path('oldname', 'oldpath'), path('newname', 'newpath')],
    numbers: [int('olddirfd', 'olddfd'), int('newdirfd', 'newdfd')],
  },
  {
    type: 'renameat2',
    syscall: 'renameat2',
    saves: ['olddfd', 'oldname', 'newdfd', 'newname', 'flags'],
    strings: [path('oldname', 'oldpath'), path('newname', 'newpath')],
    numbers: [int('olddirfd', 'olddfd'), int('newdirfd', 'newdfd'), num('flags', '{flags}')],
  },
  {
    type: 'link',
    syscall: 'link',
    saves: ['oldname', 'newname'],
    strings: [path('oldname', 'oldpath'), path('newname', 'newpath')],
    numbers: [],
  },
  {
    type: 'linkat',
    syscall: 'linkat',
    saves: ['olddfd', 'oldname', 'newdfd', 'newname', 'flags'],
    strings: [path('oldname', 'oldpath'), path('newname', 'newpath')],
    numbers: [int('olddir', 'olddfd'), int('newdir', 'newdfd'), num('flags', '{flags}')],
  },
  {
    type: 'symlink',
    syscall: 'symlink',
    saves: ['oldname', 'newname'],
    strings: [text('oldname', 'target'), path('newname', 'linkpath')],
    numbers: [],
  },
  {
    type: 'symlinkat',
    syscall: 'symlinkat',
    saves: ['oldname', 'newdfd', 'newname'],
    strings: [text('oldname', 'target'), path('newname', 'linkpath')],
    numbers: [int('linkdirfd', 'newdfd')],
  },
  {
    type: 'chmod',
    syscall: 'chmod',
    saves: ['filename', 'mode'],
    strings: [path('filename', 'filename')],
    numbers: [num('mode', '{mode}')],
  },
  {
    type: 'fchmodat',
    syscall: 'fchmodat',
    saves: ['dfd', 'filename', 'mode'],
    strings: [path('filename', 'filename')],
    numbers: [int('dirfd', 'dfd'), num('mode', '{mode}')],
  },
  {
    type: 'fchmod',
    syscall: 'fchmod',
    saves: ['fd', 'mode'],
    strings: [],
    numbers: [num('fd', '{fd}'), num('mode', '{mode}')],
  },
  {
    type: 'chdir',
    syscall: 'chdir',
    saves: ['filename'],
    strings: [path('filename', 'path')],
    numbers: [],
  },
  { type: 'fchdir', syscall: 'fchdir', saves: ['fd'], strings: [], numbers: [num('fd', '{fd}')] },
  {
    type: 'connect',
    syscall: 'connect',
    saves: ['fd', 'uservaddr'],
    strings: [],
    numbers: [int('fd', 'fd')],
    socket: { source: 'connect', fd: '{fd}', address: '{uservaddr}' },
  },
  {
    type: 'accept',
    syscall: 'accept',
    saves: ['fd'],
    strings: [],
    numbers: [],
    socket: { source: 'accept', fd: '$ret' },
  },
  {
    type: 'accept4',
    syscall: 'accept4',
    saves: ['fd', 'flags'],
    strings: [],
    numbers: [num('flags', '{flags}')],
    socket: { source: 'accept', fd: '$ret' },
  },
  {
    type: 'bind',
    syscall: 'bind',
    saves: ['fd', 'umyaddr'],
    strings: [],
    numbers: [int('fd', 'fd')],
    socket: { source: 'bind', fd: '{fd}', address: '{umyaddr}' },
  },
  {
    type: 'listen',
    syscall: 'listen',
    saves: ['fd', 'backlog'],
    strings: [],
    numbers: [int('fd', 'fd'), num('backlog', '{backlog}')],
    socket: { source: 'listen', fd: '{fd}' },
  },
  {
    type: 'socket',
    syscall: 'socket',
    saves: ['family', 'type', 'protocol'],
    strings: [],
    numbers: [num('domain', '{family}'), num('type', '{type}'), num('proto', '{protocol}')],
  },
  {
    type: 'dup',
    syscall: 'dup',
    saves: ['fildes'],
    strings: [],
    numbers: [num('fd', '{fildes}')],
    socket: { source: 'dup', fd: '{fildes}' },
  },
  {
    type: 'dup2',
    syscall: 'dup2',
    saves: ['oldfd', 'newfd'],
    strings: [],
    numbers: [num('oldfd', '{oldfd}'), num('newfd', '{newfd}')],
    socket: { source: 'dup', fd: '{oldfd}' },
  },
  {
    type: 'dup3',
    syscall: 'dup3',
    saves: ['oldfd', 'newfd', 'flags'],
    strings: [],
    numbers: [num('oldfd', '{oldfd}'), num('newfd', '{newfd}'), num('flags', '{flags}')],
    socket: { source: 'dup', fd: '{oldfd}' },
  },
  {
    type: 'setuid',
    syscall: 'setuid',
    saves: ['uid'],
    strings: [],
    numbers: [num('uid', '(int32){uid}')],
    idsAtEntry: true,
  },
  {
    type: 'setgid',
    syscall: 'setgid',
    saves: ['gid'],
    strings: [],
    numbers: [num('gid', '(int32){gid}')],
    idsAtEntry: true,
  },
  {
    type: 'setreuid',
    syscall: 'setreuid',
    saves: ['ruid', 'euid'],
    strings: [],
    numbers: [num('ruid', '(int32){ruid}'), num('euid', '(int32){euid}')],
    idsAtEntry: true,
  },
  {
    type: 'setregid',
    syscall: 'setregid',
    saves: ['rgid', 'egid'],
    strings: [],
    numbers: [num('rgid', '(int32){rgid}'), num('egid', '(int32){egid}')],
    idsAtEntry: true,
  },
  {
    type: 'setresuid',
    syscall: 'setresuid',
    saves: ['ruid', 'euid', 'suid'],
    strings: [],
    numbers: [num('ruid', '(int32){ruid}'), num('euid', '(int32){euid}'), num('suid', '(int32){suid}')],
    idsAtEntry: true,
  },
  {
    type: 'setresgid',
    syscall: 'setresgid',
    saves: ['rgid', 'egid', 'sgid'],
    strings: [],
    numbers: [num('rgid', '(int32){rgid}'), num('egid', '(int32){egid}'), num('sgid', '(int32){sgid}')],
    idsAtEntry: true,
  },
  {
    type: 'capset',
    syscall: 'capset',
    saves: ['data'],
    strings: [],
    numbers: [
      num('cap_effective', '((struct __user_cap_data_struct *)uptr({data}))->effective'),
      num('cap_effective_hi', '((struct __user_cap_data_struct *)uptr({data}) + 1)->effective'),
      num('cap_permitted', '((struct __user_cap_data_struct *)uptr({data}))->permitted'),
      num('cap_permitted_hi', '((struct __user_cap_data_struct *)uptr({data}) + 1)->permitted'),
      num('cap_inheritable', '((struct __user_cap_data_struct *)uptr({data}))->inheritable'),
      num('cap_inheritable_hi', '((struct __user_cap_data_struct *)uptr({data}) + 1)->inheritable'),
    ],
  },
  {
    type: 'ptrace',
    syscall: 'ptrace',
    saves: ['request', 'pid'],
    strings: [],
    numbers: [num('request', '{request}'), num('pid', '{pid}')],
  },
  {
    type: 'mount',
    syscall: 'mount',
    saves: ['dev_name', 'dir_name', 'type', 'flags'],
    strings: [text('dev_name', 'dev'), path('dir_name', 'dir'), text('type', 'type')],
    numbers: [num('flags', '{flags}')],
  },
  {
    type: 'umount2',
    syscall: 'umount',
    saves: ['name', 'flags'],
    strings: [path('name', 'name')],
    numbers: [num('flags', '{flags}')],
  },
  {
    type: 'fsmount',
    syscall: 'fsmount',
    saves: ['fs_fd', 'flags', 'attr_flags'],
    strings: [],
    numbers: [int('fd', 'fs_fd'), num('flags', '{flags}'), num('attr_flags', '{attr_flags}')],
  },
  {
    type: 'move_mount',
    syscall: 'move_mount',
    saves: ['from_dfd', 'from_pathname', 'to_dfd', 'to_pathname', 'flags'],
    strings: [path('from_pathname', 'frompath'), path('to_pathname', 'topath')],
    numbers: [int('fromdirfd', 'from_dfd'), int('todirfd', 'to_dfd'), num('flags', '{flags}')],
  },
  {
    type: 'init_module',
    syscall: 'init_module',
    saves: ['len'],
    strings: [],
    numbers: [num('length', '{len}')],
  },
  {
    type: 'finit_module',
    syscall: 'finit_module',
    saves: ['fd', 'flags'],
    strings: [],
    numbers: [num('fd', '{fd}'), num('flags', '{flags}')],
  },
  { type: 'bpf', syscall: 'bpf', saves: ['cmd'], strings: [], numbers: [num('cmd', '{cmd}')] },
  {
    type: 'memfd_create',
    syscall: 'memfd_create',
    saves: ['uname', 'flags'],
    strings: [text('uname', 'name')],
    numbers: [num('flags', '{flags}')],
  },
  {
    type: 'setns',
    syscall: 'setns',
    saves: ['fd', 'flags'],
    strings: [],
    numbers: [int('fd', 'fd'), num('nstype', '{flags}')],
  },
  {
    type: 'unshare',
    syscall: 'unshare',
    saves: ['unshare_flags'],
    strings: [],
    numbers: [num('flags', '{unshare_flags}')],
  },
];

/**
 * Event types the process tree itself needs (captured whatever the rules say): program
 * starts, new processes, exits and working-directory changes.
 */
export const PROCESS_TYPES = ['execve', 'execveat', 'clone', 'procexit', 'chdir', 'fchdir'] as const;

/** Types produced by scheduler tracepoints rather than the table above. */
export const SCHEDULER_TYPES = ['execve', 'execveat', 'clone', 'procexit'] as const;

export const SYSCALLS_BY_TYPE: ReadonlyMap<string, SyscallSpec> = new Map(SYSCALLS.map((s) => [s.type, s]));
