import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FormatError } from './format-error.js';
import { zstdDecompress } from './zstd.js';

/**
 * Layer blobs are gzip, zstd or plain tar whatever their media type says, so the compression is
 * sniffed from the first bytes. Output is capped: a layer that inflates past `maxBytes` is
 * refused (a decompression bomb), and memory stays bounded whatever the input.
 */

type Compression = 'gzip' | 'zstd' | 'none';

/** Decompressed bytes per chunk: large enough to keep per-chunk overhead negligible. */
const CHUNK = 256 << 10;

const UNSUPPORTED: [number[], string][] = [
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz'],
  [[0x42, 0x5a, 0x68], 'bzip2'],
  [[0x04, 0x22, 0x4d, 0x18], 'lz4'],
];

/** What compression `head` (the first bytes of a blob) starts with. */
export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  for (const [magic, name] of UNSUPPORTED)
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b))
      throw new FormatError(`${name}-compressed data is not supported (only gzip, zstd and plain tar)`);
  return 'none';
}

interface DecompressOptions {
  /** Refuse output beyond this many bytes. */
  maxBytes: number;
}

/** The decompressed content of `input`, capped at `maxBytes`. */
export async function* decompress(
  input: AsyncIterable<Buffer>,
  options: DecompressOptions,
): AsyncGenerator<Buffer> {
  const { head, rest } = await peek(input, 6);
  const whole = prepend(head, rest);
  const kind = sniffCompression(head);
  const plain = kind === 'gzip' ? gunzip(whole) : kind === 'zstd' ? zstdDecompress(whole) : whole;
  let total = 0;
  for await (const chunk of plain) {
    total += chunk.length;
    if (total > options.maxBytes)
      throw new FormatError(
        `decompressed data exceeds the limit of ${options.maxBytes} bytes (a decompression bomb?)`,
      );
    yield chunk;
  }
}

function gunzip(input: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const z = createGunzip({ chunkSize: CHUNK });
  const source = Readable.from(input, { objectMode: false });
  source.on('error', (err) => z.destroy(err));
  // A consumer that stops early destroys z; the source (and the file under it) must close too.
  z.on('close', () => source.destroy());
  source.pipe(z);
  return z;
}

/** Reads chunks until `n` bytes are seen (or the input ends); the rest stays unread. */
async function peek(
  input: AsyncIterable<Buffer>,
  n: number,
): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> }> {
  const it = input[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const r = await it.next();
    if (r.done) break;
    parts.push(r.value);
    size += r.value.length;
  }
  return { head: parts.length === 1 ? parts[0]! : Buffer.concat(parts), rest: it };
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  } finally {
    await rest.return?.();
  }
}
