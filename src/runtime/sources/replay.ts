import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
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

export interface ReplayOptions {
  /** Longer lines are bad lines (default 1 MiB). */
  maxLineLength?: number;
  /** How many bad lines to describe in `stats.firstBad` (default 10). */
  describeBad?: number;
}

const DEFAULT_MAX_LINE = 1 << 20;
const CHUNK_BYTES = 1 << 20;

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
    this.maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
    this.describeBad = options.describeBad ?? 10;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Event> {
    await this.checkReadable();
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let skipping = false;
    for await (const chunk of createReadStream(this.path, { highWaterMark: CHUNK_BYTES })) {
      const text = pending + decoder.write(chunk as Buffer);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const lineText = text.slice(start, nl);
        start = nl + 1;
        if (skipping) {
          skipping = false;
          continue;
        }
        const e = this.accept(lineText);
        if (e) yield e;
      }
      pending = text.slice(start);
      if (pending.length > this.maxLine) {
        // Too long to be an event: drop it now and skip the rest of it as it arrives.
        if (!skipping) this.bad(++this.stats.lines, `longer than ${this.maxLine} characters`);
        skipping = true;
        pending = '';
      }
    }
    const last = pending + decoder.end();
    if (!skipping && last.length > 0) {
      const e = this.accept(last);
      if (e) yield e;
    }
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

  /** The line's event, or undefined (blank, or bad and counted). */
  private accept(raw: string): Event | undefined {
    const n = ++this.stats.lines;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.length === 0 || text.trim().length === 0) return undefined;
    if (text.length > this.maxLine) return this.bad(n, `longer than ${this.maxLine} characters`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.bad(n, `not JSON (${(err as Error).message})`);
    }
    const problem = eventProblem(value);
    if (problem) return this.bad(n, problem);
    this.stats.events++;
    this.line = n;
    return value as Event;
  }

  private bad(line: number, reason: string): undefined {
    this.stats.badLines++;
    if (this.stats.firstBad.length < this.describeBad) this.stats.firstBad.push({ line, reason });
    return undefined;
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
export function eventProblem(value: unknown): string | undefined {
  return check(value, EVENT, 'event');
}

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
