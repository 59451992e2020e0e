import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256, tarArchive } from './tar-writer.js';

/**
 * Image archives written in test code: `docker save` layouts (legacy and OCI-style) and OCI
 * image layouts (single image, multi-platform, nested indexes), from plain layer tars.
 */

type Compression = 'gzip' | 'zstd' | 'none';

export interface TestLayer {
  tar: Buffer;
  compression?: Compression;
  createdBy?: string;
}

export interface TestImage {
  layers: TestLayer[];
  platform?: { os: string; architecture: string; variant?: string };
  refName?: string;
  /** History entries marked empty_layer, inserted before the layer of the same index. */
  emptyHistoryBefore?: number[];
}

interface BuiltImage {
  config: Buffer;
  configDigest: string;
  manifest: Buffer;
  manifestDigest: string;
  diffIds: string[];
  /** Layer blobs as stored, by digest. */
  blobs: Map<string, Buffer>;
  layerDigests: string[];
}

function compress(data: Buffer, how: Compression = 'gzip'): Buffer {
  if (how === 'gzip') return gzipSync(data);
  if (how === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  return data;
}

const MEDIA: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

export function buildImage(img: TestImage): BuiltImage {
  const platform = img.platform ?? { os: 'linux', architecture: 'amd64' };
  const diffIds = img.layers.map((l) => sha256(l.tar));
  const history: object[] = [];
  img.layers.forEach((l, i) => {
    if (img.emptyHistoryBefore?.includes(i)) history.push({ created_by: `ENV STEP=${i}`, empty_layer: true });
    history.push({ created_by: l.createdBy ?? `RUN step ${i}` });
  });
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: { Env: ['PATH=/usr/bin'], Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history,
    }),
  );
  const blobs = new Map<string, Buffer>();
  const layerDescriptors = img.layers.map((l) => {
    const blob = compress(l.tar, l.compression ?? 'gzip');
    const digest = sha256(blob);
    blobs.set(digest, blob);
    return { mediaType: MEDIA[l.compression ?? 'gzip'], digest, size: blob.length };
  });
  const configDigest = sha256(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layerDescriptors,
    }),
  );
  return {
    config,
    configDigest,
    manifest,
    manifestDigest: sha256(manifest),
    diffIds,
    blobs,
    layerDigests: layerDescriptors.map((d) => d.digest),
  };
}

const blobName = (digest: string) => `blobs/sha256/${digest.slice(7)}`;

/** `docker save` output: legacy (<id>/layer.tar, uncompressed) or Docker 25+ (OCI blobs plus manifest.json). */
export function dockerArchiveFiles(
  img: TestImage,
  options: { legacy: boolean; repoTags?: string[] },
): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const built = buildImage({ ...img, layers: img.layers.map((l) => ({ ...l, compression: 'none' })) });
  const repoTags = options.repoTags ?? ['test/app:1'];
  if (options.legacy) {
    const layerPaths = img.layers.map((l, i) => {
      const id = sha256(`${i}:${built.diffIds[i]}`).slice(7);
      files.set(`${id}/VERSION`, Buffer.from('1.0'));
      files.set(`${id}/layer.tar`, l.tar);
      return `${id}/layer.tar`;
    });
    files.set(`${built.configDigest.slice(7)}.json`, built.config);
    files.set(
      'manifest.json',
      Buffer.from(
        JSON.stringify([
          { Config: `${built.configDigest.slice(7)}.json`, RepoTags: repoTags, Layers: layerPaths },
        ]),
      ),
    );
    return files;
  }
  for (const [d, b] of built.blobs) files.set(blobName(d), b);
  files.set(blobName(built.configDigest), built.config);
  files.set(blobName(built.manifestDigest), built.manifest);
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  files.set(
    'index.json',
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: built.manifestDigest,
            size: built.manifest.length,
          },
        ],
      }),
    ),
  );
  files.set(
    'manifest.json',
    Buffer.from(
      JSON.stringify([
        {
          Config: blobName(built.configDigest),
          RepoTags: repoTags,
          Layers: built.layerDigests.map(blobName),
        },
      ]),
    ),
  );
  return files;
}

/** An OCI layout with the given images; `nested` puts them behind an inner image index. */
export function ociLayoutFiles(images: TestImage[], options: { nested?: boolean } = {}): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const descriptors = images.map((img) => {
    const built = buildImage(img);
    for (const [d, b] of built.blobs) files.set(blobName(d), b);
    files.set(blobName(built.configDigest), built.config);
    files.set(blobName(built.manifestDigest), built.manifest);
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: built.manifestDigest,
      size: built.manifest.length,
      platform: img.platform ?? { os: 'linux', architecture: 'amd64' },
      ...(img.refName ? { annotations: { 'org.opencontainers.image.ref.name': img.refName } } : {}),
    };
  });
  let top: object[] = descriptors;
  if (options.nested) {
    const inner = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: descriptors,
      }),
    );
    files.set(blobName(sha256(inner)), inner);
    top = [
      { mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(inner), size: inner.length },
    ];
  }
  files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: top })));
  return files;
}

export function filesToTar(files: Map<string, Buffer>): Buffer {
  return tarArchive([...files].map(([name, data]) => ({ name, data })));
}

export function writeFiles(dir: string, files: Map<string, Buffer>): string {
  for (const [name, data] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}
