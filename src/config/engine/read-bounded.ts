import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

type BoundedRead = { bytes: Buffer } | { tooLarge: number };

/**
 * Reads a whole file, but never more than `maxBytes` (a file that grows while read is refused
 * too). Synchronous: for many small files a direct read is cheaper than a thread-pool round trip.
 */
export function readBounded(path: string, maxBytes: number): BoundedRead {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes) return { tooLarge: size };
    const buf = Buffer.alloc(size + 1);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, total, buf.length - total, total);
      if (n === 0) break;
      total += n;
      if (total === buf.length) return { tooLarge: total };
    }
    return { bytes: buf.subarray(0, total) };
  } finally {
    closeSync(fd);
  }
}
