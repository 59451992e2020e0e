// The zip reader (dist/util/zip.js) over an OSV-style all.zip: 40,000 JSON advisories, ~190 MiB
// uncompressed. Every entry is streamed (inflated, size and CRC checked) and, separately, read
// whole; the floor is Info-ZIP's `unzip -p archive > /dev/null` over the same file in the same
// run (C, no checks beyond CRC). Peak RSS is measured in a child process that only reads.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource, ZipArchive } from '../dist/util/zip.js';
import { bestOf } from './lib/measure.mjs';

const ROUNDS = 3;
const best = (fn) => bestOf(ROUNDS, fn);
const ENTRIES = 40_000;
const dir = mkdtempSync(join(tmpdir(), 'rf-bench-zip-'));
const zipPath = join(dir, 'all.zip');

try {
  execFileSync('python3', [
    '-c',
    `import zipfile, json, random, sys
random.seed(1)
words = ["buffer", "overflow", "in", "the", "parser", "allows", "remote", "attackers", "to", "execute", "code", "via", "crafted", "input"]
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
  for i in range(int(sys.argv[2])):
    rec = {"id": f"GHSA-{i:06d}", "modified": "2024-01-01T00:00:00Z", "summary": " ".join(random.choices(words, k=12)),
      "details": " ".join(random.choices(words, k=random.randint(200, 900))),
      "affected": [{"package": {"ecosystem": "npm", "name": f"pkg-{random.randint(0, 99999)}"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": f"{random.randint(1,9)}.{random.randint(0,20)}.{random.randint(0,30)}"}]}]}],
      "references": [{"type": "WEB", "url": f"https://example.com/advisory/{i}/{random.random()}"} for _ in range(random.randint(1, 6))]}
    z.writestr(f"GHSA-{i:06d}.json", json.dumps(rec, indent=2))`,
    zipPath,
    String(ENTRIES),
  ]);

  async function readAll(mode) {
    const source = await fileSource(zipPath);
    try {
      const zip = await ZipArchive.open(source, { name: zipPath });
      let bytes = 0;
      for await (const entry of zip.entries()) {
        if (mode === 'read') bytes += (await zip.read(entry)).length;
        else for await (const chunk of zip.stream(entry)) bytes += chunk.length;
      }
      return bytes;
    } finally {
      await source.close();
    }
  }

  const uncompressed = await readAll('read');
  const tStream = await best(() => readAll('stream'));
  const tRead = await best(() => readAll('read'));
  const tFloor = await best(async () => execFileSync('sh', ['-c', `unzip -p "${zipPath}" > /dev/null`]));
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { fileSource, ZipArchive } from ${JSON.stringify(new URL('../dist/util/zip.js', import.meta.url).href)};
const s = await fileSource(${JSON.stringify(zipPath)}); const z = await ZipArchive.open(s, { name: 'all.zip' });
for await (const e of z.entries()) for await (const c of z.stream(e)) void c;
console.log(process.resourceUsage().maxRSS);`,
    ],
    { encoding: 'utf8' },
  );
  const baseline = spawnSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS)'], {
    encoding: 'utf8',
  });
  const mib = (kb) => (Number(kb) / 1024).toFixed(0);
  console.log(
    `all.zip: ${ENTRIES} entries, ${(statSync(zipPath).size / 2 ** 20).toFixed(1)} MiB compressed, ${(uncompressed / 2 ** 20).toFixed(1)} MiB uncompressed`,
  );
  console.log(
    `stream every entry: ${tStream.toFixed(0)} ms vs unzip -p ${tFloor.toFixed(0)} ms = ${(tStream / tFloor).toFixed(2)}x`,
  );
  console.log(`read every entry whole: ${tRead.toFixed(0)} ms = ${(tRead / tFloor).toFixed(2)}x`);
  console.log(
    `peak RSS streaming: ${mib(child.stdout.trim())} MiB (an empty node process: ${mib(baseline.stdout.trim())} MiB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
