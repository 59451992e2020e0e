import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/errors.js';
import {
  bufferSource,
  fileSource,
  type RandomAccessSource,
  ZipArchive,
  type ZipEntry,
  type ZipLimits,
} from '../../src/util/zip.js';
import { writeZip } from './zip-writer.js';

async function list(archive: ZipArchive): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  for await (const e of archive.entries()) out.push(e);
  return out;
}

async function open(buf: Buffer, limits?: Partial<ZipLimits>): Promise<ZipArchive> {
  return ZipArchive.open(bufferSource(buf), { name: 'test.zip', limits });
}

/** Reads every entry; resolves to name → content. */
async function readAll(buf: Buffer, limits?: Partial<ZipLimits>): Promise<Map<string, Buffer>> {
  const archive = await open(buf, limits);
  const out = new Map<string, Buffer>();
  for (const e of await list(archive)) out.set(e.name, await archive.read(e));
  return out;
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).not.toContain('\n');
    return err as UserError;
  }
  throw new Error('expected a UserError, got success');
}

const safeName = fc
  .array(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,12}$/), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'))
  .filter((n) => !n.split('/').some((p) => p === '.' || p === '..'));

const entriesArb = fc.uniqueArray(
  fc.record({
    name: safeName,
    data: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
    method: fc.constantFrom(0, 8),
  }),
  { selector: (e) => e.name, maxLength: 12 },
);

describe('zip reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-zip-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what was written, with or without ZIP64 records, prefix and comment', async () => {
    await fc.assert(
      fc.asyncProperty(
        entriesArb,
        fc.boolean(),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 200 }),
        async (entries, zip64, prefix, comment) => {
          const zip = writeZip(entries, {
            zip64,
            prefix: Buffer.from(prefix),
            comment: Buffer.from(comment),
          });
          const got = await readAll(zip);
          expect([...got.keys()]).toEqual(entries.map((e) => e.name));
          for (const e of entries) expect(got.get(e.name)?.equals(e.data)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('survives any single corruption or truncation with a UserError or correct data', async () => {
    const base = writeZip(
      [
        { name: 'a.txt', data: Buffer.from('hello '.repeat(200)) },
        { name: 'dir/b.bin', data: randomBytes(5000), method: 0 },
        { name: 'c.json', data: Buffer.from(JSON.stringify({ x: [1, 2, 3] })) },
      ],
      { zip64: false },
    );
    const original = await readAll(base);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant('byte' as const),
            at: fc.nat(base.length - 1),
            value: fc.nat(255),
          }),
          fc.record({
            kind: fc.constant('cut' as const),
            at: fc.nat(base.length - 1),
            value: fc.constant(0),
          }),
        ),
        async ({ kind, at, value }) => {
          const bad = Buffer.from(base);
          if (kind === 'byte') bad[at] = value;
          const input = kind === 'cut' ? bad.subarray(0, at) : bad;
          try {
            const got = await readAll(input);
            // The directory may lose its meaning but what is read is never silently wrong.
            for (const [name, data] of got) {
              const want = original.get(name);
              if (want) expect(data.equals(want)).toBe(true);
            }
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws anything but a UserError on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const buf = Buffer.from(bytes);
        // Half the runs carry an end record, so the parser gets past the first check.
        const input = bytes.length % 2 ? Buffer.concat([buf, writeZip([]).subarray(-22)]) : buf;
        try {
          await readAll(input);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads archives made by zip, jar and Python zipfile (ZIP64) as those tools list them', async () => {
    const src = join(dir, 'tree');
    mkdirSync(join(src, 'sub/deeper'), { recursive: true });
    const files: Record<string, Buffer> = {
      'a.txt': Buffer.from('alpha\n'.repeat(1000)),
      'sub/b.bin': randomBytes(70_000),
      'sub/deeper/c.txt': Buffer.from('gamma'),
      'empty.txt': Buffer.alloc(0),
    };
    for (const [k, v] of Object.entries(files)) writeFileSync(join(src, k), v);
    const zipPath = join(dir, 'info.zip');
    execFileSync('zip', ['-qr', zipPath, '.'], { cwd: src });
    const jarPath = join(dir, 'made.jar');
    execFileSync('jar', ['cf', jarPath, '-C', src, '.']);
    const pyPath = join(dir, 'py64.zip');
    execFileSync('python3', [
      '-c',
      `import zipfile,os,sys
with zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z:
  for root,_,fs in os.walk(sys.argv[2]):
    for f in fs:
      p=os.path.join(root,f)
      with z.open(os.path.relpath(p,sys.argv[2]),'w',force_zip64=True) as w: w.write(open(p,'rb').read())`,
      pyPath,
      src,
    ]);
    for (const path of [zipPath, jarPath, pyPath]) {
      const listed = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
      const source = await fileSource(path);
      try {
        const archive = await ZipArchive.open(source, { name: path });
        const entries = await list(archive);
        expect(entries.map((e) => e.name)).toEqual(listed);
        for (const e of entries) {
          const want = files[e.name];
          if (want) expect((await archive.read(e)).equals(want)).toBe(true);
        }
        expect(entries.filter((e) => !e.isDirectory && files[e.name]).length).toBe(4);
      } finally {
        await source.close();
      }
    }
  });

  it('writes test archives that unzip -t accepts (the writer used here is sound)', () => {
    const path = join(dir, 'writer.zip');
    writeFileSync(
      path,
      writeZip(
        [
          { name: 'x/y.txt', data: Buffer.from('y'.repeat(5000)) },
          { name: 'z', data: randomBytes(100), method: 0 },
        ],
        { zip64: true },
      ),
    );
    expect(execFileSync('unzip', ['-t', path], { encoding: 'utf8' })).toContain('No errors detected');
  });

  it('streams a large entry in chunks', async () => {
    const data = randomBytes(6 * 1024 * 1024);
    const archive = await open(writeZip([{ name: 'big', data }]));
    const [entry] = await list(archive);
    const chunks: Buffer[] = [];
    for await (const c of archive.stream(entry!)) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(3);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('refuses an entry whose declared size is over the per-entry limit', async () => {
    const zip = writeZip([{ name: 'a', data: Buffer.alloc(5000, 1) }]);
    const err = await failure(readAll(zip, { maxEntryBytes: 4096 }));
    expect(err.message).toMatch(/^test\.zip!\/a: 5000 bytes uncompressed, more than the 4096-byte limit$/);
  });

  it('refuses entries compressed beyond the ratio limit (a classic bomb)', async () => {
    const zip = writeZip([{ name: 'zeros', data: Buffer.alloc(20 * 1024 * 1024) }]);
    const err = await failure(readAll(zip));
    expect(err.message).toMatch(/compression ratio over 200:1.*zip bomb/);
  });

  it('stops at the total budget across entries', async () => {
    const entries = Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, data: randomBytes(100_000) }));
    const err = await failure(readAll(writeZip(entries), { maxTotalBytes: 500_000 }));
    expect(err.message).toBe('test.zip: inflates to more than 500000 bytes in total (zip bomb?)');
  });

  it('refuses overlapping entries (several names for the same bytes)', async () => {
    const zip = writeZip([{ name: 'kernel', data: Buffer.alloc(1000, 7) }], {
      aliases: [
        { name: 'copy1', of: 0 },
        { name: 'copy2', of: 0 },
      ],
    });
    const err = await failure(open(zip));
    expect(err.message).toBe('test.zip: corrupt zip archive: entries overlap (zip bomb?)');
  });

  it.each([1000, 5 * 1024 * 1024])(
    'refuses data longer than declared, a wrong CRC and short data (%i bytes)',
    async (size) => {
      const data = randomBytes(size);
      const longer = await failure(readAll(writeZip([{ name: 'a', data, declaredSize: size - 10 }])));
      expect(longer.message).toBe(`test.zip!/a: inflates to more than its declared ${size - 10} bytes`);
      const crc = await failure(readAll(writeZip([{ name: 'a', data, crc: 1234 }])));
      expect(crc.message).toBe('test.zip!/a: CRC-32 mismatch (corrupt entry)');
      const shorter = await failure(readAll(writeZip([{ name: 'a', data, declaredSize: size + 1000 }])));
      expect(shorter.message).toBe(`test.zip!/a: inflates to ${size} bytes, not the declared ${size + 1000}`);
    },
  );

  it('reports hostile names and still lists them', async () => {
    const names = ['../evil', '/etc/passwd', 'a/../../b', 'C:\\win', 'ok/..x', 'fine/name'];
    const archive = await open(writeZip(names.map((name) => ({ name, data: Buffer.from(name) }))));
    const got = Object.fromEntries((await list(archive)).map((e) => [e.name, e.unsafeName]));
    expect(got).toEqual({
      '../evil': "'..' component",
      '/etc/passwd': 'absolute path',
      'a/../../b': "'..' component",
      'C:\\win': 'absolute path',
      'ok/..x': undefined,
      'fine/name': undefined,
    });
  });

  it('decodes CP437 names when the UTF-8 flag is off', async () => {
    const archive = await open(
      writeZip([{ name: '', rawName: Buffer.from([0x80, 0x61, 0xe1, 0xff]), data: Buffer.alloc(1) }]),
    );
    const [entry] = await list(archive);
    expect(entry?.name).toBe('Ça\u00df\u00a0');
  });

  it('gives one clear line for truncated archives and non-archives', async () => {
    const zip = writeZip([{ name: 'a', data: randomBytes(2000) }]);
    expect((await failure(open(zip.subarray(0, zip.length - 5)))).message).toBe(
      'test.zip: not a zip archive, or truncated (no end-of-central-directory record)',
    );
    expect((await failure(open(Buffer.from('just text, long enough to look')))).message).toContain(
      'not a zip archive',
    );
    const headless = Buffer.concat([Buffer.alloc(100), zip.subarray(1200)]);
    expect((await failure(readAll(headless))).message).toMatch(/^test\.zip(!\/a)?: /);
  });

  it('refuses an entry count the central directory cannot hold', async () => {
    const zip = writeZip([{ name: 'a', data: Buffer.from('a') }]);
    zip.writeUInt16LE(0xfff0, zip.length - 22 + 8);
    zip.writeUInt16LE(0xfff0, zip.length - 22 + 10);
    expect((await failure(open(zip))).message).toBe(
      'test.zip: corrupt zip archive: declares 65520 entries, more than its 47-byte central directory can hold',
    );
  });

  it('refuses encrypted entries and unsupported methods by name', async () => {
    const enc = writeZip([{ name: 'secret', data: Buffer.from('x'), flags: 0x801 }]);
    expect((await failure(readAll(enc))).message).toBe(
      'test.zip!/secret: encrypted entries are not supported',
    );
    const bz = writeZip([{ name: 'b.bz2', data: Buffer.from('x'), method: 12 }]);
    expect((await failure(readAll(bz))).message).toBe(
      'test.zip!/b.bz2: compression method 12 is not supported (only stored and deflate)',
    );
  });

  it('opens nested archives from stored entries without copying and from deflated ones', async () => {
    const inner = writeZip([{ name: 'inner.txt', data: Buffer.from('nested!') }]);
    const outer = writeZip([
      { name: 'lib/stored.jar', data: inner, method: 0 },
      { name: 'lib/deflated.jar', data: inner, method: 8 },
    ]);
    const archive = await open(outer);
    for (const e of await list(archive)) {
      const source: RandomAccessSource = await archive.open(e);
      const nested = await ZipArchive.open(source, { name: archive.entryLabel(e), budget: archive.budget });
      const found = await nested.find('inner.txt');
      expect((await nested.read(found!)).toString()).toBe('nested!');
    }
  });

  it('names the file when it cannot be opened', async () => {
    await expect(fileSource(join(dir, 'missing.zip'))).rejects.toThrow(
      /missing\.zip: cannot open \(ENOENT\)/,
    );
  });
});
