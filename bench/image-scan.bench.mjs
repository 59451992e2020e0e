// Scans a generated OCI image (≥ 1 GiB uncompressed, ≥ 50,000 files, gzip layers) and reports
// the scan's wall time against `gzip -dc` over the same layer blobs in the same run (the floor),
// the warm-cache rescan against the cold scan, and the scan's peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timed } from './lib/measure.mjs';
import { finishLayout, startLayout, wordSalad, writeGzipLayer } from './lib/oci-image.mjs';

const LAYERS = 4;
const FILES_PER_LAYER = 13_000;
const LAYER_BYTES = 272 * 2 ** 20;
const dist = new URL('../dist/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'rf-bench-image-'));
const layout = join(work, 'oci');

/** Deterministic pseudo-random numbers, so every run builds the same image. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function dpkgFiles(n) {
  const status = [];
  const lists = [];
  for (let i = 0; i < n; i++) {
    status.push(
      `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${i}-1\nDescription: bench\n`,
    );
    lists.push([`var/lib/dpkg/info/pkg${i}.list`, `/usr/share/doc/pkg${i}\n/usr/lib/pkg${i}/lib.so\n`]);
  }
  return [
    ['etc/os-release', 'ID=debian\nVERSION_ID="12"\n'],
    ['var/lib/dpkg/status', status.join('\n')],
    ...lists,
  ];
}

/** Writes one gzip layer blob; returns its diffID, digest, size and path. */
function writeLayer(index, text, rand) {
  return writeGzipLayer(layout, join(work, `layer-${index}.tmp`), async (add) => {
    if (index === 0) for (const [name, data] of dpkgFiles(400)) await add(name, Buffer.from(data));
    const average = LAYER_BYTES / FILES_PER_LAYER;
    for (let f = 0; f < FILES_PER_LAYER; f++) {
      const dir = `usr/lib/l${index}/d${f % 200}`;
      if (f % 50 === 0)
        await add(
          `${dir}/node_modules/m${f}/package.json`,
          Buffer.from(JSON.stringify({ name: `m${f}`, version: '1.0.0' })),
        );
      const size = Math.min(text.length - 1, Math.floor(-Math.log(1 - rand()) * average));
      const start = Math.floor(rand() * (text.length - size));
      await add(`${dir}/f${f}.bin`, text.subarray(start, start + size), f % 7 === 0 ? 0o755 : 0o644);
    }
  });
}

async function buildImage() {
  startLayout(layout);
  const rand = prng(42);
  const text = wordSalad(rand);
  const layers = [];
  for (let i = 0; i < LAYERS; i++) layers.push(await writeLayer(i, text, rand));
  finishLayout(layout, layers);
  return layers;
}

/** One scan in a fresh process, so its peak RSS is the scan's own. */
function scan(cacheRoot) {
  const script = `
    import { scanSource } from ${JSON.stringify(`${dist}inventory/scan.js`)};
    const start = process.hrtime.bigint();
    const inv = await scanSource(${JSON.stringify(layout)}, { cacheRoot: ${JSON.stringify(cacheRoot)} });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const u = process.resourceUsage();
    process.stdout.write(JSON.stringify({ ms, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS, packages: inv.packages.length }));
  `;
  const r = timed(process.execPath, ['--input-type=module', '-e', script]);
  return { ...JSON.parse(r.stdout), wallMs: r.ms };
}

try {
  const t0 = Date.now();
  const layers = await buildImage();
  const files = LAYERS * FILES_PER_LAYER;
  const uncompressed = spawnSync('sh', ['-c', `gzip -dc ${layers.map((l) => l.path).join(' ')} | wc -c`])
    .stdout.toString()
    .trim();
  process.stdout.write(
    `image: ${LAYERS} gzip layers, ${files}+ files, ${(Number(uncompressed) / 2 ** 30).toFixed(2)} GiB uncompressed, ` +
      `${(layers.reduce((s, l) => s + l.size, 0) / 2 ** 20).toFixed(0)} MiB compressed (built in ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
  // Wall times on a shared machine are noisy: floor and cold scan alternate, best of two each.
  const gunzipAll = () =>
    timed('sh', ['-c', `gzip -dc ${layers.map((l) => l.path).join(' ')} > /dev/null`]).ms;
  const floors = [];
  const colds = [];
  for (let i = 0; i < 2; i++) {
    floors.push(gunzipAll());
    colds.push(scan(join(work, `cache-${i}`)));
  }
  const warm = scan(join(work, 'cache-1'));
  const gunzip = Math.min(...floors);
  const cold = colds.reduce((a, b) => (b.ms < a.ms ? b : a));
  const rows = [
    ['gzip -dc over the layers (floor)', `${(gunzip / 1000).toFixed(2)} s`, ''],
    [
      'cold scan',
      `${(cold.ms / 1000).toFixed(2)} s`,
      `${(cold.ms / gunzip).toFixed(2)}× floor (target ≤ 1.5×); ${(cold.cpuMs / 1000).toFixed(2)} s CPU`,
    ],
    [
      'warm rescan',
      `${(warm.ms / 1000).toFixed(2)} s`,
      `${(warm.ms / cold.ms).toFixed(3)}× cold scan (target ≤ 0.1×); ${(warm.ms / gunzip).toFixed(3)}× floor`,
    ],
    [
      'peak RSS, cold scan',
      `${(Math.max(...colds.map((c) => c.maxRssKiB)) / 1024).toFixed(0)} MiB`,
      '(target ≤ 300 MiB)',
    ],
    ['peak RSS, warm rescan', `${(warm.maxRssKiB / 1024).toFixed(0)} MiB`, ''],
  ];
  for (const [what, value, ratio] of rows)
    process.stdout.write(`${what.padEnd(34)} ${value.padStart(9)}  ${ratio}\n`);
  process.stdout.write(`packages found: ${cold.packages} cold, ${warm.packages} warm\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
