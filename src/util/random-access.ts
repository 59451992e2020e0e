import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inputError } from './errors.js';

/** Anything that hands out byte ranges; FileContent in inventory/analyzer.ts has this shape. */
export interface RandomAccessSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at end of file). */
  readAt(offset: number, length: number): Promise<Buffer>;
}

/**
 * A file on disk as a random-access source; close it when done. Reads are synchronous preads:
 * for the many small reads a zip directory walk makes, a thread-pool round trip per read costs
 * several times the read itself.
 */
export async function fileSource(path: string): Promise<RandomAccessSource & { close(): Promise<void> }> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw inputError(path, `cannot open (${(err as NodeJS.ErrnoException).code ?? err})`, err);
  }
  const { size } = fstatSync(fd);
  return {
    size,
    async readAt(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const bytesRead = readSync(fd, buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    },
    close: async () => closeSync(fd),
  };
}

export function bufferSource(buf: Buffer): RandomAccessSource {
  return {
    size: buf.length,
    readAt: async (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
  };
}

/** `size` bytes of `parent` from `start`, as a source of its own. */
export function windowSource(parent: RandomAccessSource, start: number, size: number): RandomAccessSource {
  return {
    size,
    readAt: (offset, length) => parent.readAt(start + offset, Math.max(0, Math.min(length, size - offset))),
  };
}

/** Exactly `length` bytes at `offset`, or the error `short()` makes when the source ends first. */
export async function readExactly(
  source: RandomAccessSource,
  offset: number,
  length: number,
  short: () => Error,
): Promise<Buffer> {
  if (offset < 0 || offset + length > source.size) throw short();
  const buf = await source.readAt(offset, length);
  if (buf.length < length) throw short();
  return buf.length === length ? buf : buf.subarray(0, length);
}
