import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importIntoVulnDb } from '../../../src/vuln/db/update.js';

/** What a test database is imported from, each through the real importers (`db import`). */
export interface Feeds {
  osv?: object[];
  /** The Debian security tracker JSON: { package: { CVE: { releases: { codename: {...} } } } }. */
  debianTracker?: object;
  kev?: { cve: string; dateAdded: string; ransomware?: boolean }[];
  epss?: { cve: string; score: number; percentile: number }[];
}

/** Writes the feeds under `work/feeds` and imports them into a database in `dbDir`; returns its path. */
export async function buildVulnDb(work: string, dbDir: string, feeds: Feeds): Promise<string> {
  const dir = join(work, 'feeds');
  mkdirSync(join(dir, 'osv'), { recursive: true });
  const paths: string[] = [];
  if (feeds.osv?.length) {
    for (const r of feeds.osv) {
      const id = (r as { id: string }).id;
      writeFileSync(join(dir, 'osv', `${id}.json`), JSON.stringify(r));
    }
    paths.push(join(dir, 'osv'));
  }
  if (feeds.debianTracker) {
    writeFileSync(join(dir, 'tracker.json'), JSON.stringify(feeds.debianTracker));
    paths.push(join(dir, 'tracker.json'));
  }
  if (feeds.kev) {
    const vulnerabilities = feeds.kev.map((k) => ({
      cveID: k.cve,
      dateAdded: k.dateAdded,
      dueDate: k.dateAdded,
      knownRansomwareCampaignUse: k.ransomware ? 'Known' : 'Unknown',
    }));
    writeFileSync(
      join(dir, 'kev.json'),
      JSON.stringify({ catalogVersion: '2025.01.01', count: vulnerabilities.length, vulnerabilities }),
    );
    paths.push(join(dir, 'kev.json'));
  }
  if (feeds.epss) {
    const rows = feeds.epss.map((e) => `${e.cve},${e.score},${e.percentile}`).join('\n');
    writeFileSync(
      join(dir, 'epss.csv'),
      `#model_version:v2025.03.14,score_date:2025-01-01T00:00:00+0000\ncve,epss,percentile\n${rows}\n`,
    );
    paths.push(join(dir, 'epss.csv'));
  }
  return (await importIntoVulnDb(paths, { dir: dbDir })).path;
}

/** An OSV record with one affected package. */
export function osvRecord(
  id: string,
  ecosystem: string,
  name: string,
  events: readonly Record<string, string>[],
  extra: Record<string, unknown> = {},
): object {
  return {
    id,
    modified: '2025-01-01T00:00:00Z',
    summary: `${id} in ${name}`,
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    ...extra,
  };
}
