import type { ArchiveStore } from './archive-store.js';
import { checkDigest, digestParts } from './digest.js';
import { FormatError } from './format-error.js';
import { archiveLayer } from './layer-blob.js';
import {
  type Descriptor,
  INDEX_TYPES,
  MANIFEST_TYPES,
  MAX_JSON_BYTES,
  parseConfig,
  parseIndex,
  parseJson,
  parseManifest,
} from './oci-json.js';
import { formatPlatform, hostPlatform, isAttestation, type Platform, selectByPlatform } from './platform.js';
import type { ImageConfig, ImageSource } from './source.js';

/**
 * OCI image layouts (a directory or a tar of one): index.json → nested indexes → image
 * manifests, one of which is chosen by platform (and by ref name when given); every blob read
 * is content-addressed and verified against its descriptor.
 */

interface OciSelection {
  /** `--platform`; without it a single image is taken as is and several are chosen for the host. */
  platform?: Platform;
  /** The org.opencontainers.image.ref.name annotation to pick (PATH:REF). */
  refName?: string;
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const MAX_INDEX_DEPTH = 4;
const MAX_CANDIDATES = 1000;

interface Candidate {
  descriptor: Descriptor;
  refName?: string;
  platform?: Platform;
}

export async function openOciLayout(
  store: ArchiveStore,
  ref: string,
  selection: OciSelection,
): Promise<ImageSource> {
  await checkLayoutVersion(store);
  const index = parseIndex(
    parseJson(await store.read('index.json', MAX_JSON_BYTES), 'index.json'),
    'index.json',
  );
  const candidates: Candidate[] = [];
  await collect(store, index.manifests, undefined, 0, candidates);
  const chosen = await choose(store, candidates, selection);
  const manifestBytes = await readBlob(store, chosen.descriptor, 'manifest');
  const manifest = parseManifest(
    parseJson(manifestBytes, `manifest ${chosen.descriptor.digest}`),
    `manifest ${chosen.descriptor.digest}`,
  );
  const config = await readConfig(store, manifest.config);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length)
    throw new FormatError(
      `manifest ${chosen.descriptor.digest} lists ${manifest.layers.length} layers but its config has ${diffIds.length} diff_ids`,
    );
  const layers = await Promise.all(
    manifest.layers.map(async (d, i) => {
      const member = blobPath(d.digest);
      if ((await store.size(member)) === undefined)
        throw new FormatError(`layer blob ${d.digest} is missing`);
      return archiveLayer(store, member, {
        diffId: diffIds[i]!,
        digest: d.digest,
        size: d.size,
        mediaType: d.mediaType,
      });
    }),
  );
  return {
    info: {
      type: 'oci',
      ref,
      imageId: manifest.config.digest,
      digest: chosen.descriptor.digest,
      repoTags: chosen.refName ? [chosen.refName] : undefined,
      architecture: config.architecture,
      os: config.os,
    },
    config,
    layers,
    async close() {},
  };
}

async function checkLayoutVersion(store: ArchiveStore): Promise<void> {
  if ((await store.size('oci-layout')) === undefined) return;
  const doc = parseJson(await store.read('oci-layout', 4096), 'oci-layout') as {
    imageLayoutVersion?: unknown;
  };
  if (typeof doc !== 'object' || doc === null || typeof doc.imageLayoutVersion !== 'string')
    throw new FormatError('oci-layout has no imageLayoutVersion');
  if (!doc.imageLayoutVersion.startsWith('1.'))
    throw new FormatError(`oci-layout version ${doc.imageLayoutVersion} is not supported`);
}

/** Gathers image manifests reachable from `descriptors`, descending into nested indexes. */
async function collect(
  store: ArchiveStore,
  descriptors: Descriptor[],
  inheritedRef: string | undefined,
  depth: number,
  out: Candidate[],
): Promise<void> {
  for (const d of descriptors) {
    const refName = d.annotations?.[REF_NAME] ?? inheritedRef;
    if (INDEX_TYPES.includes(d.mediaType)) {
      if (depth >= MAX_INDEX_DEPTH)
        throw new FormatError(`image indexes nest deeper than ${MAX_INDEX_DEPTH}`);
      const nested = parseIndex(
        parseJson(await readBlob(store, d, 'index'), `index ${d.digest}`),
        `index ${d.digest}`,
      );
      await collect(store, nested.manifests, refName, depth + 1, out);
    } else if (MANIFEST_TYPES.includes(d.mediaType) && !isAttestation(d)) {
      out.push({ descriptor: d, refName, platform: d.platform });
      if (out.length > MAX_CANDIDATES) throw new FormatError(`more than ${MAX_CANDIDATES} image manifests`);
    }
  }
}

async function choose(store: ArchiveStore, all: Candidate[], selection: OciSelection): Promise<Candidate> {
  if (all.length === 0) throw new FormatError('index.json lists no image manifests');
  let pool = all;
  if (selection.refName !== undefined) {
    pool = all.filter((c) => c.refName === selection.refName);
    if (pool.length === 0) {
      const names = [...new Set(all.map((c) => c.refName).filter(Boolean))].join(', ') || 'none';
      throw new FormatError(`has no image named "${selection.refName}" (ref names: ${names})`);
    }
  }
  const distinct = uniqueByDigest(pool);
  if (distinct.length === 1 && !selection.platform) return distinct[0]!;
  for (const c of distinct) c.platform ??= await platformFromConfig(store, c.descriptor);
  const want = selection.platform ?? hostPlatform();
  const matching = selectByPlatform(distinct, (c) => c.platform, want, '');
  if (matching.length === 1) return matching[0]!;
  const names = [...new Set(matching.map((c) => c.refName ?? c.descriptor.digest))].join(', ');
  throw new FormatError(`holds several ${formatPlatform(want)} images (${names}); name one as PATH:REF`);
}

function uniqueByDigest(pool: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const c of pool) if (!seen.has(c.descriptor.digest)) seen.set(c.descriptor.digest, c);
  return [...seen.values()];
}

async function platformFromConfig(store: ArchiveStore, d: Descriptor): Promise<Platform | undefined> {
  const manifest = parseManifest(
    parseJson(await readBlob(store, d, 'manifest'), `manifest ${d.digest}`),
    `manifest ${d.digest}`,
  );
  const config = await readConfig(store, manifest.config);
  if (!config.os || !config.architecture) return undefined;
  return { os: config.os, architecture: config.architecture, variant: config.variant };
}

async function readConfig(store: ArchiveStore, d: Descriptor): Promise<ImageConfig> {
  const bytes = await readBlob(store, d, 'config');
  return parseConfig(parseJson(bytes, `config ${d.digest}`), `config ${d.digest}`);
}

/** A small blob (JSON), checked against its descriptor's digest and size. */
async function readBlob(store: ArchiveStore, d: Descriptor, kind: string): Promise<Buffer> {
  if (d.size > MAX_JSON_BYTES)
    throw new FormatError(`${kind} ${d.digest} is ${d.size} bytes (limit ${MAX_JSON_BYTES})`);
  const member = blobPath(d.digest);
  if ((await store.size(member)) === undefined) throw new FormatError(`${kind} blob ${d.digest} is missing`);
  const bytes = await store.read(member, MAX_JSON_BYTES);
  checkDigest(bytes, d.digest, `${kind} blob ${d.digest}`, d.size);
  return bytes;
}

function blobPath(digest: string): string {
  const { algorithm, hex } = digestParts(digest);
  return `blobs/${algorithm}/${hex}`;
}
