import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { FormatError } from '../format-error.js';
import { normalizeEntryPath, resolveLinkTarget } from '../path.js';
import { type ByteSource, type TarEntryType, TarReader } from './reader.js';

/**
 * The members of a tar file (a `docker save` archive, an OCI layout tar), indexed once by
 * reading headers only; each member is then read as a byte range of the file, never extracted.
 */

interface TarMember {
  /** Normalised path inside the archive. */
  name: string;
  type: TarEntryType;
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
  linkname: string;
}

/** Archives of images hold a handful of members; a million means this is not one. */
const MAX_MEMBERS = 1_000_000;
/** Symlinked members (docker save links repeated layers) resolve through at most this many hops. */
const MAX_HOPS = 16;
const READ_SIZE = 64 << 10;

export class TarFileIndex {
  private constructor(
    readonly path: string,
    private readonly members: Map<string, TarMember>,
  ) {}

  static async open(path: string): Promise<TarFileIndex> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const reader = new TarReader(fileSource(fh, size), { maxEntrySize: size });
      const members = new Map<string, TarMember>();
      for (let e = await reader.next(); e; e = await reader.next()) {
        const name = normalizeEntryPath(e.name);
        if (name === undefined || name === '') continue;
        if (e.dataOffset + e.size > size)
          throw new FormatError(`member "${name}" runs past the end of the file`);
        members.set(name, { name, type: e.type, offset: e.dataOffset, size: e.size, linkname: e.linkname });
        if (members.size > MAX_MEMBERS) throw new FormatError(`more than ${MAX_MEMBERS} members`);
      }
      return new TarFileIndex(path, members);
    } finally {
      await fh.close();
    }
  }

  /** The regular file a name refers to, following symlinks and hard links inside the archive. */
  get(name: string): TarMember | undefined {
    let m = this.members.get(name);
    for (let hops = 0; m && hops <= MAX_HOPS; hops++) {
      if (m.type === 'file') return m;
      if (m.type === 'symlink') {
        const target = resolveLinkTarget(m.name, m.linkname);
        m = target === undefined ? undefined : this.members.get(target);
      } else if (m.type === 'hardlink') {
        const target = normalizeEntryPath(m.linkname);
        m = target === undefined ? undefined : this.members.get(target);
      } else return undefined;
    }
    return undefined;
  }

  /** The member's bytes as a stream of the file's byte range. */
  openMember(member: TarMember): Readable {
    if (member.size === 0) return Readable.from([]);
    return createReadStream(this.path, {
      start: member.offset,
      end: member.offset + member.size - 1,
      highWaterMark: READ_SIZE,
    });
  }

  /** The whole member, read by position. */
  async readMember(member: TarMember): Promise<Buffer> {
    const fh = await open(this.path, 'r');
    try {
      const buf = Buffer.alloc(member.size);
      const { bytesRead } = await fh.read(buf, 0, member.size, member.offset);
      if (bytesRead !== member.size) throw new FormatError(`member "${member.name}" is truncated`);
      return buf;
    } finally {
      await fh.close();
    }
  }
}

/** Reads a file by position; skipping just moves the position (bodies are never read). */
function fileSource(fh: FileHandle, size: number): ByteSource {
  let pos = 0;
  return {
    async read() {
      if (pos >= size) return undefined;
      const n = Math.min(READ_SIZE, size - pos);
      const out = Buffer.alloc(n);
      const { bytesRead } = await fh.read(out, 0, n, pos);
      pos += bytesRead;
      return bytesRead === 0 ? undefined : out.subarray(0, bytesRead);
    },
    async skip(n) {
      pos += n;
      if (pos > size) throw new FormatError(`truncated tar: data ends at offset ${size} inside an entry`);
    },
  };
}
