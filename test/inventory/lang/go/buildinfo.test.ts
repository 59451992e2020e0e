import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoBuildInfo } from '../../../../src/inventory/lang/go/buildinfo.js';
import { parseModinfo } from '../../../../src/inventory/lang/go/modinfo.js';
import { goBinaryPackages } from '../../../../src/inventory/lang/go/packages.js';
import { readElf } from '../../../../src/util/elf.js';
import { UserError } from '../../../../src/util/errors.js';
import { bufferSource, type RandomAccessSource } from '../../../../src/util/random-access.js';
import { buildElf, sectionAddress } from '../../../util/elf-builder.js';
import { type GoWorkspace, goBuild, goVersionM, goWorkspace, noGo } from './toolchain.js';

async function buildInfoOf(source: RandomAccessSource) {
  return readGoBuildInfo(source, await readElf(source, 'bin'), 'bin');
}

function modinfoLines(modinfo: string): string[] {
  return modinfo.split('\n').filter((l) => l.trim() !== '');
}

/** Zeroes e_shoff, e_shnum and e_shstrndx, as sstrip-style tools leave a binary. */
function stripSectionHeaders(file: Buffer): Buffer {
  const out = Buffer.from(file);
  if (out[4] === 2) {
    out.fill(0, 40, 48);
    out.fill(0, 60, 64);
  } else {
    out.fill(0, 32, 36);
    out.fill(0, 48, 52);
  }
  return out;
}

const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

/**
 * A binary in the layout of Go 1.13–1.17 (cmd/link, debug/buildinfo): a 32-byte header with
 * the magic, pointer size, an endianness byte and two pointers to Go string headers
 * {data pointer, length} elsewhere in the data segment.
 */
function pointerFormatElf(
  bits: 32 | 64,
  littleEndian: boolean,
  goVersion: string,
  modinfo: string,
  strip = false,
) {
  const ptr = bits / 8;
  const header = Buffer.alloc(32);
  MAGIC.copy(header);
  header[14] = ptr;
  header[15] = littleEndian ? 0 : 1;
  const dataAt = sectionAddress(bits, [header.length]);
  const version = Buffer.from(goVersion);
  const mod = modinfo ? Buffer.concat([SENTINEL_START, Buffer.from(modinfo), SENTINEL_END]) : Buffer.alloc(0);
  const data = Buffer.alloc(4 * ptr + version.length + mod.length);
  const put = (v: number, at: number, into: Buffer) => {
    if (ptr === 4) (littleEndian ? into.writeUInt32LE : into.writeUInt32BE).call(into, v, at);
    else (littleEndian ? into.writeBigUInt64LE : into.writeBigUInt64BE).call(into, BigInt(v), at);
  };
  // data: [version string header][modinfo string header][version bytes][modinfo bytes]
  put(dataAt + 4 * ptr, 0, data);
  put(version.length, ptr, data);
  put(dataAt + 4 * ptr + version.length, 2 * ptr, data);
  put(mod.length, 3 * ptr, data);
  version.copy(data, 4 * ptr);
  mod.copy(data, 4 * ptr + version.length);
  put(dataAt, 16, header);
  put(dataAt + 2 * ptr, 16 + ptr, header);
  return buildElf({
    bits,
    littleEndian,
    sections: [
      { name: '.go.buildinfo', data: header },
      { name: '.data', data },
    ],
    stripSectionHeaders: strip,
  });
}

const MODINFO =
  'path\texample.com/old\nmod\texample.com/old\tv1.0.0\th1:abc=\ndep\tgolang.org/x/text\tv0.3.0\th1:def=\n';

describe('Go build info, pre-1.18 pointer layout (built from the documented format)', () => {
  it.each([
    [64, true],
    [64, false],
    [32, true],
    [32, false],
  ] as const)('%i-bit little-endian=%s', async (bits, le) => {
    for (const strip of [false, true]) {
      const info = await buildInfoOf(bufferSource(pointerFormatElf(bits, le, 'go1.16.15', MODINFO, strip)));
      expect(info).toEqual({ goVersion: 'go1.16.15', modinfo: MODINFO });
    }
  });

  it('gives an empty modinfo for binaries built without modules', async () => {
    const info = await buildInfoOf(bufferSource(pointerFormatElf(64, true, 'go1.13', '')));
    expect(info).toEqual({ goVersion: 'go1.13', modinfo: '' });
    expect(goBinaryPackages(info!.goVersion, parseModinfo(info!.modinfo))).toEqual([
      { name: 'stdlib', version: '1.13.0' },
    ]);
  });

  it('answers damage with a UserError, never anything else', async () => {
    const base = pointerFormatElf(64, true, 'go1.16.15', MODINFO);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 4 }),
        async (edits) => {
          const bad = Buffer.from(base);
          for (const [at, v] of edits) bad[at] = v;
          try {
            const info = await buildInfoOf(bufferSource(bad));
            if (info) parseModinfo(info.modinfo);
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('returns nothing for an ELF without build info', async () => {
    const elf = buildElf({
      bits: 64,
      littleEndian: true,
      sections: [{ name: '.data', data: Buffer.alloc(64) }],
    });
    expect(await buildInfoOf(bufferSource(elf))).toBeUndefined();
    expect(await buildInfoOf(bufferSource(readFileSync('/bin/ls')))).toBeUndefined();
  });
});

const debianGoBinaries = [
  '/usr/bin/runc',
  '/usr/bin/containerd',
  '/usr/bin/docker-registry',
  '/usr/bin/skopeo',
  '/usr/sbin/dockerd',
].filter(existsSync);

describe.skipIf(noGo())('Go build info against `go version -m` (1.18+ inline layout)', () => {
  it.each(debianGoBinaries)('Debian binary %s', async (path) => {
    const oracle = goVersionM(path);
    const info = await buildInfoOf(bufferSource(readFileSync(path)));
    expect(info?.goVersion).toBe(oracle.goVersion);
    expect(modinfoLines(info!.modinfo)).toEqual(oracle.lines.filter((l) => l.trim() !== ''));
  });

  describe('binaries built here with module dependencies', () => {
    let ws: GoWorkspace;
    const bins: Record<string, string> = {};
    beforeAll(() => {
      ws = goWorkspace(mkdtempSync(join(tmpdir(), 'rf-go-')));
      bins.plain = goBuild(ws, 'plain', []);
      bins.stripped = goBuild(ws, 'stripped', ['-trimpath', '-ldflags=-s -w']);
      bins.stamped = goBuild(ws, 'stamped', ['-ldflags=-X main.version=1.4.0']);
      bins.i386 = goBuild(ws, 'i386', ['-trimpath', '-ldflags=-s -w'], '386');
      bins.ppc64 = goBuild(ws, 'ppc64', ['-trimpath', '-ldflags=-s -w'], 'ppc64');
    }, 600_000);
    afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

    it.each(['plain', 'stripped', 'stamped', 'i386', 'ppc64'])('%s: same as go version -m', async (name) => {
      const path = bins[name] as string;
      const oracle = goVersionM(path);
      for (const file of [readFileSync(path), stripSectionHeaders(readFileSync(path))]) {
        const info = await buildInfoOf(bufferSource(file));
        expect(info?.goVersion).toBe(oracle.goVersion);
        expect(modinfoLines(info!.modinfo)).toEqual(oracle.lines.filter((l) => l.trim() !== ''));
      }
    });

    it('lists stdlib, the main module, and every dependency with replacements applied', async () => {
      const expectPackages = async (path: string, mainVersion: string) => {
        const info = await buildInfoOf(bufferSource(readFileSync(path)));
        const goVersion = goVersionM(path).goVersion.replace(/^go/, '');
        expect(goBinaryPackages(info!.goVersion, parseModinfo(info!.modinfo))).toEqual([
          { name: 'stdlib', version: goVersion.split('.').length === 2 ? `${goVersion}.0` : goVersion },
          { name: 'example.com/app', version: mainVersion },
          { name: 'example.com/alpha', version: 'v1.2.3' },
          { name: 'example.com/beta', version: 'v0.4.0' },
          { name: 'example.com/gamma-fork', version: 'v1.0.1' },
          { name: 'example.com/local', version: '(devel)' },
        ]);
      };
      await expectPackages(bins.stripped as string, '(devel)');
      await expectPackages(bins.stamped as string, 'v1.4.0');
    });
  });
});
