import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal zip writer for tests: builds archives byte by byte so tests can produce what real
 * tools never would (ZIP64 records on small archives, prepended data, lying headers). Its
 * output is checked against `unzip -t` in test/util/zip.test.ts.
 */

interface WriteEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** Overrides for the headers, to build corrupt archives. */
  declaredSize?: number;
  declaredCompressedSize?: number;
  crc?: number;
  flags?: number;
  /** Raw name bytes (e.g. CP437) instead of the UTF-8 of `name`. */
  rawName?: Buffer;
}

interface WriteOptions {
  /** Write ZIP64 extra fields and end records even though sizes would fit. */
  zip64?: boolean;
  /** Bytes before the archive, offsets left unadjusted (as `cat launcher.sh app.jar`). */
  prefix?: Buffer;
  comment?: Buffer;
  /** Central-directory records that point at an earlier entry's local header. */
  aliases?: { name: string; of: number }[];
}

interface Written {
  name: Buffer;
  method: number;
  flags: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

export function writeZip(entries: WriteEntry[], options: WriteOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    pos += b.length;
  };
  const written: Written[] = [];
  for (const e of entries) {
    const method = e.method ?? 8;
    const payload = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = e.rawName ?? Buffer.from(e.name, 'utf8');
    const w: Written = {
      name,
      method,
      flags: e.flags ?? (e.rawName ? 0 : 0x800),
      crc: e.crc ?? crc32(e.data),
      csize: e.declaredCompressedSize ?? payload.length,
      usize: e.declaredSize ?? e.data.length,
      offset: pos,
    };
    const extra = options.zip64 ? zip64Extra([w.usize, w.csize]) : Buffer.alloc(0);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(options.zip64 ? 45 : 20, 4);
    head.writeUInt16LE(w.flags, 6);
    head.writeUInt16LE(method, 8);
    head.writeUInt32LE(w.crc, 14);
    head.writeUInt32LE(options.zip64 ? 0xffffffff : w.csize, 18);
    head.writeUInt32LE(options.zip64 ? 0xffffffff : w.usize, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(extra.length, 28);
    push(Buffer.concat([head, name, extra, payload]));
    written.push(w);
  }
  for (const a of options.aliases ?? []) {
    const target = written[a.of];
    if (!target) throw new Error(`alias of missing entry ${a.of}`);
    written.push({ ...target, name: Buffer.from(a.name) });
  }
  const cdStart = pos;
  for (const w of written) {
    const extra = options.zip64 ? zip64Extra([w.usize, w.csize, w.offset]) : Buffer.alloc(0);
    const rec = Buffer.alloc(46);
    rec.writeUInt32LE(0x02014b50, 0);
    rec.writeUInt16LE((3 << 8) | 45, 4);
    rec.writeUInt16LE(options.zip64 ? 45 : 20, 6);
    rec.writeUInt16LE(w.flags, 8);
    rec.writeUInt16LE(w.method, 10);
    rec.writeUInt32LE(w.crc, 16);
    rec.writeUInt32LE(options.zip64 ? 0xffffffff : w.csize, 20);
    rec.writeUInt32LE(options.zip64 ? 0xffffffff : w.usize, 24);
    rec.writeUInt16LE(w.name.length, 28);
    rec.writeUInt16LE(extra.length, 30);
    rec.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    rec.writeUInt32LE(options.zip64 ? 0xffffffff : w.offset, 42);
    push(Buffer.concat([rec, w.name, extra]));
  }
  const cdSize = pos - cdStart;
  if (options.zip64) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(written.length), 24);
    z.writeBigUInt64LE(BigInt(written.length), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdStart), 48);
    const zpos = pos;
    push(z);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(zpos), 8);
    loc.writeUInt32LE(1, 16);
    push(loc);
  }
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : written.length, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : written.length, 10);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : cdSize, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : cdStart, 16);
  end.writeUInt16LE(comment.length, 20);
  push(Buffer.concat([end, comment]));
  return Buffer.concat([options.prefix ?? Buffer.alloc(0), ...parts]);
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => {
    b.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
  });
  return b;
}
