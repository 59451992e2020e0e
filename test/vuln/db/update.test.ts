import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedsFor } from '../../../src/vuln/db/feeds.js';
import { ensureFresh } from '../../../src/vuln/db/fresh.js';
import { openVulnDb } from '../../../src/vuln/db/query.js';
import { updateVulnDb, vulnDbPath } from '../../../src/vuln/db/update.js';
import { ringfence } from '../../helpers/cli.js';
import { writeZip } from '../../util/zip-writer.js';

const record = (id: string) => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  aliases: ['CVE-2024-0001'],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
    },
    { package: { ecosystem: 'Maven', name: 'org.example:other' }, versions: ['1.0'] },
  ],
});
const zipOf = (id: string) =>
  writeZip([{ name: `${id}.json`, data: Buffer.from(JSON.stringify(record(id))) }]);

interface Served {
  body: Buffer;
  etag: string;
  /** Send this many bytes, then cut the connection. */
  cutAfter?: number;
  /** Send half, then stall (for kill -9 tests). */
  stall?: boolean;
}

const files = new Map<string, Served>();
const requests: { url: string; headers: http.IncomingHttpHeaders }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    const f = files.get(req.url ?? '');
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers['if-none-match'] === f.etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-length': f.body.length, etag: f.etag });
    if (f.cutAfter !== undefined) {
      res.write(f.body.subarray(0, f.cutAfter), () => res.destroy());
      return;
    }
    if (f.stall) {
      res.write(f.body.subarray(0, f.body.length >> 1));
      return;
    }
    res.end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.RINGFENCE_OSV_URL = `${base}/osv`;
  process.env.RINGFENCE_KEV_URL = `${base}/kev.json`;
  process.env.RINGFENCE_EPSS_URL = `${base}/epss.csv.gz`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rf-update-'));
  requests.length = 0;
  files.clear();
  files.set('/osv/npm/all.zip', { body: zipOf('GHSA-v1v1-v1v1-v1v1'), etag: '"npm-1"' });
  files.set('/kev.json', {
    body: Buffer.from(
      JSON.stringify({
        catalogVersion: '1',
        vulnerabilities: [{ cveID: 'CVE-2024-0001', dateAdded: '2024-02-01' }],
      }),
    ),
    etag: '"kev-1"',
  });
  files.set('/epss.csv.gz', {
    body: gzipSync('cve,epss,percentile\nCVE-2024-0001,0.5,0.9\n'),
    etag: '"epss-1"',
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const npmFeeds = () => feedsFor({ ecosystems: ['npm'] });
const advisoryIds = () => {
  const db = openVulnDb(vulnDbPath(dir));
  try {
    return db.affected('npm', 'left-pad').map((r) => r.advisoryId);
  } finally {
    db.close();
  }
};

describe('db update against feeds served locally', () => {
  it('fetches the feeds, imports only the feed’s ecosystem, and attaches KEV and EPSS', async () => {
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(report.rebuilt).toBe(true);
    expect(report.feeds.map((f) => [f.name, f.state, f.records])).toEqual([
      ['osv:npm', 'updated', 1],
      ['kev', 'updated', 1],
      ['epss', 'updated', 1],
    ]);
    expect(report.feeds[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const db = openVulnDb(vulnDbPath(dir));
    const [hit] = db.affected('npm', 'left-pad');
    expect(db.affected('Maven', 'org.example:other')).toEqual([]);
    expect(db.advisory(hit?.advisoryRef as number)).toMatchObject({
      kev: { dateAdded: '2024-02-01' },
      epss: { score: 0.5 },
    });
    db.close();
  });

  it('sends If-None-Match the second time and does not rebuild when nothing changed', async () => {
    await updateVulnDb(npmFeeds(), { dir });
    const before = statSync(vulnDbPath(dir));
    requests.length = 0;
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(requests.map((r) => r.headers['if-none-match'])).toEqual(['"npm-1"', '"kev-1"', '"epss-1"']);
    expect(report.rebuilt).toBe(false);
    expect(report.feeds.every((f) => f.state === 'unchanged')).toBe(true);
    expect(statSync(vulnDbPath(dir)).ino).toBe(before.ino);
  });

  it('rebuilds only with the feed that changed and keeps the others', async () => {
    await updateVulnDb(npmFeeds(), { dir });
    files.set('/osv/npm/all.zip', { body: zipOf('GHSA-v2v2-v2v2-v2v2'), etag: '"npm-2"' });
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(report.feeds.map((f) => f.state)).toEqual(['updated', 'unchanged', 'unchanged']);
    expect(advisoryIds()).toEqual(['GHSA-v2v2-v2v2-v2v2']);
  });

  it('a download cut mid-way leaves the previous database in place', async () => {
    await updateVulnDb(npmFeeds(), { dir });
    const body = zipOf('GHSA-v2v2-v2v2-v2v2');
    files.set('/osv/npm/all.zip', { body, etag: '"npm-2"', cutAfter: 40 });
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(report.feeds[0]).toMatchObject({ state: 'failed' });
    expect(report.feeds[0]?.error).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/osv\/npm\/all\.zip: download (cut short|failed)/,
    );
    expect(advisoryIds()).toEqual(['GHSA-v1v1-v1v1-v1v1']);
    expect(readdirSync(dir).filter((f) => f !== 'ringfence.db')).toEqual([]);
  });

  it('a corrupt zip is a clear error and the feed keeps its previous data', async () => {
    await updateVulnDb(npmFeeds(), { dir });
    files.set('/osv/npm/all.zip', { body: Buffer.from('this is not a zip archive at all'), etag: '"npm-3"' });
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(report.feeds[0]?.state).toBe('failed');
    expect(report.feeds[0]?.error).toMatch(/npm\.[0-9a-f]{8}: not a zip archive/);
    expect(advisoryIds()).toEqual(['GHSA-v1v1-v1v1-v1v1']);
  });

  it('a corrupt database file is a clear error to readers and is rebuilt by the next update', async () => {
    await updateVulnDb(npmFeeds(), { dir });
    writeFileSync(vulnDbPath(dir), Buffer.alloc(8192, 0x41));
    expect(() => openVulnDb(vulnDbPath(dir))).toThrow(
      /ringfence\.db: the database file is corrupt: run `ringfence db update`/,
    );
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(report.feeds[0]?.state).toBe('updated');
    expect(advisoryIds()).toEqual(['GHSA-v1v1-v1v1-v1v1']);
  });

  it('a database locked by another process is a clear error, and usable once released', async () => {
    await updateVulnDb(npmFeeds(), { dir });
    const other = new Database(vulnDbPath(dir));
    other.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => openVulnDb(vulnDbPath(dir))).toThrow(
        /ringfence\.db: the database is locked by another process/,
      );
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    expect(advisoryIds()).toEqual(['GHSA-v1v1-v1v1-v1v1']);
  });

  it('refuses to run beside another live update, and takes over the lock of a dead one', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'update.lock'), String(sleeper.pid));
      await expect(updateVulnDb(npmFeeds(), { dir })).rejects.toThrow(
        `another ringfence (pid ${sleeper.pid}) is updating the database`,
      );
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
    }
    writeFileSync(join(dir, 'ringfence.db.dead.building'), 'left by a killed update');
    const report = await updateVulnDb(npmFeeds(), { dir });
    expect(report.rebuilt).toBe(true);
    expect(existsSync(join(dir, 'ringfence.db.dead.building'))).toBe(false);
  });
});

describe('ensureFresh for scans', () => {
  it('updates what a scan needs once, then not again within the age limit', async () => {
    const first = await ensureFresh({ ecosystems: ['npm'], dir });
    expect(first.updated).toEqual(['osv:npm', 'kev', 'epss']);
    requests.length = 0;
    const second = await ensureFresh({ ecosystems: ['npm'], dir });
    expect(second).toMatchObject({ updated: [], warnings: [] });
    expect(requests).toEqual([]);
  });

  it('warns and carries on when offline or asked for an unsupported distribution', async () => {
    process.env.RINGFENCE_OSV_URL = 'http://127.0.0.1:9/osv';
    try {
      const result = await ensureFresh({ ecosystems: ['pypi'], distros: ['fedora:40'], dir });
      expect(result.warnings.join('\n')).toMatch(/unknown distribution 'fedora:40'/);
      expect(result.warnings.join('\n')).toMatch(
        /osv:PyPI not updated: http:\/\/127\.0\.0\.1:9\/osv\/PyPI\/all\.zip: download failed/,
      );
    } finally {
      process.env.RINGFENCE_OSV_URL = `${base}/osv`;
    }
  });
});

describe('ringfence db (CLI)', () => {
  const env = () => ({
    RINGFENCE_OSV_URL: `${base}/osv`,
    RINGFENCE_KEV_URL: `${base}/kev.json`,
    RINGFENCE_EPSS_URL: `${base}/epss.csv.gz`,
  });

  it('update, then status as a table and as JSON', async () => {
    const cache = join(dir, 'cache');
    const up = await ringfence(['--cache-dir', cache, 'db', 'update', '--ecosystem', 'npm'], { env: env() });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^FEED +STATE +RECORDS/);
    expect(up.stdout).toMatch(/osv:npm +updated +1/);
    const status = await ringfence(['--cache-dir', cache, 'db', 'status', '--format', 'json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as {
      empty: boolean;
      sources: { name: string; records: number }[];
    };
    expect(parsed.empty).toBe(false);
    expect(parsed.sources.map((s) => [s.name, s.records])).toEqual([
      ['epss', 1],
      ['kev', 1],
      ['osv:npm', 1],
    ]);
  });

  it('bad usage and missing databases are one-line errors with exit 2', async () => {
    const cache = join(dir, 'cache');
    const unknown = await ringfence(['--cache-dir', cache, 'db', 'update', '--ecosystem', 'cobol']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe(
      "ringfence: unknown ecosystem 'cobol' (known: npm, PyPI, Go, crates.io, Maven, RubyGems, NuGet, Packagist, Hex, Pub; distributions go in --distro)\n",
    );
    const none = await ringfence(['--cache-dir', cache, 'db', 'status']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/no vulnerability database yet: run `ringfence db update`/);
  });

  it('kill -9 in the middle of an update leaves the previous database intact and the next update works', async () => {
    const cache = join(dir, 'cache');
    expect(
      (await ringfence(['--cache-dir', cache, 'db', 'update', '--ecosystem', 'npm'], { env: env() })).code,
    ).toBe(0);
    files.set('/osv/npm/all.zip', { body: zipOf('GHSA-v2v2-v2v2-v2v2'), etag: '"npm-2"', stall: true });
    requests.length = 0;
    const child = spawn(
      process.execPath,
      [new URL('../../../bin/ringfence', import.meta.url).pathname, '--cache-dir', cache, 'db', 'update'],
      {
        env: { ...process.env, ...env() },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200 && !requests.some((r) => r.url === '/osv/npm/all.zip'); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const db = openVulnDb(join(cache, 'db', 'ringfence.db'));
    expect(db.affected('npm', 'left-pad').map((r) => r.advisoryId)).toEqual(['GHSA-v1v1-v1v1-v1v1']);
    db.close();
    files.set('/osv/npm/all.zip', { body: zipOf('GHSA-v2v2-v2v2-v2v2'), etag: '"npm-2"' });
    const again = await ringfence(['--cache-dir', cache, 'db', 'update'], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/osv:npm +updated/);
  });
});
