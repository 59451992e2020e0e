import { open } from 'node:fs/promises';

export type BoundedRead = { bytes: Buffer } | { tooLarge: number };

/** Reads a whole file, but never more than `maxBytes` (a file that grows while read is refused too). */
export async function readBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > maxBytes) return { tooLarge: size };
    const buf = Buffer.alloc(size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buf.length) return { tooLarge: total };
    }
    return { bytes: buf.subarray(0, total) };
  } finally {
    await fh.close();
  }
}
