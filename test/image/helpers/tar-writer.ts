import { createHash } from 'node:crypto';

/**
 * Writes tar archives in test code: ustar, GNU (long names as 'L'/'K' entries) or PAX, with
 * knobs to produce the broken headers real archives sometimes have.
 */

export type TarFormat = 'ustar' | 'gnu' | 'pax';

export interface TarSpec {
  name: string;
  /** '0' file (default), '1' hard link, '2' symlink, '3' char dev, '4' block dev, '5' dir, '6' fifo, or any flag. */
  type?: string;
  data?: Buffer | string;
  mode?: number;
  linkname?: string;
  /** Size written in the header instead of the data's length. */
  declaredSize?: number;
  /** Extra PAX records (pax format). */
  pax?: Record<string, string>;
  /** Store a wrong checksum. */
  badChecksum?: boolean;
}

const BLOCK = 512;

export function tarArchive(
  entries: TarSpec[],
  format: TarFormat = 'pax',
  options: { end?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(...tarEntry(e, format));
  if (options.end !== false) parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

export function tarEntry(e: TarSpec, format: TarFormat): Buffer[] {
  const data = typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0));
  const type = e.type ?? '0';
  const out: Buffer[] = [];
  const nameBytes = Buffer.byteLength(e.name);
  const linkBytes = Buffer.byteLength(e.linkname ?? '');
  let name = e.name;
  let prefix = '';
  let linkname = e.linkname ?? '';
  const pax: Record<string, string> = { ...e.pax };
  if (format === 'gnu') {
    if (nameBytes > 100) {
      out.push(...metaEntry('././@LongLink', 'L', Buffer.from(`${e.name}\0`), format));
      name = e.name.slice(0, 100);
    }
    if (linkBytes > 100) {
      out.push(...metaEntry('././@LongLink', 'K', Buffer.from(`${linkname}\0`), format));
      linkname = linkname.slice(0, 100);
    }
  } else {
    if (nameBytes > 100) {
      const split = splitUstar(e.name);
      if (split) [prefix, name] = split;
      else if (format === 'pax') {
        pax.path = e.name;
        name = e.name.slice(-100);
      } else throw new Error(`ustar cannot hold ${e.name}`);
    }
    if (linkBytes > 100) {
      if (format !== 'pax') throw new Error('ustar cannot hold a long link name');
      pax.linkpath = linkname;
      linkname = linkname.slice(0, 100);
    }
  }
  if (format === 'pax' && Object.keys(pax).length > 0)
    out.push(...metaEntry(`PaxHeaders/${name.slice(0, 80)}`, 'x', paxBody(pax), format));
  const size = e.declaredSize ?? ('123456'.includes(type) ? 0 : data.length);
  out.push(
    header({ name, prefix, type, mode: e.mode ?? 0o644, size, linkname, format, badChecksum: e.badChecksum }),
  );
  if (data.length > 0) out.push(data, Buffer.alloc(pad(data.length)));
  return out;
}

function metaEntry(name: string, type: string, body: Buffer, format: TarFormat): Buffer[] {
  return [
    header({ name, prefix: '', type, mode: 0o644, size: body.length, linkname: '', format }),
    body,
    Buffer.alloc(pad(body.length)),
  ];
}

export function paxBody(records: Record<string, string>): Buffer {
  let text = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len)
      len = String(len).length + Buffer.byteLength(rest);
    text += `${len}${rest}`;
  }
  return Buffer.from(text);
}

function splitUstar(path: string): [string, string] | undefined {
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/') continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0)
      return [prefix, name];
  }
  return undefined;
}

function header(h: {
  name: string;
  prefix: string;
  type: string;
  mode: number;
  size: number;
  linkname: string;
  format: TarFormat;
  badChecksum?: boolean;
}): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, 'utf8');
  octal(b, 100, 8, h.mode);
  octal(b, 108, 8, 0);
  octal(b, 116, 8, 0);
  if (h.size > 0o77777777777) {
    b[124] = 0x80;
    let v = h.size;
    for (let i = 135; i > 124; i--) {
      b[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else octal(b, 124, 12, h.size);
  octal(b, 136, 12, 1_700_000_000);
  b.write(h.type, 156, 1, 'latin1');
  b.write(h.linkname, 157, 100, 'utf8');
  if (h.format === 'gnu') b.write('ustar  \0', 257, 8, 'latin1');
  else {
    b.write('ustar\0', 257, 6, 'latin1');
    b.write('00', 263, 2, 'latin1');
    b.write(h.prefix, 345, 155, 'utf8');
  }
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  octal(b, 148, 7, h.badChecksum ? sum + 1 : sum);
  b[155] = 0x20;
  return b;
}

function octal(b: Buffer, at: number, len: number, value: number): void {
  b.write(value.toString(8).padStart(len - 1, '0'), at, len - 1, 'latin1');
  b[at + len - 1] = 0;
}

function pad(n: number): number {
  return (BLOCK - (n % BLOCK)) % BLOCK;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
