import { inputError } from '../../util/errors.js';
import { isDigest } from '../digest.js';

/**
 * Image references in Docker's grammar (distribution/reference): [host[:port]/]path[:tag][@digest],
 * normalised as `docker pull` does: no host means docker.io, and a one-component name on
 * docker.io lives under library/. Errors name the reference and what is wrong with it.
 */

export interface ImageReference {
  /** Registry as named ("docker.io" when none was given), with its port. */
  registry: string;
  /** Repository path, e.g. "library/alpine". */
  repository: string;
  /** The tag; "latest" when neither a tag nor a digest was given. */
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's API really lives. */
const DOCKER_HUB_API = 'registry-1.docker.io';
const NAME_MAX = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]+))?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST_SHAPE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Parses and normalises a reference; a bad one is a one-line UserError naming it. */
export function parseReference(text: string): ImageReference {
  const parsed = parse(text);
  if (typeof parsed === 'string') throw inputError(quote(text), `not a valid image reference: ${parsed}`);
  return parsed;
}

/** True when `text` parses as a reference. */
export function isImageReference(text: string): boolean {
  return typeof parse(text) !== 'string';
}

/** What is wrong with `text` as a reference, or undefined when nothing is. */
export function referenceProblem(text: string): string | undefined {
  const parsed = parse(text);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** A reference's parts as written: neither checked nor normalised. */
export interface WrittenReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits a reference as Docker does, without checking the parts or normalising them (no
 * docker.io, no library/, no implied latest): what configuration checks read in image names that
 * may hold variables. Undefined for an empty reference, one with white space, or one without a name.
 */
export function splitReference(text: string): WrittenReference | undefined {
  if (!text || /\s/.test(text)) return undefined;
  const { registry, path, tag, digest } = split(text);
  if (!path) return undefined;
  return {
    repository: path,
    ...(registry !== undefined ? { registry } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Docker's split: the digest after `@`, the tag after the last `:` of the last component, then the host. */
function split(text: string): { registry?: string; path: string; tag?: string; digest?: string } {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { ...splitRegistry(rest), tag, digest };
}

/** The reference, or what is wrong with it. */
function parse(text: string): ImageReference | string {
  if (text.length === 0) return 'it is empty';
  if (/^[a-f0-9]{64}$/.test(text)) return 'a 64-character hex string is an image ID, not a name';

  const { registry, path, tag, digest } = split(text);
  if (digest !== undefined) {
    if (!DIGEST_SHAPE.test(digest)) return `${show(digest)} is not a digest (algorithm:hex)`;
    if (!isDigest(digest))
      return 'only sha256 and sha512 digests (lower-case hex, full length) are supported';
  }
  if (tag !== undefined && !TAG.test(tag)) return `${show(tag)} is not a valid tag`;
  const name = registry === undefined ? path : `${registry}/${path}`;
  if (name.length === 0) return 'the name is empty';
  if (name.length > NAME_MAX) return `the name is longer than ${NAME_MAX} characters`;

  if (registry !== undefined) {
    const host = HOST.exec(registry);
    if (!host) return `${show(registry)} is not a valid registry host`;
    if (host[1] !== undefined && (Number(host[1]) < 1 || Number(host[1]) > 65535))
      return `port ${host[1]} is out of range`;
  }
  const components = path.split('/');
  for (const c of components) {
    if (PATH_COMPONENT.test(c)) continue;
    if (PATH_COMPONENT.test(c.toLowerCase())) return 'the repository name must be lower-case';
    return `${show(c)} is not a valid name component`;
  }
  const onHub = registry === undefined || registry === DOCKER_HUB || registry === 'index.docker.io';
  return {
    registry: onHub ? DOCKER_HUB : registry,
    repository: onHub && components.length === 1 ? `library/${path}` : path,
    ...(tag === undefined && digest === undefined ? { tag: 'latest' } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The full, normalised form: docker.io/library/alpine:3.20, host:5000/app@sha256:… */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** What to ask the registry's manifest endpoint for: the digest when pinned, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** host[:port] to send API requests to. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/**
 * Docker's rule: the first component is a registry when it has a dot or a port, is localhost,
 * or has upper-case letters (which a repository name cannot).
 */
function splitRegistry(name: string): { registry?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { path: name };
  const first = name.slice(0, slash);
  const isHost =
    first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first;
  return isHost ? { registry: first, path: name.slice(slash + 1) } : { path: name };
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** A fragment of the input, quoted and escaped so that a message stays on one line. */
function show(s: string): string {
  return JSON.stringify(clip(s));
}

function quote(s: string): string {
  return /^[\x21-\x7e]*$/.test(s) && s.length > 0 ? clip(s) : JSON.stringify(clip(s));
}
