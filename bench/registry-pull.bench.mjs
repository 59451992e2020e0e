// Pulls a generated image from a local docker-registry (Debian's distribution v2, started here on
// loopback) and reports the registry scan's wall time against scanning the same image from an
// OCI layout on disk (what streaming over HTTP, digest checks and the registry protocol cost),
// against `curl` fetching the same blobs to /dev/null, the warm rescan (manifest and config
// only), and peak RSS. Needs docker-registry, skopeo and curl.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

const LAYERS = 3;
const LAYER_BYTES = 160 * 2 ** 20;
const FILES_PER_LAYER = 4_000;
const dist = new URL('../dist/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'rf-bench-registry-'));
const layout = join(work, 'oci');

/** Deterministic text that compresses about as well as a real image's files (≈ 2.5×). */
function corpus() {
  let s = 42;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const words = Array.from({ length: 4000 }, () => Math.floor(rand() * 2 ** 40).toString(36));
  const parts = [];
  let size = 0;
  while (size < 8 * 2 ** 20) {
    const w = `${words[Math.floor(rand() ** 2 * words.length)]}${rand() < 0.1 ? '\n' : ' '}`;
    parts.push(w);
    size += w.length;
  }
  return { text: Buffer.from(parts.join('')), rand };
}

function tarHeader(name, size) {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100);
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  b.write(`${(1_700_000_000).toString(8).padStart(11, '0')}\0`, 136);
  b.write('0', 156);
  b.write('ustar\0', 257);
  b.write('00', 263);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return b;
}

function putBlob(data) {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

async function writeLayer(index, { text, rand }) {
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  const tmp = join(work, `layer-${index}.tmp`);
  const gz = createGzip();
  const out = createWriteStream(tmp);
  let size = 0;
  gz.on('data', (c) => {
    blobHash.update(c);
    size += c.length;
  });
  gz.pipe(out);
  const write = async (buf) => {
    tarHash.update(buf);
    if (!gz.write(buf)) await new Promise((r) => gz.once('drain', r));
  };
  const add = async (name, data) => {
    await write(tarHeader(name, data.length));
    await write(data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) await write(Buffer.alloc(pad));
  };
  if (index === 0) {
    await add('etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\n'));
    const status = Array.from(
      { length: 200 },
      (_, i) => `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${i}-1\n`,
    );
    await add('var/lib/dpkg/status', Buffer.from(status.join('\n')));
  }
  for (let f = 0; f < FILES_PER_LAYER; f++) {
    const n = Math.min(text.length - 1, Math.floor(-Math.log(1 - rand()) * (LAYER_BYTES / FILES_PER_LAYER)));
    const start = Math.floor(rand() * (text.length - n));
    await add(`usr/lib/l${index}/d${f % 100}/f${f}.bin`, text.subarray(start, start + n));
  }
  await write(Buffer.alloc(1024));
  gz.end();
  await new Promise((r) => out.on('close', r));
  const digest = `sha256:${blobHash.digest('hex')}`;
  renameSync(tmp, join(layout, 'blobs', 'sha256', digest.slice(7)));
  return { diffId: `sha256:${tarHash.digest('hex')}`, digest, size };
}

async function buildLayout() {
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  const source = corpus();
  const layers = [];
  for (let i = 0; i < LAYERS; i++) layers.push(await writeLayer(i, source));
  const config = putBlob(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      }),
    ),
  );
  const manifest = putBlob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: layers.map((l) => ({
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: l.digest,
          size: l.size,
        })),
      }),
    ),
  );
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }],
    }),
  );
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

function timed(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed (${r.status})`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: r.stdout.toString() };
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
