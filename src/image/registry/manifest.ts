import { FormatError } from '../format-error.js';
import {
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  INDEX_TYPES,
  MANIFEST_TYPES,
  parseIndex,
  parseJson,
  parseManifest,
} from '../oci-json.js';
import {
  formatPlatform,
  hostPlatform,
  isAttestation,
  normalizePlatform,
  type Platform,
  selectByPlatform,
} from '../platform.js';

/**
 * What a registry's manifest endpoint returns: an image manifest or an index (OCI index, Docker
 * manifest list), told apart by the document's mediaType, then the Content-Type, then its shape.
 * Docker schema 1 manifests are refused with a clear message.
 */

type ManifestDocument = { kind: 'index'; index: ImageIndex } | { kind: 'image'; manifest: ImageManifest };

const SCHEMA1_TYPES = [
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
];

export function parseManifestDocument(
  bytes: Buffer,
  contentType: string | undefined,
  what: string,
): ManifestDocument {
  const doc = parseJson(bytes, what);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new FormatError(`${what} is not a JSON object`);
  const o = doc as Record<string, unknown>;
  const mediaType = typeof o.mediaType === 'string' ? o.mediaType : contentType;
  if (o.schemaVersion === 1 || (mediaType !== undefined && SCHEMA1_TYPES.includes(mediaType)))
    throw new FormatError(
      `${what} is a Docker schema 1 manifest, which is not supported (deprecated since 2017: push the image again with a current docker or skopeo)`,
    );
  const isIndex =
    mediaType !== undefined && (INDEX_TYPES.includes(mediaType) || MANIFEST_TYPES.includes(mediaType))
      ? INDEX_TYPES.includes(mediaType)
      : o.manifests !== undefined;
  if (isIndex) return { kind: 'index', index: parseIndex(doc, what) };
  if (mediaType !== undefined && !MANIFEST_TYPES.includes(mediaType) && o.config === undefined)
    throw new FormatError(
      `${what} has media type ${mediaType}, which is neither an image manifest nor an index`,
    );
  return { kind: 'image', manifest: parseManifest(doc, what) };
}

/**
 * The image of an index for `want` (default: this machine's platform). An index with a single
 * image gives it whatever its platform, as a scan need not run it; attestations never count.
 */
export function choosePlatform(index: ImageIndex, want: Platform | undefined, what: string): Descriptor {
  const images = index.manifests.filter((d) => MANIFEST_TYPES.includes(d.mediaType) && !isAttestation(d));
  if (images.length === 0) throw new FormatError(`${what} is an index that lists no image manifests`);
  if (images.length === 1 && !want) return images[0]!;
  const target = want ?? hostPlatform();
  const matching = selectByPlatform(images, (d) => d.platform, target, `${what} `);
  const exact = formatPlatform(normalizePlatform(target));
  return matching.find((d) => formatPlatform(normalizePlatform(d.platform!)) === exact) ?? matching[0]!;
}
