import { open, stat } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { inputError } from '../../util/errors.js';
import type { FeedFile } from './importers/index.js';

const HEAD_BYTES = 64 * 1024;

/**
 * Recognises what a local path holds, for `db import`: a directory or zip of OSV records, an
 * OSV JSON file, the Debian tracker JSON, an Alpine secdb JSON, the KEV JSON or an EPSS CSV
 * (the last four possibly gzipped).
 */
export async function detectFeedFile(path: string): Promise<FeedFile> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    throw inputError(path, `cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, err);
  }
  if (info.isDirectory()) return { kind: 'osv', path, container: 'directory' };
  if (!info.isFile()) throw inputError(path, 'not a file or directory');
  const raw = await readHead(path);
  if (raw.length >= 4 && raw.readUInt32LE(0) === 0x04034b50) return { kind: 'osv', path, container: 'zip' };
  if (raw.length >= 4 && raw.readUInt32LE(0) === 0x06054b50) return { kind: 'osv', path, container: 'zip' };
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  const head = (gzipped ? inflateHead(raw) : raw)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^#model_version|^cve,epss/.test(head)) return { kind: 'epss', path };
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"vulnerabilities"\s*:/.test(head) && /"catalogVersion"|"cveID"/.test(head))
      return { kind: 'kev', path };
    if (/"secfixes"|"distroversion"/.test(head)) return { kind: 'alpine-secdb', path };
    if (/^\{\s*"[^"]+"\s*:\s*\{\s*"(?:CVE|TEMP)-/.test(head)) return { kind: 'debian-tracker', path };
    if (!gzipped && (head.startsWith('[') || /"id"\s*:/.test(head)))
      return { kind: 'osv', path, container: 'file' };
  }
  throw inputError(
    path,
    'cannot tell what this is (expected OSV JSON, a zip or directory of it, Debian tracker JSON, Alpine secdb JSON, KEV JSON or EPSS CSV)',
  );
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first bytes of a gzip member; a truncated head is expected and fine. */
function inflateHead(raw: Buffer): Buffer {
  try {
    return gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 64 * 1024 * 1024 });
  } catch {
    return Buffer.alloc(0);
  }
}
