import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/image/format-error.js';
import { type ByteSource, TarReader } from '../../../src/image/tar/reader.js';
import { paxBody, type TarFormat, tarArchive, tarEntry } from '../helpers/tar-writer.js';

interface Read {
  name: string;
  type: string;
  size: number;
  mode: number;
  linkname: string;
  data: string;
}

/** Feeds `buf` in chunks of the given sizes (cycled), to exercise headers split across chunks. */
function chunked(buf: Buffer, sizes: number[] = [buf.length || 1]): ByteSource {
  let pos = 0;
  let i = 0;
  return {
    async read() {
      if (pos >= buf.length) return undefined;
      const n = Math.max(1, sizes[i++ % sizes.length]!);
      const c = buf.subarray(pos, pos + n);
      pos += n;
      return c;
    },
  };
}

async function readAll(buf: Buffer, sizes?: number[], readBodies = true): Promise<Read[]> {
  const reader = new TarReader(chunked(buf, sizes));
  const out: Read[] = [];
  for (let e = await reader.next(); e; e = await reader.next()) {
    const parts: Buffer[] = [];
    if (readBodies) for await (const c of reader.body()) parts.push(Buffer.from(c));
    out.push({
      name: e.name,
      type: e.type,
      size: e.size,
      mode: e.mode,
      linkname: e.linkname,
      data: Buffer.concat(parts).toString(),
    });
  }
  await reader.drain();
  return out;
}

describe('tar reader: formats', () => {
  for (const format of ['ustar', 'gnu', 'pax'] as TarFormat[]) {
    it(`reads ${format} files, dirs, links and devices`, async () => {
      const tar = tarArchive(
        [
          { name: 'etc/', type: '5', mode: 0o755 },
          { name: 'etc/hostname', data: 'box\n', mode: 0o644 },
          { name: 'bin/sh', type: '2', linkname: '/bin/dash' },
          { name: 'bin/hard', type: '1', linkname: 'etc/hostname' },
          { name: 'dev/null', type: '3' },
          { name: 'run/fifo', type: '6' },
          { name: 'usr/bin/suid', data: 'x', mode: 0o4755 },
        ],
        format,
      );
      const entries = await readAll(tar, [7, 513, 100]);
      expect(entries.map((e) => [e.name, e.type, e.data, e.linkname])).toEqual([
        ['etc/', 'directory', '', ''],
        ['etc/hostname', 'file', 'box\n', ''],
        ['bin/sh', 'symlink', '', '/bin/dash'],
        ['bin/hard', 'hardlink', '', 'etc/hostname'],
        ['dev/null', 'chardev', '', ''],
        ['run/fifo', 'fifo', '', ''],
        ['usr/bin/suid', 'file', 'x', ''],
      ]);
      expect(entries[6]!.mode).toBe(0o4755);
    });
  }

  it('reads long names and link targets (GNU L/K and PAX path/linkpath)', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
    const target = `/${'t'.repeat(200)}`;
    for (const format of ['gnu', 'pax'] as TarFormat[]) {
      const entries = await readAll(
        tarArchive(
          [
            { name: long, data: 'x' },
            { name: 'l', type: '2', linkname: target },
          ],
          format,
        ),
      );
      expect(entries.map((e) => [e.name, e.linkname])).toEqual([
        [long, ''],
        ['l', target],
      ]);
    }
  });

  it('joins the ustar prefix and name', async () => {
    const name = `${'p'.repeat(150)}/${'n'.repeat(90)}`;
    expect((await readAll(tarArchive([{ name, data: 'y' }], 'ustar')))[0]!.name).toBe(name);
  });

  it('takes the size from a PAX header over the ustar field', async () => {
    const tar = tarArchive(
      [
        { name: 'big', data: 'abcdef', declaredSize: 0, pax: { size: '6' } },
        { name: 'next', data: 'n' },
      ],
      'pax',
    );
    expect((await readAll(tar)).map((e) => [e.name, e.data])).toEqual([
      ['big', 'abcdef'],
      ['next', 'n'],
    ]);
  });

  it('reads base-256 sizes', async () => {
    const h = tarEntry({ name: 'huge', declaredSize: 2 ** 34 }, 'ustar')[0]!;
    const reader = new TarReader(chunked(Buffer.concat([h, Buffer.alloc(1024)])));
    const e = await reader.next();
    expect(e?.size).toBe(2 ** 34);
  });

  it('applies a global PAX header without returning it', async () => {
    const global = Buffer.concat(
      [tarEntry({ name: 'g', type: 'g', data: paxBody({ comment: 'hi' }) }, 'ustar')].flat(),
    );
    const tar = Buffer.concat([global, tarArchive([{ name: 'a', data: 'a' }], 'ustar')]);
    expect((await readAll(tar)).map((e) => e.name)).toEqual(['a']);
  });

  it('returns GNU and PAX sparse entries as sparse, skipping their data', async () => {
    const tar = tarArchive(
      [
        { name: 's1', type: 'S', data: 'sparse-data' },
        {
          name: 'GNUSparseFile.0/s2',
          data: 'mapdata',
          pax: { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 's2' },
        },
        { name: 'after', data: 'ok' },
      ],
      'pax',
    );
    expect((await readAll(tar, undefined, false)).map((e) => [e.name, e.type])).toEqual([
      ['s1', 'sparse'],
      ['s2', 'sparse'],
      ['after', 'file'],
    ]);
  });

  it('skips bodies that are not read', async () => {
    const tar = tarArchive([
      { name: 'a', data: 'x'.repeat(5000) },
      { name: 'b', data: 'y'.repeat(3) },
    ]);
    expect((await readAll(tar, [1000], false)).map((e) => e.name)).toEqual(['a', 'b']);
  });

  it('accepts an archive without the end-of-archive marker', async () => {
    expect(
      (await readAll(tarArchive([{ name: 'a', data: 'a' }], 'pax', { end: false }))).map((e) => e.name),
    ).toEqual(['a']);
  });

  it('returns nothing for an empty stream', async () => {
    expect(await readAll(Buffer.alloc(0))).toEqual([]);
  });
});

describe('tar reader: hostile and broken input', () => {
  const fails = (buf: Buffer, message: RegExp) => expect(readAll(buf)).rejects.toThrow(message);

  it('rejects a bad header checksum', () =>
    fails(tarArchive([{ name: 'a', data: 'a', badChecksum: true }]), /checksum mismatch\) at offset 0/));

  it('rejects data that ends inside an entry', async () => {
    const tar = tarArchive([{ name: 'a', data: 'x'.repeat(2000) }]);
    await fails(tar.subarray(0, 1000), /truncated tar/);
    await fails(tar.subarray(0, 300), /truncated tar/);
  });

  it('rejects an absurd declared size before reading it', async () => {
    const tar = tarArchive([{ name: 'a', declaredSize: 2 ** 40 }], 'ustar', { end: false });
    const reader = new TarReader(chunked(tar), { maxEntrySize: 2 ** 30 });
    await expect(reader.next()).rejects.toThrow(/declares 1099511627776 bytes, over the limit/);
  });

  it('rejects an oversized extended header and a malformed PAX record', async () => {
    await fails(
      tarArchive([{ name: 'L', type: 'L', data: Buffer.alloc(2 << 20, 0x61) }], 'ustar'),
      /extended header .*\(limit 1048576\)/,
    );
    const bad = Buffer.concat([
      ...tarEntry({ name: 'x', type: 'x', data: '99 path=a\n' }, 'ustar'),
      ...tarEntry({ name: 'a' }, 'ustar'),
    ]);
    await fails(bad, /malformed PAX record/);
    const badSize = tarArchive([{ name: 'a', data: 'x', pax: { size: '12abc' } }]);
    await fails(badSize, /PAX size/);
  });

  it('rejects a lone zero block followed by more headers', async () => {
    const tar = Buffer.concat([Buffer.alloc(512), tarArchive([{ name: 'a', data: 'a' }])]);
    await fails(tar, /lone zero block/);
  });

  it('never throws anything but FormatError on random or mutated input', async () => {
    const valid = tarArchive([
      { name: 'etc/os-release', data: 'ID=debian\n' },
      { name: `${'n'.repeat(150)}`, data: 'long' },
      { name: 'link', type: '2', linkname: 'etc/os-release' },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
          fc
            .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
            .map((muts) => {
              const b = Buffer.from(valid);
              for (const [i, v] of muts) b[i] = v;
              return b;
            }),
          fc.nat(valid.length).map((n) => valid.subarray(0, n)),
        ),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }),
        async (buf, sizes) => {
          try {
            await readAll(buf, sizes);
          } catch (err) {
            expect(err).toBeInstanceOf(FormatError);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('tar reader against GNU tar', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const segment = fc
    .stringMatching(/^[a-zA-Z0-9._\u00e9\u4e2d -]{1,60}$/)
    .filter((s) => s !== '.' && s !== '..' && s.trim() === s);
  const tree = fc.uniqueArray(
    fc.record({
      path: fc.array(segment, { minLength: 1, maxLength: 6 }).map((a) => a.join('/')),
      kind: fc.constantFrom('file', 'file', 'symlink', 'hardlink'),
      data: fc.string({ maxLength: 3000 }),
      target: fc.stringMatching(/^[a-z/.]{1,200}$/),
    }),
    { selector: (e) => e.path.split('/')[0], minLength: 1, maxLength: 8 },
  );

  for (const format of ['gnu', 'pax', 'oldgnu']) {
    it(`reads what \`tar --format=${format}\` writes`, async () => {
      await fc.assert(
        fc.asyncProperty(tree, async (entries) => {
          const dir = mkdtempSync(join(tmpdir(), 'rf-tar-'));
          dirs.push(dir);
          const expected = new Map<string, { type: string; data?: string; linkname?: string }>();
          let firstFile: string | undefined;
          for (const e of entries) {
            mkdirSync(join(dir, e.path, '..'), { recursive: true });
            if (e.kind === 'symlink') {
              symlinkSync(e.target, join(dir, e.path));
              expected.set(e.path, { type: 'symlink', linkname: e.target });
            } else if (e.kind === 'hardlink' && firstFile) {
              linkSync(join(dir, firstFile), join(dir, e.path));
              expected.set(e.path, { type: 'hardlink', linkname: firstFile });
            } else {
              writeFileSync(join(dir, e.path), e.data);
              firstFile ??= e.path;
              expected.set(e.path, { type: 'file', data: e.data });
            }
          }
          const tar = execFileSync(
            'tar',
            [`--format=${format}`, '--sort=name', '-cf', '-', '-C', dir, '--', ...entries.map((e) => e.path)],
            {
              maxBuffer: 1 << 26,
            },
          );
          const got = new Map(
            (await readAll(tar, [4096, 1])).filter((e) => e.type !== 'directory').map((e) => [e.name, e]),
          );
          for (const [path, want] of expected) {
            const e = got.get(path);
            expect(e, path).toBeDefined();
            if (want.type === 'hardlink') {
              // GNU tar stores whichever name it met first as the file, the other as the link.
              expect(['file', 'hardlink']).toContain(e!.type);
            } else {
              expect(e!.type).toBe(want.type);
              if (want.data !== undefined) expect(e!.data).toBe(want.data);
              if (want.linkname !== undefined) expect(e!.linkname).toBe(want.linkname);
            }
          }
          rmSync(dir, { recursive: true, force: true });
        }),
        { numRuns: 25 },
      );
    });
  }
});
