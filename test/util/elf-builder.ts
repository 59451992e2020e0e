/**
 * Builds small ELF files for tests, from the System V ABI layout: an ELF header, one PT_LOAD
 * segment (read-write, not executable) mapping every section at BASE + file offset, the
 * sections 16-byte aligned, `.shstrtab`, and the section header table (omitted when
 * `stripSectionHeaders`, as sstrip does). Sections are laid out in order, so a test can
 * compute addresses with `sectionAddress` before filling in pointers.
 */

export const BASE = 0x400000;

interface ElfSpec {
  bits: 32 | 64;
  littleEndian: boolean;
  sections: { name: string; data: Buffer }[];
  stripSectionHeaders?: boolean;
}

const align16 = (n: number) => (n + 15) & ~15;

function headerSizes(bits: 32 | 64) {
  return bits === 64 ? { eh: 64, ph: 56, sh: 64 } : { eh: 52, ph: 32, sh: 40 };
}

/** Address of section `index` given the sizes of the sections before it. */
export function sectionAddress(bits: 32 | 64, sizesBefore: number[]): number {
  const { eh, ph } = headerSizes(bits);
  let offset = align16(eh + ph);
  for (const size of sizesBefore) offset = align16(offset + size);
  return BASE + offset;
}

export function buildElf(spec: ElfSpec): Buffer {
  const { bits, littleEndian: le } = spec;
  const { eh, ph, sh } = headerSizes(bits);
  const names = ['', ...spec.sections.map((s) => s.name), '.shstrtab'];
  const nameOffsets: number[] = [];
  let strtab = Buffer.alloc(0);
  for (const n of names) {
    nameOffsets.push(strtab.length);
    strtab = Buffer.concat([strtab, Buffer.from(`${n}\0`, 'latin1')]);
  }
  const offsets: number[] = [];
  let pos = align16(eh + ph);
  for (const s of spec.sections) {
    offsets.push(pos);
    pos = align16(pos + s.data.length);
  }
  const dataEnd = pos;
  const strtabAt = dataEnd;
  const shoff = align16(strtabAt + strtab.length);
  const sectionCount = spec.sections.length + 2;
  const file = Buffer.alloc(spec.stripSectionHeaders ? strtabAt : shoff + sectionCount * sh);

  const w16 = (v: number, at: number) => (le ? file.writeUInt16LE(v, at) : file.writeUInt16BE(v, at));
  const w32 = (v: number, at: number) => (le ? file.writeUInt32LE(v, at) : file.writeUInt32BE(v, at));
  const wWord = (v: number, at: number) => {
    if (bits === 32) w32(v, at);
    else if (le) file.writeBigUInt64LE(BigInt(v), at);
    else file.writeBigUInt64BE(BigInt(v), at);
  };

  file.write('\x7fELF', 0, 'latin1');
  file[4] = bits === 64 ? 2 : 1;
  file[5] = le ? 1 : 2;
  file[6] = 1;
  w16(2, 16); // ET_EXEC
  w16(bits === 64 ? 62 : 3, 18);
  w32(1, 20);
  const f = bits === 64 ? { ph: 32, sh: 40, rest: 48 } : { ph: 28, sh: 32, rest: 36 };
  wWord(eh, f.ph);
  wWord(spec.stripSectionHeaders ? 0 : shoff, f.sh);
  w16(eh, f.rest + 4);
  w16(ph, f.rest + 6);
  w16(1, f.rest + 8);
  w16(sh, f.rest + 10);
  w16(spec.stripSectionHeaders ? 0 : sectionCount, f.rest + 12);
  w16(spec.stripSectionHeaders ? 0 : sectionCount - 1, f.rest + 14);

  // One PT_LOAD, R+W, covering the headers and all section data.
  if (bits === 64) {
    w32(1, eh);
    w32(6, eh + 4);
    wWord(0, eh + 8);
    wWord(BASE, eh + 16);
    wWord(BASE, eh + 24);
    wWord(dataEnd, eh + 32);
    wWord(dataEnd, eh + 40);
    wWord(0x1000, eh + 48);
  } else {
    w32(1, eh);
    w32(0, eh + 4);
    w32(BASE, eh + 8);
    w32(BASE, eh + 12);
    w32(dataEnd, eh + 16);
    w32(dataEnd, eh + 20);
    w32(6, eh + 24);
    w32(0x1000, eh + 28);
  }
  spec.sections.forEach((s, i) => {
    s.data.copy(file, offsets[i]);
  });
  if (spec.stripSectionHeaders) return file;
  strtab.copy(file, strtabAt);

  const section = (i: number, type: number, addr: number, offset: number, size: number) => {
    const at = shoff + i * sh;
    w32(nameOffsets[i] as number, at);
    w32(type, at + 4);
    if (bits === 64) {
      wWord(addr, at + 16);
      wWord(offset, at + 24);
      wWord(size, at + 32);
    } else {
      w32(addr, at + 12);
      w32(offset, at + 16);
      w32(size, at + 20);
    }
  };
  spec.sections.forEach((s, i) => {
    section(i + 1, 1, BASE + (offsets[i] as number), offsets[i] as number, s.data.length);
  });
  section(sectionCount - 1, 3, 0, strtabAt, strtab.length);
  return file;
}
