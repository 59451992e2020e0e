import type { RandomAccessSource } from '../../../util/random-access.js';
import { CorruptDbError } from '../read.js';

/**
 * Values of a Berkeley DB hash database (rpm's legacy `Packages`), read page by page without
 * libdb: a metadata page, then hash pages holding key/data item pairs, with large data items
 * stored on chains of overflow pages. Pages are scanned in file order (as the free pages are
 * marked invalid, a linear scan sees exactly the live items) and read in chunks, so memory
 * stays at one chunk plus the value being assembled.
 */

const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_DUPLICATE = 2;
const H_OFFPAGE = 3;
const H_OFFDUP = 4;
const DBMETA_CHKSUM = 0x01;
const CHUNK = 1024 * 1024;

interface Meta {
  pageSize: number;
  pages: number;
  le: boolean;
}

class PageReader {
  /** Overflow pages already read, by any item. */
  readonly overflowRead = new Set<number>();
  private chunkStart = -1;
  private chunk: Buffer = Buffer.alloc(0);

  constructor(
    private readonly file: RandomAccessSource,
    readonly meta: Meta,
  ) {}

  async page(pgno: number): Promise<Buffer> {
    const { pageSize } = this.meta;
    const offset = pgno * pageSize;
    if (
      this.chunkStart < 0 ||
      offset < this.chunkStart ||
      offset + pageSize > this.chunkStart + this.chunk.length
    ) {
      this.chunkStart = offset - (offset % CHUNK);
      this.chunk = await this.file.readAt(this.chunkStart, CHUNK);
    }
    const at = offset - this.chunkStart;
    if (at + pageSize > this.chunk.length)
      throw new CorruptDbError(`page ${pgno} is past the end of the file`);
    return this.chunk.subarray(at, at + pageSize);
  }

  u16(page: Buffer, at: number): number {
    return this.meta.le ? page.readUInt16LE(at) : page.readUInt16BE(at);
  }

  u32(page: Buffer, at: number): number {
    return this.meta.le ? page.readUInt32LE(at) : page.readUInt32BE(at);
  }
}

async function readMeta(file: RandomAccessSource): Promise<Meta> {
  const head = await file.readAt(0, 72);
  if (head.length < 72) throw new CorruptDbError('file is too short for a Berkeley DB metadata page');
  const le = head.readUInt32LE(12) === HASH_MAGIC;
  if (!le && head.readUInt32BE(12) !== HASH_MAGIC) {
    const btree = head.readUInt32LE(12) === BTREE_MAGIC || head.readUInt32BE(12) === BTREE_MAGIC;
    throw new CorruptDbError(
      btree ? 'a Berkeley DB btree, not a hash database' : 'not a Berkeley DB hash database',
    );
  }
  const u32 = (at: number) => (le ? head.readUInt32LE(at) : head.readUInt32BE(at));
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    throw new CorruptDbError(`invalid page size ${pageSize}`);
  if (head[24] !== 0) throw new CorruptDbError('encrypted Berkeley DB databases are not supported');
  if ((head[26]! & DBMETA_CHKSUM) !== 0)
    throw new CorruptDbError('checksummed Berkeley DB databases are not supported');
  const lastPgno = u32(32);
  const pages = Math.min(lastPgno + 1, Math.floor(file.size / pageSize));
  return { pageSize, pages, le };
}

/** The bytes of one item on a hash page: from its offset to the start of the previous item. */
function item(reader: PageReader, page: Buffer, entries: number, index: number): Buffer {
  const { pageSize } = reader.meta;
  const start = reader.u16(page, PAGE_HEADER + index * 2);
  const end = index === 0 ? pageSize : reader.u16(page, PAGE_HEADER + (index - 1) * 2);
  if (start < PAGE_HEADER + entries * 2 || start >= end || end > pageSize)
    throw new CorruptDbError(`item ${index} has an invalid offset ${start}`);
  return page.subarray(start, end);
}

/**
 * One off-page item. In a sound file every overflow page belongs to one chain, so a page met a
 * second time (a loop, or two items sharing a chain) is corruption: this bounds the whole scan
 * to one read of each page, whatever the items claim.
 */
async function overflowValue(
  reader: PageReader,
  first: number,
  length: number,
  maxValue: number,
): Promise<Buffer> {
  const { pages, pageSize } = reader.meta;
  if (length > maxValue || length > pages * (pageSize - PAGE_HEADER))
    throw new CorruptDbError(`overflow item claims ${length} bytes`);
  const parts: Buffer[] = [];
  let filled = 0;
  let pgno = first;
  while (filled < length) {
    if (pgno === 0 || pgno >= pages) throw new CorruptDbError(`overflow chain reaches page ${pgno}`);
    if (reader.overflowRead.has(pgno))
      throw new CorruptDbError(`overflow chain loops back to page ${pgno}, or shares it with another item`);
    reader.overflowRead.add(pgno);
    const page = await reader.page(pgno);
    if (page[25] !== P_OVERFLOW)
      throw new CorruptDbError(`overflow chain reaches page ${pgno} of type ${page[25]}`);
    const onPage = reader.u16(page, 22);
    if (onPage > pageSize - PAGE_HEADER || onPage > length - filled)
      throw new CorruptDbError(`overflow page ${pgno} claims ${onPage} bytes`);
    parts.push(page.subarray(PAGE_HEADER, PAGE_HEADER + onPage));
    filled += onPage;
    pgno = reader.u32(page, 16);
    if (onPage === 0 && pgno === 0) break;
  }
  if (filled !== length) throw new CorruptDbError(`overflow chain holds ${filled} of ${length} bytes`);
  return Buffer.concat(parts, length);
}

/**
 * Every data item of the hash database, with its key. Damage confined to one item or page
 * goes to `warn` and the scan continues; a file that is not a readable hash DB throws.
 */
export async function* bdbHashEntries(
  file: RandomAccessSource,
  warn: (msg: string) => void,
  maxValue: number,
): AsyncGenerator<{ key: Buffer; value: Buffer }> {
  const reader = new PageReader(file, await readMeta(file));
  if (reader.meta.pages * reader.meta.pageSize < file.size - reader.meta.pageSize)
    warn(`metadata says ${reader.meta.pages} pages but the file holds more; reading only those`);
  for (let pgno = 1; pgno < reader.meta.pages; pgno++) {
    const page = await reader.page(pgno);
    const type = page[25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = reader.u16(page, 20);
    if (PAGE_HEADER + entries * 2 > reader.meta.pageSize) {
      warn(`hash page ${pgno} claims ${entries} items; page skipped`);
      continue;
    }
    for (let i = 0; i + 1 < entries; i += 2) {
      try {
        const key = item(reader, page, entries, i);
        const data = item(reader, page, entries, i + 1);
        if (key[0] !== H_KEYDATA) throw new CorruptDbError(`key of type ${key[0]}`);
        if (data[0] === H_KEYDATA) yield { key: key.subarray(1), value: Buffer.from(data.subarray(1)) };
        else if (data[0] === H_OFFPAGE) {
          if (data.length < 12) throw new CorruptDbError('truncated off-page reference');
          const value = await overflowValue(reader, reader.u32(data, 4), reader.u32(data, 8), maxValue);
          yield { key: key.subarray(1), value };
        } else if (data[0] === H_DUPLICATE || data[0] === H_OFFDUP)
          throw new CorruptDbError('duplicate data items, which rpm never writes');
        else throw new CorruptDbError(`data of unknown type ${data[0]}`);
      } catch (err) {
        if (!(err instanceof CorruptDbError)) throw err;
        warn(`hash page ${pgno}, item ${i / 2}: ${err.message}; skipped`);
      }
    }
  }
}
