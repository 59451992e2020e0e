import { createHash } from 'node:crypto';
import { FormatError } from './format-error.js';

/** Content digests ("sha256:<hex>") as OCI descriptors and Docker configs write them. */

type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** True for a digest we can verify; anything else is never turned into a path. */
export function isDigest(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(sha256|sha512):([a-f0-9]+)$/.exec(value);
  return !!m && m[2]!.length === HEX_LENGTH[m[1] as DigestAlgorithm];
}

export function digestParts(digest: string): { algorithm: DigestAlgorithm; hex: string } {
  if (!isDigest(digest))
    throw new FormatError(`"${String(digest).slice(0, 80)}" is not a sha256 or sha512 digest`);
  const colon = digest.indexOf(':');
  return { algorithm: digest.slice(0, colon) as DigestAlgorithm, hex: digest.slice(colon + 1) };
}

export function digestOf(data: Buffer, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Fails with a FormatError unless `data` has exactly this digest (and size, when given). */
export function checkDigest(data: Buffer, expected: string, what: string, size?: number): void {
  if (size !== undefined && data.length !== size)
    throw new FormatError(`${what} is ${data.length} bytes, its descriptor says ${size}`);
  const actual = digestOf(data, digestParts(expected).algorithm);
  if (actual !== expected)
    throw new FormatError(`${what} does not match its digest (expected ${expected}, got ${actual})`);
}

/**
 * Passes chunks through while hashing them; at the end fails the stream unless the content
 * has the expected digest (and size). Consumers see the failure before they see the end.
 */
export async function* verifyDigest(
  input: AsyncIterable<Buffer>,
  expected: string,
  what: string,
  size?: number,
): AsyncGenerator<Buffer> {
  const { algorithm } = digestParts(expected);
  const hash = createHash(algorithm);
  let total = 0;
  for await (const chunk of input) {
    total += chunk.length;
    if (size !== undefined && total > size)
      throw new FormatError(`${what} is longer than the ${size} bytes its descriptor says`);
    hash.update(chunk);
    yield chunk;
  }
  if (size !== undefined && total !== size)
    throw new FormatError(`${what} is ${total} bytes, its descriptor says ${size}`);
  const actual = `${algorithm}:${hash.digest('hex')}`;
  if (actual !== expected)
    throw new FormatError(`${what} does not match its digest (expected ${expected}, got ${actual})`);
}
