import { Readable } from 'node:stream';
import { inputError } from '../../util/errors.js';
import { verifyDigest } from '../digest.js';
import { FormatError } from '../format-error.js';
import { parseConfig, parseJson } from '../oci-json.js';
import { formatPlatform, type Platform, platformMatches } from '../platform.js';
import type { ImageSource, LayerBlob } from '../source.js';
import { blobStream } from './blob-stream.js';
import { RegistryClient, type RegistryClientOptions } from './client.js';
import { RegistryError } from './errors.js';
import { choosePlatform, parseManifestDocument } from './manifest.js';
import { formatReference, type ImageReference, manifestReference } from './reference.js';

/**
 * An image pulled from a registry: the manifest (through an index, by platform), then the
 * config, both verified; layers are fetched only when the walker opens them (cached layers are
 * never downloaded) and verified against their digest and size while they stream.
 */

interface RegistryPullOptions extends RegistryClientOptions {
  platform?: Platform;
}

export async function openRegistryImage(
  ref: ImageReference,
  userRef: string,
  options: RegistryPullOptions,
): Promise<ImageSource> {
  const client = new RegistryClient(ref.registry, options);
  try {
    return await pull(client, ref, userRef, options.platform);
  } catch (err) {
    client.close();
    throw err;
  }
}

async function pull(
  client: RegistryClient,
  ref: ImageReference,
  userRef: string,
  platform: Platform | undefined,
): Promise<ImageSource> {
  const { repository } = ref;
  const name = formatReference(ref);
  const top = await client.manifest(repository, manifestReference(ref));
  let document = parseManifestDocument(top.bytes, top.mediaType, `manifest of ${name}`);
  if (document.kind === 'index') {
    const chosen = choosePlatform(document.index, platform, name);
    const fetched = await client.manifest(repository, chosen.digest);
    if (fetched.bytes.length !== chosen.size)
      throw new FormatError(
        `manifest ${chosen.digest} is ${fetched.bytes.length} bytes, the index says ${chosen.size}`,
      );
    document = parseManifestDocument(fetched.bytes, fetched.mediaType, `manifest ${chosen.digest}`);
    if (document.kind !== 'image')
      throw new FormatError(`manifest ${chosen.digest} of ${name} is not an image manifest`);
  }
  const { manifest } = document;
  const configBytes = await client.smallBlob(repository, manifest.config.digest, manifest.config.size);
  const config = parseConfig(
    parseJson(configBytes, `config ${manifest.config.digest}`),
    `config ${manifest.config.digest}`,
  );
  if (platform && config.os && config.architecture) {
    const have = { os: config.os, architecture: config.architecture, variant: config.variant };
    if (!platformMatches(platform, have))
      throw new FormatError(
        `${name} is an image for ${formatPlatform(have)}, not ${formatPlatform(platform)}`,
      );
  }
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length)
    throw new FormatError(
      `the manifest of ${name} lists ${manifest.layers.length} layers but its config has ${diffIds.length} diff_ids`,
    );
  const layers: LayerBlob[] = manifest.layers.map((d, i) => ({
    diffId: diffIds[i]!,
    digest: d.digest,
    size: d.size,
    mediaType: d.mediaType,
    async open() {
      const what = `layer blob ${d.digest}`;
      const verified = verifyDigest(blobStream(client, repository, d.digest), d.digest, what, d.size);
      return Readable.from(asUserErrors(verified, userRef), { objectMode: false });
    },
  }));
  return {
    info: {
      type: 'registry',
      ref: userRef,
      imageId: manifest.config.digest,
      digest: top.digest,
      repoTags: ref.tag ? [`${ref.registry}/${repository}:${ref.tag}`] : undefined,
      architecture: config.architecture,
      os: config.os,
    },
    config,
    layers,
    async close() {
      client.close();
    },
  };
}

/** Registry failures mid-layer become one-line errors naming the image; data errors pass as they are. */
async function* asUserErrors(input: AsyncIterable<Buffer>, userRef: string): AsyncGenerator<Buffer> {
  try {
    yield* input;
  } catch (err) {
    if (err instanceof RegistryError) throw inputError(userRef, err.message, err);
    throw err;
  }
}
