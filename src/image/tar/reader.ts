import { FormatError } from '../format-error.js';
import { BLOCK, decodeHeader, type EntryType, type RawHeader, sparseExtensionContinues } from './header.js';
import { isPaxSparse, parsePax, paxSize } from './pax.js';

/**
 * A pull-based streaming tar reader: `next()` returns the next entry's header with PAX and GNU
 * long names applied; its data can be read with `body()` before the following `next()`, or is
 * skipped. Bodies are never buffered here, and skipping seeks where the source can.
 */

/** Where the bytes come from: a decompressed layer stream, or a file read by position. */
export interface ByteSource {
  /** The next chunk, or undefined at the end. */
  read(): Promise<Buffer | undefined>;
  /** Moves past `n` bytes without reading them (sources that can seek). */
  skip?(n: number): Promise<void>;
  /** Stops reading early and releases what the source holds. */
  close?(): Promise<void>;
}

export type TarEntryType =
  | Exclude<EntryType, 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink' | 'gnu-sparse'>
  | 'sparse';

interface TarEntry {
  /** Name as stored (PAX path / GNU long name applied), not yet normalised. */
  name: string;
  type: TarEntryType;
  /** The type flag as stored, for messages about unsupported entries. */
  flag: string;
  mode: number;
  /** Bytes of data that follow the header. */
  size: number;
  linkname: string;
  /** Offset of the first data byte in the tar stream. */
  dataOffset: number;
}

interface TarReaderOptions {
  /** Entries declaring more data than this are rejected before any of it is read. */
  maxEntrySize?: number;
}

/** Longest PAX header or GNU long name we accept (real ones are a few hundred bytes). */
const MAX_META = 1 << 20;
/** GNU sparse maps longer than this many extension blocks are not real archives. */
const MAX_SPARSE_BLOCKS = 4096;

export function streamSource(stream: AsyncIterable<Buffer>): ByteSource {
  const it = stream[Symbol.asyncIterator]();
  return {
    async read() {
      const r = await it.next();
      return r.done ? undefined : r.value;
    },
    async close() {
      await it.return?.();
    },
  };
}

const EMPTY = Buffer.alloc(0);
/** Entry types whose PAX size describes data that follows the header. */
const HAS_DATA = new Set<TarEntryType>(['file', 'sparse', 'unsupported']);

export class TarReader {
  private chunk: Buffer = EMPTY;
  private pos = 0;
  /** Stream offset of chunk[pos]. */
  private offset = 0;
  /** Unread data of the entry last returned, and the padding after it. */
  private dataLeft = 0;
  private padLeft = 0;
  private ended = false;
  private readonly scratch = Buffer.alloc(BLOCK);
  private readonly maxEntrySize: number;

  constructor(
    private readonly source: ByteSource,
    options: TarReaderOptions = {},
  ) {
    this.maxEntrySize = options.maxEntrySize ?? Number.MAX_SAFE_INTEGER;
  }

  async next(): Promise<TarEntry | undefined> {
    if (this.ended) return undefined;
    await this.skip(this.dataLeft + this.padLeft);
    this.dataLeft = 0;
    this.padLeft = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Map<string, string> | undefined;
    for (;;) {
      const at = this.offset;
      const block = await this.readBlock(true);
      if (!block) return this.end();
      const h = decodeHeader(block, at);
      if (h === 'zero') {
        const second = await this.readBlock(true);
        if (second && decodeHeader(second, at + BLOCK) !== 'zero')
          throw new FormatError(`lone zero block inside the archive at offset ${at}`);
        return this.end();
      }
      if (h.size > this.maxEntrySize)
        throw new FormatError(
          `entry "${clip(h.name)}" at offset ${at} declares ${h.size} bytes, over the limit`,
        );
      switch (h.type) {
        case 'gnu-longname':
          longName = trimNul(await this.readMeta(h, at));
          continue;
        case 'gnu-longlink':
          longLink = trimNul(await this.readMeta(h, at));
          continue;
        case 'pax':
          pax = parsePax(await this.readMeta(h, at));
          continue;
        case 'pax-global':
          await this.skipData(h.size);
          continue;
        case 'gnu-sparse':
          await this.skipSparseMap(h, at);
          return this.entry(h, 'sparse', longName, longLink, pax);
        default:
          return this.entry(h, h.type, longName, longLink, pax);
      }
    }
  }

  /** The data of the entry last returned by `next()`, chunk by chunk (views, not copies). */
  async *body(): AsyncGenerator<Buffer> {
    while (this.dataLeft > 0) {
      if (this.pos === this.chunk.length && !(await this.pull())) throw this.truncated();
      const n = Math.min(this.dataLeft, this.chunk.length - this.pos);
      const piece = this.chunk.subarray(this.pos, this.pos + n);
      this.pos += n;
      this.offset += n;
      this.dataLeft -= n;
      yield piece;
    }
  }

  /** Releases the source (call it when stopping before the end). */
  async close(): Promise<void> {
    await this.source.close?.();
  }

  /** Reads whatever follows the end-of-archive marker, so digests and limits see every byte. */
  async drain(): Promise<void> {
    if (!this.ended) throw new Error('drain() before the end of the archive');
    this.offset += this.chunk.length - this.pos;
    this.pos = this.chunk.length;
    for (let c = await this.source.read(); c; c = await this.source.read()) this.offset += c.length;
  }

  private entry(
    h: RawHeader,
    type: TarEntryType,
    longName: string | undefined,
    longLink: string | undefined,
    pax: Map<string, string> | undefined,
  ): TarEntry {
    let name = longName ?? h.name;
    let linkname = longLink ?? h.linkname;
    let size = h.size;
    if (pax) {
      name = pax.get('path') || name;
      linkname = pax.get('linkpath') || linkname;
      const paxSizeValue = pax.get('size');
      if (paxSizeValue && HAS_DATA.has(type)) size = paxSize(paxSizeValue);
      if (size > this.maxEntrySize)
        throw new FormatError(
          `entry "${clip(name)}" declares ${size} bytes in its PAX header, over the limit`,
        );
      if (isPaxSparse(pax)) {
        type = 'sparse';
        name = pax.get('GNU.sparse.name') || name;
      }
    }
    this.dataLeft = size;
    this.padLeft = padding(size);
    return { name, type, flag: h.flag, mode: h.mode, size, linkname, dataOffset: this.offset };
  }

  private end(): undefined {
    this.ended = true;
    return undefined;
  }

  private async readMeta(h: RawHeader, at: number): Promise<Buffer> {
    if (h.size > MAX_META)
      throw new FormatError(`extended header at offset ${at} is ${h.size} bytes (limit ${MAX_META})`);
    const out = Buffer.allocUnsafe(h.size);
    let filled = 0;
    while (filled < h.size) {
      if (this.pos === this.chunk.length && !(await this.pull())) throw this.truncated();
      const n = Math.min(h.size - filled, this.chunk.length - this.pos);
      this.chunk.copy(out, filled, this.pos, this.pos + n);
      filled += n;
      this.pos += n;
      this.offset += n;
    }
    await this.skip(padding(h.size));
    return out;
  }

  private async skipSparseMap(h: RawHeader, at: number): Promise<void> {
    let more = h.gnuSparseExtended;
    for (let i = 0; more; i++) {
      if (i >= MAX_SPARSE_BLOCKS) throw new FormatError(`sparse map at offset ${at} never ends`);
      const block = await this.readBlock(false);
      more = sparseExtensionContinues(block!);
    }
  }

  private async skipData(size: number): Promise<void> {
    await this.skip(size + padding(size));
  }

  private async skip(n: number): Promise<void> {
    const inChunk = Math.min(n, this.chunk.length - this.pos);
    this.pos += inChunk;
    this.offset += inChunk;
    let left = n - inChunk;
    if (left === 0) return;
    if (this.source.skip) {
      await this.source.skip(left);
      this.offset += left;
      return;
    }
    while (left > 0) {
      if (!(await this.pull())) throw this.truncated();
      const k = Math.min(left, this.chunk.length);
      this.pos = k;
      this.offset += k;
      left -= k;
    }
  }

  /** A whole block: a view into the chunk when it fits, else assembled in scratch space. */
  private async readBlock(endOk: boolean): Promise<Buffer | undefined> {
    if (this.chunk.length - this.pos >= BLOCK) {
      const b = this.chunk.subarray(this.pos, this.pos + BLOCK);
      this.pos += BLOCK;
      this.offset += BLOCK;
      return b;
    }
    let filled = 0;
    while (filled < BLOCK) {
      if (this.pos === this.chunk.length && !(await this.pull())) {
        if (filled === 0 && endOk) return undefined;
        throw this.truncated();
      }
      const n = Math.min(BLOCK - filled, this.chunk.length - this.pos);
      this.chunk.copy(this.scratch, filled, this.pos, this.pos + n);
      filled += n;
      this.pos += n;
      this.offset += n;
    }
    return this.scratch;
  }

  private async pull(): Promise<boolean> {
    for (;;) {
      const c = await this.source.read();
      if (!c) return false;
      if (c.length === 0) continue;
      this.chunk = c;
      this.pos = 0;
      return true;
    }
  }

  private truncated(): FormatError {
    return new FormatError(`truncated tar: data ends at offset ${this.offset} inside an entry`);
  }
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function trimNul(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.toString('utf8', 0, nul < 0 ? b.length : nul);
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
