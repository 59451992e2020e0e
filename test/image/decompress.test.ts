import { execFileSync, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decompress, sniffCompression } from '../../src/image/decompress.js';
import { FormatError, isDataError } from '../../src/image/format-error.js';
import { ZstdFrameGuard } from '../../src/image/zstd.js';

const zstd = (data: Buffer, args: string[] = ['-3']) =>
  execFileSync('zstd', ['-q', '-c', ...args], { input: data, maxBuffer: 1 << 28 });

async function inflate(data: Buffer, maxBytes = 2 ** 32, chunk = 4096): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) chunks.push(data.subarray(i, i + chunk));
  const out: Buffer[] = [];
  for await (const c of decompress(Readable.from(chunks), { maxBytes })) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

/** Drains a stream, sampling RSS: returns the error it ended with and the peak RSS growth. */
async function drainMeasuring(
  input: AsyncIterable<Buffer>,
  maxBytes: number,
): Promise<{ error?: Error; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  try {
    for await (const _ of decompress(input, { maxBytes })) peak = Math.max(peak, process.memoryUsage().rss);
    return { growth: peak - before };
  } catch (error) {
    return { error: error as Error, growth: peak - before };
  }
}

describe('compression sniffing', () => {
  it('recognises gzip, zstd and plain data, and names what it cannot read', () => {
    expect(sniffCompression(gzipSync('x'))).toBe('gzip');
    expect(sniffCompression(zstd(Buffer.from('x')))).toBe('zstd');
    expect(sniffCompression(Buffer.from('etc/passwd\0'))).toBe('none');
    expect(sniffCompression(Buffer.alloc(0))).toBe('none');
    expect(() => sniffCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1]))).toThrow(
      /xz-compressed data is not supported/,
    );
    expect(() => sniffCompression(Buffer.from('BZh91AY'))).toThrow(/bzip2/);
  });
});

describe('decompression', () => {
  it('round-trips gzip (including concatenated members), zstd (frames, checksums, skippable frames) and plain data', async () => {
    const a = randomBytes(300_000);
    const b = Buffer.alloc(200_000, 7);
    expect((await inflate(gzipSync(a))).equals(a)).toBe(true);
    expect((await inflate(Buffer.concat([gzipSync(a), gzipSync(b)]))).equals(Buffer.concat([a, b]))).toBe(
      true,
    );
    expect((await inflate(zstd(a, ['-19']))).equals(a)).toBe(true);
    expect((await inflate(zstd(b, ['--no-check']), undefined, 1)).equals(b)).toBe(true);
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);
    expect(
      (await inflate(Buffer.concat([zstd(a), skippable, zstd(b)]), undefined, 777)).equals(
        Buffer.concat([a, b]),
      ),
    ).toBe(true);
    expect((await inflate(a)).equals(a)).toBe(true);
  });

  it('matches the zstd CLI on random data and levels', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 50_000 }),
        fc.constantFrom('-1', '-3', '-9', '-19'),
        fc.integer({ min: 1, max: 70_000 }),
        async (data, level, chunk) => {
          const plain = Buffer.from(data);
          expect((await inflate(zstd(plain, level.split(' ')), undefined, chunk)).equals(plain)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('fails truncated gzip and zstd streams with a data error', async () => {
    const data = randomBytes(100_000);
    const gz = gzipSync(data);
    const z = zstd(data);
    for (const cut of [gz.subarray(0, gz.length - 10), gz.subarray(0, 20)]) {
      const err = await inflate(cut).catch((e: Error) => e);
      expect(isDataError(err)).toBe(true);
      expect((err as Error).message).toMatch(/unexpected end of file/);
    }
    for (const cut of [z.subarray(0, z.length - 3), z.subarray(0, 10)])
      await expect(inflate(cut)).rejects.toThrow(/truncated zstd data/);
  });

  it('refuses zstd frames that ask for an absurd window, or a dictionary', () => {
    const guard = () => new ZstdFrameGuard();
    // Window descriptor exponent 31: a 2 TiB window.
    expect(() => guard().update(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8]))).toThrow(/window/);
    // Single segment with an 8-byte content size of 1 GiB.
    expect(() =>
      guard().update(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0x40, 0, 0, 0, 0])),
    ).toThrow(/window/);
    expect(() => guard().update(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x01, 0x50, 0x05]))).toThrow(
      /dictionary/,
    );
    expect(() => guard().update(Buffer.from([0x28, 0xb5, 0x2f, 0xfe]))).toThrow(/bad frame magic/);
  });

  it('stops a gzip bomb at the ceiling with bounded memory', async () => {
    async function* bomb() {
      const gz = createGzip({ level: 9 });
      const zeros = Buffer.alloc(1 << 20);
      const feed = (async () => {
        for (let i = 0; i < 4096 && !gz.destroyed; i++)
          if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
        gz.end();
      })();
      yield* gz;
      await feed;
    }
    const { error, growth } = await drainMeasuring(bomb(), 256 << 20);
    expect(error).toBeInstanceOf(FormatError);
    expect(error!.message).toMatch(/exceeds the limit of 268435456 bytes/);
    expect(growth).toBeLessThan(150 << 20);
  });

  it('stops a zstd bomb at the ceiling with bounded memory', async () => {
    const compressed = execSync('head -c 1G /dev/zero | zstd -q -c -1', { maxBuffer: 1 << 26 });
    expect(compressed.length).toBeLessThan(1 << 20);
    const { error, growth } = await drainMeasuring(Readable.from([compressed]), 256 << 20);
    expect(error!.message).toMatch(/exceeds the limit of 268435456 bytes/);
    expect(growth).toBeLessThan(250 << 20);
  });

  it('throws only data errors on random and mutated compressed input', async () => {
    const sample = randomBytes(5000);
    const gz = gzipSync(sample);
    const z = zstd(sample);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(gz, z),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        async (base, muts) => {
          const b = Buffer.from(base);
          for (const [i, v] of muts) b[i % b.length] = v;
          try {
            await inflate(b, 1 << 24, 333);
          } catch (err) {
            expect(isDataError(err)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
