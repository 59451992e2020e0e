import { addressToOffset, type Elf, findSection, PF_W, PF_X, PT_LOAD } from '../../../util/elf.js';
import { inputError } from '../../../util/errors.js';
import { type RandomAccessSource, readExactly } from '../../../util/random-access.js';

/**
 * The build info the Go linker embeds in every binary since Go 1.13: the Go version and the
 * module information that `go version -m` prints. Found in the `.go.buildinfo` section, or,
 * when section headers are stripped, by scanning the writable data segments for its magic.
 * Two layouts: before Go 1.18 the header holds pointers to Go string headers; since 1.18 the
 * strings follow the header inline, each prefixed by a uvarint length.
 */

interface GoBuildInfo {
  /** As embedded: "go1.21.4", "go1.22.0 X:boringcrypto", "devel go1.23-abc...". */
  goVersion: string;
  /** The text `go version -m` prints, sentinels removed; empty when built without modules. */
  modinfo: string;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const ALIGN = 16;
const FLAG_BIG_ENDIAN = 0x1;
const FLAG_INLINE = 0x2;
/** Scanning stripped binaries reads at most this much of the data segments. */
const SCAN_LIMIT = 64 * 1024 * 1024;
const SCAN_CHUNK = 1024 * 1024;
const MAX_STRING = 16 * 1024 * 1024;
/** The modinfo string is wrapped in 16-byte sentinels so the linker can find it. */
const SENTINEL = 16;

/** Build info of a Go ELF binary (headers from readElf); undefined when it has none (not a Go program). */
export async function readGoBuildInfo(
  source: RandomAccessSource,
  elf: Elf,
  label: string,
): Promise<GoBuildInfo | undefined> {
  const at = await findHeader(source, elf);
  if (at === undefined) return undefined;
  const corrupt = (problem: string) => inputError(label, `corrupt Go build info: ${problem}`);
  const header = await readExactly(source, at, HEADER_SIZE, () => corrupt('truncated header'));
  const ptrSize = header[14] as number;
  const flags = header[15] as number;
  let version: Buffer;
  let modinfo: Buffer;
  if (flags & FLAG_INLINE) {
    const first = await readVarString(source, at + HEADER_SIZE, corrupt);
    version = first.value;
    modinfo = (await readVarString(source, first.end, corrupt)).value;
  } else {
    if (ptrSize !== 4 && ptrSize !== 8) throw corrupt(`pointer size ${ptrSize}`);
    const bigEndian = (flags & FLAG_BIG_ENDIAN) !== 0;
    const pointer = pointerReader(ptrSize as 4 | 8, bigEndian, corrupt);
    const readString = async (addr: number): Promise<Buffer> => {
      const headerAt = addressToOffset(elf, addr, 2 * ptrSize);
      if (headerAt === undefined) throw corrupt('string header outside the loaded segments');
      const h = await readExactly(source, headerAt, 2 * ptrSize, () => corrupt('truncated string header'));
      const data = pointer(h, 0);
      const length = pointer(h, ptrSize);
      if (length > MAX_STRING) throw corrupt(`string of ${length} bytes`);
      if (length === 0) return Buffer.alloc(0);
      const dataAt = addressToOffset(elf, data, length);
      if (dataAt === undefined) throw corrupt('string outside the loaded segments');
      return readExactly(source, dataAt, length, () => corrupt('truncated string'));
    };
    version = await readString(pointer(header, 16));
    modinfo = await readString(pointer(header, 16 + ptrSize));
  }
  const goVersion = version.toString('utf8');
  if (!/^(go\d|devel )/.test(goVersion))
    throw corrupt(`${JSON.stringify(goVersion.slice(0, 40))} is not a Go version`);
  return { goVersion, modinfo: stripSentinels(modinfo).toString('utf8') };
}

function stripSentinels(mod: Buffer): Buffer {
  if (mod.length >= 2 * SENTINEL + 1 && mod[mod.length - SENTINEL - 1] === 0x0a)
    return mod.subarray(SENTINEL, mod.length - SENTINEL);
  return Buffer.alloc(0);
}

/** File offset of the build-info header, or undefined when there is none. */
async function findHeader(source: RandomAccessSource, elf: Elf): Promise<number | undefined> {
  const section = findSection(elf, '.go.buildinfo');
  const regions = section
    ? [{ offset: section.offset, size: section.size }]
    : elf.segments
        .filter((p) => p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W)
        .map((p) => ({ offset: p.offset, size: p.filesz }));
  let budget = SCAN_LIMIT;
  for (const region of regions) {
    for (let pos = 0; pos < region.size && budget > 0; pos += SCAN_CHUNK) {
      const length = Math.min(SCAN_CHUNK, region.size - pos, budget);
      budget -= length;
      const chunk = await source.readAt(region.offset + pos, length);
      for (let i = chunk.indexOf(MAGIC); i >= 0; i = chunk.indexOf(MAGIC, i + 1))
        if ((pos + i) % ALIGN === 0) return region.offset + pos + i;
      if (chunk.length < length) break;
    }
  }
  return undefined;
}

async function readVarString(
  source: RandomAccessSource,
  at: number,
  corrupt: (problem: string) => Error,
): Promise<{ value: Buffer; end: number }> {
  const head = await source.readAt(at, 10);
  let length = 0;
  let i = 0;
  for (let shift = 1; ; shift *= 128, i++) {
    const b = head[i];
    if (b === undefined) throw corrupt('truncated length');
    length += (b & 0x7f) * shift;
    if (b < 0x80) break;
  }
  if (length > MAX_STRING) throw corrupt(`string of ${length} bytes`);
  const value = await readExactly(source, at + i + 1, length, () => corrupt('truncated string'));
  return { value, end: at + i + 1 + length };
}

function pointerReader(
  size: 4 | 8,
  bigEndian: boolean,
  corrupt: (problem: string) => Error,
): (buf: Buffer, at: number) => number {
  if (size === 4) return (b, at) => (bigEndian ? b.readUInt32BE(at) : b.readUInt32LE(at));
  return (b, at) => {
    const v = bigEndian ? b.readBigUInt64BE(at) : b.readBigUInt64LE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('pointer beyond 2^53');
    return Number(v);
  };
}
