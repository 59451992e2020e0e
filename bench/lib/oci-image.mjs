// Generated OCI image layouts for the image-scan and registry-pull benches: word-salad file
// content, gzip layer blobs written as a tar stream (diffID and digest hashed on the way), and
// the config, manifest and index that make the layout.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

/** 8 MiB of word salad from `rand`: compresses about as well as a real image's files (≈ 2.5×). */
export function wordSalad(rand) {
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

function tarHeader(name, size, mode = 0o644) {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100);
  b.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
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

function blobsDir(layout) {
  return join(layout, 'blobs', 'sha256');
}

/**
 * Writes one gzip layer blob into `layout`: `fill(add)` adds the regular files, `add(name, data,
 * mode?)`. `tmp` is where the blob is written before it is renamed to its digest. Returns the
 * layer's diffID, digest, compressed size and blob path.
 */
export async function writeGzipLayer(layout, tmp, fill) {
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
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
  const add = async (name, data, mode) => {
    await write(tarHeader(name, data.length, mode));
    await write(data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) await write(Buffer.alloc(pad));
  };
  await fill(add);
  await write(Buffer.alloc(1024));
  gz.end();
  await new Promise((r) => out.on('close', r));
  const digest = `sha256:${blobHash.digest('hex')}`;
  const path = join(blobsDir(layout), digest.slice(7));
  renameSync(tmp, path);
  return { diffId: `sha256:${tarHash.digest('hex')}`, digest, size, path };
}

function putBlob(layout, data) {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(join(blobsDir(layout), digest.slice(7)), data);
  return { digest, size: data.length };
}

/** Creates the layout's blob folder; call before writing layers. */
export function startLayout(layout) {
  mkdirSync(blobsDir(layout), { recursive: true });
}

/** Writes the image config, manifest, oci-layout and index.json for `layers` (linux/amd64). */
export function finishLayout(layout, layers) {
  const config = putBlob(
    layout,
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      }),
    ),
  );
  const manifest = putBlob(
    layout,
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
}
