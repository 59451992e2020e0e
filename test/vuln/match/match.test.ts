import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Inventory, Package } from '../../../src/types.js';
import { openVulnDb, type VulnDb } from '../../../src/vuln/db/query.js';
import { matchInventory } from '../../../src/vuln/match/index.js';
import { buildVulnDb, osvRecord } from './db-fixture.js';

const introducedFixed = (fixed: string): Record<string, string>[] => [{ introduced: '0' }, { fixed }];

const FEEDS = {
  osv: [
    osvRecord('DEBIAN-GLIBC-12', 'Debian:12', 'glibc', introducedFixed('2.36-9+deb12u4'), {
      aliases: ['CVE-2025-0001'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    }),
    osvRecord('DEBIAN-GLIBC-11', 'Debian:11', 'glibc', introducedFixed('2.31-13+deb11u9')),
    // The same CVE as the tracker's, from OSV: one finding, the tracker's fix state.
    osvRecord('DEBIAN-CVE-2023-45853', 'Debian:12', 'zlib', [{ introduced: '0' }], {
      aliases: ['CVE-2023-45853'],
    }),
    osvRecord('GHSA-aaaa-bbbb-cccc', 'npm', 'lodash', introducedFixed('4.17.21'), {
      aliases: ['CVE-2021-23337'],
      database_specific: { severity: 'HIGH' },
    }),
    osvRecord('GHSA-dddd-eeee-ffff', 'npm', 'lodash', [
      { introduced: '0' },
      { fixed: '4.17.12' },
      { introduced: '4.17.15' },
      { fixed: '4.17.19' },
    ]),
    osvRecord('GHSA-gggg-hhhh-iiii', 'npm', 'minimist', [{ introduced: '0' }, { last_affected: '1.2.5' }]),
    osvRecord('PYSEC-2023-1', 'PyPI', 'requests', introducedFixed('2.31.0'), {
      aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
    }),
    osvRecord('GHSA-j8r2-6x86-q33q', 'PyPI', 'requests', introducedFixed('2.31.0'), {
      aliases: ['CVE-2023-32681'],
      database_specific: { severity: 'MODERATE' },
    }),
    {
      id: 'GO-2023-0001',
      modified: '2025-01-01T00:00:00Z',
      summary: 'stdlib and a module',
      aliases: ['CVE-2023-29409'],
      affected: [
        {
          package: { ecosystem: 'Go', name: 'stdlib' },
          ranges: [
            {
              type: 'SEMVER',
              events: [
                { introduced: '0' },
                { fixed: '1.19.12' },
                { introduced: '1.20.0-0' },
                { fixed: '1.20.7' },
              ],
            },
          ],
        },
        {
          package: { ecosystem: 'Go', name: 'github.com/example/mod' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.2.4' }] }],
        },
      ],
    },
  ],
  debianTracker: {
    zlib: {
      'CVE-2023-45853': {
        description: 'MiniZip in zlib through 1.3 has an integer overflow',
        releases: { bookworm: { status: 'open', urgency: 'unimportant', nodsa_reason: 'ignored' } },
      },
    },
  },
  kev: [{ cve: 'CVE-2021-23337', dateAdded: '2024-01-10' }],
  epss: [{ cve: 'CVE-2021-23337', score: 0.5, percentile: 0.97 }],
};

const pkgOf = (f: Finding) => f.details?.package as Package;

function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package {
  return {
    purl: `pkg:${p.ecosystem}/${p.name}@${p.version}`,
    paths: ['var/lib/dpkg/status'],
    analyzer: 'test',
    ...p,
  };
}

function inventory(
  packages: Package[],
  os: Inventory['os'] = { family: 'debian', version: '12' },
): Inventory {
  return {
    source: { type: 'docker-archive', ref: 'app.tar' },
    os,
    layers: [{ index: 0, diffId: 'sha256:base' }],
    packages,
    warnings: [],
  };
}

describe('matchInventory against a database built by the real importers', () => {
  let work: string;
  let db: VulnDb;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rf-match-'));
    db = openVulnDb(await buildVulnDb(work, join(work, 'db'), FEEDS));
  });
  afterAll(() => {
    db?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a Debian:12 record keyed by source package gives one finding per binary package; Debian:11 gives none', () => {
    const glibc = { name: 'glibc', version: '2.36-9+deb12u3' };
    const { findings } = matchInventory(
      inventory([
        pkg({
          name: 'libc6',
          version: '2.36-9+deb12u3',
          ecosystem: 'deb',
          source: glibc,
          layer: { index: 0, diffId: 'sha256:base' },
        }),
        pkg({ name: 'libc-bin', version: '2.36-9+deb12u3', ecosystem: 'deb', source: glibc }),
      ]),
      db,
    );
    expect(findings.map((f) => `${pkgOf(f).name} ${f.ruleId} ${f.fix}`).sort()).toEqual([
      'libc-bin DEBIAN-GLIBC-12 2.36-9+deb12u4',
      'libc6 DEBIAN-GLIBC-12 2.36-9+deb12u4',
    ]);
    const libc6 = findings.find((f) => pkgOf(f).name === 'libc6')!;
    expect(libc6).toMatchObject({
      kind: 'vulnerability',
      severity: 'CRITICAL',
      target: 'app.tar (debian 12)',
      location: { path: 'var/lib/dpkg/status', layer: 'sha256:base' },
      status: 'open',
      details: { aliases: ['CVE-2025-0001'], fixState: 'fixed', severitySource: 'CVSS 3.1', cvssScore: 9.8 },
    });
    const eleven = matchInventory(
      inventory([
        pkg({
          name: 'libc6',
          version: '2.31-13+deb11u8',
          ecosystem: 'deb',
          source: { name: 'glibc', version: '2.31-13+deb11u8' },
        }),
      ]),
      db,
    );
    expect(eleven.findings.map((f) => f.ruleId)).toEqual(['DEBIAN-GLIBC-12']);
  });

  it('compares the source version, not the binary one (binNMUs add +bN to the binary only)', () => {
    const { findings } = matchInventory(
      inventory([
        pkg({
          name: 'libc6',
          version: '2.36-9+deb12u4+b1',
          ecosystem: 'deb',
          source: { name: 'glibc', version: '2.36-9+deb12u3' },
        }),
      ]),
      db,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.details).toMatchObject({
      installedVersion: '2.36-9+deb12u4+b1',
      matchedVersion: '2.36-9+deb12u3',
    });
  });

  it("the Debian tracker and OSV describing the same CVE give one finding with the tracker's fix state", () => {
    const { findings } = matchInventory(
      inventory([
        pkg({
          name: 'zlib1g',
          version: '1:1.2.13.dfsg-1',
          ecosystem: 'deb',
          source: { name: 'zlib', version: '1:1.2.13.dfsg-1' },
        }),
      ]),
      db,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'CVE-2023-45853',
      severity: 'LOW',
      details: { aliases: ['DEBIAN-CVE-2023-45853'], fixState: 'wont_fix', severitySource: 'Debian' },
    });
    expect(findings[0]?.fix).toBeUndefined();
  });

  it('npm: the fix of the range that matched, nothing at the fixed version, last_affected without a fix', () => {
    const at = (version: string) =>
      matchInventory(
        inventory([pkg({ name: 'lodash', version, ecosystem: 'npm', paths: ['app/package-lock.json'] })]),
        db,
      ).findings;
    expect(at('4.17.21')).toEqual([]);
    const old = at('4.17.16');
    expect(old.map((f) => `${f.ruleId} ${f.fix}`).sort()).toEqual([
      'GHSA-aaaa-bbbb-cccc 4.17.21',
      'GHSA-dddd-eeee-ffff 4.17.19',
    ]);
    expect(at('4.17.12').map((f) => f.ruleId)).toEqual(['GHSA-aaaa-bbbb-cccc']);
    const minimist = matchInventory(
      inventory([pkg({ name: 'minimist', version: '1.2.5', ecosystem: 'npm' })]),
      db,
    ).findings;
    expect(minimist[0]?.details).toMatchObject({ fixState: 'affected', fixedVersions: [] });
    expect(
      matchInventory(inventory([pkg({ name: 'minimist', version: '1.2.6', ecosystem: 'npm' })]), db).findings,
    ).toEqual([]);
  });

  it('carries the vendor severity, KEV and EPSS, and ranks by them', () => {
    const [finding] = matchInventory(
      inventory([
        pkg({ name: 'lodash', version: '4.17.20', ecosystem: 'npm', paths: ['app/package-lock.json'] }),
      ]),
      db,
    ).findings;
    expect(finding).toMatchObject({
      ruleId: 'GHSA-aaaa-bbbb-cccc',
      severity: 'HIGH',
      target: 'app/package-lock.json',
      details: {
        severitySource: 'GHSA',
        kev: { cve: 'CVE-2021-23337', dateAdded: '2024-01-10' },
        epss: { score: 0.5, percentile: 0.97 },
        priority: 33,
      },
    });
  });

  it('PyPI: two records aliasing each other are one finding; OS-owned distributions are left to their .deb', () => {
    const requests = pkg({
      name: 'requests',
      version: '2.28.1',
      ecosystem: 'pypi',
      paths: ['usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA'],
    });
    const { findings } = matchInventory(inventory([requests]), db);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'GHSA-j8r2-6x86-q33q',
      severity: 'MEDIUM',
      details: { aliases: ['CVE-2023-32681', 'PYSEC-2023-1'] },
    });
    expect(matchInventory(inventory([{ ...requests, osOwned: true }]), db).findings).toEqual([]);
  });

  it("Go: modules by path with the 'v' prefix, and the standard library of a binary even when a .deb owns it", () => {
    const binary = { paths: ['usr/sbin/runc'], analyzer: 'go-binary', osOwned: true };
    const { findings } = matchInventory(
      inventory([
        pkg({ name: 'stdlib', version: '1.19.8', ecosystem: 'golang', ...binary }),
        pkg({ name: 'github.com/example/mod', version: 'v1.2.3', ecosystem: 'golang', ...binary }),
        pkg({ name: 'github.com/example/mod', version: 'v1.2.4', ecosystem: 'golang', paths: ['go.mod'] }),
      ]),
      db,
    );
    expect(findings.map((f) => `${f.target} ${pkgOf(f).name} ${f.fix}`).sort()).toEqual([
      'usr/sbin/runc github.com/example/mod 1.2.4',
      'usr/sbin/runc stdlib 1.19.12',
    ]);
    expect(findings.find((f) => f.fix === '1.19.12')?.details?.fixedVersions).toEqual(['1.19.12', '1.20.7']);
  });

  it('warns about what it could not check instead of reporting it clean', () => {
    const noOs = inventory([
      pkg({
        name: 'github.com/example/mod',
        version: '(devel)',
        ecosystem: 'golang',
        paths: ['app'],
        analyzer: 'go-binary',
      }),
      pkg({ name: 'left-pad', version: '1.0.0', ecosystem: 'gem' }),
      pkg({ name: 'bash', version: '5.2', ecosystem: 'deb' }),
    ]);
    delete noOs.os;
    const { findings, warnings } = matchInventory(noOs, db);
    expect(findings).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/^1 package\(s\) have versions .* github.com\/example\/mod@\(devel\)$/),
      'the operating system is unknown (no os-release): 1 OS package(s) were not checked',
      expect.stringMatching(/no advisories for RubyGems: its 1 package\(s\) were not checked/),
    ]);
    const alpine = matchInventory(
      inventory([pkg({ name: 'musl', version: '1.2.4-r2', ecosystem: 'apk' })], {
        family: 'alpine',
        version: '3.20.1',
      }),
      db,
    );
    expect(alpine.warnings).toEqual([expect.stringMatching(/no advisories for Alpine:v3.20/)]);
  });
});
