import { type Atom, type Formula, simplify, usesPath } from './narrow.js';
import { SCHEDULER_TYPES, SOCKET_FIELDS, type SocketSource, SYSCALLS, type SyscallSpec } from './syscalls.js';

/**
 * Generates the bpftrace program for a set of event types. Every record is one line:
 * `TOKEN` + a one-character code + space-separated numbers (HEADER_FIELDS, then the type's
 * own); each user-space string goes on its own line before its record, as `TOKEN+tid text`.
 * TOKEN is random per program, so text a process controls (a file name with a newline in it)
 * can never pass for a record. Strings are read with bpftrace's limit of 199 bytes.
 *
 * Kernel narrowing (see narrow.ts) runs in the exit probes: one small program per `contains`
 * test (strcontains needs a stack of its own), then one that decides from the path, the
 * result and the flags, then the one that prints. Programs on one tracepoint run in the order
 * they are attached, which is the order bpftrace reads them in.
 */

/** bpftrace cannot hold longer strings on its 512-byte stack. */
export const STRING_BYTES = 200;
/** Command lines are read in chunks of STRING_BYTES, at most this many. */
export const ARG_CHUNKS = 5;

export const CODE = { exec: 'X', fork: 'F', exit: 'Q', part: '+', ready: 'R' } as const;
const SYSCALL_CODE_POOL = 'abcdefghijklmnopqrstuvwxyzABCDEGHIJKLMNOPSTUVWYZ0123456789';

/** The record code of each syscall in the table. */
export const SYSCALL_CODES: ReadonlyMap<string, SyscallSpec> = new Map(
  SYSCALLS.map((s, i) => [SYSCALL_CODE_POOL[i]!, s]),
);
const CODE_OF = new Map([...SYSCALL_CODES].map(([code, s]) => [s.type, code]));

export interface ProgramOptions {
  /** Random, [A-Za-z0-9]{8,}: starts every line the program prints. */
  token: string;
  /** Syscall event types to capture (the scheduler ones are always in). */
  types: readonly string[];
  /** Per type, what an event must satisfy to be printed (absent: everything). */
  filters: ReadonlyMap<string, Formula>;
  /** Only processes outside this mount namespace (the host's); undefined captures the host too. */
  hostMountNamespace?: number;
  /** Never capture this process (the agent itself, when the host is captured). */
  excludePid?: number;
  /** syscalls:sys_enter_* tracepoints this kernel has (by syscall name). */
  tracepoints: ReadonlySet<string>;
  /**
   * Probes stay silent until the controller opens the gate (see gateProbe), so a standby
   * copy can be attached in advance and take over at once when the running one dies.
   */
  gate?: { controllerPid: number };
}

export interface Program {
  text: string;
  /** Types that have probes. */
  captured: string[];
  /** Types asked for that this kernel or Ringfence cannot capture. */
  unavailable: string[];
}

const MNTNS = 'curtask->nsproxy->mnt_ns->ns.inum';
const EUID = 'curtask->cred->euid.val';
const EGID = 'curtask->cred->egid.val';

export function generateProgram(o: ProgramOptions): Program {
  if (!/^[A-Za-z0-9]{8,}$/.test(o.token)) throw new Error('program token must be 8+ letters or digits');
  const scope = scopePredicate(o);
  const lines: string[] = [
    `BEGIN { printf("${o.token}${CODE.ready}\\n"); }`,
    ...(o.gate ? [gateProbe(o.gate.controllerPid)] : []),
    ...processProbes(o.token, scope),
  ];
  const captured: string[] = [...SCHEDULER_TYPES];
  const unavailable: string[] = [];
  for (const type of [...new Set(o.types)].sort()) {
    if ((SCHEDULER_TYPES as readonly string[]).includes(type)) continue;
    const code = CODE_OF.get(type);
    const spec = code === undefined ? undefined : SYSCALL_CODES.get(code);
    if (!spec || !code || !o.tracepoints.has(spec.syscall)) {
      unavailable.push(type);
      continue;
    }
    const filter = simplify(o.filters.get(type) ?? true);
    if (filter === false) continue;
    lines.push(...syscallProbes(o.token, code, spec, filter, scope));
    captured.push(type);
  }
  return { text: `${lines.join('\n')}\n`, captured, unavailable };
}

/**
 * Opens the gate: the controller calls kill(KEY, 0) with KEY, the program's first positional
 * parameter, a number above any pid (the call fails with ESRCH, but the tracepoint sees it).
 */
function gateProbe(controllerPid: number): string {
  return `tracepoint:syscalls:sys_enter_kill /pid == ${controllerPid} && args->sig == 0 && args->pid == $1/ { @open = 1; }`;
}

/** pid_max is at most 2^22: keys above it name no process. */
export const GATE_KEY_BASE = 4_194_305;

function scopePredicate(o: ProgramOptions): string {
  // The gate first: a standby's probes return after one map lookup.
  const parts: string[] = o.gate ? ['@open == 1'] : [];
  if (o.hostMountNamespace !== undefined) parts.push(`${MNTNS} != ${o.hostMountNamespace}`);
  if (o.excludePid !== undefined) parts.push(`pid != ${o.excludePid}`);
  return parts.join(' && ');
}

const when = (...conds: string[]) => {
  const c = conds.filter((x) => x.length > 0);
  return c.length ? ` /${c.join(' && ')}/` : '';
};

const header = (token: string, code: string, extraFormats: string, uid = EUID, gid = EGID, res = '0') =>
  `printf("${token}${code} %llu %d %d %u %u %u %lld${extraFormats}\\n", nsecs, tid, pid, ${MNTNS}, ${uid}, ${gid}, ${res}`;

const part = (token: string, value: string) => `printf("${token}${CODE.part}%d %s\\n", tid, ${value});`;

/** Program starts (with their command lines), new processes and exits. */
function processProbes(token: string, scope: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < ARG_CHUNKS; i++) {
    const start = i * STRING_BYTES;
    const read = `buf(uptr($n >= ${start + STRING_BYTES} ? $a + ${start} : $e - ${STRING_BYTES}), ${STRING_BYTES})`;
    const print = `printf("${token}${CODE.part}%d %r\\n", tid, ${read});`;
    chunks.push(i === 0 ? `  ${print}` : `  if ($n > ${start}) { ${print} }`);
  }
  return [
    `tracepoint:syscalls:sys_enter_execveat${when(scope)} { @xat[tid] = 1; }`,
    'tracepoint:syscalls:sys_exit_execveat { delete(@xat[tid]); }',
    `tracepoint:sched:sched_process_exec${when(scope)} {`,
    '  $t = curtask;',
    '  $mm = $t->mm;',
    '  $in = (struct inode *)$mm->exe_file->f_inode;',
    '  $a = $mm->arg_start;',
    '  $e = $mm->arg_end;',
    '  $n = $e - $a;',
    ...chunks,
    `  ${part(token, '$t->comm')}`,
    `  ${part(token, '$t->real_parent->comm')}`,
    `  ${part(token, 'str(args->filename)')}`,
    '  $deleted = $in->i_nlink == 0;',
    `  if ($deleted) { ${part(token, 'str($mm->exe_file->f_path.dentry->d_name.name)')} }`,
    '  $tty = $t->signal->tty;',
    '  $xat = @xat[tid];',
    '  delete(@xat[tid]);',
    `  ${header(token, CODE.exec, ' %d %lld %llu %llu %u %u %u %d %llu %d %d')},`,
    '    $t->real_parent->tgid, $n, $in->i_ino, $in->i_ctime_sec, $in->i_ctime_nsec & 0x3fffffff,',
    '    $tty != 0 ? ($tty->driver->major << 8) + $tty->driver->minor_start + $tty->index : 0,',
    '    $t->loginuid.val, ((struct upid *)($t->thread_pid + 1) + $t->thread_pid->level)->nr, cgroup,',
    '    $deleted, $xat);',
    '}',
    'tracepoint:syscalls:sys_exit_clone,tracepoint:syscalls:sys_exit_clone3,' +
      `tracepoint:syscalls:sys_exit_fork,tracepoint:syscalls:sys_exit_vfork${when('args->ret == 0', 'pid == tid', scope)} {`,
    `  ${part(token, 'curtask->comm')}`,
    `  ${header(token, CODE.fork, ' %d')}, curtask->real_parent->tgid);`,
    '}',
    `tracepoint:sched:sched_process_exit${when('pid == tid', scope)} {`,
    `  ${header(token, CODE.exit, '', EUID, EGID, 'curtask->exit_code')});`,
    '}',
  ];
}

/** Kept arguments by name → `$v.N` (slot 0 holds the entry time). */
function argumentSlots(spec: SyscallSpec): Map<string, string> {
  const slots = new Map<string, string>();
  for (const [i, a] of spec.saves.entries()) slots.set(a, `$v.${i + 1}`);
  return slots;
}

function substitute(expr: string, slots: Map<string, string>): string {
  return expr.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const slot = slots.get(name);
    if (!slot) throw new Error(`argument ${name} is not kept`);
    return slot;
  });
}

const be16 = (x: string) => `((((${x}) & 0xff) << 8) | (((${x}) >> 8) & 0xff))`;

/** The statements that set `$fam`, `$proto`, `$imode` and the ends' words and ports. */
function socketPrelude(spec: SyscallSpec, slots: Map<string, string>): string[] {
  const socket = spec.socket!;
  const sk = '$sk->__sk_common';
  const localFromSocket = [
    `$l0 = $fam == 10 ? ${sk}.skc_v6_rcv_saddr.in6_u.u6_addr32[0] : ${sk}.skc_rcv_saddr;`,
    `$l1 = $fam == 10 ? ${sk}.skc_v6_rcv_saddr.in6_u.u6_addr32[1] : 0;`,
    `$l2 = $fam == 10 ? ${sk}.skc_v6_rcv_saddr.in6_u.u6_addr32[2] : 0;`,
    `$l3 = $fam == 10 ? ${sk}.skc_v6_rcv_saddr.in6_u.u6_addr32[3] : 0;`,
    `$lp = ${sk}.skc_num;`,
  ];
  const remoteFromSocket = [
    `$r0 = $fam == 10 ? ${sk}.skc_v6_daddr.in6_u.u6_addr32[0] : ${sk}.skc_daddr;`,
    `$r1 = $fam == 10 ? ${sk}.skc_v6_daddr.in6_u.u6_addr32[1] : 0;`,
    `$r2 = $fam == 10 ? ${sk}.skc_v6_daddr.in6_u.u6_addr32[2] : 0;`,
    `$r3 = $fam == 10 ? ${sk}.skc_v6_daddr.in6_u.u6_addr32[3] : 0;`,
    `$rp = ${be16(`${sk}.skc_dport`)};`,
  ];
  const fromAddress = (end: 'l' | 'r') => {
    const sa = '$sa';
    return [
      `${sa} = uptr(${substitute(socket.address!, slots)});`,
      `$${end}0 = $fam == 10 ? ((struct sockaddr_in6 *)${sa})->sin6_addr.in6_u.u6_addr32[0] : ((struct sockaddr_in *)${sa})->sin_addr.s_addr;`,
      `$${end}1 = $fam == 10 ? ((struct sockaddr_in6 *)${sa})->sin6_addr.in6_u.u6_addr32[1] : 0;`,
      `$${end}2 = $fam == 10 ? ((struct sockaddr_in6 *)${sa})->sin6_addr.in6_u.u6_addr32[2] : 0;`,
      `$${end}3 = $fam == 10 ? ((struct sockaddr_in6 *)${sa})->sin6_addr.in6_u.u6_addr32[3] : 0;`,
      `$${end}p = ${be16(`((struct sockaddr_in *)${sa})->sin_port`)};`,
    ];
  };
  const zero = (end: 'l' | 'r') => [0, 1, 2, 3].map((i) => `$${end}${i} = 0;`).concat(`$${end}p = 0;`);
  const ends: Record<SocketSource, () => string[]> = {
    connect: () => [...localFromSocket, ...fromAddress('r')],
    accept: () => [...localFromSocket, ...remoteFromSocket],
    dup: () => [...localFromSocket, ...remoteFromSocket],
    bind: () => [...fromAddress('l'), ...zero('r')],
    listen: () => [...localFromSocket, ...zero('r')],
  };
  return [
    ...socketFamily(spec, slots),
    '$proto = $fam != 0 ? $sk->sk_protocol : 0;',
    ...ends[socket.source](),
  ];
}

/** The statements that find the event's descriptor and set `$sk`, `$imode` and `$fam` (0: no socket). */
function socketFamily(spec: SyscallSpec, slots: Map<string, string>): string[] {
  return [
    `$sfd = ${substitute(spec.socket!.fd, slots)};`,
    '$file = (struct file *)*(curtask->files->fdt->fd + $sfd);',
    '$imode = $sfd >= 0 ? ((struct inode *)$file->f_inode)->i_mode : 0;',
    '$sk = ((struct socket *)$file->private_data)->sk;',
    '$fam = ($imode & 0xf000) == 0xc000 ? $sk->__sk_common.skc_family : 0;',
  ];
}

const SOCKET_VALUES = '$fam, $proto, $imode, $l0, $l1, $l2, $l3, $lp, $r0, $r1, $r2, $r3, $rp';

/** Entry probe, narrowing programs and the printing exit probe of one syscall. */
function syscallProbes(
  token: string,
  code: string,
  spec: SyscallSpec,
  filter: Formula,
  scope: string,
): string[] {
  const s = spec.syscall;
  const slots = argumentSlots(spec);
  const saved = `@e_${s}[tid]`;
  // Kernel structure reads go through variables: inside a tuple, bpftrace 0.17 takes seconds
  // to compile each one.
  const entryIds = spec.idsAtEntry ? `$euid = ${EUID}; $egid = ${EGID}; ` : '';
  const kept = [
    'nsecs',
    ...spec.saves.map((a) => `args->${a}`),
    ...(spec.idsAtEntry ? ['$euid', '$egid'] : []),
  ];
  const out = [
    `tracepoint:syscalls:sys_enter_${s}${when(scope)} { ${entryIds}${saved} = (${kept.join(', ')}); }`,
  ];
  const exit = `tracepoint:syscalls:sys_exit_${s} /${saved}.0/`;
  const flags = spec.open ? substitute(spec.open.flags, slots) : '0';

  const byPath = spec.open !== undefined && usesPath(filter);
  const keep = byPath ? '$keep' : bpftraceCondition(filter, { flags, contains: new Map() });
  if (byPath) {
    const pathIndex = spec.saves.indexOf(spec.open!.path) + 1;
    out.push(...pathProgram(exit, saved, `${s}[tid]`, pathIndex, flags, filter));
  }

  const body: string[] = [`  $v = ${saved};`, `  delete(${saved});`, '  $ret = args->ret;'];
  if (byPath) body.push(`  $keep = @k_${s}[tid] == $v.0;`, `  delete(@k_${s}[tid]);`);
  const print: string[] = spec.strings.map(
    (str) => `    ${part(token, `str(uptr(${slots.get(str.arg)!}))`)}`,
  );
  let formats = spec.numbers.map(() => ' %lld').join('');
  let values = spec.numbers.map((n) => substitute(n.expr, slots));
  if (spec.socket) {
    if (spec.socket.address) {
      // A unix socket's path, from a program of its own (a string and the ends do not fit
      // on one stack), deciding as the printing program does.
      const address = `str(uptr(${substitute(spec.socket.address, slots)} + 2))`;
      out.push(
        `${exit} {`,
        `  $v = ${saved};`,
        '  $ret = args->ret;',
        ...socketFamily(spec, slots).map((l) => `  ${l}`),
        `  if ($fam == 1 && ${keep}) { ${part(token, address)} }`,
        '}',
      );
    }
    // Read before the decision: the filter may test the family.
    body.push(...socketPrelude(spec, slots).map((l) => `  ${l}`));
    formats += SOCKET_FIELDS.map(() => ' %lld').join('');
    values = [...values, SOCKET_VALUES];
  }
  const ids = spec.idsAtEntry ? [`$v.${spec.saves.length + 1}`, `$v.${spec.saves.length + 2}`] : [EUID, EGID];
  print.push(
    `    ${header(token, code, formats, ids[0], ids[1], '$ret')}${values.map((v) => `, ${v}`).join('')});`,
  );
  out.push(`${exit} {`, ...body, `  if (${keep}) {`, ...print, '  }', '}');
  return out;
}

/** `contains` literals searched by one program: more spill the loop's values past the 512-byte stack. */
const CONTAINS_PER_PROGRAM = 4;

/**
 * The programs that decide from the path, reading it as 8-byte words (never a string: string
 * comparisons in bpftrace cost a stack buffer each and a verifier pass per character). Reads
 * are aligned, so a word that holds part of the path never crosses into an unmapped page.
 * Each pass over the words finds the end of the path; the `contains` literals (by their first
 * 8 bytes, see limitContains) are looked for by programs of their own, a few each, which
 * leave their bits in `@c_<syscall>[tid]`; the last pass finds `/.` or `//` anywhere (the
 * path is not clean: the comparisons then do not apply as written, so it is kept), and then
 * decides. Paths equal to or starting with a literal compare the first words, shifted to the
 * path's start, read after the loop so that they do not stay live through it.
 */
function pathProgram(
  exit: string,
  saved: string,
  key: string,
  pathIndex: number,
  flags: string,
  filter: Formula,
): string[] {
  const contains = new Map<string, number>();
  const narrowed = coarsen(limitContains(filter, contains), true);
  const words = Math.max(1, ...literalsOf(narrowed).map((l) => Math.ceil((l.length + 1) / 8)));
  // Per-byte flags, without a branch anywhere in the loop (a branch there multiplies the
  // states the verifier walks): the high bit of each byte of `$y` is clear where the byte
  // equals the one sought, so `~($y | LOW)` flags exactly those bytes.
  const equalBytes = (out: string, byte: number) =>
    `$t = $cur ^ (0x0101010101010101 * ${byte}); $y = (($t & ${LOW}) + ${LOW}) | $t; ${out} = ~($y | ${LOW}) & $valid;`;
  const nonZero = (x: string) => `((((${x}) | (~(${x}) + 1)) >> 63) & 1)`;
  const candidates = (literals: [string, number][]) =>
    literals.flatMap(([literal, bit]) => {
      const { value, mask } = literalWord(literal.slice(0, 8));
      return [0, 1, 2, 3, 4, 5, 6, 7].map((shift) => {
        const window = shift === 0 ? '$prev' : `(($prev >> ${shift * 8}) | ($cur << ${64 - shift * 8}))`;
        return `    $c = $c | (((1 - ${nonZero(`(${window} & ${mask}) ^ ${value}`)}) & ($wm >> ${shift})) << ${bit});`;
      });
    });
  /** One pass over the path's words, up to its end: for `literals`, or (`clean`) for `/.` and `//`. */
  const scan = (clean: boolean, literals: [string, number][]) => [
    `  $p = (uint64)$v.${pathIndex};`,
    '  $o = $p & 7;',
    '  $base = $p - $o;',
    // $valid: the bytes of the first word that belong to the path; $wa/$wb: the windows
    // (start offsets) of the first word that do, used one iteration later.
    '  $vnext = ~(((uint64)1 << ($o * 8)) - 1);',
    '  $wa = ((uint64)0xff << $o) & 0xff;',
    '  $wb = $wa;',
    '  $c = (uint64)0;',
    '  $i = (uint64)0;',
    '  $prev = (uint64)0;',
    '  $carry = (uint64)0;',
    '  $last = (uint64)0;',
    `  while ($i < ${STRING_BYTES / 8 + 1}) {`,
    '    $valid = $vnext;',
    '    $vnext = ~(uint64)0;',
    '    $wm = $wa;',
    '    $wa = $wb;',
    '    $wb = 0xff;',
    '    $cur = *(uint64 *)uptr($base + $i * 8) & ($last - 1);',
    `    ${equalBytes('$z', 0)}`,
    '    $before = ($z & (~$z + 1)) - 1;',
    ...(clean
      ? [
          `    ${equalBytes('$sl', 0x2f)}`,
          `    ${equalBytes('$dt', 0x2e)}`,
          '    $sl = $sl & $before;',
          '    $dt = $dt & $before;',
          `    $c = $c | ${nonZero('(($sl << 8) & ($sl | $dt)) | (($carry >> 56) & ($sl | $dt) & 0x80)')};`,
          '    $carry = $sl & 0x8000000000000000;',
        ]
      : []),
    '    $cur = $cur & $before;',
    ...candidates(literals),
    '    if ($last) { break; }',
    `    $last = ${nonZero('$z')};`,
    '    $prev = $cur;',
    '    $i = $i + 1;',
    '  }',
  ];
  const out: string[] = [];
  const groups: [string, number][][] = [];
  for (const entry of contains) {
    if (groups.length === 0 || groups[groups.length - 1]!.length >= CONTAINS_PER_PROGRAM) groups.push([]);
    groups[groups.length - 1]!.push(entry);
  }
  groups.forEach((group, i) => {
    out.push(
      `${exit} {`,
      `  $v = ${saved};`,
      ...scan(false, group),
      i === 0 ? `  @c_${key} = $c;` : `  @c_${key} = @c_${key} | $c;`,
      '}',
    );
  });
  out.push(
    `${exit} {`,
    `  $v = ${saved};`,
    ...scan(true, []),
    ...(groups.length > 0 ? [`  $c = $c | @c_${key};`, `  delete(@c_${key});`] : []),
    '  $ret = args->ret;',
    ...Array.from({ length: words + 1 }, (_, i) => `  $a${i} = *(uint64 *)uptr($base + ${i * 8});`),
    ...Array.from(
      { length: words },
      (_, i) => `  $w${i} = $o == 0 ? $a${i} : ($a${i} >> ($o * 8)) | ($a${i + 1} << (64 - $o * 8));`,
    ),
    `  if (($w0 & 0xff) != 0x2f || ($c & 1) != 0 || ${bpftraceCondition(narrowed, { flags, contains })}) { @k_${key} = $v.0; }`,
    '}',
  );
  return out;
}

const LOW = '0x7f7f7f7f7f7f7f7f';

/** Literal bytes as a little-endian word and the mask of the bytes it has. */
function literalWord(bytes: string): { value: string; mask: string } {
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value |= BigInt(bytes.charCodeAt(i)) << BigInt(8 * i);
  const mask = bytes.length >= 8 ? '~(uint64)0' : `0x${((1n << BigInt(8 * bytes.length)) - 1n).toString(16)}`;
  return { value: `0x${value.toString(16)}`, mask };
}

function literalsOf(f: Formula): string[] {
  if (typeof f === 'boolean') return [];
  if (f.kind === 'and' || f.kind === 'or') return f.children.flatMap(literalsOf);
  if (f.kind === 'not') return literalsOf(f.child);
  return f.kind === 'path' && f.op !== 'contains' ? [f.value] : [];
}

const isComparison = (f: Formula): f is Atom & { kind: 'path' } =>
  typeof f === 'object' && f.kind === 'path' && f.op !== 'contains';

/**
 * Fewer comparisons for the same events or a few more: in a disjunction, a path that another
 * extends becomes a prefix (`/bin` or `/bin/…` → `/bin…`), paths below a prefix go, and paths
 * sharing a first component are tested behind it (`/etc/` once, then the rest), so most
 * paths are turned away by one comparison. Only where the formula is not negated.
 */
function coarsen(f: Formula, positive: boolean): Formula {
  if (typeof f === 'boolean') return f;
  if (f.kind === 'not') return { kind: 'not', child: coarsen(f.child, !positive) };
  if (f.kind !== 'and' && f.kind !== 'or') return f;
  const children = f.children.map((c) => coarsen(c, positive));
  if (f.kind === 'and' || !positive) return simplify({ kind: f.kind, children });
  const paths = children.filter(isComparison).sort((a, b) => a.value.length - b.value.length);
  const kept: (Atom & { kind: 'path' })[] = [];
  paths.forEach((a, i) => {
    if (kept.some((k) => k.op === 'prefix' && a.value.startsWith(k.value))) return;
    const extended = paths.slice(i + 1).some((b) => b.value.startsWith(a.value));
    kept.push(extended ? { kind: 'path', op: 'prefix', value: a.value } : a);
  });
  const groups = new Map<string, Atom[]>();
  for (const a of kept) {
    const first = /^\/[^/]+\//.exec(a.value)?.[0] ?? '';
    groups.set(first, [...(groups.get(first) ?? []), a]);
  }
  const grouped: Formula[] = [];
  for (const [first, atoms] of groups) {
    if (first === '' || atoms.length < 2) grouped.push(...atoms);
    else
      grouped.push({
        kind: 'and',
        children: [
          { kind: 'path', op: 'prefix', value: first },
          { kind: 'or', children: atoms },
        ],
      });
  }
  return simplify({ kind: 'or', children: [...children.filter((c) => !isComparison(c)), ...grouped] });
}

/**
 * The path tests as they stand for clean absolute paths (the only ones they are applied to):
 * literals that are not clean cannot match, and a `contains` whose literal holds another
 * `contains` required beside it adds little, so it becomes "possibly true" (weaker, still
 * implied). Each remaining `contains` gets a bit from 1 up (at most 62; beyond, possibly
 * true); bit 0 says the path is not clean.
 */
function limitContains(f: Formula, bits: Map<string, number>): Formula {
  const unclean = (s: string) => s.includes('/.') || s.includes('//') || s.endsWith('/.');
  const visit = (x: Formula, positive: boolean, required: readonly string[]): Formula => {
    if (typeof x === 'boolean') return x;
    if (x.kind === 'or') return { kind: 'or', children: x.children.map((c) => visit(c, positive, required)) };
    if (x.kind === 'and') {
      const here = positive
        ? x.children.flatMap((c) =>
            typeof c === 'object' && c.kind === 'path' && c.op === 'contains' && !unclean(c.value)
              ? [c.value]
              : [],
          )
        : [];
      const inScope = [...required, ...here];
      return { kind: 'and', children: x.children.map((c) => visit(c, positive, inScope)) };
    }
    if (x.kind === 'not') return { kind: 'not', child: visit(x.child, !positive, []) };
    if (x.kind !== 'path') return x;
    if (unclean(x.value) || (x.op !== 'contains' && !x.value.startsWith('/'))) return false;
    if (x.op !== 'contains') return x;
    // The kernel finds a literal by its first 8 bytes: exact up to 8, implied beyond.
    if (!positive && x.value.length > 8) return false;
    if (positive && required.some((r) => r !== x.value && x.value.includes(r))) return true;
    if (!bits.has(x.value) && bits.size < 62) bits.set(x.value, bits.size + 1);
    return bits.has(x.value) ? x : positive;
  };
  return simplify(visit(f, true, []));
}

const OPS: Record<string, string> = { '=': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** The formula as a bpftrace condition over `$ret`, `$p`, `$c` (contains bits), flags and `$fam`. */
export function bpftraceCondition(
  f: Formula,
  at: { flags: string; contains: ReadonlyMap<string, number> },
): string {
  if (typeof f === 'boolean') return f ? '1' : '0';
  switch (f.kind) {
    case 'and':
    case 'or':
      return `(${f.children.map((c) => bpftraceCondition(c, at)).join(f.kind === 'and' ? ' && ' : ' || ')})`;
    case 'not':
      return `!${bpftraceCondition(f.child, at)}`;
    default:
      return atomCondition(f, at);
  }
}

function atomCondition(a: Atom, at: { flags: string; contains: ReadonlyMap<string, number> }): string {
  switch (a.kind) {
    case 'res':
      return `($ret ${OPS[a.op]} ${a.value})`;
    case 'access':
      return a.mode === 'read'
        ? `((${at.flags} & 3) != 1)`
        : a.mode === 'write'
          ? `((${at.flags} & 3) != 0)`
          : `((${at.flags} & 64) != 0)`;
    case 'family':
      return `(${a.families.map((n) => `$fam == ${n}`).join(' || ')})`;
    case 'path': {
      if (a.op === 'contains') return `(($c & ${2 ** at.contains.get(a.value)!}) != 0)`;
      const bytes = a.op === 'eq' ? `${a.value}\0` : a.value;
      const tests: string[] = [];
      for (let i = 0; i < bytes.length; i += 8) {
        const { value, mask } = literalWord(bytes.slice(i, i + 8));
        tests.push(`($w${i / 8} & ${mask}) == ${value}`);
      }
      return `(${tests.join(' && ')})`;
    }
  }
}
