import type { Event } from '../../../types.js';

/**
 * How a field's values compare: `string` (CHARBUF), `number` (integers, ports, times in ns),
 * `bool`, `ipaddr` (an address), `ipnet` (an address matched against networks), `bytes`
 * (a buffer, one character per byte) and `dynamic` (raw syscall arguments: number or string).
 */
export type FieldType = 'string' | 'number' | 'bool' | 'ipaddr' | 'ipnet' | 'bytes' | 'dynamic';
export type FieldValue = string | number | boolean;

/** Reads one value from an event; undefined is Falco's `<NA>`. */
export type Getter = (e: Event, m: Memo) => FieldValue | undefined;

export type Extractor =
  | { many: false; type: FieldType; get: Getter }
  /**
   * A field that stands for several values at once (`proc.aname` without an index matches any
   * ancestor; `fd.ip` matches the client or the server address). `get` gives the first, for
   * outputs; `some` is undefined when there are no values.
   */
  | {
      many: true;
      type: FieldType;
      get: Getter;
      some(e: Event, m: Memo, test: (v: FieldValue) => boolean): boolean | undefined;
    };

/** Binds a field to its argument (`proc.aname[2]`, `evt.arg.flags`); a string is an error message. */
export interface FieldSpec {
  name: string;
  type: FieldType;
  /** `none`: no argument; `required`/`optional`: `[ARG]` (or `.ARG` for the fields that allow it). */
  arg: 'none' | 'required' | 'optional';
  /** Accepts `name.ARG` as well as `name[ARG]` (evt.arg.flags, k8s.pod.label.app). */
  dotted?: boolean;
  bind(arg: string | undefined): Extractor | string;
}

/**
 * Values derived from the event being evaluated (joined arguments, a path's directory, the
 * value of a macro several rules share), computed at most once per event and only when a rule
 * reads them.
 */
export class Memo {
  event: Event | undefined;
  /** Numbers the events; a macro slot is valid while its stamp equals the current number. */
  private serial = 1;
  private readonly stamps: Uint32Array;
  private readonly values: Uint8Array;
  args: string | undefined;
  exeline: string | undefined;
  env: string | undefined;
  evtArgs: string | undefined;
  directory: string | undefined;
  filename: string | undefined;
  mounts: string | undefined;

  constructor(macroSlots = 0) {
    this.stamps = new Uint32Array(macroSlots);
    this.values = new Uint8Array(macroSlots);
  }

  /** Makes `e` the current event, forgetting what was derived from the previous one. */
  use(e: Event): this {
    if (this.event !== e) {
      this.event = e;
      if (++this.serial === 0xffffffff) {
        this.serial = 1;
        this.stamps.fill(0);
      }
      this.args = undefined;
      this.exeline = undefined;
      this.env = undefined;
      this.evtArgs = undefined;
      this.directory = undefined;
      this.filename = undefined;
      this.mounts = undefined;
    }
    return this;
  }

  /** Has macro `slot` been evaluated for the current event? */
  known(slot: number): boolean {
    return this.stamps[slot] === this.serial;
  }

  recall(slot: number): boolean {
    return this.values[slot] === 1;
  }

  remember(slot: number, value: boolean): boolean {
    this.stamps[slot] = this.serial;
    this.values[slot] = value ? 1 : 0;
    return value;
  }
}

export function single(type: FieldType, get: Getter): Extractor {
  return { many: false, type, get };
}

/** A field without arguments. */
export function plain(name: string, type: FieldType, get: Getter): FieldSpec {
  const extractor = single(type, get);
  return {
    name,
    type,
    arg: 'none',
    bind: (arg) => (arg === undefined ? extractor : `${name} takes no argument`),
  };
}

/** Parses a non-negative index argument such as `proc.aname[2]`. */
export function indexArg(name: string, arg: string): number | string {
  return /^[0-9]{1,4}$/.test(arg) ? Number(arg) : `${name}[${arg}]: the argument must be a number`;
}

/** `record[key]` when it is the record's own entry (never something inherited such as `constructor`). */
export function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
