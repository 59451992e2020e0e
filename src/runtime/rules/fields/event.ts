import type { Event } from '../../../types.js';
import { resultName } from './errno.js';
import {
  type FieldSpec,
  type FieldType,
  type FieldValue,
  type Getter,
  type Memo,
  ownValue,
  plain,
  single,
} from './types.js';

const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const EXEC_BITS = 0o111;

/** An argument as evt.arg renders it. */
function rendered(v: FieldValue | undefined): string | undefined {
  return v === undefined || typeof v === 'string' ? v : String(v);
}

function argByIndex(e: Event, index: number): FieldValue | undefined {
  const args = e.evt.args;
  if (!args) return undefined;
  let i = 0;
  for (const key in args) {
    if (!Object.hasOwn(args, key)) continue;
    if (i++ === index) return args[key];
  }
  return undefined;
}

function allArgs(e: Event, m: Memo): string | undefined {
  const args = e.evt.args;
  if (!args) return undefined;
  m.use(e);
  m.evtArgs ??= Object.entries(args)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return m.evtArgs;
}

function argField(
  name: string,
  type: FieldType,
  render: (v: FieldValue | undefined) => FieldValue | undefined,
): FieldSpec {
  return {
    name,
    type,
    arg: 'required',
    dotted: true,
    bind(arg) {
      if (arg === undefined) return `${name} needs an argument name (${name}.NAME) or index (${name}[N])`;
      if (/^[0-9]+$/.test(arg)) {
        const index = Number(arg);
        return single(type, (e) => render(argByIndex(e, index)));
      }
      return single(type, (e) => render(ownValue(e.evt.args, arg)));
    },
  };
}

/** The open flags of an open-family event: Falco's rendering (`O_WRONLY|O_CREAT`) or the raw number. */
function openFlags(e: Event): number | string | undefined {
  const t = e.type;
  if (t === 'creat') return O_WRONLY | O_CREAT;
  if (t !== 'openat' && t !== 'open' && t !== 'openat2' && t !== 'open_by_handle_at') return undefined;
  const flags = e.evt.args?.flags;
  return typeof flags === 'number' || typeof flags === 'string' ? flags : undefined;
}

function opensForRead(flags: number | string): boolean {
  return typeof flags === 'number' ? (flags & O_ACCMODE) !== O_WRONLY : !flags.includes('O_WRONLY');
}

function opensForWrite(flags: number | string): boolean {
  if (typeof flags === 'string') return flags.includes('O_WRONLY') || flags.includes('O_RDWR');
  const acc = flags & O_ACCMODE;
  return acc === O_WRONLY || acc === O_RDWR;
}

function creates(flags: number | string): boolean {
  return typeof flags === 'number' ? (flags & O_CREAT) !== 0 : flags.includes('O_CREAT');
}

/** A boolean about the open flags; `<NA>` for events that are not opens. */
function onOpenFlags(test: (flags: number | string, e: Event) => boolean): Getter {
  return (e) => {
    const flags = openFlags(e);
    return flags === undefined ? undefined : test(flags, e);
  };
}

function executableMode(mode: FieldValue | undefined): boolean {
  if (typeof mode === 'number') return (mode & EXEC_BITS) !== 0;
  if (typeof mode !== 'string') return false;
  if (/^0?[0-7]+$/.test(mode)) return (Number.parseInt(mode, 8) & EXEC_BITS) !== 0;
  return mode.includes('S_IX');
}

/** UTC date and time of a millisecond timestamp, with the nanoseconds Falco prints. */
function timeParts(ts: number): { iso: string; ns: string } {
  const seconds = Math.floor(ts / 1000);
  const ns = Math.min(999_999_999, Math.round((ts - seconds * 1000) * 1e6));
  return { iso: new Date(seconds * 1000).toISOString(), ns: String(ns).padStart(9, '0') };
}

/** `2024-05-01T13:52:11.927542018Z`: ISO 8601 with nanoseconds, as Falco writes alert times. */
export function isoTime(ts: number): string {
  const { iso, ns } = timeParts(ts);
  return `${iso.slice(0, 19)}.${ns}Z`;
}

const timeGetters: [string, Getter][] = [
  [
    'evt.time',
    (e) => {
      const { iso, ns } = timeParts(e.ts);
      return `${iso.slice(11, 19)}.${ns}`;
    },
  ],
  ['evt.time.s', (e) => timeParts(e.ts).iso.slice(11, 19)],
  ['evt.time.iso8601', (e) => isoTime(e.ts)],
  [
    'evt.datetime',
    (e) => {
      const { iso, ns } = timeParts(e.ts);
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${ns}`;
    },
  ],
  [
    'evt.datetime.s',
    (e) => {
      const { iso } = timeParts(e.ts);
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    },
  ],
];

export function eventFields(hostname: string): FieldSpec[] {
  return [
    plain('evt.type', 'string', (e) => e.type),
    plain('syscall.type', 'string', (e) => e.type),
    // Every event is an exit event; Falco, too, now treats `>` as matching nothing.
    plain('evt.dir', 'string', (e) => e.evt.dir ?? '<'),
    plain('evt.num', 'number', (e) => e.evt.num),
    plain('evt.source', 'string', () => 'syscall'),
    plain('evt.hostname', 'string', () => hostname),
    ...timeGetters.map(([name, get]) => plain(name, 'string', get)),
    plain('evt.rawtime', 'number', (e) => Math.round(e.ts * 1e6)),
    plain('evt.rawtime.s', 'number', (e) => Math.floor(e.ts / 1000)),
    plain('evt.rawtime.ns', 'number', (e) => Math.round((e.ts % 1000) * 1e6)),
    plain('evt.res', 'string', (e) => (e.evt.res === undefined ? undefined : resultName(e.evt.res))),
    plain('evt.rawres', 'number', (e) => e.evt.res),
    plain('evt.failed', 'bool', (e) => (e.evt.res === undefined ? undefined : e.evt.res < 0)),
    plain('evt.args', 'string', allArgs),
    argField('evt.arg', 'string', rendered),
    argField('evt.rawarg', 'dynamic', (v) => v),
    plain('evt.is_open_read', 'bool', onOpenFlags(opensForRead)),
    plain('evt.is_open_write', 'bool', onOpenFlags(opensForWrite)),
    plain('evt.is_open_create', 'bool', onOpenFlags(creates)),
    plain(
      'evt.is_open_exec',
      'bool',
      onOpenFlags((flags, e) => creates(flags) && executableMode(e.evt.args?.mode)),
    ),
    plain('evt.buffer', 'bytes', (e) => e.evt.buffer),
    plain('evt.buflen', 'number', (e) => e.evt.buffer?.length),
  ];
}
