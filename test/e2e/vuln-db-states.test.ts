import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { writeZip } from '../util/zip-writer.js';
import { buildVulnDb } from '../vuln/match/db-fixture.js';
import { LANGUAGE_RECORDS } from './vuln-fixtures.js';

/**
 * What a scan does with the database in every state a CI machine meets: missing, empty,
 * stale and offline, corrupt, locked, and after imports that failed. Never a silent "no
 * vulnerabilities"; a clear one-line error (exit 2, no partial output) where nothing can be
 * trusted; a warning where the scan can go on with what it has.
 */

const require = createRequire(import.meta.url);
const OFFLINE = {
  RINGFENCE_OSV_URL: 'http://127.0.0.1:9/osv',
  RINGFENCE_DEBIAN_TRACKER_URL: 'http://127.0.0.1:9/tracker',
  RINGFENCE_ALPINE_SECDB_URL: 'http://127.0.0.1:9/alpine',
  RINGFENCE_KEV_URL: 'http://127.0.0.1:9/kev',
  RINGFENCE_EPSS_URL: 'http://127.0.0.1:9/epss',
};
const LOCKFILE = {
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.20', minimist: '1.2.5' } },
    'node_modules/lodash': {
      version: '4.17.20',
      resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz',
    },
    'node_modules/minimist': {
      version: '1.2.5',
      resolved: 'https://registry.npmjs.org/minimist/-/minimist-1.2.5.tgz',
    },
  },
};
const EXPECTED = ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm', 'GHSA-xvch-5gv4-984h'];
const EMPTY = /the vulnerability database is empty: NO package was checked/;

describe('vulnerability scans and the state of the database', () => {
  let work: string;
  let tree: string;
  let cache: string;
  const scan = (args: string[], env: NodeJS.ProcessEnv = OFFLINE, cacheDir = cache) =>
    ringfence(['fs', tree, '--cache-dir', cacheDir, ...args], { env });
  const ids = (stdout: string) => (JSON.parse(stdout).findings as Finding[]).map((f) => f.ruleId).sort();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rf-e2e-vuln-db-'));
    tree = join(work, 'app');
    mkdirSync(tree);
    writeFileSync(join(tree, 'package-lock.json'), JSON.stringify(LOCKFILE));
    cache = join(work, 'cache');
    await buildVulnDb(work, join(cache, 'db'), { osv: LANGUAGE_RECORDS });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('matches the lockfile against the database', async () => {
    const r = await scan(['--format', 'json', '--skip-db-update']);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(EXPECTED);
  });

  it.each([
    ['is missing', (dir: string) => mkdirSync(dir, { recursive: true })],
    [
      'is empty',
      async (dir: string) => {
        mkdirSync(join(dir, 'empty-feed'), { recursive: true });
        expect((await ringfence(['db', 'import', join(dir, 'empty-feed'), '--cache-dir', dir])).code).toBe(0);
      },
    ],
  ])(
    'a %s database is said loudly on stderr and in JSON, SARIF and the table, never "clean"',
    async (_state, prepare) => {
      const dir = mkdtempSync(join(work, 'state-'));
      await prepare(dir);
      const json = await scan(['--format', 'json', '--skip-db-update', '--exit-code', '1'], OFFLINE, dir);
      expect(json.code).toBe(0);
      expect(json.stderr).toMatch(EMPTY);
      const doc = JSON.parse(json.stdout);
      expect(doc.artifact.database.empty).toBe(true);
      expect(doc.warnings).toEqual(expect.arrayContaining([expect.stringMatching(EMPTY)]));
      const sarif = JSON.parse((await scan(['--format', 'sarif', '--skip-db-update'], OFFLINE, dir)).stdout);
      expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual(
        expect.arrayContaining([{ level: 'warning', message: { text: expect.stringMatching(EMPTY) } }]),
      );
      const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      expect(new AjvDraft04.default({ strict: false, unicodeRegExp: false }).validate(schema, sarif)).toBe(
        true,
      );
      const table = await scan(['--skip-db-update'], OFFLINE, dir);
      expect(table.stdout).toMatch(/warning: the vulnerability database is empty/);
    },
  );

  it('offline with a stale database: warns that feeds were not updated and scans with what it has', async () => {
    const r = await scan(['--format', 'json', '--db-max-age', '1s', '--exit-code', '3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/warning: vulnerability feed osv:npm not updated: .*127\.0\.0\.1:9/);
    expect(ids(r.stdout)).toEqual(EXPECTED);
    expect(JSON.parse(r.stdout).warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/osv:npm not updated/)]),
    );
  });

  it('a corrupt database is one line and exit 2, with no output file; a locked one too, and usable once released', async () => {
    const broken = join(work, 'broken');
    mkdirSync(join(broken, 'db'), { recursive: true });
    writeFileSync(join(broken, 'db', 'ringfence.db'), Buffer.alloc(8192, 7));
    const out = join(work, 'out.json');
    const corrupt = await scan(['--skip-db-update', '--format', 'json', '-o', out], OFFLINE, broken);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr.trim()).toMatch(
      /^ringfence: .*ringfence\.db: the database file is corrupt: run `ringfence db update` to rebuild it$/,
    );
    expect(existsSync(out)).toBe(false);

    const locked = join(work, 'locked');
    mkdirSync(join(locked, 'db'), { recursive: true });
    copyFileSync(join(cache, 'db', 'ringfence.db'), join(locked, 'db', 'ringfence.db'));
    const holder = new Database(join(locked, 'db', 'ringfence.db'));
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const busy = await scan(['--skip-db-update'], OFFLINE, locked);
      expect(busy.code).toBe(2);
      expect(busy.stderr.trim()).toMatch(
        /^ringfence: .*: the database is locked by another process; try again when it has finished$/,
      );
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    const after = await scan(['--skip-db-update', '--format', 'json'], OFFLINE, locked);
    expect(after.code).toBe(0);
    expect(ids(after.stdout)).toEqual(EXPECTED);
  });

  it('imports that fail (corrupt zip, invalid OSV JSON) leave the database as it was; an unknown ecosystem is skipped', async () => {
    const zip = writeZip([{ name: 'GHSA-x.json', data: Buffer.from(JSON.stringify(LANGUAGE_RECORDS[0])) }]);
    const corruptZip = join(work, 'corrupt.zip');
    writeFileSync(corruptZip, Buffer.concat([zip.subarray(0, zip.length - 30), Buffer.alloc(30)]));
    const badZip = await ringfence(['db', 'import', corruptZip, '--cache-dir', cache]);
    expect(badZip.code).toBe(2);
    expect(badZip.stderr.trim().split('\n')).toHaveLength(1);
    const invalidJson = join(work, 'invalid.json');
    writeFileSync(invalidJson, '{"id": "GHSA-bad", "affected": [');
    const badJson = await ringfence(['db', 'import', invalidJson, '--cache-dir', cache]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/invalid\.json/);

    const unknown = join(work, 'unknown-ecosystem.json');
    writeFileSync(
      unknown,
      JSON.stringify({
        id: 'XYZ-1',
        modified: '2025-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'Nonsense', name: 'lodash' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
          },
        ],
      }),
    );
    const skipped = await ringfence(['db', 'import', unknown, '--cache-dir', cache]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/unknown ecosystem 'Nonsense'/);

    const r = await scan(['--format', 'json', '--skip-db-update']);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(EXPECTED);
  });

  it('bad flags fail before anything is scanned, in one line', async () => {
    for (const args of [
      ['--format', 'xml'],
      ['--db-max-age', '5 minutes'],
      ['--ignorefile', join(work, 'no-such-ignorefile')],
      ['--severity', 'urgent'],
      ['--exit-code', '300'],
    ]) {
      const r = await ringfence(['fs', join(work, 'no-such-dir'), '--cache-dir', cache, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).not.toMatch(/no-such-dir/);
    }
  });
});
