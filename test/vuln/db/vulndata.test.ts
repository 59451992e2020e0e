import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVulnDb, type VulnDb } from '../../../src/vuln/db/query.js';
import { importIntoVulnDb, type UpdateReport } from '../../../src/vuln/db/update.js';
import { sharedDir } from '../../helpers/components.js';

const shared = sharedDir();
const ECOSYSTEMS = ['Go', 'PyPI', 'crates.io'];

describe.skipIf(!shared)('importing all of ../shared/vulndata/osv', () => {
  let dir: string;
  let report: UpdateReport;
  let db: VulnDb;
  const osv = (eco: string) => join(shared as string, 'vulndata', 'osv', eco);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rf-vulndata-'));
    report = await importIntoVulnDb(ECOSYSTEMS.map(osv), { dir });
    db = openVulnDb(report.path);
  }, 300_000);

  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every record that is not withdrawn, and counts checked against the files', () => {
    let files = 0;
    for (const eco of ECOSYSTEMS) {
      const names = readdirSync(osv(eco)).filter((f) => f.endsWith('.json'));
      files += names.length;
      const live = names.filter(
        (f) => JSON.parse(readFileSync(join(osv(eco), f), 'utf8')).withdrawn === undefined,
      );
      const outcome = report.feeds.find((f) => f.name === `file:${osv(eco)}`);
      expect(outcome).toMatchObject({ state: 'updated', records: live.length, skipped: 0 });
    }
    expect(files).toBe(8158);
    const total = report.feeds.reduce((n, f) => n + (f.records ?? 0), 0);
    process.stdout.write(`imported ${total} of ${files} OSV records (the rest are withdrawn)\n`);
    expect(total).toBe(8118);
    expect(db.isEmpty()).toBe(false);
  });

  it('GO-2023-1987: the Go standard library with three introduced/fixed pairs', () => {
    const hit = db.affected('Go', 'stdlib').find((r) => r.advisoryId === 'GO-2023-1987');
    expect(hit).toMatchObject({ fixState: 'fixed', fixedVersions: ['1.19.12', '1.20.7', '1.21.0-rc.4'] });
    expect(hit?.ranges[0]?.type).toBe('SEMVER');
    expect(hit?.ranges[0]?.events).toHaveLength(6);
    const details = db.advisory(hit?.advisoryRef as number);
    expect(details.aliases).toEqual(['CVE-2023-29409']);
    expect(details.title).toMatch(/RSA/i);
  });

  it('RUSTSEC-2016-0001: aliases and a CVSS 3.0 vector scored 8.1', () => {
    const hit = db.affected('crates.io', 'openssl').find((r) => r.advisoryId === 'RUSTSEC-2016-0001');
    expect(hit?.fixedVersions).toEqual(['0.9.0']);
    const details = db.advisory(hit?.advisoryRef as number);
    expect(details.aliases).toEqual(['CVE-2016-10931', 'GHSA-34p9-f4q3-c4r7']);
    expect(details.cvss).toEqual([
      { version: '3.0', vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 8.1, rating: 'HIGH' },
    ]);
  });

  it('RUSTSEC-2024-0445: a CVSS 4.0 vector scored 2.3 (as GHSA-hxf5-99xg-86hw publishes it)', () => {
    const hit = db.affected('crates.io', 'cap-primitives').find((r) => r.advisoryId === 'RUSTSEC-2024-0445');
    const details = db.advisory(hit?.advisoryRef as number);
    expect(details.cvss).toEqual([
      {
        version: '4.0',
        vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
        score: 2.3,
        rating: 'LOW',
      },
    ]);
  });

  it('PYSEC-2022-42969: last_affected, explicit versions and no fix', () => {
    const hit = db.affected('PyPI', 'py').find((r) => r.advisoryId === 'PYSEC-2022-42969');
    expect(hit).toMatchObject({ fixState: 'affected', fixedVersions: [] });
    expect(hit?.ranges[0]?.events).toEqual([
      { kind: 'introduced', version: '0' },
      { kind: 'last_affected', version: '1.11.0' },
    ]);
    expect(hit?.versions).toHaveLength(65);
  });

  it('finds PyPI packages by their PEP 503 normalised name', () => {
    for (const name of ['apache-atlas', 'Apache_Atlas', 'apache.atlas']) {
      const hit = db.affected('PyPI', name).find((r) => r.advisoryId === 'PYSEC-2017-105');
      expect(hit?.name).toBe('apache-atlas');
      expect(db.advisory(hit?.advisoryRef as number).cvss[0]?.score).toBe(7.5);
    }
  });

  it('looks up many packages in one query, keyed by the names given', () => {
    const many = db.snapshot(() => db.affectedMany('PyPI', ['Django', 'py', 'no-such-package']));
    expect(many.get('Django')?.length).toBeGreaterThan(50);
    expect(many.get('py')?.some((r) => r.advisoryId === 'PYSEC-2022-42969')).toBe(true);
    expect(many.has('no-such-package')).toBe(false);
  });
});
