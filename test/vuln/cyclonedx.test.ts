import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purlFor } from '../../src/inventory/purl.js';
import { emptyReport, type Report } from '../../src/report/index.js';
import type { Inventory, Package } from '../../src/types.js';
import { renderVulnerabilityBom } from '../../src/vuln/cyclonedx.js';
import { openVulnDb } from '../../src/vuln/db/query.js';
import { matchInventory } from '../../src/vuln/match/index.js';
import { applyVex } from '../../src/vuln/vex/apply.js';
import { parseOpenVex } from '../../src/vuln/vex/openvex.js';
import { cycloneDxProblems } from '../inventory/sbom/validate.js';
import { buildVulnDb, osvRecord } from './match/db-fixture.js';

const OS = { family: 'debian', version: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' };
const glibc = { name: 'glibc', version: '2.36-9+deb12u3' };
const packages: Package[] = (
  [
    {
      name: 'libc6',
      version: '2.36-9+deb12u3',
      ecosystem: 'deb',
      source: glibc,
      arch: 'amd64',
      paths: ['var/lib/dpkg/status'],
      analyzer: 'dpkg',
      purl: '',
    },
    {
      name: 'libc-bin',
      version: '2.36-9+deb12u3',
      ecosystem: 'deb',
      source: glibc,
      arch: 'amd64',
      paths: ['var/lib/dpkg/status'],
      analyzer: 'dpkg',
      purl: '',
    },
    {
      name: 'lodash',
      version: '4.17.20',
      ecosystem: 'npm',
      paths: ['app/node_modules/lodash/package.json'],
      analyzer: 'npm-package',
      purl: '',
    },
  ] as Package[]
).map((p) => ({ ...p, purl: purlFor(p, OS) }));

const inventory: Inventory = {
  source: { type: 'docker-archive', ref: 'app.tar', imageId: `sha256:${'a'.repeat(64)}` },
  os: OS,
  layers: [{ index: 0, diffId: `sha256:${'b'.repeat(64)}` }],
  packages,
  warnings: [],
};

describe('--format cyclonedx: the image BOM with a vulnerabilities section', () => {
  let work: string;
  let bom: {
    components: { 'bom-ref': string; name: string }[];
    vulnerabilities: {
      id: string;
      'bom-ref': string;
      ratings: Record<string, unknown>[];
      affects: { ref: string; versions: { version: string; status: string }[] }[];
      analysis?: Record<string, unknown>;
      references?: { id: string }[];
      properties: { name: string; value: string }[];
      recommendation?: string;
    }[];
  };
  const ref = (name: string) => bom.components.find((c) => c.name === name)?.['bom-ref'];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rf-vuln-cdx-'));
    const path = await buildVulnDb(work, join(work, 'db'), {
      osv: [
        osvRecord('DSA-9901-1', 'Debian:12', 'glibc', [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }], {
          aliases: ['CVE-2099-0001'],
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        }),
        osvRecord('GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], {
          aliases: ['CVE-2021-23337'],
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
          database_specific: { severity: 'HIGH' },
        }),
      ],
      kev: [{ cve: 'CVE-2021-23337', dateAdded: '2024-01-10' }],
      epss: [{ cve: 'CVE-2021-23337', score: 0.3, percentile: 0.96 }],
    });
    const db = openVulnDb(path);
    const { findings } = matchInventory(inventory, db);
    db.close();
    const vex = parseOpenVex(
      {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'CVE-2099-0001' },
            products: ['pkg:deb/debian/libc-bin'],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
        ],
      },
      'vex.json',
    );
    const { open, suppressed } = applyVex(findings, vex.statements, { digests: [], names: [] });
    const report: Report = {
      ...emptyReport({ name: 'app.tar', type: 'docker-archive' }),
      findings: open,
      suppressed,
    };
    bom = JSON.parse(renderVulnerabilityBom(inventory, report));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('validates against the CycloneDX 1.6 schema', () => {
    expect(cycloneDxProblems(bom)).toEqual([]);
  });

  it('names each affected component by its bom-ref, the installed version affected and the fix unaffected', () => {
    const lodash = bom.vulnerabilities.find((v) => v.id === 'GHSA-35jh-r3h4-6jhm')!;
    expect(lodash.affects).toEqual([
      {
        ref: ref('lodash'),
        versions: [
          { version: '4.17.20', status: 'affected' },
          { version: '4.17.21', status: 'unaffected' },
        ],
      },
    ]);
    expect(lodash.references).toEqual([
      {
        id: 'CVE-2021-23337',
        source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' },
      },
    ]);
    expect(lodash.ratings).toEqual([
      { source: { name: 'GHSA' }, severity: 'high', method: 'other' },
      {
        score: 7.2,
        severity: 'high',
        method: 'CVSSv31',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      },
    ]);
    expect(lodash.recommendation).toBe('Upgrade lodash to 4.17.21');
    expect(lodash.properties).toEqual(
      expect.arrayContaining([
        { name: 'ringfence:kev:dateAdded', value: '2024-01-10' },
        { name: 'ringfence:epss:score', value: '0.3' },
        { name: 'ringfence:fixState', value: 'fixed' },
      ]),
    );
  });

  it('gives packages a VEX statement cleared their own entry, with the analysis', () => {
    const dsa = bom.vulnerabilities.filter((v) => v.id === 'DSA-9901-1');
    expect(dsa.map((v) => [v['bom-ref'], v.affects.map((a) => a.ref), v.analysis])).toEqual([
      ['vulnerability:DSA-9901-1', [ref('libc6')], undefined],
      [
        'vulnerability:DSA-9901-1-2',
        [ref('libc-bin')],
        { state: 'not_affected', justification: 'code_not_reachable' },
      ],
    ]);
  });
});
