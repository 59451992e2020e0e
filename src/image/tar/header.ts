import { FormatError } from '../format-error.js';

/** One 512-byte tar header block, decoded (ustar, GNU and V7 layouts; star's short prefix). */

export const BLOCK = 512;

export type EntryType =
  | 'file'
  | 'hardlink'
  | 'symlink'
  | 'chardev'
  | 'blockdev'
  | 'directory'
  | 'fifo'
  | 'pax'
  | 'pax-global'
  | 'gnu-longname'
  | 'gnu-longlink'
  | 'gnu-sparse'
  | 'unsupported';

export interface RawHeader {
  /** Name as stored (ustar prefix applied), before PAX or GNU long-name overrides. */
  name: string;
  type: EntryType;
  /** The raw type flag character, for messages about unsupported entries. */
  flag: string;
  mode: number;
  size: number;
  linkname: string;
  /** GNU sparse headers only: more sparse-map blocks follow this header. */
  gnuSparseExtended: boolean;
}

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'chardev',
  '4': 'blockdev',
  '5': 'directory',
  D: 'directory',
  '6': 'fifo',
  x: 'pax',
  X: 'pax',
  g: 'pax-global',
  L: 'gnu-longname',
  K: 'gnu-longlink',
  S: 'gnu-sparse',
};

/** Types whose size field says nothing about data that follows (as Go's archive/tar reads them). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/** Decodes a header block; 'zero' for an all-zero block (end-of-archive marker). */
export function decodeHeader(block: Buffer, at: number): RawHeader | 'zero' {
  let raw = 0;
  let signed = 0;
  let stored = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = block[i]!;
    raw += b;
    if (i >= 148 && i < 156) stored += b;
    else signed += b > 127 ? b - 256 : b;
  }
  if (raw === 0) return 'zero';
  const unsigned = raw - stored + 8 * 32;
  signed += 8 * 32;
  const expected = parseOctal(block, 148, 8);
  if (expected === undefined || (expected !== unsigned && expected !== signed))
    throw new FormatError(`not a tar header (checksum mismatch) at offset ${at}`);

  const flag = String.fromCharCode(block[156]!);
  const posix = isMagic(block, 'ustar\u000000');
  const gnu = !posix && isMagic(block, 'ustar  \u0000');
  let name = cString(block, 0, 100);
  if (posix) {
    const star = block[508] === 0x74 && block[509] === 0x61 && block[510] === 0x72 && block[511] === 0;
    const prefix = cString(block, 345, star ? 131 : 155);
    if (prefix.length > 0) name = `${prefix}/${name}`;
  }
  let type: EntryType = TYPES[flag] ?? 'unsupported';
  // V7 archives mark directories only by the trailing slash.
  if (type === 'file' && flag !== '7' && !posix && !gnu && name.endsWith('/')) type = 'directory';

  return {
    name,
    type,
    flag,
    mode: (parseNumber(block, 100, 8, 'mode', at) ?? 0) & 0o7777,
    size: HEADER_ONLY.has(flag) ? 0 : entrySize(block, at),
    linkname: cString(block, 157, 100),
    gnuSparseExtended: type === 'gnu-sparse' && gnu && block[482] !== 0,
  };
}

function entrySize(block: Buffer, at: number): number {
  const size = parseNumber(block, 124, 12, 'size', at);
  if (size === undefined) throw new FormatError(`tar header at offset ${at} has an unreadable size field`);
  return size;
}

/** A GNU sparse extension block: true when yet another one follows it. */
export function sparseExtensionContinues(block: Buffer): boolean {
  return block[504] !== 0;
}

function isMagic(block: Buffer, magic: string): boolean {
  for (let i = 0; i < magic.length; i++) if (block[257 + i] !== magic.charCodeAt(i)) return false;
  return true;
}

function cString(block: Buffer, start: number, len: number): string {
  let end = start;
  const max = start + len;
  while (end < max && block[end] !== 0) end++;
  return end === start ? '' : block.toString('utf8', start, end);
}

/** Octal digits padded with spaces or NULs; undefined when there are none or junk follows. */
function parseOctal(block: Buffer, start: number, len: number): number | undefined {
  let i = start;
  const end = start + len;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  for (; i < end; i++) if (block[i] !== 0x20 && block[i] !== 0) return undefined;
  return digits === 0 ? undefined : value;
}

/** Octal, or GNU base-256 when the high bit of the first byte is set. */
function parseNumber(
  block: Buffer,
  start: number,
  len: number,
  field: string,
  at: number,
): number | undefined {
  const first = block[start]!;
  if ((first & 0x80) === 0) {
    const allEmpty = block.subarray(start, start + len).every((b) => b === 0 || b === 0x20);
    return allEmpty ? 0 : parseOctal(block, start, len);
  }
  if (first === 0xff) throw new FormatError(`tar header at offset ${at} has a negative ${field}`);
  let value = first & 0x7f;
  for (let i = start + 1; i < start + len; i++) {
    value = value * 256 + block[i]!;
    if (value > Number.MAX_SAFE_INTEGER)
      throw new FormatError(`tar header at offset ${at} has an absurd ${field}`);
  }
  return value;
}
