/**
 * A streaming JSON parser for feeds too big to JSON.parse whole (the Debian tracker's JSON is
 * well over 100 MB). Text is fed in chunks; every value found at `depth` (keys and indices
 * below the root) is assembled and handed out with its path, as are scalars above that depth.
 * Memory is bounded by the largest single value handed out, never by the document.
 * It accepts exactly the grammar JSON.parse accepts (RFC 8259).
 */

export type JsonPath = (string | number)[];

export interface JsonItem {
  path: JsonPath;
  value: unknown;
}

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

interface JsonStreamOptions {
  /** Values at this many keys/indices below the root are emitted whole. */
  depth: number;
  /** Refuse a single emitted value (or any pending token) longer than this many characters. */
  maxValueChars?: number;
  /** Refuse nesting deeper than this. */
  maxNesting?: number;
}

const DEFAULT_MAX_VALUE_CHARS = 256 * 1024 * 1024;
const DEFAULT_MAX_NESTING = 512;

enum Expect {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  Colon,
  CommaOrClose,
  Done,
}

interface Frame {
  isArray: boolean;
  /** Set while this frame is being assembled into a value. */
  container: Record<string, unknown> | unknown[] | undefined;
  key: string;
  index: number;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_CHAR = /[0-9eE.+-]/;
const NEEDS_SLOW_STRING = /[\\\u0000-\u001f]/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const INCOMPLETE = Symbol('incomplete');

class JsonStreamParser {
  private buf = '';
  private pos = 0;
  /** Characters consumed before buf[0], for error positions. */
  private offset = 0;
  private readonly stack: Frame[] = [];
  private expect = Expect.Value;
  /** Absolute position where the value being assembled began, or -1. */
  private valueStart = -1;
  private readonly maxValueChars: number;
  private readonly maxNesting: number;

  constructor(
    private readonly options: JsonStreamOptions,
    private readonly emit: (item: JsonItem) => void,
  ) {
    this.maxValueChars = options.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
    this.maxNesting = options.maxNesting ?? DEFAULT_MAX_NESTING;
  }

  write(text: string): void {
    this.offset += this.pos;
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.run(false);
    const pending =
      this.valueStart >= 0 ? this.offset + this.buf.length - this.valueStart : this.buf.length - this.pos;
    if (pending > this.maxValueChars)
      throw new JsonSyntaxError(
        `a value at character ${this.valueStart >= 0 ? this.valueStart : this.offset + this.pos} is longer than ${this.maxValueChars} characters`,
      );
  }

  /** Call once the input is exhausted; throws if the document is incomplete. */
  end(): void {
    this.run(true);
    if (this.expect !== Expect.Done) throw new JsonSyntaxError('unexpected end of input (truncated?)');
  }

  private fail(at: number, what: string): never {
    throw new JsonSyntaxError(`${what} at character ${this.offset + at}`);
  }

  private unexpected(at: number): never {
    const ch = this.buf[at] as string;
    this.fail(
      at,
      `unexpected ${/[\x20-\x7e]/.test(ch) ? `'${ch}'` : `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`}`,
    );
  }

  private run(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let p = this.pos;
    for (;;) {
      while (p < n) {
        const c = s.charCodeAt(p);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
        else break;
      }
      if (p >= n) break;
      const c = s.charCodeAt(p);
      const state = this.expect;
      if (state === Expect.Done) this.unexpected(p);
      if (state === Expect.Colon) {
        if (c !== 0x3a) this.unexpected(p);
        p++;
        this.expect = Expect.Value;
        continue;
      }
      if (state === Expect.CommaOrClose) {
        const top = this.stack[this.stack.length - 1] as Frame;
        if (c === 0x2c) {
          p++;
          if (top.isArray) {
            top.index++;
            this.expect = Expect.Value;
          } else this.expect = Expect.Key;
        } else if (c === (top.isArray ? 0x5d : 0x7d)) {
          p++;
          this.close();
        } else this.unexpected(p);
        continue;
      }
      if (state === Expect.Key || state === Expect.KeyOrClose) {
        if (c === 0x7d && state === Expect.KeyOrClose) {
          p++;
          this.close();
          continue;
        }
        if (c !== 0x22) this.unexpected(p);
        const r = this.readString(p, final);
        if (r === INCOMPLETE) break;
        (this.stack[this.stack.length - 1] as Frame).key = r[0];
        p = r[1];
        this.expect = Expect.Colon;
        continue;
      }
      // Expect.Value or Expect.ValueOrClose
      if (c === 0x5d && state === Expect.ValueOrClose) {
        p++;
        this.close();
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        this.open(c === 0x5b, p);
        p++;
        continue;
      }
      let value: unknown;
      let next: number;
      if (c === 0x22) {
        const r = this.readString(p, final);
        if (r === INCOMPLETE) break;
        [value, next] = r;
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        NUMBER.lastIndex = p;
        const m = NUMBER.exec(s);
        if (!m) {
          if (!final && p + 1 >= n) break;
          this.fail(p, 'invalid number');
        }
        next = p + m[0].length;
        // "5e" or "1." at the end of a chunk may be the start of "5e-3" or "1.5": wait for more.
        let q = next;
        while (q < n && NUMBER_CHAR.test(s[q] as string)) q++;
        if (q >= n && !final) break;
        value = Number(m[0]);
      } else {
        const literal = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
        if (!literal) this.unexpected(p);
        if (s.startsWith(literal, p)) next = p + literal.length;
        else if (!final && n - p < literal.length && literal.startsWith(s.slice(p))) break;
        else this.fail(p, 'invalid literal');
        value = c === 0x74 ? true : c === 0x66 ? false : null;
      }
      p = next;
      this.scalar(value);
    }
    this.pos = p;
  }

  /** Path of the value about to be placed at the current depth. */
  private path(): JsonPath {
    return this.stack.map((f) => (f.isArray ? f.index : f.key));
  }

  private open(isArray: boolean, at: number): void {
    if (this.stack.length >= this.maxNesting) this.fail(at, `nesting deeper than ${this.maxNesting}`);
    const depth = this.stack.length;
    let container: Frame['container'];
    if (depth >= this.options.depth) {
      if (depth === this.options.depth) this.valueStart = this.offset + at;
      container = isArray ? [] : {};
    }
    this.stack.push({ isArray, container, key: '', index: 0 });
    this.expect = isArray ? Expect.ValueOrClose : Expect.KeyOrClose;
  }

  private close(): void {
    const frame = this.stack.pop() as Frame;
    if (this.stack.length === this.options.depth) {
      this.valueStart = -1;
      this.emit({ path: this.path(), value: frame.container });
    } else if (frame.container) this.place(frame.container);
    this.afterValue();
  }

  private scalar(value: unknown): void {
    if (this.stack.length > this.options.depth) this.place(value);
    else this.emit({ path: this.path(), value });
    this.afterValue();
  }

  private place(value: unknown): void {
    const parent = this.stack[this.stack.length - 1] as Frame;
    const container = parent.container;
    if (Array.isArray(container)) container.push(value);
    else if (container) {
      // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype.
      if (parent.key === '__proto__')
        Object.defineProperty(container, parent.key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else container[parent.key] = value;
    }
  }

  private afterValue(): void {
    this.expect = this.stack.length === 0 ? Expect.Done : Expect.CommaOrClose;
  }

  /** Reads the string starting at the quote at `p`: [value, position after it], or INCOMPLETE. */
  private readString(p: number, final: boolean): [string, number] | typeof INCOMPLETE {
    const s = this.buf;
    const close = s.indexOf('"', p + 1);
    if (close < 0) {
      if (final) this.fail(p, 'unterminated string');
      return INCOMPLETE;
    }
    const fast = s.slice(p + 1, close);
    if (!NEEDS_SLOW_STRING.test(fast)) return [fast, close + 1];
    let out = '';
    let i = p + 1;
    let run = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x22) return [out + s.slice(run, i), i + 1];
      if (c < 0x20) this.fail(i, 'control character in string');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(run, i);
      if (i + 1 >= s.length) break;
      const e = s[i + 1] as string;
      if (e === 'u') {
        if (i + 6 > s.length) break;
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(i, 'invalid \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
      } else {
        const decoded = ESCAPES[e];
        if (decoded === undefined) this.fail(i, 'invalid escape');
        out += decoded;
        i += 2;
      }
      run = i;
    }
    if (final) this.fail(p, 'unterminated string');
    return INCOMPLETE;
  }
}

/**
 * Parses a JSON document from chunks of UTF-8 bytes (or text), yielding the values at
 * `options.depth` as they complete. Throws JsonSyntaxError on malformed or truncated input.
 */
export async function* streamJsonValues(
  chunks: AsyncIterable<Uint8Array | string>,
  options: JsonStreamOptions,
): AsyncGenerator<JsonItem> {
  const ready: JsonItem[] = [];
  const parser = new JsonStreamParser(options, (item) => ready.push(item));
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* ready;
    ready.length = 0;
  }
  parser.write(decoder.decode());
  parser.end();
  yield* ready;
}

/** A parsed JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
