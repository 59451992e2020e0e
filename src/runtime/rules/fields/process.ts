import type { Event } from '../../../types.js';
import {
  type Extractor,
  type FieldSpec,
  type FieldType,
  type FieldValue,
  type Getter,
  indexArg,
  type Memo,
  ownValue,
  plain,
  single,
} from './types.js';

type Ancestor = NonNullable<Event['proc']['ancestors']>[number];
type Proc = Event['proc'];

const NS_PER_MS = 1e6;

/** Nanoseconds between two millisecond timestamps, as Falco's RELTIME fields count. */
export function durationNs(from: number | undefined, to: number): number | undefined {
  return from === undefined ? undefined : Math.round((to - from) * NS_PER_MS);
}

function args(e: Event, m: Memo): string {
  m.use(e);
  m.args ??= e.proc.args.join(' ');
  return m.args;
}

function env(e: Event, m: Memo): string | undefined {
  const vars = e.proc.env;
  if (!vars) return undefined;
  m.use(e);
  m.env ??= Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return m.env;
}

/** The process itself (`self`) or the ancestor holding pid `pid`. */
function leader(p: Proc, pid: number | undefined): { name: string; exe?: string } | undefined {
  if (pid === undefined) return undefined;
  if (p.pid === pid) return p;
  const ancestors = p.ancestors;
  if (!ancestors) return undefined;
  for (let i = 0; i < ancestors.length; i++) if (ancestors[i]!.pid === pid) return ancestors[i];
  return undefined;
}

/**
 * `proc.aname[N]`-style fields: index 0 is the process itself, 1 its parent, and so on;
 * without an index the field matches any ancestor (parent upwards).
 */
function ancestorField(
  name: string,
  type: FieldType,
  ofSelf: (p: Proc) => FieldValue | undefined,
  ofAncestor: (a: Ancestor) => FieldValue | undefined,
): FieldSpec {
  return {
    name,
    type,
    arg: 'optional',
    bind(arg): Extractor | string {
      if (arg === undefined) {
        return {
          many: true,
          type,
          get: (e) => {
            const parent = e.proc.ancestors?.[0];
            return parent ? ofAncestor(parent) : undefined;
          },
          some(e, _m, test) {
            const ancestors = e.proc.ancestors;
            let seen = false;
            if (ancestors) {
              for (let i = 0; i < ancestors.length; i++) {
                const v = ofAncestor(ancestors[i]!);
                if (v === undefined) continue;
                seen = true;
                if (test(v)) return true;
              }
            }
            return seen ? false : undefined;
          },
        };
      }
      const index = indexArg(name, arg);
      if (typeof index === 'string') return index;
      if (index === 0) return single(type, (e) => ofSelf(e.proc));
      return single(type, (e) => {
        const a = e.proc.ancestors?.[index - 1];
        return a ? ofAncestor(a) : undefined;
      });
    },
  };
}

function parentField(name: string, type: FieldType, get: (a: Ancestor) => FieldValue | undefined): FieldSpec {
  return plain(name, type, (e) => {
    const parent = e.proc.ancestors?.[0];
    return parent ? get(parent) : undefined;
  });
}

const procGetters: [string, FieldType, Getter][] = [
  ['proc.pid', 'number', (e) => e.proc.pid],
  ['proc.ppid', 'number', (e) => e.proc.ppid],
  ['proc.vpid', 'number', (e) => e.proc.vpid],
  ['thread.tid', 'number', (e) => e.proc.tid],
  ['thread.ismain', 'bool', (e) => e.proc.tid === e.proc.pid],
  ['proc.name', 'string', (e) => e.proc.name],
  ['proc.exe', 'string', (e) => e.proc.exe],
  ['proc.exepath', 'string', (e) => e.proc.exepath],
  ['proc.args', 'string', args],
  ['proc.cmdline', 'string', (e) => e.proc.cmdline],
  [
    'proc.exeline',
    'string',
    (e, m) => {
      m.use(e);
      m.exeline ??= e.proc.args.length > 0 ? `${e.proc.exe} ${args(e, m)}` : e.proc.exe;
      return m.exeline;
    },
  ],
  ['proc.cwd', 'string', (e) => e.proc.cwd],
  ['proc.tty', 'number', (e) => e.proc.tty],
  ['proc.sid', 'number', (e) => e.proc.sid],
  ['proc.sname', 'string', (e) => leader(e.proc, e.proc.sid)?.name],
  ['proc.is_sid_leader', 'bool', (e) => (e.proc.sid === undefined ? undefined : e.proc.sid === e.proc.pid)],
  ['proc.vpgid.name', 'string', (e) => leader(e.proc, e.proc.pgid)?.name],
  ['proc.vpgid.exe', 'string', (e) => leader(e.proc, e.proc.pgid)?.exe],
  [
    'proc.is_vpgid_leader',
    'bool',
    (e) => (e.proc.pgid === undefined ? undefined : e.proc.pgid === e.proc.pid),
  ],
  ['proc.duration', 'number', (e) => durationNs(e.proc.startTs, e.ts)],
  ['proc.ppid.duration', 'number', (e) => durationNs(e.proc.ancestors?.[0]?.startTs, e.ts)],
  ['proc.is_exe_writable', 'bool', (e) => e.proc.isExeWritable],
  ['proc.is_exe_upper_layer', 'bool', (e) => e.proc.isExeUpperLayer],
  ['proc.is_exe_from_memfd', 'bool', (e) => e.proc.isExeFromMemfd],
  ['proc.exe_ino', 'number', (e) => e.proc.exeIno],
  ['proc.exe_ino.ctime', 'number', (e) => toNs(e.proc.exeCtime)],
  ['proc.exe_ino.mtime', 'number', (e) => toNs(e.proc.exeMtime)],
  [
    'proc.exe_ino.ctime_duration_proc_start',
    'number',
    (e) => (e.proc.startTs === undefined ? undefined : durationNs(e.proc.exeCtime, e.proc.startTs)),
  ],
  ['thread.cap_effective', 'string', (e) => e.proc.capEffective],
  ['thread.cap_permitted', 'string', (e) => e.proc.capPermitted],
  ['thread.cap_inheritable', 'string', (e) => e.proc.capInheritable],
  ['user.uid', 'number', (e) => e.proc.uid],
  ['user.name', 'string', (e) => e.proc.user],
  ['user.loginuid', 'number', (e) => e.proc.loginuid],
  ['user.loginname', 'string', (e) => e.proc.loginname],
  ['group.gid', 'number', (e) => e.proc.gid],
  ['group.name', 'string', (e) => e.proc.group],
];

function toNs(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * NS_PER_MS);
}

export const processFields: FieldSpec[] = [
  ...procGetters.map(([name, type, get]) => plain(name, type, get)),
  parentField('proc.pname', 'string', (a) => a.name),
  parentField('proc.pexe', 'string', (a) => a.exe),
  parentField('proc.pexepath', 'string', (a) => a.exepath),
  parentField('proc.pcmdline', 'string', (a) => a.cmdline),
  ancestorField(
    'proc.aname',
    'string',
    (p) => p.name,
    (a) => a.name,
  ),
  ancestorField(
    'proc.apid',
    'number',
    (p) => p.pid,
    (a) => a.pid,
  ),
  ancestorField(
    'proc.aexe',
    'string',
    (p) => p.exe,
    (a) => a.exe,
  ),
  ancestorField(
    'proc.aexepath',
    'string',
    (p) => p.exepath,
    (a) => a.exepath,
  ),
  ancestorField(
    'proc.acmdline',
    'string',
    (p) => p.cmdline,
    (a) => a.cmdline,
  ),
  {
    name: 'proc.env',
    type: 'string',
    arg: 'optional',
    bind: (arg) => single('string', arg === undefined ? env : (e) => ownValue(e.proc.env, arg)),
  },
];
