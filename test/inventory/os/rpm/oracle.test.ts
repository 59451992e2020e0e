import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzerOutput } from '../../../../src/inventory/analyzer.js';
import { rpmAnalyzer } from '../../../../src/inventory/os/rpm/analyzer.js';
import { rpmRecord } from '../../../../src/inventory/os/rpm/package.js';
import { inputFor } from '../input.js';
import {
  bdbFromHeaders,
  bigEndianBdb,
  buildRpms,
  installSqliteDb,
  missingTools,
  ndbFile,
  type RpmQuery,
  rpmQueryAll,
  sqliteHeaders,
} from './support.js';

/**
 * The oracle is rpm itself: tiny packages built with rpmbuild and installed with rpm into a
 * SQLite database, the same headers loaded into Berkeley DB hash files by libdb's db5.3_load
 * (read back by rpm's bdb_ro backend), and everything `rpm -qa` says compared with what we read.
 * Debian's rpm cannot write NDB, so the NDB file is written by our test writer from the same
 * real headers, and must read back exactly as the SQLite database does.
 */

const skip = missingTools('rpm', 'rpmbuild', 'db5.3_load', 'gpg');

function expected(q: RpmQuery) {
  const epoch = q.epoch && q.epoch !== '0' ? `${q.epoch}:` : '';
  const src = /^(.+)-([^-]+)-([^-]+)\.src\.rpm$/.exec(q.sourceRpm)!;
  return {
    name: q.name,
    version: `${epoch}${q.version}-${q.release}`,
    arch: q.arch,
    source: { name: src[1], version: `${epoch}${src[2]}-${src[3]}` },
    licenses: [q.license],
    files: q.files.map((f) => f.slice(1)).sort(),
  };
}

function actual(out: AnalyzerOutput | undefined) {
  const files = new Map((out?.packageFiles ?? []).map((pf) => [pf.package, pf.files]));
  return (out?.packages ?? []).map((p) => ({
    name: p.name,
    version: p.version,
    arch: p.arch,
    source: p.source,
    licenses: p.licenses,
    files: [...(files.get(p.name) ?? [])].sort(),
  }));
}

const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));

describe.skipIf(skip)('rpm databases read as rpm reads them', () => {
  let dir: string;
  let sqliteDir: string;
  let sqlite: Buffer;
  let oracle: RpmQuery[];
  let headers: { hnum: number; blob: Buffer }[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-rpm-'));
    const { rpms, key } = buildRpms(dir);
    sqliteDir = join(dir, 'sqlite');
    sqlite = readFileSync(installSqliteDb(sqliteDir, rpms, key));
    headers = sqliteHeaders(join(sqliteDir, 'rpmdb.sqlite'));
    oracle = rpmQueryAll(sqliteDir, 'sqlite');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the cases that matter in the oracle', () => {
    expect(oracle.map((q) => q.name).sort()).toEqual([
      'bigfiles',
      'gpg-pubkey',
      'hello-tool',
      'multi-libs',
      'multi-tools',
    ]);
    expect(oracle.find((q) => q.name === 'multi-tools')?.epoch).toBe('0');
    expect(oracle.find((q) => q.name === 'bigfiles')?.files.length).toBe(401);
  });

  it('SQLite rpmdb.sqlite (left in WAL mode by rpm): same packages, versions, sources, licences, files', async () => {
    expect(sqlite[18]).toBe(2);
    const out = await rpmAnalyzer.analyze(inputFor('var/lib/rpm/rpmdb.sqlite', sqlite));
    expect(out?.warnings).toBeUndefined();
    expect(byName(actual(out))).toEqual(byName(oracle.filter((q) => q.name !== 'gpg-pubkey').map(expected)));
  });

  it.each([512, 4096])(
    'Berkeley DB hash Packages, %i-byte pages: same as rpm -qa through bdb_ro',
    async (pageSize) => {
      const bdbDir = join(dir, `bdb-${pageSize}`);
      const path = bdbFromHeaders(headers, bdbDir, pageSize);
      const viaBdb = rpmQueryAll(bdbDir, 'bdb_ro');
      expect(viaBdb.length).toBe(oracle.length);
      const out = await rpmAnalyzer.analyze(inputFor('var/lib/rpm/Packages', readFileSync(path)));
      expect(out?.warnings).toBeUndefined();
      expect(byName(actual(out))).toEqual(
        byName(viaBdb.filter((q) => q.name !== 'gpg-pubkey').map(expected)),
      );
    },
  );

  it('a big-endian Berkeley DB (as s390x writes it) reads the same', async () => {
    const le = readFileSync(bdbFromHeaders(headers, join(dir, 'be'), 512));
    const be = bigEndianBdb(le, 512);
    expect(be.readUInt32BE(12)).toBe(0x061561);
    const out = await rpmAnalyzer.analyze(inputFor('var/lib/rpm/Packages', be));
    expect(out?.warnings).toBeUndefined();
    expect(byName(actual(out))).toEqual(byName(oracle.filter((q) => q.name !== 'gpg-pubkey').map(expected)));
  });

  it('NDB Packages.db holding the same headers reads the same', async () => {
    const ndb = ndbFile(headers.map((h) => h.blob));
    const out = await rpmAnalyzer.analyze(inputFor('usr/lib/sysimage/rpm/Packages.db', ndb));
    expect(out?.warnings).toBeUndefined();
    expect(byName(actual(out))).toEqual(byName(oracle.filter((q) => q.name !== 'gpg-pubkey').map(expected)));
  });

  describe('corruption', () => {
    const analyze = (path: string, data: Buffer) => rpmAnalyzer.analyze(inputFor(path, data));

    it('a cyclic overflow-page chain is a warning naming the file, not a hang', async () => {
      const file = readFileSync(bdbFromHeaders(headers, join(dir, 'cyclic'), 512));
      const pageSize = 512;
      let patched = 0;
      for (let pg = 1; pg < file.length / pageSize; pg++) {
        const at = pg * pageSize;
        if (file[at + 25] === 7 && file.readUInt32LE(at + 16) === 0 && file.readUInt32LE(at + 12) !== 0) {
          file.writeUInt32LE(file.readUInt32LE(at + 12), at + 16);
          file.writeUInt16LE(0, at + 22);
          patched++;
        }
      }
      expect(patched).toBeGreaterThan(0);
      const out = await analyze('var/lib/rpm/Packages', file);
      expect(
        out?.warnings?.some((w) =>
          /^var\/lib\/rpm\/Packages: .*loops back to page \d+, or shares it with another item; skipped$/.test(
            w,
          ),
        ),
      ).toBe(true);
    });

    it('items sharing one overflow chain are read once: the others are warnings', async () => {
      const file = readFileSync(bdbFromHeaders(headers, join(dir, 'shared'), 512));
      const refs: number[] = [];
      for (let pg = 1; pg < file.length / 512; pg++) {
        const page = pg * 512;
        if (file[page + 25] !== 13) continue;
        for (let i = 1; i < file.readUInt16LE(page + 20); i += 2) {
          const item = page + file.readUInt16LE(page + 26 + i * 2);
          if (file[item] === 3) refs.push(item);
        }
      }
      expect(refs.length).toBe(headers.length);
      for (const item of refs.slice(1)) file.copy(file, item + 4, refs[0]! + 4, refs[0]! + 12);
      const out = await analyze('var/lib/rpm/Packages', file);
      expect(out?.warnings?.filter((w) => w.includes('or shares it with another item')).length).toBe(
        refs.length - 1,
      );
    });

    it('an off-page item claiming 2 GiB is refused before allocating', async () => {
      const file = readFileSync(bdbFromHeaders(headers, join(dir, 'huge'), 4096));
      let patchedKey: number | undefined;
      for (let pg = 1; pg < file.length / 4096 && patchedKey === undefined; pg++) {
        const page = pg * 4096;
        if (file[page + 25] !== 13) continue;
        for (let i = 1; i < file.readUInt16LE(page + 20); i += 2) {
          const item = page + file.readUInt16LE(page + 26 + i * 2);
          if (file[item] !== 3) continue;
          file.writeUInt32LE(2 ** 31, item + 8);
          patchedKey = file.readUInt32LE(page + file.readUInt16LE(page + 26 + (i - 1) * 2) + 1);
          break;
        }
      }
      const lost = headers.find((h) => h.hnum === patchedKey)!;
      const out = await analyze('var/lib/rpm/Packages', file);
      expect(out?.warnings).toEqual([
        expect.stringMatching(
          /^var\/lib\/rpm\/Packages: hash page \d+, item \d+: overflow item claims 2147483648 bytes; skipped$/,
        ),
      ]);
      const lostPackage = rpmRecord(lost.blob, 'db')?.package.name;
      const expectedNames = oracle.map((q) => q.name).filter((n) => n !== 'gpg-pubkey' && n !== lostPackage);
      expect(out?.packages?.map((p) => p.name).sort()).toEqual(expectedNames.sort());
    });

    it('mutated Berkeley DB, SQLite and NDB files never throw: packages, warnings, or both', async () => {
      const bdb = readFileSync(bdbFromHeaders(headers, join(dir, 'fuzz'), 512));
      const ndb = ndbFile(headers.map((h) => h.blob));
      const targets: [string, Buffer][] = [
        ['var/lib/rpm/Packages', bdb],
        ['var/lib/rpm/rpmdb.sqlite', sqlite],
        ['usr/lib/sysimage/rpm/Packages.db', ndb],
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.nat(targets.length - 1),
          fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(255)), {
            minLength: 1,
            maxLength: 12,
          }),
          async (which, flips) => {
            const [path, good] = targets[which]!;
            const file = Buffer.from(good);
            for (const [where, value] of flips)
              file[Math.min(file.length - 1, Math.floor(where * file.length))] = value;
            const out = await analyze(path, file);
            for (const w of out?.warnings ?? []) expect(w.startsWith(`${path}: `)).toBe(true);
            expect(out?.packages?.length ?? 0).toBeLessThanOrEqual(oracle.length);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('a truncated database reads what is left and says so', async () => {
      const bdb = readFileSync(bdbFromHeaders(headers, join(dir, 'cut'), 512));
      const cut = await analyze('var/lib/rpm/Packages', bdb.subarray(0, Math.floor(bdb.length / 2)));
      expect(cut?.warnings?.length).toBeGreaterThan(0);
      const sq = await analyze('var/lib/rpm/rpmdb.sqlite', sqlite.subarray(0, 4096));
      expect(sq?.warnings?.[0]).toMatch(/^var\/lib\/rpm\/rpmdb.sqlite: /);
    });
  });
});
