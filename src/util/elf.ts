import { inputError } from './errors.js';
import { type RandomAccessSource, readExactly } from './random-access.js';

/**
 * Just enough of ELF to find sections and map virtual addresses to file offsets, read through
 * a random-access source (nothing else of the file is touched). 32/64-bit, either byte order,
 * extended section numbering. Used by the binary analyzers (Go build info, Rust audit data).
 */

export interface ElfSection {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

export interface Elf {
  bits: 32 | 64;
  littleEndian: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
}

const SHT_NOBITS = 8;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;

const ELF_MAGIC = 0x7f454c46;
const MAX_HEADERS = 1 << 16;
const MAX_SHSTRTAB = 16 * 1024 * 1024;

/** Executables worth opening: an execute bit set and a size a real program could have. */
export function isPlausibleExecutable(file: { size: number; mode: number }): boolean {
  return (file.mode & 0o111) !== 0 && file.size >= 4096 && file.size <= 1024 * 1024 * 1024;
}

/** Reads four bytes; true when the source starts with the ELF magic. */
export async function hasElfMagic(source: RandomAccessSource): Promise<boolean> {
  if (source.size < 4) return false;
  const head = await source.readAt(0, 4);
  return head.length === 4 && head.readUInt32BE(0) === ELF_MAGIC;
}

/** Reads the ELF, program and section headers; a one-line UserError names `label` when they are damaged. */
export async function readElf(source: RandomAccessSource, label: string): Promise<Elf> {
  const corrupt = (problem: string) => inputError(label, `corrupt ELF: ${problem}`);
  const short = () => corrupt('truncated headers');
  const ident = await readExactly(source, 0, 16, short);
  if (ident.readUInt32BE(0) !== ELF_MAGIC) throw inputError(label, 'not an ELF file');
  const bits = ident[4] === 1 ? 32 : ident[4] === 2 ? 64 : undefined;
  const littleEndian = ident[5] === 1 ? true : ident[5] === 2 ? false : undefined;
  if (bits === undefined || littleEndian === undefined) throw corrupt('unknown class or byte order');
  const r = fieldReader(littleEndian, bits, corrupt);
  const h = await readExactly(source, 0, bits === 64 ? 64 : 52, short);
  const at = bits === 64 ? { ph: 32, sh: 40, phent: 54 } : { ph: 28, sh: 32, phent: 42 };
  const phoff = r.word(h, at.ph);
  const shoff = r.word(h, at.sh);
  const phentsize = r.u16(h, at.phent);
  let phnum = r.u16(h, at.phent + 2);
  const shentsize = r.u16(h, at.phent + 4);
  let shnum = r.u16(h, at.phent + 6);
  let shstrndx = r.u16(h, at.phent + 8);
  const shSize = bits === 64 ? 64 : 40;
  const phSize = bits === 64 ? 56 : 32;

  const readSection = async (i: number) =>
    readExactly(source, shoff + i * shSize, shSize, () =>
      corrupt(`section header ${i} lies past end of file`),
    );
  if (shoff !== 0 && (shnum === 0 || shstrndx === 0xffff || phnum === 0xffff)) {
    // Extended numbering keeps the real counts in section header 0.
    const s0 = await readSection(0);
    if (shnum === 0) shnum = r.word(s0, bits === 64 ? 32 : 20);
    if (shstrndx === 0xffff) shstrndx = r.u32(s0, bits === 64 ? 40 : 24);
    if (phnum === 0xffff) phnum = r.u32(s0, bits === 64 ? 44 : 28);
  }
  if (phnum > MAX_HEADERS || shnum > MAX_HEADERS) throw corrupt('implausible number of headers');

  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    if (phentsize < phSize) throw corrupt('program header entries too small');
    const table = await readExactly(source, phoff, phnum * phentsize, short);
    for (let i = 0; i < phnum; i++) {
      const p = table.subarray(i * phentsize, i * phentsize + phSize);
      segments.push(
        bits === 64
          ? {
              type: r.u32(p, 0),
              flags: r.u32(p, 4),
              offset: r.word(p, 8),
              vaddr: r.word(p, 16),
              filesz: r.word(p, 32),
            }
          : {
              type: r.u32(p, 0),
              flags: r.u32(p, 24),
              offset: r.u32(p, 4),
              vaddr: r.u32(p, 8),
              filesz: r.u32(p, 16),
            },
      );
    }
  }

  const sections: ElfSection[] = [];
  if (shoff !== 0 && shnum > 0) {
    if (shentsize < shSize) throw corrupt('section header entries too small');
    const table = await readExactly(source, shoff, shnum * shentsize, short);
    const raw = Array.from({ length: shnum }, (_, i) => {
      const s = table.subarray(i * shentsize, i * shentsize + shSize);
      return bits === 64
        ? {
            nameAt: r.u32(s, 0),
            type: r.u32(s, 4),
            addr: r.word(s, 16),
            offset: r.word(s, 24),
            size: r.word(s, 32),
          }
        : {
            nameAt: r.u32(s, 0),
            type: r.u32(s, 4),
            addr: r.u32(s, 12),
            offset: r.u32(s, 16),
            size: r.u32(s, 20),
          };
    });
    const strtab = raw[shstrndx];
    let names: Buffer = Buffer.alloc(0);
    if (strtab && strtab.type !== SHT_NOBITS && strtab.size <= MAX_SHSTRTAB)
      names = await readExactly(source, strtab.offset, strtab.size, () =>
        corrupt('section names lie past end of file'),
      );
    for (const s of raw) {
      const end = names.indexOf(0, s.nameAt);
      const name =
        s.nameAt < names.length ? names.toString('latin1', s.nameAt, end < 0 ? names.length : end) : '';
      sections.push({ name, type: s.type, addr: s.addr, offset: s.offset, size: s.size });
    }
  }
  return { bits, littleEndian, sections, segments };
}

export function findSection(elf: Elf, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name && s.type !== SHT_NOBITS);
}

/** The file offset holding `length` bytes at virtual address `addr`, if a loaded segment has them. */
export function addressToOffset(elf: Elf, addr: number, length: number): number | undefined {
  for (const p of elf.segments) {
    if (p.type === PT_LOAD && addr >= p.vaddr && addr + length <= p.vaddr + p.filesz)
      return p.offset + (addr - p.vaddr);
  }
  return undefined;
}

interface FieldReader {
  u16(buf: Buffer, at: number): number;
  u32(buf: Buffer, at: number): number;
  /** An address or offset: 4 or 8 bytes by class. */
  word(buf: Buffer, at: number): number;
}

function fieldReader(littleEndian: boolean, bits: 32 | 64, corrupt: (problem: string) => Error): FieldReader {
  const u16 = (b: Buffer, at: number) => (littleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u64 = (b: Buffer, at: number) => {
    const v = littleEndian ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('offset or address beyond 2^53');
    return Number(v);
  };
  return { u16, u32, word: bits === 64 ? u64 : u32 };
}
