// OS package databases: dpkg status, apk installed and rpm (NDB and SQLite) read through the
// analyzers in dist/, each against a floor over the same bytes in the same run: decoding them to
// a string and splitting it into lines (NUL-separated strings for rpm), the least any reader does.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { apkAnalyzer } from '../dist/inventory/os/apk/analyzer.js';
import { dpkgAnalyzer } from '../dist/inventory/os/dpkg/analyzer.js';
import { rpmAnalyzer } from '../dist/inventory/os/rpm/analyzer.js';
import { adler32 } from '../dist/inventory/os/rpm/ndb.js';
import { memoryInput } from './lib/input.mjs';
import { bestOf } from './lib/measure.mjs';

const ROUNDS = 5;
const best = (fn) => bestOf(ROUNDS, fn);

async function report(name, buf, analyze, floor) {
  const out = await analyze();
  const tAnalyze = await best(analyze);
  const tFloor = await best(floor);
  const mb = buf.length / 2 ** 20;
  console.log(
    `${name}: ${out.packages.length} packages, ${mb.toFixed(1)} MiB; ${tAnalyze.toFixed(0)} ms vs floor ${tFloor.toFixed(0)} ms = ${(tAnalyze / tFloor).toFixed(2)}x`,
  );
}

const splitLines = (buf) => buf.toString('utf8').split('\n').length;
const splitStrings = (buf) => buf.toString('utf8').split('\0').length;

// dpkg: the real Debian 12 status from the tests, its packages renamed and repeated 60 times.
const status = readFileSync(
  new URL('../test/inventory/os/dpkg/fixtures/debian12-status', import.meta.url),
  'utf8',
);
const bigStatus = Buffer.from(
  Array.from({ length: 60 }, (_, i) => status.replace(/^Package: (.+)$/gm, `Package: $1-${i}`)).join('\n'),
);
await report(
  'dpkg status',
  bigStatus,
  () => dpkgAnalyzer.analyze(memoryInput('var/lib/dpkg/status', bigStatus)),
  () => splitLines(bigStatus),
);

// apk: 8,000 packages of 40 files each.
const apk = Buffer.from(
  Array.from({ length: 8000 }, (_, i) => {
    const files = Array.from({ length: 40 }, (_, f) => `R:file-${f}.so\na:0:0:755\nZ:Q1${'x'.repeat(27)}=`);
    return `C:Q1${'c'.repeat(27)}=\nP:pkg-${i}\nV:1.${i}-r0\nA:x86_64\nS:1000\nI:4000\nT:package ${i}\nL:MIT\no:origin-${i % 500}\nF:usr/lib/pkg-${i}\n${files.join('\n')}\n`;
  }).join('\n'),
);
await report(
  'apk installed',
  apk,
  () => apkAnalyzer.analyze(memoryInput('lib/apk/db/installed', apk)),
  () => splitLines(apk),
);

// rpm: 3,000 headers of 300 files each, in NDB and SQLite containers.
function header(i) {
  const strings = (tag, values) => ({ tag, type: 8, values });
  const entries = [
    { tag: 1000, type: 6, values: [`package-${i}`] },
    { tag: 1001, type: 6, values: [`1.${i}`] },
    { tag: 1002, type: 6, values: ['3.el9'] },
    { tag: 1022, type: 6, values: ['x86_64'] },
    { tag: 1014, type: 6, values: ['GPL-2.0-or-later AND MIT'] },
    { tag: 1044, type: 6, values: [`source-${i % 700}-1.${i}-3.el9.src.rpm`] },
    { tag: 1116, type: 4, values: Array.from({ length: 300 }, (_, f) => f % 6) },
    strings(
      1117,
      Array.from({ length: 300 }, (_, f) => `file-${f}-of-package-${i}.so`),
    ),
    strings(1118, [
      '/usr/lib64/',
      '/usr/bin/',
      '/etc/',
      '/usr/share/doc/',
      '/usr/share/man/man1/',
      '/usr/libexec/',
    ]),
  ];
  const index = Buffer.alloc(entries.length * 16);
  const data = [];
  let size = 0;
  entries.forEach((e, n) => {
    let chunk;
    if (e.type === 4) {
      chunk = Buffer.alloc(e.values.length * 4);
      e.values.forEach((v, j) => {
        chunk.writeInt32BE(v, j * 4);
      });
    } else chunk = Buffer.from(e.values.map((s) => `${s}\0`).join(''));
    index.writeUInt32BE(e.tag, n * 16);
    index.writeUInt32BE(e.type, n * 16 + 4);
    index.writeUInt32BE(size, n * 16 + 8);
    index.writeUInt32BE(e.values.length, n * 16 + 12);
    data.push(chunk);
    size += chunk.length;
  });
  const intro = Buffer.alloc(8);
  intro.writeUInt32BE(entries.length, 0);
  intro.writeUInt32BE(size, 4);
  return Buffer.concat([intro, index, ...data]);
}

function ndb(blobs) {
  const slotPages = Math.ceil((2 + blobs.length) / 256);
  const slots = Buffer.alloc(slotPages * 4096);
  for (let at = 0; at < slots.length; at += 16) slots.write('Slot', at, 'latin1');
  slots.write('RpmP', 0, 'latin1');
  slots.fill(0, 4, 32);
  slots.writeUInt32LE(slotPages, 12);
  const framed = [];
  let blk = slotPages * 256;
  blobs.forEach((blob, i) => {
    const cnt = Math.ceil((28 + blob.length) / 16);
    const f = Buffer.alloc(cnt * 16);
    f.write('BlbS', 0, 'latin1');
    f.writeUInt32LE(i + 1, 4);
    f.writeUInt32LE(blob.length, 12);
    blob.copy(f, 16);
    f.writeUInt32LE(adler32(f.subarray(0, f.length - 12)), f.length - 12);
    f.writeUInt32LE(blob.length, f.length - 8);
    f.write('BlbE', f.length - 4, 'latin1');
    slots.writeUInt32LE(i + 1, (2 + i) * 16 + 4);
    slots.writeUInt32LE(blk, (2 + i) * 16 + 8);
    slots.writeUInt32LE(cnt, (2 + i) * 16 + 12);
    framed.push(f);
    blk += cnt;
  });
  return Buffer.concat([slots, ...framed]);
}

const blobs = Array.from({ length: 3000 }, (_, i) => header(i));
const ndbFile = ndb(blobs);
await report(
  'rpm NDB',
  ndbFile,
  () => rpmAnalyzer.analyze(memoryInput('usr/lib/sysimage/rpm/Packages.db', ndbFile)),
  () => splitStrings(ndbFile),
);

const db = new Database(':memory:');
db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
db.transaction(() => {
  for (const b of blobs) insert.run(b);
})();
const sqliteFile = db.serialize();
db.close();
await report(
  'rpm SQLite',
  sqliteFile,
  () => rpmAnalyzer.analyze(memoryInput('var/lib/rpm/rpmdb.sqlite', sqliteFile)),
  () => splitStrings(sqliteFile),
);
