import { createHash } from 'node:crypto';
import type { Package } from '../../types.js';
import { UserError } from '../../util/errors.js';

/**
 * Identifiers in SBOM documents, all derived from content so the same inventory always gives
 * the same document: package ids, CycloneDX serial numbers, SPDX namespaces, and the creation
 * time (SOURCE_DATE_EPOCH when set, as reproducible builds expect).
 */

/** A package's identity in an image: ecosystem, name, version, arch and where it was found. */
export function packageKey(pkg: Package): string {
  const identity = [pkg.ecosystem, pkg.name, pkg.version, pkg.arch ?? '', pkg.paths[0] ?? ''].join('\0');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** Hands out ids that stay unique within one document: a repeated candidate gets `-2`, `-3`... */
export class UniqueIds {
  private readonly used = new Set<string>();

  take(candidate: string): string {
    let id = candidate;
    for (let n = 2; this.used.has(id); n++) id = `${candidate}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** Characters SPDX element ids allow after `SPDXRef-`. */
export function spdxIdString(text: string, max = 64): string {
  return text
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max);
}

/** A fixed namespace for Ringfence's name-based UUIDs. */
const UUID_NAMESPACE = Buffer.from('4f1d8b8e2c9a4c6f9e1b7a3d5c2e8f01', 'hex');

/** An RFC 9562 version-5 (SHA-1, name-based) UUID of the text. */
export function nameBasedUuid(text: string): string {
  const hash = createHash('sha1').update(UUID_NAMESPACE).update(text).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The document's creation time: SOURCE_DATE_EPOCH (seconds) when set, else now; whole seconds, UTC. */
export function documentTime(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  let ms = Date.now();
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch))
      throw new UserError(`SOURCE_DATE_EPOCH: "${epoch.slice(0, 40)}" is not a number of seconds`);
    ms = Number(epoch) * 1000;
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
