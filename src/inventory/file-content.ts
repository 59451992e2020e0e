import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileContent } from './analyzer.js';

/**
 * What analyzers read. A file from a layer is buffered in memory when small and spooled to a
 * temp file in the scan's work directory when large; a file of a directory walk is read in
 * place, opened without following symlinks.
 */

export interface DisposableContent extends FileContent {
  dispose(): Promise<void>;
}

function clampRange(size: number, offset: number, length: number): [number, number] {
  const start = Math.max(0, Math.min(Math.floor(offset) || 0, size));
  return [start, Math.max(0, Math.min(Math.floor(length) || 0, size - start))];
}

class BufferContent implements DisposableContent {
  constructor(private readonly data: Buffer) {}

  get size(): number {
    return this.data.length;
  }

  async read(): Promise<Buffer> {
    return this.data;
  }

  async readAt(offset: number, length: number): Promise<Buffer> {
    const [start, n] = clampRange(this.data.length, offset, length);
    return this.data.subarray(start, start + n);
  }

  async dispose(): Promise<void> {}
}

/** Reads an open file by position; shared by spooled and in-place files. */
class HandleContent implements DisposableContent {
  constructor(
    protected readonly handle: FileHandle,
    readonly size: number,
    /** `read()` refuses files larger than this; `readAt` serves any size. */
    private readonly maxRead: number,
  ) {}

  async read(): Promise<Buffer> {
    if (this.size > this.maxRead)
      throw new Error(
        `${this.size} bytes is too large to read whole (limit ${this.maxRead}); read it with readAt`,
      );
    return this.readAt(0, this.size);
  }

  async readAt(offset: number, length: number): Promise<Buffer> {
    const [start, n] = clampRange(this.size, offset, length);
    const buf = Buffer.alloc(n);
    let filled = 0;
    while (filled < n) {
      const { bytesRead } = await this.handle.read(buf, filled, n - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === n ? buf : buf.subarray(0, filled);
  }

  async dispose(): Promise<void> {
    await this.handle.close();
  }
}

export class SpooledContent extends HandleContent {
  private constructor(
    handle: FileHandle,
    size: number,
    maxRead: number,
    private readonly path: string,
  ) {
    super(handle, size, maxRead);
  }

  /** Writes `body` to a new file in `dir`; the file is removed on dispose(). */
  static async create(
    body: AsyncIterable<Buffer>,
    size: number,
    dir: string,
    maxRead: number,
  ): Promise<SpooledContent> {
    const path = join(dir, `spool-${randomBytes(6).toString('hex')}`);
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
    const content = new SpooledContent(handle, size, maxRead, path);
    try {
      let at = 0;
      for await (const chunk of body) {
        await handle.write(chunk, 0, chunk.length, at);
        at += chunk.length;
      }
      return content;
    } catch (err) {
      await content.dispose();
      throw err;
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await rm(this.path, { force: true });
  }
}

/** A regular file of a directory walk; refuses to follow a symlink swapped in after the walk saw it. */
export class DiskFileContent extends HandleContent {
  static async open(path: string, maxRead: number): Promise<DiskFileContent | undefined> {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      return undefined;
    }
    return new DiskFileContent(handle, st.size, maxRead);
  }
}

/** Reads a whole body into one buffer of its declared size. */
export async function bufferBody(body: AsyncIterable<Buffer>, size: number): Promise<BufferContent> {
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of body) {
    chunk.copy(buf, at);
    at += chunk.length;
  }
  return new BufferContent(at === size ? buf : buf.subarray(0, at));
}
