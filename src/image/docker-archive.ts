import type { ArchiveStore } from './archive-store.js';
import { checkDigest, digestOf, isDigest } from './digest.js';
import { FormatError } from './format-error.js';
import { archiveLayer } from './layer-blob.js';
import { MAX_JSON_BYTES, parseConfig, parseDockerArchiveManifest, parseJson } from './oci-json.js';
import { normalizeEntryPath } from './path.js';
import type { ImageSource } from './source.js';

/**
 * `docker save` archives: manifest.json names the config and the layer tars. Older Docker
 * writes <id>/layer.tar (uncompressed, so the walker's diffID check covers it) and links
 * repeated layers; Docker 25+ writes OCI-style blobs/sha256/<hex>, verified by digest.
 */
export async function openDockerArchive(store: ArchiveStore, ref: string): Promise<ImageSource> {
  const entries = parseDockerArchiveManifest(
    parseJson(await store.read('manifest.json', MAX_JSON_BYTES), 'manifest.json'),
    'manifest.json',
  );
  if (entries.length === 0) throw new FormatError('manifest.json lists no images');
  if (entries.length > 1) {
    const names = entries.map((e, i) => e.repoTags[0] ?? `#${i + 1}`).join(', ');
    throw new FormatError(`holds ${entries.length} images (${names}); save one image per archive`);
  }
  const entry = entries[0]!;
  const configBytes = await store.read(entry.config, MAX_JSON_BYTES);
  const named = contentAddress(entry.config);
  if (named) checkDigest(configBytes, named, `config ${entry.config}`);
  const config = parseConfig(parseJson(configBytes, `config ${entry.config}`), `config ${entry.config}`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== entry.layers.length)
    throw new FormatError(
      `manifest.json lists ${entry.layers.length} layers but the config has ${diffIds.length} diff_ids`,
    );

  const layers = await Promise.all(
    entry.layers.map(async (member, i) => {
      const size = await store.size(member);
      if (size === undefined) throw new FormatError(`layer ${member} is missing`);
      const digest = normalizeEntryPath(member)?.startsWith('blobs/') ? contentAddress(member) : undefined;
      return archiveLayer(store, member, { diffId: diffIds[i]!, digest, size });
    }),
  );
  return {
    info: {
      type: 'docker-archive',
      ref,
      imageId: digestOf(configBytes),
      repoTags: entry.repoTags,
      architecture: config.architecture,
      os: config.os,
    },
    config,
    layers,
    async close() {},
  };
}

/** The digest a member's name claims: blobs/sha256/<hex>, <hex>.json or sha256:<hex>. */
function contentAddress(name: string): string | undefined {
  const member = normalizeEntryPath(name) ?? name;
  const blob = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/.exec(member);
  if (blob) return isDigest(`${blob[1]}:${blob[2]}`) ? `${blob[1]}:${blob[2]}` : undefined;
  const legacy = /^([a-f0-9]{64})\.json$/.exec(member);
  if (legacy) return `sha256:${legacy[1]}`;
  return isDigest(member) ? member : undefined;
}
