import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { FormatError } from './format-error.js';
import { normalizeEntryPath } from './path.js';
import { TarFileIndex } from './tar/file-index.js';

/**
 * The files of an image archive (docker-archive or OCI layout), whether they sit in a tar
 * file or in a directory: small JSON files are read whole (with a cap), blobs are streamed.
 */
export interface ArchiveStore {
  /** The archive as the user named it, for messages. */
  readonly location: string;
  /** Size of a member, or undefined when it does not exist. */
  size(name: string): Promise<number | undefined>;
  /** A whole member, refused when it is larger than `maxBytes`. */
  read(name: string, maxBytes: number): Promise<Buffer>;
  /** A member as a stream. */
  open(name: string): Promise<Readable>;
}

const READ_SIZE = 64 << 10;

function missing(name: string): FormatError {
  return new FormatError(`${name} is missing`);
}

function tooLarge(name: string, size: number, maxBytes: number): FormatError {
  return new FormatError(`${name} is ${size} bytes (limit ${maxBytes})`);
}

export class TarArchiveStore implements ArchiveStore {
  private constructor(
    readonly location: string,
    private readonly index: TarFileIndex,
  ) {}

  static async open(file: string, location = file): Promise<TarArchiveStore> {
    return new TarArchiveStore(location, await TarFileIndex.open(file));
  }

  async size(name: string): Promise<number | undefined> {
    return this.member(name)?.size;
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    const m = this.member(name);
    if (!m) throw missing(name);
    if (m.size > maxBytes) throw tooLarge(name, m.size, maxBytes);
    return this.index.readMember(m);
  }

  async open(name: string): Promise<Readable> {
    const m = this.member(name);
    if (!m) throw missing(name);
    return this.index.openMember(m);
  }

  private member(name: string) {
    const n = normalizeEntryPath(name);
    return n ? this.index.get(n) : undefined;
  }
}

/** A layout unpacked in a directory; members resolve (symlinks included) only inside it. */
export class DirectoryArchiveStore implements ArchiveStore {
  private constructor(
    readonly location: string,
    private readonly root: string,
  ) {}

  static async open(dir: string): Promise<DirectoryArchiveStore> {
    return new DirectoryArchiveStore(dir, await realpath(dir));
  }

  async size(name: string): Promise<number | undefined> {
    const p = await this.resolve(name);
    if (!p) return undefined;
    const st = await stat(p);
    return st.isFile() ? st.size : undefined;
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    const p = await this.resolve(name);
    if (!p) throw missing(name);
    const fh = await open(p, 'r');
    try {
      const { size } = await fh.stat();
      if (size > maxBytes) throw tooLarge(name, size, maxBytes);
      const buf = Buffer.alloc(size);
      const { bytesRead } = await fh.read(buf, 0, size, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async open(name: string): Promise<Readable> {
    const p = await this.resolve(name);
    if (!p) throw missing(name);
    return createReadStream(p, { highWaterMark: READ_SIZE });
  }

  private async resolve(name: string): Promise<string | undefined> {
    const n = normalizeEntryPath(name);
    if (!n) return undefined;
    let real: string;
    try {
      real = await realpath(join(this.root, n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return real === this.root || real.startsWith(this.root + sep) ? real : undefined;
  }
}
