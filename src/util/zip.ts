import { Readable } from 'node:stream';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { inputError, UserError } from './errors.js';
import { bufferSource, type RandomAccessSource, readExactly, windowSource } from './random-access.js';

export { bufferSource, fileSource, type RandomAccessSource } from './random-access.js';

/**
 * A bounded zip reader over any random-access source (a file in a layer, a file on disk, a
 * buffer, an entry of another zip). It reads the central directory, never the local headers
 * in sequence, so it finds entries without scanning the archive and ignores data that the
 * directory does not name. Every byte inflated is counted against limits, checked against
 * the declared size and CRC-32, and overlapping entries (the "better zip bomb") are refused.
 */

export interface ZipLimits {
  /** Central-directory records; an archive declaring more is refused. */
  maxEntries: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes inflated through one budget (an archive and the archives nested in it). */
  maxTotalBytes: number;
  /** Uncompressed/compressed size, checked for entries over RATIO_CHECK_FLOOR bytes. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = {
  maxEntries: 2_000_000,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024 * 1024,
  maxRatio: 200,
};

/** Small entries compress far better than any bomb could profit from; the ratio check skips them. */
export const RATIO_CHECK_FLOOR = 1024 * 1024;

export interface ZipEntry {
  /** As stored (UTF-8 when flagged, else CP437); directories end in "/". */
  readonly name: string;
  readonly isDirectory: boolean;
  /** 0 stored, 8 deflate; others cannot be read. */
  readonly method: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  /** Length of the stored name in bytes. */
  readonly nameLength: number;
  /** Offset of the local header in the source (prepended data already accounted for). */
  readonly localHeaderOffset: number;
  /** Why the name is unsafe as a file path ("absolute path", "'..' component"), if it is. */
  readonly unsafeName?: string;
}

/** Uncompressed bytes allowed across an archive and everything nested in it. */
export class ZipBudget {
  private spent = 0;
  constructor(readonly limit: number) {}

  charge(bytes: number, label: string): void {
    this.spent += bytes;
    if (this.spent > this.limit)
      throw inputError(label, `inflates to more than ${this.limit} bytes in total (zip bomb?)`);
  }
}

export interface ZipOptions {
  /** Names the archive in errors: a path, or "outer.war!/WEB-INF/lib/inner.jar". */
  name: string;
  limits?: Partial<ZipLimits>;
  /** Share one budget with the archive this one is nested in. */
  budget?: ZipBudget;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const CHUNK = 64 * 1024;
/** Entries up to this size (compressed and not) are read and inflated in one go. */
const ONE_SHOT_MAX = 4 * 1024 * 1024;
/** Local extra fields are usually short; a longer one costs a second read. */
const LOCAL_EXTRA_GUESS = 64;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;

interface Directory {
  start: number;
  size: number;
  count: number;
  /** Bytes before the archive proper (self-extractors, launch scripts of executable jars). */
  base: number;
}

export class ZipArchive {
  private constructor(
    private readonly source: RandomAccessSource,
    readonly name: string,
    private readonly dir: Directory,
    private readonly limits: ZipLimits,
    /** Charged for every byte inflated; pass it to archives opened from this one's entries. */
    readonly budget: ZipBudget,
  ) {}

  /** Reads and validates the central directory; throws a one-line UserError when it is unusable. */
  static async open(source: RandomAccessSource, options: ZipOptions): Promise<ZipArchive> {
    const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
    const dir = await readDirectoryEnd(source, options.name);
    if (dir.count > limits.maxEntries)
      throw inputError(
        options.name,
        `declares ${dir.count} entries, more than the limit of ${limits.maxEntries}`,
      );
    const archive = new ZipArchive(
      source,
      options.name,
      dir,
      limits,
      options.budget ?? new ZipBudget(limits.maxTotalBytes),
    );
    await archive.checkLayout();
    return archive;
  }

  get entryCount(): number {
    return this.dir.count;
  }

  /** Central-directory entries in stored order, read in chunks (memory does not grow with the archive). */
  async *entries(): AsyncGenerator<ZipEntry> {
    let buf = Buffer.alloc(0);
    let bufStart = this.dir.start;
    const end = this.dir.start + this.dir.size;
    const ensure = async (pos: number, length: number): Promise<Buffer> => {
      if (pos + length > end) throw this.corrupt('central directory runs past its declared size');
      if (pos + length > bufStart + buf.length) {
        const keep = buf.subarray(pos - bufStart);
        const want = Math.min(Math.max(length - keep.length, CHUNK), end - pos - keep.length);
        const more = await readExactly(this.source, pos + keep.length, want, () =>
          this.corrupt('truncated inside the central directory'),
        );
        buf = Buffer.concat([keep, more]);
        bufStart = pos;
      }
      return buf.subarray(pos - bufStart, pos - bufStart + length);
    };
    let pos = this.dir.start;
    for (let i = 0; i < this.dir.count; i++) {
      const fixed = await ensure(pos, CENTRAL_SIZE);
      if (fixed.readUInt32LE(0) !== SIG_CENTRAL)
        throw this.corrupt(`central directory record ${i} is damaged`);
      const length = CENTRAL_SIZE + fixed.readUInt16LE(28) + fixed.readUInt16LE(30) + fixed.readUInt16LE(32);
      yield this.parseCentral(await ensure(pos, length), i);
      pos += length;
    }
  }

  /** The first entry with this exact name. */
  async find(name: string): Promise<ZipEntry | undefined> {
    for await (const entry of this.entries()) if (entry.name === name) return entry;
    return undefined;
  }

  /**
   * The entry's uncompressed bytes in chunks. Size and CRC are verified as the last chunk
   * is produced: a consumer that reads to the end has checked data or an error.
   */
  async *stream(entry: ZipEntry): AsyncGenerator<Buffer> {
    const label = this.entryLabel(entry);
    this.checkReadable(entry, label);
    const small = entry.compressedSize <= ONE_SHOT_MAX && entry.uncompressedSize <= ONE_SHOT_MAX;
    const { start, prefix } = await this.locateData(entry, label, small ? entry.compressedSize : 0);
    if (small) {
      yield this.verified(entry, label, await this.inflateWhole(entry, label, start, prefix));
      return;
    }
    const raw = readRange(this.source, start, entry.compressedSize, () =>
      inputError(label, 'truncated: the archive ends inside this entry'),
    );
    let produced = 0;
    let crc = 0;
    try {
      for await (const chunk of entry.method === 0 ? raw : inflate(raw)) {
        produced += chunk.length;
        if (produced > entry.uncompressedSize)
          throw inputError(label, `inflates to more than its declared ${entry.uncompressedSize} bytes`);
        this.budget.charge(chunk.length, this.name);
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw inputError(label, `corrupt compressed data (${(err as Error).message})`, err);
    }
    if (produced !== entry.uncompressedSize)
      throw inputError(label, `inflates to ${produced} bytes, not the declared ${entry.uncompressedSize}`);
    if (crc !== entry.crc32) throw inputError(label, 'CRC-32 mismatch (corrupt entry)');
  }

  /** Small entries in one read and one synchronous inflate: streams cost more than the data. */
  private async inflateWhole(entry: ZipEntry, label: string, start: number, prefix: Buffer): Promise<Buffer> {
    const raw =
      prefix.length >= entry.compressedSize
        ? prefix.subarray(0, entry.compressedSize)
        : Buffer.concat([
            prefix,
            await readExactly(this.source, start + prefix.length, entry.compressedSize - prefix.length, () =>
              inputError(label, 'truncated: the archive ends inside this entry'),
            ),
          ]);
    if (entry.method === 0) return raw;
    try {
      return inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (err) {
      if (err instanceof RangeError)
        throw inputError(label, `inflates to more than its declared ${entry.uncompressedSize} bytes`);
      throw inputError(label, `corrupt compressed data (${(err as Error).message})`, err);
    }
  }

  private verified(entry: ZipEntry, label: string, data: Buffer): Buffer {
    if (data.length > entry.uncompressedSize)
      throw inputError(label, `inflates to more than its declared ${entry.uncompressedSize} bytes`);
    if (data.length !== entry.uncompressedSize)
      throw inputError(label, `inflates to ${data.length} bytes, not the declared ${entry.uncompressedSize}`);
    this.budget.charge(data.length, this.name);
    if (crc32(data) !== entry.crc32) throw inputError(label, 'CRC-32 mismatch (corrupt entry)');
    return data;
  }

  /** The whole entry, verified; `maxBytes` lowers the per-entry limit for this read. */
  async read(entry: ZipEntry, maxBytes = this.limits.maxEntryBytes): Promise<Buffer> {
    if (entry.uncompressedSize > maxBytes)
      throw inputError(
        this.entryLabel(entry),
        `${entry.uncompressedSize} bytes uncompressed, more than the ${maxBytes}-byte limit`,
      );
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(entry)) chunks.push(chunk);
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, entry.uncompressedSize);
  }

  /**
   * An entry as a random-access source, for archives nested in archives: a window onto this
   * source when the entry is stored (nothing is copied), else the entry inflated into memory.
   */
  async open(entry: ZipEntry, maxBytes = this.limits.maxEntryBytes): Promise<RandomAccessSource> {
    if (entry.method !== 0 || entry.encrypted) return bufferSource(await this.read(entry, maxBytes));
    const label = this.entryLabel(entry);
    this.checkReadable(entry, label);
    if (entry.compressedSize !== entry.uncompressedSize)
      throw inputError(label, 'stored entry with different compressed and uncompressed sizes');
    const { start } = await this.locateData(entry, label, 0);
    return windowSource(this.source, start, entry.uncompressedSize);
  }

  entryLabel(entry: ZipEntry): string {
    return `${this.name}!/${entry.name}`;
  }

  private corrupt(problem: string): UserError {
    return inputError(this.name, `corrupt zip archive: ${problem}`);
  }

  private parseCentral(rec: Buffer, index: number): ZipEntry {
    const flags = rec.readUInt16LE(8);
    const nameLength = rec.readUInt16LE(28);
    const extraLength = rec.readUInt16LE(30);
    const rawName = rec.subarray(CENTRAL_SIZE, CENTRAL_SIZE + nameLength);
    const extra = rec.subarray(CENTRAL_SIZE + nameLength, CENTRAL_SIZE + nameLength + extraLength);
    let uncompressedSize = rec.readUInt32LE(24);
    let compressedSize = rec.readUInt32LE(20);
    let offset = rec.readUInt32LE(42);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      const z = findExtra(extra, 0x0001);
      if (!z) throw this.corrupt(`entry ${index} needs a ZIP64 extra field and has none`);
      let at = 0;
      const next = (): number => {
        if (at + 8 > z.length) throw this.corrupt(`entry ${index} has a short ZIP64 extra field`);
        const v = readUInt64(z, at);
        at += 8;
        if (v === undefined) throw this.corrupt(`entry ${index} has a size beyond 2^53`);
        return v;
      };
      if (uncompressedSize === 0xffffffff) uncompressedSize = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (offset === 0xffffffff) offset = next();
    }
    const name = decodeName(rawName, flags);
    return {
      name,
      isDirectory: name.endsWith('/'),
      method: rec.readUInt16LE(10),
      encrypted: (flags & FLAG_ENCRYPTED) !== 0,
      compressedSize,
      uncompressedSize,
      crc32: rec.readUInt32LE(16),
      nameLength,
      localHeaderOffset: offset + this.dir.base,
      unsafeName: unsafeNameReason(name),
    };
  }

  /**
   * One pass over the directory: the count must match, every entry's data must lie before the
   * directory, and no two entries may share bytes (overlaps are how the worst bombs multiply).
   */
  private async checkLayout(): Promise<void> {
    const starts = new Float64Array(this.dir.count);
    const ends = new Float64Array(this.dir.count);
    let n = 0;
    let sorted = true;
    for await (const e of this.entries()) {
      // A lower bound: the local extra field may add more, never less.
      const end = e.localHeaderOffset + LOCAL_SIZE + e.nameLength + e.compressedSize;
      if (end > this.dir.start) throw this.corrupt(`entry "${e.name}" extends into the central directory`);
      if (n > 0 && e.localHeaderOffset < (starts[n - 1] as number)) sorted = false;
      starts[n] = e.localHeaderOffset;
      ends[n] = end;
      n++;
    }
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    if (!sorted) order.sort((a, b) => (starts[a] as number) - (starts[b] as number));
    for (let i = 1; i < n; i++) {
      const prev = order[i - 1] as number;
      if ((starts[order[i] as number] as number) < (ends[prev] as number))
        throw this.corrupt('entries overlap (zip bomb?)');
    }
  }

  private checkReadable(entry: ZipEntry, label: string): void {
    if (entry.encrypted) throw inputError(label, 'encrypted entries are not supported');
    if (entry.method !== 0 && entry.method !== 8)
      throw inputError(
        label,
        `compression method ${entry.method} is not supported (only stored and deflate)`,
      );
    if (entry.uncompressedSize > this.limits.maxEntryBytes)
      throw inputError(
        label,
        `${entry.uncompressedSize} bytes uncompressed, more than the ${this.limits.maxEntryBytes}-byte limit`,
      );
    if (
      entry.uncompressedSize > RATIO_CHECK_FLOOR &&
      entry.uncompressedSize > entry.compressedSize * this.limits.maxRatio
    )
      throw inputError(
        label,
        `compression ratio over ${this.limits.maxRatio}:1 (${entry.compressedSize} → ${entry.uncompressedSize} bytes; zip bomb?)`,
      );
  }

  /**
   * Where the entry's data starts, from its local header. Reads the header and, in the same
   * read, up to `prefetch` bytes of data (returned as `prefix`) when they follow it directly.
   */
  private async locateData(
    entry: ZipEntry,
    label: string,
    prefetch: number,
  ): Promise<{ start: number; prefix: Buffer }> {
    const wanted = LOCAL_SIZE + entry.nameLength + LOCAL_EXTRA_GUESS + prefetch;
    const block = await this.source.readAt(
      entry.localHeaderOffset,
      Math.min(wanted, this.dir.start - entry.localHeaderOffset),
    );
    if (block.length < LOCAL_SIZE) throw inputError(label, 'truncated: local header missing');
    if (block.readUInt32LE(0) !== SIG_LOCAL) throw inputError(label, 'corrupt zip archive: bad local header');
    const localNameLength = block.readUInt16LE(26);
    const headerLength = LOCAL_SIZE + localNameLength + block.readUInt16LE(28);
    const start = entry.localHeaderOffset + headerLength;
    if (block.readUInt16LE(8) !== entry.method || localNameLength !== entry.nameLength)
      throw inputError(label, 'corrupt zip archive: local header disagrees with the central directory');
    if (start + entry.compressedSize > this.dir.start)
      throw inputError(label, 'corrupt zip archive: entry data runs into the central directory');
    return { start, prefix: block.subarray(Math.min(headerLength, block.length)) };
  }
}

async function* readRange(
  source: RandomAccessSource,
  start: number,
  length: number,
  short: () => Error,
): AsyncGenerator<Buffer> {
  for (let pos = start; pos < start + length; pos += CHUNK)
    yield await readExactly(source, pos, Math.min(CHUNK, start + length - pos), short);
}

async function* inflate(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = Readable.from(raw);
  const inflater = createInflateRaw();
  input.on('error', (err) => inflater.destroy(err));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

/** Finds the end-of-central-directory record (and its ZIP64 form) and where the directory lies. */
async function readDirectoryEnd(source: RandomAccessSource, name: string): Promise<Directory> {
  const corrupt = (problem: string) => inputError(name, `corrupt zip archive: ${problem}`);
  if (source.size < EOCD_SIZE) throw inputError(name, 'not a zip archive (too short)');
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = source.size - tailLength;
  const tail = await readExactly(source, tailStart, tailLength, () => corrupt('unreadable end'));
  let at = -1;
  // The record whose comment ends exactly at end of file; a signature inside a comment cannot qualify.
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw inputError(name, 'not a zip archive, or truncated (no end-of-central-directory record)');
  const eocd = tail.subarray(at, at + EOCD_SIZE);
  const eocdPos = tailStart + at;
  let count = eocd.readUInt16LE(10);
  let size = eocd.readUInt32LE(12);
  let offset = eocd.readUInt32LE(16);
  let end = eocdPos;
  if (eocd.readUInt16LE(4) !== 0 || eocd.readUInt16LE(6) !== 0 || count !== eocd.readUInt16LE(8))
    throw inputError(name, 'multi-disk (split) zip archives are not supported');
  const locatorPos = eocdPos - ZIP64_LOCATOR_SIZE;
  if (locatorPos >= 0) {
    const locator = await readExactly(source, locatorPos, ZIP64_LOCATOR_SIZE, () => corrupt('unreadable'));
    if (locator.readUInt32LE(0) === SIG_ZIP64_LOCATOR) {
      const declared = readUInt64(locator, 8);
      const record = await readZip64End(source, declared, locatorPos);
      if (!record) throw corrupt('ZIP64 end-of-central-directory record missing');
      const z = record.buf;
      const total = readUInt64(z, 32);
      const cdSize = readUInt64(z, 40);
      const cdOffset = readUInt64(z, 48);
      if (total === undefined || cdSize === undefined || cdOffset === undefined)
        throw corrupt('ZIP64 sizes beyond 2^53');
      if (z.readUInt32LE(16) !== 0 || z.readUInt32LE(20) !== 0 || readUInt64(z, 24) !== total)
        throw inputError(name, 'multi-disk (split) zip archives are not supported');
      count = total;
      size = cdSize;
      offset = cdOffset;
      end = record.pos;
    }
  }
  if (count * CENTRAL_SIZE > size)
    throw corrupt(`declares ${count} entries, more than its ${size}-byte central directory can hold`);
  const base = end - size - offset;
  if (base < 0) throw corrupt('central directory offset points past its end (truncated?)');
  return { start: offset + base, size, count, base };
}

/** At the declared offset, or right before the locator when data was prepended to the archive. */
async function readZip64End(
  source: RandomAccessSource,
  declared: number | undefined,
  locatorPos: number,
): Promise<{ pos: number; buf: Buffer } | undefined> {
  for (const pos of [declared, locatorPos - ZIP64_EOCD_SIZE]) {
    if (pos === undefined || pos < 0 || pos + ZIP64_EOCD_SIZE > locatorPos) continue;
    const buf = await source.readAt(pos, ZIP64_EOCD_SIZE);
    if (buf.length === ZIP64_EOCD_SIZE && buf.readUInt32LE(0) === SIG_ZIP64_EOCD) return { pos, buf };
  }
  return undefined;
}

function readUInt64(buf: Buffer, at: number): number | undefined {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
}

function findExtra(extra: Buffer, id: number): Buffer | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(at + 2);
    if (extra.readUInt16LE(at) === id) return extra.subarray(at + 4, Math.min(extra.length, at + 4 + length));
    at += 4 + length;
  }
  return undefined;
}

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(raw: Buffer, flags: number): string {
  if (flags & FLAG_UTF8) return raw.toString('utf8');
  let s = '';
  for (const b of raw) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

/** Why a name would escape an extraction root, if it would. */
export function unsafeNameReason(name: string): string | undefined {
  if (!/[\0\\:]|^\/|\.\./.test(name)) return undefined;
  if (name.includes('\0')) return 'NUL byte in name';
  const slashed = name.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return 'absolute path';
  if (slashed.split('/').includes('..')) return "'..' component";
  return undefined;
}
