import { CorruptDbError } from '../read.js';

/**
 * An rpm header blob as the package databases store it (no lead, no header magic): a count
 * of index entries and the data length (both big-endian int32), the index entries (tag,
 * type, offset, count), then the data store. Entries are checked only when a tag is read,
 * and every read is bounded by the data store.
 */

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;

const TYPE = { INT32: 4, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

/** rpm's own limits (HEADER_TAGS_MAX, HEADER_DATA_MAX): anything above is corrupt. */
const MAX_ENTRIES = 0xffff;
const MAX_DATA = 0x0fffffff;
const INDEX_ENTRY = 16;

interface Entry {
  type: number;
  offset: number;
  count: number;
}

export class RpmHeader {
  private constructor(
    private readonly entries: Map<number, Entry>,
    private readonly store: Buffer,
  ) {}

  static parse(blob: Buffer): RpmHeader {
    if (blob.length < 8)
      throw new CorruptDbError(`header is ${blob.length} bytes, shorter than its 8-byte intro`);
    const il = blob.readUInt32BE(0);
    const dl = blob.readUInt32BE(4);
    if (il === 0 || il > MAX_ENTRIES) throw new CorruptDbError(`header claims ${il} index entries`);
    if (dl > MAX_DATA) throw new CorruptDbError(`header claims ${dl} bytes of data`);
    const storeStart = 8 + il * INDEX_ENTRY;
    if (storeStart + dl > blob.length)
      throw new CorruptDbError(`header needs ${storeStart + dl} bytes but the blob has ${blob.length}`);
    const entries = new Map<number, Entry>();
    for (let i = 0; i < il; i++) {
      const at = 8 + i * INDEX_ENTRY;
      // Later entries win: rpm appends installation-time tags after the immutable region.
      entries.set(blob.readUInt32BE(at), {
        type: blob.readUInt32BE(at + 4),
        offset: blob.readInt32BE(at + 8),
        count: blob.readUInt32BE(at + 12),
      });
    }
    return new RpmHeader(entries, blob.subarray(storeStart, storeStart + dl));
  }

  private entry(tag: number, types: readonly number[]): Entry | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (!types.includes(e.type))
      throw new CorruptDbError(`tag ${tag} has type ${e.type}, expected ${types.join(' or ')}`);
    if (e.offset < 0 || e.offset >= this.store.length)
      throw new CorruptDbError(
        `tag ${tag} points at offset ${e.offset}, outside the ${this.store.length}-byte data`,
      );
    return e;
  }

  private stringAt(tag: number, offset: number): [string, number] {
    const end = this.store.indexOf(0, offset);
    if (end < 0) throw new CorruptDbError(`tag ${tag}: string at offset ${offset} is not terminated`);
    return [this.store.toString('utf8', offset, end), end + 1];
  }

  /** A STRING tag (or the first of a STRING_ARRAY / I18NSTRING). */
  string(tag: number): string | undefined {
    const e = this.entry(tag, [TYPE.STRING, TYPE.STRING_ARRAY, TYPE.I18NSTRING]);
    return e ? this.stringAt(tag, e.offset)[0] : undefined;
  }

  strings(tag: number): string[] | undefined {
    const e = this.entry(tag, [TYPE.STRING_ARRAY, TYPE.I18NSTRING, TYPE.STRING]);
    if (!e) return undefined;
    const count = e.type === TYPE.STRING ? 1 : e.count;
    if (count > this.store.length - e.offset)
      throw new CorruptDbError(`tag ${tag} claims ${count} strings in ${this.store.length - e.offset} bytes`);
    const out: string[] = [];
    let at = e.offset;
    for (let i = 0; i < count; i++) {
      const [s, next] = this.stringAt(tag, at);
      out.push(s);
      at = next;
    }
    return out;
  }

  int32s(tag: number): number[] | undefined {
    const e = this.entry(tag, [TYPE.INT32]);
    if (!e) return undefined;
    if (e.offset + e.count * 4 > this.store.length)
      throw new CorruptDbError(`tag ${tag} claims ${e.count} int32 values past the end of the data`);
    const out = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) out[i] = this.store.readInt32BE(e.offset + i * 4);
    return out;
  }
}
