// Vulnerability database: import of all of ../shared/vulndata/osv (8,158 Go, crates.io and PyPI
// records) through dist/, against a floor measured in the same run over the same files: reading
// each one and JSON.parse-ing it, the least any OSV importer does. Also 2,000 package lookups.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVulnDb } from '../dist/vuln/db/query.js';
import { importIntoVulnDb } from '../dist/vuln/db/update.js';
import { bestOf } from './lib/measure.mjs';

const ROUNDS = 3;
const best = (fn) => bestOf(ROUNDS, fn);
const root = new URL('../../shared/vulndata/osv/', import.meta.url).pathname;
const dirs = ['Go', 'PyPI', 'crates.io'].map((e) => join(root, e));
const files = dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f)));

const floor = await best(() => {
  for (const f of files) JSON.parse(readFileSync(f, 'utf8'));
});
const work = mkdtempSync(join(tmpdir(), 'rf-bench-vulndb-'));
let path;
const imported = await best(async () => {
  const dir = mkdtempSync(join(work, 'db-'));
  path = (await importIntoVulnDb(dirs, { dir })).path;
});

const db = openVulnDb(path);
const names = [];
// 1,000 distinct packages that have advisories, and 1,000 that have none (most of an image).
const seen = new Set();
for (const f of files) {
  const a = JSON.parse(readFileSync(f, 'utf8')).affected?.[0]?.package;
  if (a && !seen.has(`${a.ecosystem}/${a.name}`) && names.length < 1000) {
    seen.add(`${a.ecosystem}/${a.name}`);
    names.push([a.ecosystem, a.name]);
  }
}
while (names.length < 2000) names.push(['npm', `not-in-the-database-${names.length}`]);
const lookup = await best(() =>
  db.snapshot(() => {
    const byEco = new Map();
    for (const [eco, name] of names) byEco.set(eco, [...(byEco.get(eco) ?? []), name]);
    for (const [eco, list] of byEco) db.affectedMany(eco, list);
  }),
);
db.close();
rmSync(work, { recursive: true, force: true });

const fmt = (ms) => `${ms.toFixed(0)} ms`;
console.log(`files: ${files.length} OSV records, best of ${ROUNDS}`);
console.log(`floor (read + JSON.parse):        ${fmt(floor)}`);
console.log(`ringfence db import:              ${fmt(imported)}  (${(imported / floor).toFixed(2)}× floor)`);
console.log(`2,000 package lookups (batched):  ${lookup.toFixed(1)} ms`);
