import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../../util/errors.js';

/** A feed that could not be fetched or failed its integrity checks. */
export class FeedError extends UserError {}

export interface Conditional {
  etag?: string;
  lastModified?: string;
}

type DownloadResult =
  | { status: 'unchanged' }
  | { status: 'downloaded'; sha256: string; bytes: number; etag?: string; lastModified?: string };

interface DownloadOptions {
  /** Refuse bodies larger than this. */
  maxBytes?: number;
  /** Abort when the connection is idle this long. */
  idleTimeoutMs?: number;
  userAgent?: string;
}

const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * Fetches `url` into `dest` with a conditional request. The body is stored as sent (gzip
 * stays gzip) and checked as it streams: the byte count against Content-Length, and the
 * MD5 that Google Cloud Storage publishes in x-goog-hash when present; its SHA-256 is
 * returned for the record. On any failure `dest` is removed and a FeedError thrown.
 */
export async function download(
  url: string,
  dest: string,
  conditional: Conditional = {},
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  try {
    return await fetchTo(url, dest, conditional, options, 0);
  } catch (err) {
    await rm(dest, { force: true });
    if (err instanceof FeedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new FeedError(`${url}: download failed (${code ?? (err as Error).message})`, undefined, {
      cause: err,
    });
  }
}

async function fetchTo(
  url: string,
  dest: string,
  conditional: Conditional,
  options: DownloadOptions,
  redirects: number,
): Promise<DownloadResult> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw new FeedError(`${url}: only http and https URLs can be fetched`);
  const headers: Record<string, string> = {
    'user-agent': options.userAgent ?? 'ringfence',
    'accept-encoding': 'gzip',
  };
  if (conditional.etag) headers['if-none-match'] = conditional.etag;
  if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
  const res = await request(target, headers, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && status !== 304) {
    res.resume();
    const location = res.headers.location;
    if (!location || redirects >= MAX_REDIRECTS) throw new FeedError(`${url}: too many or broken redirects`);
    const next = new URL(location, target);
    if (target.protocol === 'https:' && next.protocol !== 'https:')
      throw new FeedError(`${url}: refusing a redirect from https to ${next.protocol}`);
    return fetchTo(next.href, dest, conditional, options, redirects + 1);
  }
  if (status === 304) {
    res.resume();
    return { status: 'unchanged' };
  }
  if (status !== 200) {
    res.resume();
    throw new FeedError(`${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trim());
  }
  const declared = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (declared !== undefined && declared > maxBytes)
    throw new FeedError(`${url}: ${declared} bytes is more than the ${maxBytes}-byte limit`);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let bytes = 0;
  let complete = false;
  res.on('end', () => {
    complete = true;
  });
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) res.destroy(new FeedError(`${url}: more than the ${maxBytes}-byte limit`));
    sha256.update(chunk);
    md5.update(chunk);
  });
  await pipeline(res, createWriteStream(dest));
  if (!complete || (declared !== undefined && bytes !== declared))
    throw new FeedError(`${url}: download cut short (${bytes} of ${declared ?? 'unknown'} bytes)`);
  const published = /(?:^|,)\s*md5=([^,\s]+)/.exec(String(res.headers['x-goog-hash'] ?? ''))?.[1];
  if (published && published !== md5.digest('base64'))
    throw new FeedError(`${url}: checksum mismatch (the MD5 in x-goog-hash does not match the download)`);
  const result: DownloadResult = { status: 'downloaded', sha256: sha256.digest('hex'), bytes };
  if (typeof res.headers.etag === 'string') result.etag = res.headers.etag;
  if (typeof res.headers['last-modified'] === 'string') result.lastModified = res.headers['last-modified'];
  return result;
}

function request(
  target: URL,
  headers: Record<string, string>,
  idleTimeoutMs: number,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (target.protocol === 'https:' ? https : http).get(target, { headers }, resolve);
    req.setTimeout(idleTimeoutMs, () =>
      req.destroy(new FeedError(`${target.href}: no response for ${idleTimeoutMs / 1000} s`)),
    );
    req.on('error', reject);
  });
}
