import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/util/errors.js';
import { detectFeedFile } from '../../../src/vuln/db/detect.js';
import { openVulnDb } from '../../../src/vuln/db/query.js';
import { importIntoVulnDb } from '../../../src/vuln/db/update.js';
import { writeZip } from '../../util/zip-writer.js';

let work: string;
let dir: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rf-importers-'));
  dir = join(work, 'db');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

/** Shaped like https://security-tracker.debian.org/tracker/data/json. */
const DEBIAN_TRACKER = {
  zlib: {
    'CVE-2023-45853': {
      description: 'MiniZip in zlib through 1.3 has an integer overflow',
      scope: 'local',
      releases: {
        bookworm: {
          status: 'open',
          repositories: { bookworm: '1:1.2.13.dfsg-1' },
          urgency: 'unimportant',
          nodsa: 'contrib/minizip not built',
          nodsa_reason: 'ignored',
        },
        bullseye: {
          status: 'resolved',
          repositories: { bullseye: '1:1.2.11.dfsg-2+deb11u2' },
          fixed_version: '1:1.2.11.dfsg-2+deb11u3',
          urgency: 'low',
        },
        buster: { status: 'open', repositories: { buster: '1:1.2.11.dfsg-1' }, urgency: 'end-of-life' },
        sid: {
          status: 'resolved',
          repositories: { sid: '1:1.3.dfsg-3' },
          fixed_version: '1:1.3.dfsg-3',
          urgency: 'low',
        },
      },
    },
  },
  openssl: {
    'CVE-2024-0727': {
      description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash',
      releases: {
        bookworm: {
          status: 'resolved',
          repositories: { bookworm: '3.0.11-1~deb12u2' },
          fixed_version: '3.0.13-1~deb12u1',
          urgency: 'not yet assigned',
        },
        trixie: {
          status: 'resolved',
          repositories: { trixie: '3.1.5-1' },
          fixed_version: '0',
          urgency: 'not yet assigned',
        },
      },
    },
    'CVE-2024-2511': {
      description: 'Unbounded memory growth with session handling in TLSv1.3',
      releases: {
        bookworm: {
          status: 'open',
          repositories: { bookworm: '3.0.11-1~deb12u2' },
          urgency: 'low',
          nodsa: 'Minor issue',
          nodsa_reason: 'postponed',
        },
        trixie: { status: 'undetermined', repositories: { trixie: '3.1.5-1' }, urgency: 'not yet assigned' },
      },
    },
  },
};

/** Shaped like https://secdb.alpinelinux.org/v3.20/main.json. */
const ALPINE_SECDB = {
  apkurl: '{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk',
  archs: ['aarch64', 'x86_64'],
  reponame: 'main',
  urlprefix: 'https://dl-cdn.alpinelinux.org/alpine',
  distroversion: 'v3.20',
  packages: [
    {
      pkg: {
        name: 'openssl',
        secfixes: {
          '3.3.0-r3': ['CVE-2024-4741'],
          '3.3.1-r1': ['CVE-2024-5535 CVE-2024-4603'],
          '0': ['CVE-2022-1292'],
        },
      },
    },
    { pkg: { name: 'busybox', secfixes: { '1.36.1-r20': ['CVE-2023-42363'] } } },
  ],
};

const KEV = {
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2024.11.21',
  dateReleased: '2024-11-21T17:00:35.8025Z',
  count: 2,
  vulnerabilities: [
    {
      cveID: 'CVE-2016-10931',
      vendorProject: 'rust-openssl',
      product: 'openssl',
      vulnerabilityName: 'rust-openssl insecure defaults',
      dateAdded: '2024-01-10',
      shortDescription: 'x',
      requiredAction: 'Apply mitigations per vendor instructions.',
      dueDate: '2024-01-31',
      knownRansomwareCampaignUse: 'Known',
      notes: '',
      cwes: ['CWE-295'],
    },
    { cveID: 'not-a-cve', dateAdded: '2024-01-10' },
  ],
};

const EPSS_CSV =
  '#model_version:v2023.03.01,score_date:2024-11-21T00:00:00+0000\ncve,epss,percentile\nCVE-2016-10931,0.00420,0.74012\nCVE-2024-0727,0.00043,0.09990\nbogus,row\n';

const osvRecord = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  aliases: ['CVE-2016-10931'],
  summary: `${id} summary`,
  affected: [
    {
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
    },
  ],
  database_specific: { severity: 'MODERATE' },
  ...extra,
});

describe('Debian security tracker importer', () => {
  it('keys releases by source package and maps every status to a fix state', async () => {
    await importIntoVulnDb([file('tracker.json', JSON.stringify(DEBIAN_TRACKER))], { dir });
    const db = openVulnDb(join(dir, 'ringfence.db'));
    try {
      const zlib12 = db.affected('Debian:12', 'zlib');
      expect(zlib12).toHaveLength(1);
      expect(zlib12[0]).toMatchObject({
        advisoryId: 'CVE-2023-45853',
        fixState: 'wont_fix',
        vendorSeverity: { source: 'Debian', value: 'unimportant', level: 'LOW' },
      });
      expect(db.affected('Debian:11', 'zlib')[0]).toMatchObject({
        fixState: 'fixed',
        fixedVersions: ['1:1.2.11.dfsg-2+deb11u3'],
      });
      expect(db.affected('Debian:10', 'zlib')[0]).toMatchObject({
        fixState: 'end_of_life',
        fixedVersions: [],
      });
      const openssl12 = db.affected('Debian:12', 'openssl');
      expect(openssl12.map((r) => [r.advisoryId, r.fixState]).sort()).toEqual([
        ['CVE-2024-0727', 'fixed'],
        ['CVE-2024-2511', 'affected'],
      ]);
      const openssl13 = db.affected('Debian:13', 'openssl');
      expect(openssl13.map((r) => [r.advisoryId, r.fixState]).sort()).toEqual([
        ['CVE-2024-0727', 'not_affected'],
        ['CVE-2024-2511', 'affected'],
      ]);
      const details = db.advisory(zlib12[0]?.advisoryRef as number);
      expect(details.title).toBe('MiniZip in zlib through 1.3 has an integer overflow');
      expect(details.references[0]?.url).toBe('https://security-tracker.debian.org/tracker/CVE-2023-45853');
    } finally {
      db.close();
    }
  });

  it('streams a gzipped tracker file too', async () => {
    await importIntoVulnDb([file('tracker.json.gz', gzipSync(JSON.stringify(DEBIAN_TRACKER)))], { dir });
    const db = openVulnDb(join(dir, 'ringfence.db'));
    expect(db.affected('Debian:12', 'openssl')).toHaveLength(2);
    db.close();
  });
});

describe('Alpine secdb importer', () => {
  it('reads secfixes: fixed versions, several ids per line, and 0 as not affected', async () => {
    await importIntoVulnDb([file('main.json', JSON.stringify(ALPINE_SECDB))], { dir });
    const db = openVulnDb(join(dir, 'ringfence.db'));
    try {
      const openssl = db.affected('Alpine:v3.20', 'openssl');
      expect(openssl.map((r) => [r.advisoryId, r.fixState, r.fixedVersions[0]]).sort()).toEqual([
        ['CVE-2022-1292', 'not_affected', undefined],
        ['CVE-2024-4603', 'fixed', '3.3.1-r1'],
        ['CVE-2024-4741', 'fixed', '3.3.0-r3'],
        ['CVE-2024-5535', 'fixed', '3.3.1-r1'],
      ]);
      expect(db.affected('Alpine:v3.19', 'openssl')).toEqual([]);
      expect(db.affected('Alpine:v3.20', 'busybox')[0]?.advisoryId).toBe('CVE-2023-42363');
    } finally {
      db.close();
    }
  });

  it('takes distroversion even when it comes after the packages', async () => {
    const { distroversion, ...rest } = ALPINE_SECDB;
    await importIntoVulnDb([file('late.json', JSON.stringify({ ...rest, distroversion }))], { dir });
    const db = openVulnDb(join(dir, 'ringfence.db'));
    expect(db.affected('Alpine:v3.20', 'busybox')).toHaveLength(1);
    db.close();
  });
});

describe('KEV and EPSS', () => {
  it('attaches the KEV flag and the EPSS score to advisories through their CVE aliases', async () => {
    await importIntoVulnDb(
      [
        file('GHSA-test.json', JSON.stringify(osvRecord('GHSA-aaaa-bbbb-cccc'))),
        file('kev.json', JSON.stringify(KEV)),
        file('epss.csv.gz', gzipSync(EPSS_CSV)),
      ],
      { dir },
    );
    const db = openVulnDb(join(dir, 'ringfence.db'));
    try {
      const [hit] = db.affected('npm', 'left-pad');
      const details = db.advisory(hit?.advisoryRef as number);
      expect(details.kev).toEqual({
        cve: 'CVE-2016-10931',
        dateAdded: '2024-01-10',
        dueDate: '2024-01-31',
        knownRansomware: true,
      });
      expect(details.epss).toEqual({ cve: 'CVE-2016-10931', score: 0.0042, percentile: 0.74012 });
      expect(details.vendorSeverity).toEqual({ source: 'GHSA', value: 'MODERATE', level: 'MEDIUM' });
      const sources = Object.fromEntries(db.sources().map((s) => [s.kind, s]));
      expect(sources.kev).toMatchObject({ records: 1, skipped: 1 });
      expect(sources.epss).toMatchObject({ records: 2, skipped: 1 });
    } finally {
      db.close();
    }
  });
});

describe('OSV files, directories and zips', () => {
  it('imports a zip like osv.dev’s all.zip and drops withdrawn records', async () => {
    const zip = writeZip([
      {
        name: 'GHSA-1111-2222-3333.json',
        data: Buffer.from(JSON.stringify(osvRecord('GHSA-1111-2222-3333'))),
      },
      {
        name: 'GHSA-4444-5555-6666.json',
        data: Buffer.from(
          JSON.stringify(osvRecord('GHSA-4444-5555-6666', { withdrawn: '2024-02-02T00:00:00Z' })),
        ),
      },
    ]);
    const report = await importIntoVulnDb([file('all.zip', zip)], { dir });
    expect(report.feeds[0]).toMatchObject({ records: 1, skipped: 0 });
    const db = openVulnDb(join(dir, 'ringfence.db'));
    expect(db.affected('npm', 'left-pad').map((r) => r.advisoryId)).toEqual(['GHSA-1111-2222-3333']);
    db.close();
  });

  it('skips an invalid record in a directory with a warning naming file and problem, and imports the rest', async () => {
    const tree = join(work, 'tree', 'npm');
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, 'good.json'), JSON.stringify(osvRecord('GHSA-good-good-good')));
    writeFileSync(join(tree, 'broken.json'), '{"id": "GHSA-x", "affected": [');
    const badRange = osvRecord('GHSA-bad0-bad0-bad0', {
      affected: [
        { package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ fixd: '1' }] }] },
      ],
    });
    writeFileSync(join(tree, 'bad-range.json'), JSON.stringify(badRange));
    const report = await importIntoVulnDb([join(work, 'tree')], { dir });
    expect(report.feeds[0]).toMatchObject({ records: 1, skipped: 2 });
    const warnings = report.feeds[0]?.warnings.join('\n');
    expect(warnings).toContain(`${join(tree, 'broken.json')}: invalid JSON`);
    expect(warnings).toContain(
      'record GHSA-bad0-bad0-bad0: affected[0].ranges[0].events[0] must have exactly one of',
    );
  });

  it('names an unknown ecosystem and keeps the entries it knows', async () => {
    const record = osvRecord('GHSA-eco0-eco0-eco0', {
      affected: [
        { package: { ecosystem: 'Frobnicator', name: 'x' }, versions: ['1'] },
        { package: { ecosystem: 'PyPI', name: 'Some_Thing' }, versions: ['1.0'] },
      ],
    });
    const report = await importIntoVulnDb([file('eco.json', JSON.stringify(record))], { dir });
    expect(report.feeds[0]?.warnings).toEqual([
      `${join(work, 'eco.json')}: record GHSA-eco0-eco0-eco0: affected[0]: unknown ecosystem 'Frobnicator' (entry skipped)`,
    ]);
    const db = openVulnDb(join(dir, 'ringfence.db'));
    expect(db.affected('PyPI', 'some-thing')[0]?.versions).toEqual(['1.0']);
    db.close();
  });

  it('refuses a file with nothing but an invalid record, leaving the database as it was', async () => {
    await importIntoVulnDb([file('ok.json', JSON.stringify(osvRecord('GHSA-keep-keep-keep')))], { dir });
    const bad = file('bad.json', JSON.stringify({ id: 'GHSA-bad1-bad1-bad1', affected: 'oops' }));
    await expect(importIntoVulnDb([bad], { dir })).rejects.toThrow(
      `${bad}: nothing imported: ${bad}: record GHSA-bad1-bad1-bad1: 'affected' is not an array`,
    );
    const db = openVulnDb(join(dir, 'ringfence.db'));
    expect(db.affected('npm', 'left-pad').map((r) => r.advisoryId)).toEqual(['GHSA-keep-keep-keep']);
    db.close();
  });

  it('reads a JSON array of records', async () => {
    const records = [osvRecord('GHSA-arr1-arr1-arr1'), osvRecord('GHSA-arr2-arr2-arr2')];
    const report = await importIntoVulnDb([file('list.json', JSON.stringify(records))], { dir });
    expect(report.feeds[0]?.records).toBe(2);
  });

  it('re-importing a path replaces what it gave before', async () => {
    const path = file('one.json', JSON.stringify(osvRecord('GHSA-old0-old0-old0')));
    await importIntoVulnDb([path], { dir });
    writeFileSync(path, JSON.stringify(osvRecord('GHSA-new0-new0-new0')));
    await importIntoVulnDb([path], { dir });
    const db = openVulnDb(join(dir, 'ringfence.db'));
    expect(db.affected('npm', 'left-pad').map((r) => r.advisoryId)).toEqual(['GHSA-new0-new0-new0']);
    db.close();
  });
});

describe('feed detection', () => {
  it('recognises each kind, and names what it cannot recognise', async () => {
    expect((await detectFeedFile(file('t.json', JSON.stringify(DEBIAN_TRACKER)))).kind).toBe(
      'debian-tracker',
    );
    expect((await detectFeedFile(file('a.json', JSON.stringify(ALPINE_SECDB)))).kind).toBe('alpine-secdb');
    expect((await detectFeedFile(file('k.json', JSON.stringify(KEV)))).kind).toBe('kev');
    expect((await detectFeedFile(file('e.csv', EPSS_CSV))).kind).toBe('epss');
    expect(await detectFeedFile(file('o.json', JSON.stringify(osvRecord('X-1'))))).toMatchObject({
      kind: 'osv',
      container: 'file',
    });
    const unknown = file('u.txt', 'hello');
    await expect(detectFeedFile(unknown)).rejects.toThrow(UserError);
    await expect(detectFeedFile(unknown)).rejects.toThrow(`${unknown}: cannot tell what this is`);
  });
});
