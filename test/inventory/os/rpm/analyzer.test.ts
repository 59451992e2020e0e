import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rpmAnalyzer } from '../../../../src/inventory/os/rpm/analyzer.js';
import { RPMTAG } from '../../../../src/inventory/os/rpm/header.js';
import { inputFor } from '../input.js';
import { headerBlob, ndbFile } from './support.js';

const wants = (path: string) => rpmAnalyzer.wants({ path, size: 1, mode: 0o644 }, 'image');

function sqliteWith(sql: string): Buffer {
  const db = new Database(':memory:');
  db.exec(sql);
  const buf = db.serialize();
  db.close();
  return buf;
}

describe('rpmAnalyzer', () => {
  it('wants the three database files in both rpm locations', () => {
    for (const dir of ['var/lib/rpm', 'usr/lib/sysimage/rpm'])
      for (const f of ['Packages', 'Packages.db', 'rpmdb.sqlite']) expect(wants(`${dir}/${f}`)).toBe(true);
    for (const p of [
      'var/lib/rpm/Name',
      'var/lib/rpm/rpmdb.sqlite-wal',
      'root/var/lib/rpm/Packages',
      'Packages',
    ])
      expect(wants(p), p).toBe(false);
  });

  it('sniffs the format from content, not from the name', async () => {
    const blob = headerBlob([
      { tag: RPMTAG.NAME, type: 'string', value: 'zlib' },
      { tag: RPMTAG.VERSION, type: 'string', value: '1.2.11' },
      { tag: RPMTAG.RELEASE, type: 'string', value: '40.el9' },
    ]);
    const out = await rpmAnalyzer.analyze(inputFor('var/lib/rpm/Packages', ndbFile([blob])));
    expect(out?.packages?.map((p) => `${p.name}-${p.version}`)).toEqual(['zlib-1.2.11-40.el9']);
    expect(out?.packages?.[0]?.paths).toEqual(['var/lib/rpm/Packages']);
  });

  it('says which database it could not read, and why', async () => {
    const cases: [string, Buffer, RegExp][] = [
      [
        'var/lib/rpm/Packages',
        Buffer.from('not a database. '.repeat(10)),
        /not a Berkeley DB hash database; no packages read$/,
      ],
      ['var/lib/rpm/Packages', Buffer.from('short'), /too short for a Berkeley DB metadata page/],
      [
        'var/lib/rpm/rpmdb.sqlite',
        sqliteWith('CREATE TABLE t(x)'),
        /no readable Packages table: no such table: Packages/,
      ],
      [
        'var/lib/rpm/Packages.db',
        Buffer.concat([Buffer.from('RpmP'), Buffer.alloc(40)]),
        /claims 0 slot pages/,
      ],
    ];
    for (const [path, data, message] of cases) {
      const out = await rpmAnalyzer.analyze(inputFor(path, data));
      expect(out?.packages).toEqual([]);
      expect(out?.warnings?.[0]).toMatch(new RegExp(`^${path.replaceAll('/', '\\/')}: `));
      expect(out?.warnings?.[0]).toMatch(message);
    }
  });

  it('recognises a Berkeley DB btree for what it is', async () => {
    const meta = Buffer.alloc(512);
    meta.writeUInt32LE(0x053162, 12);
    const out = await rpmAnalyzer.analyze(inputFor('var/lib/rpm/Packages', meta));
    expect(out?.warnings?.[0]).toMatch(/a Berkeley DB btree, not a hash database/);
  });

  it('skips a corrupt header with a warning and keeps the rest', async () => {
    const good = headerBlob([
      { tag: RPMTAG.NAME, type: 'string', value: 'a' },
      { tag: RPMTAG.VERSION, type: 'string', value: '1' },
      { tag: RPMTAG.RELEASE, type: 'string', value: '1' },
    ]);
    const bad = Buffer.from(good);
    bad.writeUInt32BE(0xffff, 0);
    const out = await rpmAnalyzer.analyze(inputFor('var/lib/rpm/Packages.db', ndbFile([bad, good])));
    expect(out?.packages?.map((p) => p.name)).toEqual(['a']);
    expect(out?.warnings).toEqual([
      expect.stringMatching(/^var\/lib\/rpm\/Packages.db: header 1: header needs \d+ bytes/),
    ]);
  });

  it('ignores an empty file and refuses an oversized SQLite database without reading it', async () => {
    expect(await rpmAnalyzer.analyze(inputFor('var/lib/rpm/Packages', ''))).toBeUndefined();
    const sqlite = sqliteWith('CREATE TABLE Packages(hnum INTEGER PRIMARY KEY, blob BLOB)');
    const input = inputFor('var/lib/rpm/rpmdb.sqlite', sqlite);
    const huge = {
      ...input,
      size: 300 * 1024 * 1024,
      content: { ...input.content, size: 300 * 1024 * 1024 },
    };
    const out = await rpmAnalyzer.analyze(huge);
    expect(out?.warnings?.[0]).toMatch(/more than the 268435456-byte limit for SQLite/);
  });
});
