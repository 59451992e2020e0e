// Pulls a generated image from a local docker-registry (Debian's distribution v2, started here on
// loopback) and reports the registry scan's wall time against scanning the same image from an
// OCI layout on disk (what streaming over HTTP, digest checks and the registry protocol cost),
// against `curl` fetching the same blobs to /dev/null, the warm rescan (manifest and config
// only), and peak RSS. Needs docker-registry, skopeo and curl.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timed } from './lib/measure.mjs';
import { finishLayout, startLayout, wordSalad, writeGzipLayer } from './lib/oci-image.mjs';

const LAYERS = 3;
const LAYER_BYTES = 160 * 2 ** 20;
const FILES_PER_LAYER = 4_000;
const dist = new URL('../dist/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'rf-bench-registry-'));
const layout = join(work, 'oci');

/** Deterministic pseudo-random numbers (a linear congruential generator), so every run builds the same image. */
function lcg(seed) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function writeLayer(index, text, rand) {
  return writeGzipLayer(layout, join(work, `layer-${index}.tmp`), async (add) => {
    if (index === 0) {
      await add('etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\n'));
      const status = Array.from(
        { length: 200 },
        (_, i) => `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${i}-1\n`,
      );
      await add('var/lib/dpkg/status', Buffer.from(status.join('\n')));
    }
    for (let f = 0; f < FILES_PER_LAYER; f++) {
      const n = Math.min(
        text.length - 1,
        Math.floor(-Math.log(1 - rand()) * (LAYER_BYTES / FILES_PER_LAYER)),
      );
      const start = Math.floor(rand() * (text.length - n));
      await add(`usr/lib/l${index}/d${f % 100}/f${f}.bin`, text.subarray(start, start + n));
    }
  });
}

async function buildLayout() {
  startLayout(layout);
  const rand = lcg(42);
  const text = wordSalad(rand);
  const layers = [];
  for (let i = 0; i < LAYERS; i++) layers.push(await writeLayer(i, text, rand));
  finishLayout(layout, layers);
  return layers;
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function startRegistry() {
  const port = await freePort();
  const config = join(work, 'registry.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(work, 'storage')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  for (let i = 0; i < 600; i++) {
    if (spawnSync('curl', ['-sf', '-o', '/dev/null', `http://127.0.0.1:${port}/v2/`]).status === 0)
      return { port, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('docker-registry did not start');
}

/** One scan in a fresh process, so its peak RSS is the scan's own. */
function scan(arg, cacheRoot) {
  const script = `
    import { scanSource } from ${JSON.stringify(`${dist}inventory/scan.js`)};
    const start = process.hrtime.bigint();
    const inv = await scanSource(${JSON.stringify(arg)}, { cacheRoot: ${JSON.stringify(cacheRoot)}, pull: { sources: ['registry'] } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const u = process.resourceUsage();
    process.stdout.write(JSON.stringify({ ms, maxRssKiB: u.maxRSS, packages: inv.packages.length }));
  `;
  return JSON.parse(timed(process.execPath, ['--input-type=module', '-e', script]).stdout);
}

let registry;
try {
  const layers = await buildLayout();
  registry = await startRegistry();
  const ref = `127.0.0.1:${registry.port}/bench:1`;
  timed('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}`, `docker://${ref}`]);
  const manifest = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')).manifests[0].digest;
  const pushed = JSON.parse(readFileSync(join(layout, 'blobs', 'sha256', manifest.slice(7)), 'utf8'));
  if (pushed.layers.some((l, i) => l.digest !== layers[i].digest))
    throw new Error('skopeo recompressed the layers');
  const compressed = layers.reduce((s, l) => s + l.size, 0);
  process.stdout.write(`image: ${LAYERS} gzip layers, ${(compressed / 2 ** 20).toFixed(0)} MiB compressed\n`);
  const urls = layers.map((l) => `http://127.0.0.1:${registry.port}/v2/bench/blobs/${l.digest}`);
  // A shared machine is noisy: the three cold measurements alternate, best of two each.
  const curls = [];
  const fromLayout = [];
  const fromRegistry = [];
  for (let i = 0; i < 2; i++) {
    curls.push(timed('curl', ['-sf', ...urls.flatMap((u) => ['-o', '/dev/null', u])]).ms);
    fromLayout.push(scan(layout, join(work, `layout-cache-${i}`)));
    fromRegistry.push(scan(ref, join(work, `registry-cache-${i}`)));
  }
  const warm = scan(ref, join(work, 'registry-cache-1'));
  const best = (runs) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const curl = Math.min(...curls);
  const local = best(fromLayout);
  const cold = best(fromRegistry);
  const rows = [
    ['curl of the layer blobs to /dev/null', `${(curl / 1000).toFixed(2)} s`, ''],
    ['scan of the OCI layout on disk', `${(local.ms / 1000).toFixed(2)} s`, ''],
    [
      'cold scan from the registry',
      `${(cold.ms / 1000).toFixed(2)} s`,
      `${(cold.ms / local.ms).toFixed(2)}× the layout scan`,
    ],
    [
      'warm rescan from the registry',
      `${(warm.ms / 1000).toFixed(2)} s`,
      `${(warm.ms / cold.ms).toFixed(3)}× cold`,
    ],
    [
      'peak RSS, cold registry scan',
      `${(Math.max(...fromRegistry.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} MiB`,
      '',
    ],
    ['peak RSS, warm rescan', `${(warm.maxRssKiB / 1024).toFixed(0)} MiB`, ''],
  ];
  for (const [what, value, ratio] of rows)
    process.stdout.write(`${what.padEnd(38)} ${value.padStart(9)}  ${ratio}\n`);
  process.stdout.write(
    `packages: ${local.packages} layout, ${cold.packages} registry cold, ${warm.packages} warm\n`,
  );
} finally {
  registry?.child.kill();
  rmSync(work, { recursive: true, force: true });
}
