import { CODE } from './program.js';

/**
 * Reads what the generated bpftrace program prints (see program.ts): records, the strings
 * printed before them, lost-event reports and the ready line. Input is bpftrace's stdout
 * decoded as latin1, one character per byte; strings come out as UTF-8 text.
 */

/** One record with the strings its thread printed just before it. */
export interface RawRecord {
  code: string;
  /** The numbers after the code, HEADER_FIELDS first. */
  fields: number[];
  parts: string[];
}

/** Threads with strings waiting for their record; beyond this, the oldest are dropped. */
const MAX_PENDING_THREADS = 16_384;
const LOST = /^Lost (\d+) events$/;
const HIGH_BYTES = /[\x80-\xff]/;
const HEX_BYTE = /^[0-9a-fA-F]{2}$/;

export class RecordReader {
  /** Events bpftrace reported lost (its perf buffers were full). */
  lost = 0;
  /** The ready line came: every probe is attached. */
  ready = false;
  /** Lines that were neither records nor bpftrace's own messages. */
  unexpected = 0;
  private rest = '';
  private readonly pending = new Map<number, string[]>();
  /** The string a line without the token continues (a string with a newline in it). */
  private continuing: string[] | undefined;

  constructor(private readonly token: string) {}

  /** Takes the next chunk of output; returns the records completed by it. */
  push(chunk: string): RawRecord[] {
    const text = this.rest + chunk;
    const out: RawRecord[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl), out);
      start = nl + 1;
    }
    this.rest = text.slice(start);
    return out;
  }

  private line(line: string, out: RawRecord[]): void {
    const token = this.token;
    if (!line.startsWith(token)) {
      const lost = LOST.exec(line);
      if (lost) {
        this.lost += Number(lost[1]);
        this.continuing = undefined;
      } else if (this.continuing) {
        const last = this.continuing.length - 1;
        this.continuing[last] = `${this.continuing[last]}\n${line}`;
      } else this.unexpected++;
      return;
    }
    const code = line.charAt(token.length);
    this.continuing = undefined;
    if (code === CODE.part) {
      const space = line.indexOf(' ', token.length + 1);
      const tid = Number(line.slice(token.length + 1, space < 0 ? undefined : space));
      if (space < 0 || !Number.isInteger(tid)) {
        this.unexpected++;
        return;
      }
      let parts = this.pending.get(tid);
      if (!parts) {
        if (this.pending.size >= MAX_PENDING_THREADS) this.pending.delete(this.pending.keys().next().value!);
        parts = [];
        this.pending.set(tid, parts);
      }
      parts.push(line.slice(space + 1));
      this.continuing = parts;
      return;
    }
    if (code === CODE.ready) {
      this.ready = true;
      return;
    }
    const fields = line
      .slice(token.length + 2)
      .split(' ')
      .map(Number);
    const tid = fields[1];
    if (tid === undefined || fields.some((n) => Number.isNaN(n))) {
      this.unexpected++;
      return;
    }
    const parts = this.pending.get(tid) ?? [];
    this.pending.delete(tid);
    out.push({ code, fields, parts: parts.map(utf8) });
  }
}

/** latin1 text (bytes) → UTF-8 text; plain ASCII passes unchanged. */
function utf8(s: string): string {
  return HIGH_BYTES.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/**
 * bpftrace's `%r` rendering of bytes back to bytes: it writes printable ASCII as is and every
 * other byte as `\xNN`, so only escapes of non-printable values are undone (a literal
 * backslash followed by `x41` stays).
 */
export function unescapeBytes(s: string): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c && i + 3 < s.length && s.charCodeAt(i + 1) === 0x78) {
      const hex = s.slice(i + 2, i + 4);
      const v = HEX_BYTE.test(hex) ? Number.parseInt(hex, 16) : 0x41;
      if (v < 0x20 || v > 0x7e) {
        out[n++] = v;
        i += 3;
        continue;
      }
    }
    out[n++] = c & 0xff;
  }
  return out.subarray(0, n);
}
