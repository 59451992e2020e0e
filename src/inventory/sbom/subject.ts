import { basename } from 'node:path';
import type { Inventory } from '../../types.js';
import { buildPurl } from '../purl.js';

/**
 * What an SBOM describes: the scanned image or directory, named as users know it (the first
 * repo tag, else what they typed), with the image's digest as its version and an `oci` purl.
 */

interface Subject {
  name: string;
  /** Manifest digest where known, else the image id (config digest). */
  version?: string;
  purl?: string;
  isImage: boolean;
}

const DIRECTORY_SOURCES = new Set(['fs', 'rootfs']);

export function describeSubject(inventory: Inventory): Subject {
  const s = inventory.source;
  const isImage = !DIRECTORY_SOURCES.has(s.type);
  const tag = s.repoTags?.[0];
  const name = tag ?? s.ref;
  const version = s.digest ?? s.imageId;
  if (!isImage || !version) return { name, version, isImage };
  return { name, version, purl: ociPurl(tag, s.ref, version, s.architecture), isImage };
}

/**
 * `pkg:oci/NAME@DIGEST?arch=…&repository_url=…&tag=…`: NAME is the last part of the
 * repository, lower-cased (purl-spec oci definition); without a tag, the archive's file name.
 */
function ociPurl(tag: string | undefined, ref: string, digest: string, arch?: string): string {
  const { repository, tagName } = tag ? splitTag(tag) : { repository: undefined, tagName: undefined };
  const fallback = basename(ref).replace(/\.(tar|tgz|tar\.gz|tar\.zst|oci)$/, '');
  const name = (repository ? repository.slice(repository.lastIndexOf('/') + 1) : fallback).toLowerCase();
  return buildPurl({
    type: 'oci',
    name: name || 'image',
    version: digest,
    qualifiers: { arch, repository_url: repository, tag: tagName },
  });
}

/** "host:5000/a/b:1.0" → repository "host:5000/a/b", tag "1.0". */
function splitTag(reference: string): { repository: string; tagName?: string } {
  const withoutDigest = reference.replace(/@.*$/, '');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/'))
    return { repository: withoutDigest.slice(0, colon), tagName: withoutDigest.slice(colon + 1) };
  return { repository: withoutDigest };
}
