import { type Feeds, osvRecord } from '../vuln/match/db-fixture.js';

/**
 * Advisories written for the vulnerability e2e tests, for packages of known-vulnerable
 * versions installed from the npm registry and for Debian packages of a real image. The npm
 * and PyPI records carry the real ids, aliases and ranges of the published advisories; the
 * Debian ones are keyed by source package with fixes relative to what the image has (its
 * versions move with Debian's archive), passed in by the test.
 */

/** What package.json asks npm for: each version chosen against the records below. */
export const NPM_DEPENDENCIES = {
  lodash: '4.17.20', // GHSA-35jh-r3h4-6jhm and GHSA-29mw-wpgm-hmr9, both fixed in 4.17.21
  minimist: '1.2.5', // GHSA-xvch-5gv4-984h: [0, 0.2.4) and [1.0.0, 1.2.6): the fix is 1.2.6
  debug: '2.6.9', // GHSA-gxpj-cx7g-858c is fixed in 2.6.9: not a finding (depends on ms 2.0.0)
  ms: '2.0.0', // GHSA-w9mr-4mfr-499f is fixed in 2.0.0: not a finding
};

const GHSA = (severity: string) => ({ database_specific: { severity } });

export const LANGUAGE_RECORDS: object[] = [
  osvRecord('GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], {
    summary: 'Command Injection in lodash',
    aliases: ['CVE-2021-23337'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
    references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' }],
    ...GHSA('HIGH'),
  }),
  osvRecord('GHSA-29mw-wpgm-hmr9', 'npm', 'lodash', [{ introduced: '4.0.0' }, { fixed: '4.17.21' }], {
    summary: 'Regular Expression Denial of Service (ReDoS) in lodash',
    aliases: ['CVE-2020-28500'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' }],
    ...GHSA('MODERATE'),
  }),
  {
    id: 'GHSA-xvch-5gv4-984h',
    modified: '2024-01-01T00:00:00Z',
    summary: 'Prototype Pollution in minimist',
    aliases: ['CVE-2021-44906'],
    affected: [
      {
        package: { ecosystem: 'npm', name: 'minimist' },
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.2.4' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '1.2.6' }] },
        ],
      },
    ],
    ...GHSA('CRITICAL'),
  },
  osvRecord(
    'GHSA-gxpj-cx7g-858c',
    'npm',
    'debug',
    [{ introduced: '0' }, { fixed: '2.6.9' }, { introduced: '3.0.0' }, { fixed: '3.1.0' }],
    { aliases: ['CVE-2017-16137'], ...GHSA('LOW') },
  ),
  osvRecord('GHSA-w9mr-4mfr-499f', 'npm', 'ms', [{ introduced: '0' }, { fixed: '2.0.0' }], {
    aliases: ['CVE-2017-20162'],
    ...GHSA('MODERATE'),
  }),
  // Debian's python3-requests and python3-urllib3 ship these; Debian's own advisories cover them.
  osvRecord('PYSEC-2023-74', 'PyPI', 'requests', [{ introduced: '0' }, { fixed: '2.31.0' }], {
    aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
  }),
  osvRecord('PYSEC-2023-192', 'PyPI', 'urllib3', [{ introduced: '0' }, { fixed: '1.26.17' }], {
    aliases: ['CVE-2023-43804'],
  }),
];

export interface DebianVersions {
  /** The image's glibc and zlib source versions (dpkg-query). */
  glibc: string;
  zlib: string;
}

/** Debian records: glibc fixed just above what the image has (Debian:12) and a Debian:11 one. */
function debianRecords(v: DebianVersions): object[] {
  return [
    osvRecord('DSA-9901-1', 'Debian:12', 'glibc', [{ introduced: '0' }, { fixed: `${v.glibc}+rf1` }], {
      summary: 'glibc security update',
      aliases: ['CVE-2099-0001'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    }),
    osvRecord('DLA-9902-1', 'Debian:11', 'glibc', [{ introduced: '0' }, { fixed: '99.0-1' }], {
      aliases: ['CVE-2099-0002'],
    }),
  ];
}

/** The tracker: an open zlib issue with no fix in bookworm (for --ignore-unfixed). */
function debianTracker(v: DebianVersions): object {
  return {
    zlib: {
      'CVE-2099-0003': {
        description: `zlib ${v.zlib}: a test issue with no fix yet`,
        releases: { bookworm: { status: 'open', urgency: 'medium' } },
      },
    },
  };
}

export function feeds(v: DebianVersions): Feeds {
  return {
    osv: [...LANGUAGE_RECORDS, ...debianRecords(v)],
    debianTracker: debianTracker(v),
    kev: [{ cve: 'CVE-2021-23337', dateAdded: '2024-01-10' }],
    epss: [
      { cve: 'CVE-2021-23337', score: 0.3, percentile: 0.96 },
      { cve: 'CVE-2021-44906', score: 0.01, percentile: 0.5 },
    ],
  };
}
