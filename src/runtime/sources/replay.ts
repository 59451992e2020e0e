import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Event } from '../../types.js';
import { inputError } from '../../util/errors.js';

/**
 * Replay source: a JSON-lines file of Events (one JSON object per line) as an async iterator.
 * A line that is not JSON, not an Event, or longer than the limit is counted and skipped, never
 * fatal; memory stays bounded by the longest accepted line.
 */

export interface ReplayStats {
  /** Lines read, blank ones included. */
  lines: number;
  events: number;
  badLines: number;
  /** The first few bad lines and why, for the user to fix. */
  firstBad: { line: number; reason: string }[];
}

/** Events read together, and the line each came from. */
export interface ReplayBatch {
  events: Event[];
  lines: number[];
}

export interface ReplayOptions {
  /** Longer lines, in bytes, are bad lines (default 1 MiB). */
  maxLineBytes?: number;
  /** How many bad lines to describe in `stats.firstBad` (default 10). */
  describeBad?: number;
}

const DEFAULT_MAX_LINE = 1 << 20;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class JsonLinesReplay implements AsyncIterable<Event> {
  readonly stats: ReplayStats = { lines: 0, events: 0, badLines: 0, firstBad: [] };
  /** The line number of the event last yielded. */
  line = 0;
  private readonly maxLine: number;
  private readonly describeBad: number;

  constructor(
    readonly path: string,
    options: ReplayOptions = {},
  ) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
    this.describeBad = options.describeBad ?? 10;
  }

  /** The events one at a time; `line` tells each one's line number. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Event> {
    for await (const batch of this.batches()) {
      for (let i = 0; i < batch.events.length; i++) {
        this.line = batch.lines[i]!;
        yield batch.events[i]!;
      }
    }
  }

  /**
   * The events in batches, one per chunk read, with their line numbers: no promise per event,
   * for consumers that care about throughput.
   */
  async *batches(): AsyncGenerator<ReplayBatch> {
    await this.checkReadable();
    // Lines are found in the bytes and decoded one by one: faster than decoding whole chunks,
    // and a newline byte never falls inside a multi-byte UTF-8 character.
    let rest: Buffer | undefined;
    let skipping = false;
    for await (const read of createReadStream(this.path, { highWaterMark: CHUNK_BYTES })) {
      const chunk = rest ? Buffer.concat([rest, read as Buffer]) : (read as Buffer);
      const batch: ReplayBatch = { events: [], lines: [] };
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        if (skipping) skipping = false;
        else this.accept(chunk, start, nl, batch);
        start = nl + 1;
      }
      rest = start < chunk.length ? chunk.subarray(start) : undefined;
      if (rest && rest.length > this.maxLine) {
        // Too long to be an event: drop it now and skip the rest of it as it arrives.
        if (!skipping) this.bad(++this.stats.lines, `longer than ${this.maxLine} bytes`);
        skipping = true;
        rest = undefined;
      }
      if (batch.events.length > 0) yield batch;
    }
    const batch: ReplayBatch = { events: [], lines: [] };
    if (!skipping && rest) this.accept(rest, 0, rest.length, batch);
    if (batch.events.length > 0) yield batch;
  }

  private async checkReadable(): Promise<void> {
    try {
      if (!(await stat(this.path)).isFile()) throw new Error('EISDIR');
    } catch (err) {
      throw inputError(
        this.path,
        `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        err,
      );
    }
  }

  /** Adds the event of bytes [start, end) to the batch (blank lines are skipped, bad ones counted). */
  private accept(bytes: Buffer, start: number, end: number, batch: ReplayBatch): void {
    const n = ++this.stats.lines;
    if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end--;
    if (end - start > this.maxLine) {
      this.bad(n, `longer than ${this.maxLine} bytes`);
      return;
    }
    if (isBlank(bytes, start, end)) return;
    const text = bytes.toString('utf8', start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.bad(n, `not JSON (${(err as Error).message})`);
      return;
    }
    const problem = eventProblem(value);
    if (problem) {
      this.bad(n, problem);
      return;
    }
    this.stats.events++;
    batch.events.push(value as Event);
    batch.lines.push(n);
  }

  private bad(line: number, reason: string): void {
    this.stats.badLines++;
    if (this.stats.firstBad.length < this.describeBad) this.stats.firstBad.push({ line, reason });
  }
}

type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'strings'
  | 'stringMap'
  | 'argMap'
  | { required: Record<string, Shape>; optional: Record<string, Shape> }
  | { each: Shape };

const ANCESTOR: Shape = {
  required: { pid: 'number', name: 'string' },
  optional: { exe: 'string', exepath: 'string', cmdline: 'string', startTs: 'number' },
};
const MOUNT: Shape = {
  required: { source: 'string', dest: 'string' },
  optional: { mode: 'string', rw: 'boolean', propagation: 'string' },
};
const EVENT: Shape = {
  required: {
    ts: 'number',
    type: 'string',
    proc: {
      required: {
        pid: 'number',
        ppid: 'number',
        tid: 'number',
        name: 'string',
        exe: 'string',
        cmdline: 'string',
        args: 'strings',
        uid: 'number',
        gid: 'number',
      },
      optional: {
        exepath: 'string',
        user: 'string',
        group: 'string',
        loginuid: 'number',
        loginname: 'string',
        cwd: 'string',
        tty: 'number',
        vpid: 'number',
        sid: 'number',
        pgid: 'number',
        startTs: 'number',
        env: 'stringMap',
        isExeWritable: 'boolean',
        isExeUpperLayer: 'boolean',
        isExeFromMemfd: 'boolean',
        exeIno: 'number',
        exeCtime: 'number',
        exeMtime: 'number',
        capEffective: 'string',
        capPermitted: 'string',
        capInheritable: 'string',
        ancestors: { each: ANCESTOR },
      },
    },
    evt: {
      required: {},
      optional: { args: 'argMap', res: 'number', dir: 'string', num: 'number', buffer: 'string' },
    },
  },
  optional: {
    fd: {
      required: {},
      optional: {
        num: 'number',
        name: 'string',
        nameraw: 'string',
        type: 'string',
        l4proto: 'string',
        cip: 'string',
        cport: 'number',
        sip: 'string',
        sport: 'number',
        isServer: 'boolean',
        connected: 'boolean',
        nameChanged: 'boolean',
        cipName: 'string',
        sipName: 'string',
      },
    },
    container: {
      required: { id: 'string' },
      optional: {
        name: 'string',
        image: 'string',
        imageRepository: 'string',
        imageTag: 'string',
        imageDigest: 'string',
        imageId: 'string',
        runtime: 'string',
        privileged: 'boolean',
        startTs: 'number',
        labels: 'stringMap',
        mounts: { each: MOUNT },
      },
    },
    k8s: { required: {}, optional: { ns: 'string', pod: 'string', podUid: 'string', labels: 'stringMap' } },
  },
};

/** Why `value` is not an Event (the first thing wrong, with its path), or undefined if it is one. */
/** Only spaces and tabs (an event line starts with `{`, so this usually stops at once). */
function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0x20 && bytes[i] !== 0x09) return false;
  return true;
}

export function eventProblem(value: unknown): string | undefined {
  // The generated check answers well-formed events fast; the walk below explains the rest
  // (and accepts events that only needed their nulls dropped).
  return isEvent(value) ? undefined : check(value, EVENT, 'event');
}

function allStrings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

function valuesOf(v: unknown, ok: (x: unknown) => boolean): boolean {
  if (!isObject(v)) return false;
  for (const key in v) if (!ok(v[key])) return false;
  return true;
}

const isString = (x: unknown) => typeof x === 'string';
const isArgument = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';

// Loops rather than Object.values/every: checking an event allocates nothing.
const helpers = {
  strings: allStrings,
  stringMap: (v: unknown) => valuesOf(v, isString),
  argMap: (v: unknown) => valuesOf(v, isArgument),
  each: (v: unknown, item: (x: unknown) => boolean) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
    return true;
  },
};

/**
 * Compiles a shape to one straight-line JavaScript test (as the rule engine compiles rules):
 * checking an event then costs a few dozen typeof tests and no allocation.
 */
function compileShape(shape: Shape): (value: unknown) => boolean {
  const parts: ((value: unknown) => boolean)[] = [];
  const nested = (s: Shape) => {
    parts.push(compileShape(s));
    return `p[${parts.length - 1}]`;
  };
  const test = (s: Shape, expr: string): string => {
    switch (s) {
      case 'string':
      case 'boolean':
        return `typeof ${expr} === '${s}'`;
      case 'number':
        return `Number.isFinite(${expr})`;
      case 'strings':
      case 'stringMap':
      case 'argMap':
        return `h.${s}(${expr})`;
    }
    if ('each' in s) return `h.each(${expr}, ${nested(s.each)})`;
    return `${nested(s)}(${expr})`;
  };
  if (typeof shape === 'string' || 'each' in shape) {
    const body = test(shape, 'v');
    return new Function('h', 'p', `"use strict"; return function isShape(v) { return ${body}; };`)(
      helpers,
      parts,
    );
  }
  // An object: each field read once into a local, then tested.
  const lines = ["if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;", 'let x;'];
  for (const [key, inner] of Object.entries(shape.required)) {
    lines.push(`x = v[${JSON.stringify(key)}]; if (!(${test(inner, 'x')})) return false;`);
  }
  for (const [key, inner] of Object.entries(shape.optional)) {
    lines.push(`x = v[${JSON.stringify(key)}]; if (x !== undefined && !(${test(inner, 'x')})) return false;`);
  }
  lines.push('return true;');
  return new Function('h', 'p', `"use strict"; return function isShape(v) { ${lines.join(' ')} };`)(
    helpers,
    parts,
  );
}

const isEvent = compileShape(EVENT);

function check(value: unknown, shape: Shape, path: string): string | undefined {
  switch (shape) {
    case 'string':
    case 'boolean':
      return typeof value === shape ? undefined : `${path} must be a ${shape}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${path} must be a number`;
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : `${path} must be a list of strings`;
    case 'stringMap':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string')
        ? undefined
        : `${path} must map names to strings`;
    case 'argMap':
      return isObject(value) &&
        Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v))
        ? undefined
        : `${path} must map names to strings, numbers or booleans`;
  }
  if ('each' in shape) {
    if (!Array.isArray(value)) return `${path} must be a list`;
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], shape.each, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isObject(value)) return `${path} must be an object`;
  for (const key in shape.required) {
    if (!Object.hasOwn(value, key)) return `${path}.${key} is missing`;
    const problem = check(value[key], shape.required[key]!, `${path}.${key}`);
    if (problem) return problem;
  }
  for (const key in shape.optional) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    // JSON writers often spell "absent" as null.
    if (value[key] === null) {
      delete value[key];
      continue;
    }
    const problem = check(value[key], shape.optional[key]!, `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
