import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptDbError } from '../../../../src/inventory/os/read.js';
import { RPMTAG } from '../../../../src/inventory/os/rpm/header.js';
import { adler32, ndbBlobs } from '../../../../src/inventory/os/rpm/ndb.js';
import { bufferSource } from '../../../../src/util/random-access.js';
import { headerBlob, ndbFile } from './support.js';

const header = (name: string, files = 0) =>
  headerBlob([
    { tag: RPMTAG.NAME, type: 'string', value: name },
    { tag: RPMTAG.VERSION, type: 'string', value: '1.0' },
    { tag: RPMTAG.RELEASE, type: 'string', value: '1' },
    { tag: RPMTAG.DIRINDEXES, type: 'int32', value: Array(files).fill(0) },
    { tag: RPMTAG.BASENAMES, type: 'string[]', value: Array.from({ length: files }, (_, i) => `f${i}`) },
    { tag: RPMTAG.DIRNAMES, type: 'string[]', value: ['/usr/share/'] },
  ]);

async function read(file: Buffer): Promise<{ blobs: Buffer[]; warnings: string[] }> {
  const warnings: string[] = [];
  const blobs: Buffer[] = [];
  for await (const b of ndbBlobs(bufferSource(file), (w) => warnings.push(w), 1 << 26)) blobs.push(b);
  return { blobs, warnings };
}

describe('ndbBlobs', () => {
  it('computes adler32 as zlib does (a zlib stream ends with the adler32 of its input)', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    const zlibAdler = (b: Buffer) => deflateSync(b).readUInt32BE(deflateSync(b).length - 4);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (bytes) => {
        expect(adler32(Buffer.from(bytes))).toBe(zlibAdler(Buffer.from(bytes)));
      }),
    );
    expect(adler32(Buffer.alloc(100_000, 0xff))).toBe(zlibAdler(Buffer.alloc(100_000, 0xff)));
  });

  it('returns every blob, across more than one slot page', async () => {
    const blobs = Array.from({ length: 300 }, (_, i) => header(`p${i}`, i % 7));
    const { blobs: got, warnings } = await read(ndbFile(blobs));
    expect(warnings).toEqual([]);
    expect(got).toEqual(blobs);
  });

  it('skips a blob whose checksum does not match, with a warning, and keeps the others', async () => {
    const file = ndbFile([header('a'), header('b'), header('c')]);
    const second = 4096 + Math.ceil((16 + header('a').length + 12) / 16) * 16;
    file[second + 20] = file[second + 20]! ^ 0xff;
    const { blobs, warnings } = await read(file);
    expect(blobs.length).toBe(2);
    expect(warnings).toEqual(['package 2: blob checksum mismatch; skipped']);
  });

  it('skips a slot pointing past the end of the file', async () => {
    const file = ndbFile([header('a'), header('b')]);
    file.writeUInt32LE(0x7fffffff, 3 * 16 + 8);
    const { blobs, warnings } = await read(file);
    expect(blobs.length).toBe(1);
    expect(warnings[0]).toMatch(/^slot for package 2 points outside the data/);
  });

  it('skips slots whose blocks overlap, so no part of the file is read twice', async () => {
    const file = ndbFile([header('a'), header('b')]);
    for (let s = 4; s < 200; s++) file.copy(file, s * 16, 2 * 16, 3 * 16);
    const { blobs, warnings } = await read(file);
    expect(blobs.length).toBe(2);
    expect(warnings.length).toBe(196);
    expect(warnings[0]).toMatch(/its blocks overlap another package's; skipped$/);
  });

  it('refuses a header claiming more slot pages than the file holds, before reading them', async () => {
    const file = ndbFile([header('a')]);
    file.writeUInt32LE(0xffffffff, 12);
    await expect(read(file)).rejects.toThrow(/claims 4294967295 slot pages/);
  });

  it('throws only CorruptDbError on random and mutated files', async () => {
    const good = ndbFile([header('a', 3), header('b', 40), header('c')]);
    const check = async (file: Buffer) => {
      try {
        await read(file);
      } catch (err) {
        expect(err).toBeInstanceOf(CorruptDbError);
      }
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 9000 }), (b) => check(Buffer.from(b))));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }),
        (flips) => {
          const file = Buffer.from(good);
          for (const [at, v] of flips) file[at] = v;
          return check(file);
        },
      ),
      { numRuns: 1000 },
    );
    await check(Buffer.concat([Buffer.from('RpmP'), Buffer.alloc(4)]));
  });
});
