import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addressToOffset,
  findSection,
  hasElfMagic,
  isPlausibleExecutable,
  readElf,
} from '../../src/util/elf.js';
import { UserError } from '../../src/util/errors.js';
import { bufferSource, fileSource } from '../../src/util/random-access.js';
import { BASE, buildElf, sectionAddress } from './elf-builder.js';

/** Section name → [offset, size] as binutils' readelf prints them (the oracle). */
function readelfSections(path: string): Map<string, [number, number]> {
  const out = execFileSync('readelf', ['-SW', path], { encoding: 'utf8' });
  const sections = new Map<string, [number, number]>();
  for (const m of out.matchAll(/^\s*\[\s*[1-9]\d*\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)/gm))
    sections.set(m[1] as string, [Number.parseInt(m[2] as string, 16), Number.parseInt(m[3] as string, 16)]);
  return sections;
}

const dir = mkdtempSync(join(tmpdir(), 'rf-elf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ELF reader', () => {
  const system = ['/usr/bin/runc', '/usr/bin/containerd', '/bin/ls', '/usr/bin/skopeo'].filter(existsSync);

  it.each(system)('lists the sections of %s as readelf does', async (path) => {
    const source = await fileSource(path);
    try {
      const elf = await readElf(source, path);
      expect(elf.bits).toBe(64);
      const oracle = readelfSections(path);
      const ours = new Map(elf.sections.filter((s) => s.name).map((s) => [s.name, [s.offset, s.size]]));
      expect(ours).toEqual(oracle);
      expect(elf.segments.some((p) => p.type === 1)).toBe(true);
    } finally {
      await source.close();
    }
  });

  it.each([
    [32, true],
    [32, false],
    [64, true],
    [64, false],
  ] as const)('reads %i-bit little-endian=%s files that readelf agrees with', async (bits, littleEndian) => {
    const file = buildElf({
      bits,
      littleEndian,
      sections: [
        { name: '.first', data: Buffer.from('first section') },
        { name: '.second', data: Buffer.alloc(100, 7) },
      ],
    });
    const path = join(dir, `t${bits}${littleEndian ? 'le' : 'be'}`);
    writeFileSync(path, file);
    const elf = await readElf(bufferSource(file), path);
    expect(elf.bits).toBe(bits);
    expect(elf.littleEndian).toBe(littleEndian);
    const ours = new Map(elf.sections.filter((s) => s.name).map((s) => [s.name, [s.offset, s.size]]));
    expect(ours).toEqual(readelfSections(path));
    const second = findSection(elf, '.second');
    expect(second?.addr).toBe(sectionAddress(bits, [13]));
    expect(addressToOffset(elf, second!.addr, 100)).toBe(second?.offset);
    expect(addressToOffset(elf, BASE + file.length + 10, 1)).toBeUndefined();
  });

  it('reads the real counts from section 0 under extended numbering', async () => {
    const file = buildElf({
      bits: 64,
      littleEndian: true,
      sections: [{ name: '.x', data: Buffer.from('x') }],
    });
    const shoff = Number(file.readBigUInt64LE(40));
    const count = file.readUInt16LE(60);
    file.writeUInt16LE(0, 60);
    file.writeBigUInt64LE(BigInt(count), shoff + 32);
    const elf = await readElf(bufferSource(file), 'ext');
    expect(elf.sections.map((s) => s.name)).toEqual(['', '.x', '.shstrtab']);
  });

  it('has no sections when the header table is stripped, but keeps the segments', async () => {
    const file = buildElf({
      bits: 64,
      littleEndian: true,
      sections: [{ name: '.x', data: Buffer.from('x') }],
      stripSectionHeaders: true,
    });
    const elf = await readElf(bufferSource(file), 'stripped');
    expect(elf.sections).toEqual([]);
    expect(elf.segments).toHaveLength(1);
  });

  it('answers only UserErrors to damaged headers', async () => {
    const base = buildElf({
      bits: 64,
      littleEndian: true,
      sections: [
        { name: '.a', data: Buffer.from('aaaa') },
        { name: '.b', data: Buffer.from('bbbbbbbb') },
      ],
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }),
        fc.nat(base.length),
        async (edits, cut) => {
          const bad = Buffer.from(base);
          for (const [at, v] of edits) bad[at] = v;
          try {
            await readElf(bufferSource(bad.subarray(0, Math.max(cut, 4))), 'fuzz');
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('checks the magic from four bytes and says plainly when it is missing', async () => {
    expect(await hasElfMagic(bufferSource(readFileSync('/bin/ls')))).toBe(true);
    expect(await hasElfMagic(bufferSource(Buffer.from('#!/bin/sh\n')))).toBe(false);
    expect(await hasElfMagic(bufferSource(Buffer.from('\x7fEL')))).toBe(false);
    await expect(readElf(bufferSource(Buffer.alloc(64)), 'zeros')).rejects.toThrow('zeros: not an ELF file');
  });

  it('wants only executable files of a size a program could have', () => {
    expect(isPlausibleExecutable({ size: 2_000_000, mode: 0o755 })).toBe(true);
    expect(isPlausibleExecutable({ size: 2_000_000, mode: 0o644 })).toBe(false);
    expect(isPlausibleExecutable({ size: 100, mode: 0o755 })).toBe(false);
    expect(isPlausibleExecutable({ size: 4 * 1024 ** 3, mode: 0o755 })).toBe(false);
  });
});
