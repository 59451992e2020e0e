import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { decompress, sniffCompression } from './decompress.js';

/** Largest compressed image archive we unpack (`docker save img | gzip > img.tar.gz`). */
const MAX_ARCHIVE_BYTES = 256 * 2 ** 30;

/**
 * Archives need random access, so a gzip- or zstd-compressed one is unpacked once into the
 * scan's work directory; returns the plain tar's path, or undefined when `file` is not compressed.
 */
export async function inflateArchive(file: string, workDir: string): Promise<string | undefined> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (sniffCompression(head) === 'none') return undefined;
  const out = join(workDir, `archive-${randomBytes(4).toString('hex')}.tar`);
  const target = await open(out, 'wx', 0o600);
  try {
    for await (const chunk of decompress(createReadStream(file), { maxBytes: MAX_ARCHIVE_BYTES }))
      await target.write(chunk);
  } finally {
    await target.close();
  }
  return out;
}
