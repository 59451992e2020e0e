// Scans a generated OCI image (≥ 1 GiB uncompressed, ≥ 50,000 files, gzip layers) and reports
// the scan's wall time against `gzip -dc` over the same layer blobs in the same run (the floor),
// the warm-cache rescan against the cold scan, and the scan's peak RSS.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

const LAYERS = 4;
const FILES_PER_LAYER = 13_000;
const LAYER_BYTES = 272 * 2 ** 20;
const dist = new URL('../dist/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'rf-bench-image-'));

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

/** 8 MiB of word salad: compresses about as well as the binaries and text of a real image. */
function corpus(rand) {
  const words = Array.from({ length: 4000 }, () => Math.floor(rand() * 2 ** 40).toString(36));
  const parts = [];
  let size = 0;
  while (size < 8 * 2 ** 20) {
    const w = `${words[Math.floor(rand() ** 2 * words.length)]}${rand() < 0.1 ? '\n' : ' '}`;
    parts.push(w);
    size += w.length;
  }
  return Buffer.from(parts.join(''));
}

function header(name, size, type = '0', mode = 0o644) {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100);
  b.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  b.write(`${(1_700_000_000).toString(8).padStart(11, '0')}\0`, 136);
  b.write(type, 156);
  b.write('ustar\0', 257);
  b.write('00', 263);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return b;
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

/** Writes one gzip layer blob; returns its diffID, digest and size. */
async function writeLayer(index, text, rand) {
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  const tmp = join(work, `layer-${index}.tmp`);
  const gz = createGzip();
  const out = createWriteStream(tmp);
  let blobSize = 0;
  gz.on('data', (c) => {
    blobHash.update(c);
    blobSize += c.length;
  });
  gz.pipe(out);
  const write = async (buf) => {
    tarHash.update(buf);
    if (!gz.write(buf)) await new Promise((r) => gz.once('drain', r));
  };
  const add = async (name, data, mode) => {
    await write(header(name, data.length, '0', mode));
    await write(data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) await write(Buffer.alloc(pad));
  };
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
  await write(Buffer.alloc(1024));
  gz.end();
  await new Promise((r) => out.on('close', r));
  const digest = `sha256:${blobHash.digest('hex')}`;
  const blob = join(work, 'oci', 'blobs', 'sha256', digest.slice(7));
  renameSync(tmp, blob);
  return { diffId: `sha256:${tarHash.digest('hex')}`, digest, size: blobSize, path: blob };
}

function putBlob(data) {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(join(work, 'oci', 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

async function buildImage() {
  mkdirSync(join(work, 'oci', 'blobs', 'sha256'), { recursive: true });
  const rand = prng(42);
  const text = corpus(rand);
  const layers = [];
  for (let i = 0; i < LAYERS; i++) layers.push(await writeLayer(i, text, rand));
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
  writeFileSync(join(work, 'oci', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(work, 'oci', 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }],
    }),
  );
  return layers;
}

function timed(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status})`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: r.stdout.toString() };
}

/** One scan in a fresh process, so its peak RSS is the scan's own. */
function scan(cacheRoot) {
  const script = `
    import { scanSource } from ${JSON.stringify(`${dist}inventory/scan.js`)};
    const start = process.hrtime.bigint();
    const inv = await scanSource(${JSON.stringify(join(work, 'oci'))}, { cacheRoot: ${JSON.stringify(cacheRoot)} });
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
