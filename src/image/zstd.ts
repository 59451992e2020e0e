import { Decompress } from 'fzstd';
import { FormatError } from './format-error.js';

/**
 * Streaming zstd decompression with bounded memory. fzstd allocates whatever window a frame
 * header asks for (up to 2 GiB) and decodes every complete block of a pushed chunk at once, so
 * a guard reads each frame header first and the input is pushed in small slices.
 */

/** zstd's own default decoder limit (windowLog 27). */
const MAX_ZSTD_WINDOW = 128 << 20;
/** At most SLICE/4 RLE blocks of 128 KiB each come out of one push: 32 MiB. */
const SLICE = 1024;

const FRAME_MAGIC = 0xfd2fb528;

/**
 * Follows the frame structure of a zstd stream (frame headers, block headers, checksums,
 * skippable frames) without decoding, and rejects frames fzstd would mishandle.
 */
export class ZstdFrameGuard {
  private state: 'magic' | 'header' | 'block' | 'skip' = 'magic';
  private need = 4;
  private readonly buf = Buffer.alloc(18);
  private have = 0;
  private toSkip = 0;
  private lastBlock = false;
  private checksum = false;
  /** Block_Maximum_Size of the current frame: min(window, 128 KiB). */
  private maxBlock = 0;

  constructor(private readonly maxWindow = MAX_ZSTD_WINDOW) {}

  /** Feeds the next compressed bytes. */
  update(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.toSkip > 0) {
        const n = Math.min(this.toSkip, data.length - i);
        this.toSkip -= n;
        i += n;
        continue;
      }
      const n = Math.min(this.need - this.have, data.length - i);
      this.buf.set(data.subarray(i, i + n), this.have);
      this.have += n;
      i += n;
      if (this.have === this.need) this.step();
    }
  }

  /** True when the input ended at a frame boundary. */
  get atFrameBoundary(): boolean {
    return this.state === 'magic' && this.have === 0 && this.toSkip === 0;
  }

  private step(): void {
    const b = this.buf;
    switch (this.state) {
      case 'magic': {
        const magic = b.readUInt32LE(0);
        if (magic === FRAME_MAGIC) this.expect('header', 1);
        else if ((magic & 0xfffffff0) === 0x184d2a50) this.expect('skip', 4);
        else throw new FormatError('corrupt zstd data (bad frame magic)');
        return;
      }
      case 'skip':
        this.toSkip = b.readUInt32LE(0);
        this.expect('magic', 4);
        return;
      case 'header':
        if (this.need === 1) {
          this.need = headerLength(b[0]!);
          if (this.need > 1) return;
        }
        this.checkHeader();
        this.lastBlock = false;
        this.expect('block', 3);
        return;
      case 'block': {
        if (this.lastBlock) {
          this.expect('magic', 4);
          return;
        }
        const h = b[0]! | (b[1]! << 8) | (b[2]! << 16);
        const type = (h >> 1) & 3;
        if (type === 3) throw new FormatError('corrupt zstd data (reserved block type)');
        const size = h >>> 3;
        if (size > this.maxBlock)
          throw new FormatError('corrupt zstd data (block larger than the frame allows)');
        this.lastBlock = (h & 1) === 1;
        this.toSkip = type === 1 ? 1 : size;
        if (this.lastBlock) {
          if (this.checksum) this.toSkip += 4;
          this.expect('magic', 4);
        } else this.expect('block', 3);
        return;
      }
    }
  }

  private checkHeader(): void {
    const b = this.buf;
    const flags = b[0]!;
    if (flags & 8) throw new FormatError('corrupt zstd data (reserved header bit set)');
    const singleSegment = (flags >> 5) & 1;
    const fcsFlag = flags >> 6;
    const dictBytes = [0, 1, 2, 4][flags & 3]!;
    this.checksum = ((flags >> 2) & 1) === 1;
    let pos = 1;
    let window = 0;
    if (!singleSegment) {
      const wd = b[pos++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    let dictId = 0;
    for (let k = 0; k < dictBytes; k++) dictId += b[pos++]! * 2 ** (8 * k);
    if (dictId !== 0) throw new FormatError('zstd frames that need a dictionary are not supported');
    if (singleSegment) {
      const fcsBytes = [1, 2, 4, 8][fcsFlag]!;
      let fcs = 0;
      for (let k = 0; k < fcsBytes; k++) fcs += b[pos + k]! * 2 ** (8 * k);
      window = fcsBytes === 2 ? fcs + 256 : fcs;
    }
    if (window > this.maxWindow)
      throw new FormatError(`zstd frame asks for a ${window}-byte window (limit ${this.maxWindow})`);
    this.maxBlock = Math.min(window, 128 << 10);
  }

  private expect(state: ZstdFrameGuard['state'], need: number): void {
    this.state = state;
    this.need = need;
    this.have = 0;
  }
}

/** Frame header length from its descriptor byte (descriptor included). */
function headerLength(flags: number): number {
  const singleSegment = (flags >> 5) & 1;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][flags >> 6]!;
  return 1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][flags & 3]! + fcsBytes;
}

/** Decompresses a zstd stream chunk by chunk; output is yielded as fzstd produces it. */
export async function* zstdDecompress(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const guard = new ZstdFrameGuard();
  const out: Uint8Array[] = [];
  const decoder = new Decompress((data) => {
    if (data.length > 0) out.push(data);
  });
  for await (const chunk of input) {
    for (let i = 0; i < chunk.length; i += SLICE) {
      const slice = chunk.subarray(i, i + SLICE);
      guard.update(slice);
      push(decoder, slice, false);
      while (out.length > 0) {
        const d = out.shift()!;
        yield Buffer.from(d.buffer, d.byteOffset, d.length);
      }
    }
  }
  if (!guard.atFrameBoundary) throw new FormatError('truncated zstd data');
  push(decoder, new Uint8Array(0), true);
  for (const d of out) yield Buffer.from(d.buffer, d.byteOffset, d.length);
}

/** fzstd is a pure function of its input: whatever it throws means the data is corrupt. */
function push(decoder: Decompress, data: Uint8Array, final: boolean): void {
  try {
    decoder.push(data, final);
  } catch (err) {
    throw new FormatError(`corrupt zstd data (${(err as Error).message ?? err})`);
  }
}
