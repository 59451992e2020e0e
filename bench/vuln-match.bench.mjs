// Matching 2,000 packages against the database built from ../shared/vulndata/osv (Go, PyPI,
// crates.io), through dist/. 1,000 packages have advisories, each at the first fixed version
// its first record names (so some advisories match and some do not, as for a somewhat
// outdated dependency); 1,000 have none (most of an image). The floor, measured in the same
// run: the same 2,000 (ecosystem, name) point lookups as bare prepared SQLite statements in
// one read transaction, rows fetched and nothing decoded.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openVulnDb } from '../dist/vuln/db/query.js';
import { importIntoVulnDb } from '../dist/vuln/db/update.js';
import { matchInventory } from '../dist/vuln/match/index.js';

const ROUNDS = 15;
const root = new URL('../../shared/vulndata/osv/', import.meta.url).pathname;
const ECOSYSTEMS = { Go: 'golang', PyPI: 'pypi', 'crates.io': 'cargo' };
const work = mkdtempSync(join(tmpdir(), 'rf-bench-match-'));
const { path } = await importIntoVulnDb(
  Object.keys(ECOSYSTEMS).map((e) => join(root, e)),
  { dir: join(work, 'db') },
);

const packages = [];
const seen = new Set();
for (const eco of Object.keys(ECOSYSTEMS)) {
  for (const f of readdirSync(join(root, eco))) {
    const record = JSON.parse(readFileSync(join(root, eco, f), 'utf8'));
    const affected = record.affected?.find((a) => a.package?.ecosystem === eco);
    const fixed = affected?.ranges?.flatMap((r) => r.events).find((e) => e.fixed)?.fixed;
    if (!affected || !fixed || seen.has(`${eco}/${affected.package.name}`)) continue;
    seen.add(`${eco}/${affected.package.name}`);
    packages.push(
      pkg(
        ECOSYSTEMS[eco],
        affected.package.name,
        eco === 'Go' && affected.package.name !== 'stdlib' ? `v${fixed}` : fixed,
      ),
    );
  }
}
packages.length = 1000;
for (let i = 0; packages.length < 2000; i++)
  packages.push(pkg(['golang', 'pypi', 'cargo'][i % 3], `not-in-the-database-${i}`, '1.0.0'));
const inventory = { source: { type: 'fs', ref: 'bench' }, layers: [], packages, warnings: [] };

function pkg(ecosystem, name, version) {
  return {
    name,
    version,
    ecosystem,
    purl: `pkg:${ecosystem}/${name}@${version}`,
    paths: ['lockfile'],
    analyzer: 'bench',
  };
}

/** Best of ROUNDS, as wall time and as CPU time (user + system) of this process. */
function best(fn) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  let result;
  for (let i = 0; i < ROUNDS; i++) {
    globalThis.gc?.();
    const c = process.cpuUsage();
    const t = performance.now();
    result = fn();
    wall = Math.min(wall, performance.now() - t);
    const used = process.cpuUsage(c);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall, cpu, result };
}

const osvName = { golang: 'Go', pypi: 'PyPI', cargo: 'crates.io' };
const raw = new Database(path, { readonly: true });
const point = raw.prepare('SELECT * FROM affected WHERE ecosystem = ? AND name = ?');
const floor = best(() => {
  let rows = 0;
  raw.exec('BEGIN');
  for (const p of packages)
    rows += point.all(
      osvName[p.ecosystem],
      p.ecosystem === 'pypi' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name,
    ).length;
  raw.exec('COMMIT');
  return rows;
});
raw.close();

const db = openVulnDb(path);
const coldCpu = process.cpuUsage();
const coldStart = performance.now();
matchInventory(inventory, db);
const cold = {
  wall: performance.now() - coldStart,
  cpu: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(coldCpu)),
};
const match = best(() => matchInventory(inventory, db));
db.close();
rmSync(work, { recursive: true, force: true });

const fmt = ({ wall, cpu }) => `${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU`;
console.log(
  `packages: ${packages.length} (1,000 with advisories, ${floor.result} affected rows), best of ${ROUNDS}`,
);
console.log(`floor (2,000 point lookups):   ${fmt(floor)}`);
console.log(`matchInventory, first call:    ${fmt(cold)}`);
console.log(`matchInventory:                ${fmt(match)}  (${match.result.findings.length} findings)`);
console.log(
  `ratio to floor:                ${(match.wall / floor.wall).toFixed(2)}× wall, ${(match.cpu / floor.cpu).toFixed(2)}× CPU`,
);
