import { isDigest } from './digest.js';
import { FormatError } from './format-error.js';
import type { Platform } from './platform.js';
import type { ImageConfig } from './source.js';

/**
 * Parsers for the JSON documents of images: OCI/Docker index, manifest and config, and the
 * manifest.json of `docker save`. Untrusted input: every field used later is checked here, so
 * later code never meets a wrong type, and digests are checked before they become paths.
 */

/** Cap on any image JSON document (manifests, indexes, configs); real ones are kilobytes. */
export const MAX_JSON_BYTES = 16 << 20;

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerList];
export const MANIFEST_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];
const CONFIG_TYPES = [
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
];

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  manifests: Descriptor[];
}

export interface ImageManifest {
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** One image of a `docker save` archive. */
interface DockerArchiveEntry {
  config: string;
  repoTags: string[];
  layers: string[];
}

/** Parses JSON text, naming the document in the error. */
/** JSON.parse quotes the offending input, line breaks included; an error stays one line, short. */
function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

export function parseJson(text: Buffer | string, what: string): unknown {
  try {
    return JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch (err) {
    throw new FormatError(`${what} is not valid JSON (${oneLine((err as Error).message)})`);
  }
}

export function parseIndex(doc: unknown, what: string): ImageIndex {
  const o = object(doc, what);
  schemaVersion2(o, what);
  const manifests = array(o.manifests, `${what}: manifests`).map((d, i) =>
    descriptor(d, `${what}: manifests[${i}]`),
  );
  return { manifests };
}

export function parseManifest(doc: unknown, what: string): ImageManifest {
  const o = object(doc, what);
  if (o.schemaVersion === 1)
    throw new FormatError(`${what} is a Docker schema 1 manifest, which is not supported`);
  schemaVersion2(o, what);
  if (o.manifests !== undefined) throw new FormatError(`${what} is an image index, not an image manifest`);
  const config = descriptor(o.config, `${what}: config`);
  if (!CONFIG_TYPES.includes(config.mediaType))
    throw new FormatError(`${what} is not a container image (config media type ${config.mediaType})`);
  const layers = array(o.layers, `${what}: layers`).map((d, i) => descriptor(d, `${what}: layers[${i}]`));
  return { mediaType: optionalString(o.mediaType, `${what}: mediaType`), config, layers };
}

export function parseConfig(doc: unknown, what: string): ImageConfig {
  const o = object(doc, what);
  const rootfs = object(o.rootfs, `${what}: rootfs`);
  const diffIds = array(rootfs.diff_ids, `${what}: rootfs.diff_ids`).map((d, i) => {
    if (!isDigest(d)) throw new FormatError(`${what}: rootfs.diff_ids[${i}] is not a digest`);
    return d;
  });
  const history =
    o.history === undefined || o.history === null
      ? undefined
      : array(o.history, `${what}: history`).map((h, i) => {
          const e = object(h, `${what}: history[${i}]`);
          return {
            created: optionalString(e.created, `${what}: history[${i}].created`),
            created_by: optionalString(e.created_by, `${what}: history[${i}].created_by`),
            empty_layer: e.empty_layer === true,
            comment: optionalString(e.comment, `${what}: history[${i}].comment`),
          };
        });
  return {
    architecture: optionalString(o.architecture, `${what}: architecture`),
    os: optionalString(o.os, `${what}: os`),
    variant: optionalString(o.variant, `${what}: variant`),
    created: optionalString(o.created, `${what}: created`),
    config:
      o.config === undefined || o.config === null
        ? undefined
        : containerConfig(object(o.config, `${what}: config`)),
    rootfs: { type: optionalString(rootfs.type, `${what}: rootfs.type`) ?? 'layers', diff_ids: diffIds },
    history,
  };
}

export function parseDockerArchiveManifest(doc: unknown, what: string): DockerArchiveEntry[] {
  return array(doc, what).map((e, i) => {
    const o = object(e, `${what}[${i}]`);
    const config = string(o.Config, `${what}[${i}].Config`);
    const repoTags =
      o.RepoTags === null || o.RepoTags === undefined
        ? []
        : array(o.RepoTags, `${what}[${i}].RepoTags`).map((t, j) =>
            string(t, `${what}[${i}].RepoTags[${j}]`),
          );
    const layers = array(o.Layers, `${what}[${i}].Layers`).map((l, j) =>
      string(l, `${what}[${i}].Layers[${j}]`),
    );
    return { config, repoTags, layers };
  });
}

/** The runtime settings others check (user, env, ports...); fields of the wrong type are dropped. */
function containerConfig(c: Record<string, unknown>): NonNullable<ImageConfig['config']> {
  const out: NonNullable<ImageConfig['config']> = {};
  if (typeof c.User === 'string') out.User = c.User;
  if (isStringArray(c.Env)) out.Env = c.Env;
  if (c.Entrypoint === null || isStringArray(c.Entrypoint)) out.Entrypoint = c.Entrypoint;
  if (c.Cmd === null || isStringArray(c.Cmd)) out.Cmd = c.Cmd;
  if (typeof c.WorkingDir === 'string') out.WorkingDir = c.WorkingDir;
  if (c.Labels === null) out.Labels = null;
  else if (isPlainObject(c.Labels) && Object.values(c.Labels).every((v) => typeof v === 'string'))
    out.Labels = c.Labels as Record<string, string>;
  if (c.ExposedPorts === null || isPlainObject(c.ExposedPorts))
    out.ExposedPorts = c.ExposedPorts as Record<string, object> | null;
  if (c.Healthcheck === null) out.Healthcheck = null;
  else if (isPlainObject(c.Healthcheck))
    out.Healthcheck = isStringArray(c.Healthcheck.Test) ? { Test: c.Healthcheck.Test } : {};
  return out;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function schemaVersion2(o: Record<string, unknown>, what: string): void {
  if (o.schemaVersion !== 2) throw new FormatError(`${what}: schemaVersion must be 2`);
}

function descriptor(v: unknown, what: string): Descriptor {
  const o = object(v, what);
  const digest = o.digest;
  if (!isDigest(digest)) throw new FormatError(`${what}: digest is not a sha256 or sha512 digest`);
  const size = o.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw new FormatError(`${what}: size is not a non-negative integer`);
  const d: Descriptor = { mediaType: string(o.mediaType, `${what}: mediaType`), digest, size };
  if (o.platform !== undefined && o.platform !== null) {
    const p = object(o.platform, `${what}: platform`);
    d.platform = {
      os: string(p.os, `${what}: platform.os`),
      architecture: string(p.architecture, `${what}: platform.architecture`),
      variant: optionalString(p.variant, `${what}: platform.variant`),
    };
  }
  if (o.annotations !== undefined && o.annotations !== null) {
    const a = object(o.annotations, `${what}: annotations`);
    d.annotations = Object.fromEntries(
      Object.entries(a).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
    );
  }
  return d;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new FormatError(`${what} is not a JSON object`);
  return v;
}

function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new FormatError(`${what} is not a JSON array`);
  return v;
}

function string(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new FormatError(`${what} is not a string`);
  return v;
}

function optionalString(v: unknown, what: string): string | undefined {
  return v === undefined || v === null ? undefined : string(v, what);
}
