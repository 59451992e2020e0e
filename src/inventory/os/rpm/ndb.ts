import type { RandomAccessSource } from '../../../util/random-access.js';
import { CorruptDbError } from '../read.js';

/**
 * Header blobs of an rpm NDB package database (`Packages.db`, SUSE's default): a 32-byte
 * header ("RpmP", version 0, generation, number of slot pages), slot pages of 16-byte slots
 * ("Slot", package index, block offset, block count; 16-byte blocks), and blobs framed by
 * "BlbS" + index + timestamp + length ... adler32 + length + "BlbE". All little-endian.
 */

const DB_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_HEAD_MAGIC = 0x53626c42; // "BlbS"
const BLOB_TAIL_MAGIC = 0x45626c42; // "BlbE"
const PAGE = 4096;
const SLOT = 16;
const BLOCK = 16;
const HEADER_SLOTS = 2;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;

export function adler32(data: Buffer, start = 1): number {
  let a = start & 0xffff;
  let b = (start >>> 16) & 0xffff;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

interface Slot {
  pkgIdx: number;
  blkOff: number;
  blkCnt: number;
}

async function readSlots(file: RandomAccessSource, warn: (msg: string) => void): Promise<Slot[]> {
  const head = await file.readAt(0, 32);
  if (head.length < 32 || head.readUInt32LE(0) !== DB_MAGIC)
    throw new CorruptDbError('not an rpm NDB database');
  const version = head.readUInt32LE(4);
  if (version !== 0) throw new CorruptDbError(`unsupported NDB version ${version}`);
  const slotPages = head.readUInt32LE(12);
  if (slotPages === 0 || slotPages * PAGE > file.size)
    throw new CorruptDbError(`header claims ${slotPages} slot pages in a ${file.size}-byte file`);
  const fileBlocks = Math.floor(file.size / BLOCK);
  const firstDataBlock = (slotPages * PAGE) / BLOCK;
  const slots: Slot[] = [];
  for (let p = 0; p < slotPages; p++) {
    const page = await file.readAt(p * PAGE, PAGE);
    for (let s = p === 0 ? HEADER_SLOTS : 0; s < PAGE / SLOT; s++) {
      const at = s * SLOT;
      if (page.readUInt32LE(at) !== SLOT_MAGIC)
        throw new CorruptDbError(`slot ${p * (PAGE / SLOT) + s} is corrupt`);
      const slot = {
        pkgIdx: page.readUInt32LE(at + 4),
        blkOff: page.readUInt32LE(at + 8),
        blkCnt: page.readUInt32LE(at + 12),
      };
      if (slot.blkOff === 0) continue;
      if (
        slot.pkgIdx === 0 ||
        slot.blkCnt === 0 ||
        slot.blkOff < firstDataBlock ||
        slot.blkOff + slot.blkCnt > fileBlocks
      ) {
        warn(
          `slot for package ${slot.pkgIdx} points outside the data (block ${slot.blkOff}+${slot.blkCnt}); skipped`,
        );
        continue;
      }
      slots.push(slot);
    }
  }
  return slots.sort((a, b) => a.blkOff - b.blkOff);
}

async function readBlob(file: RandomAccessSource, slot: Slot, maxBlob: number): Promise<Buffer> {
  const size = slot.blkCnt * BLOCK;
  if (size > maxBlob + BLOB_HEAD + BLOB_TAIL + BLOCK) throw new CorruptDbError(`blob of ${size} bytes`);
  const raw = await file.readAt(slot.blkOff * BLOCK, size);
  if (raw.length !== size) throw new CorruptDbError('blob is truncated');
  if (raw.readUInt32LE(0) !== BLOB_HEAD_MAGIC || raw.readUInt32LE(4) !== slot.pkgIdx)
    throw new CorruptDbError('blob header does not match its slot');
  const length = raw.readUInt32LE(12);
  if (Math.ceil((BLOB_HEAD + length + BLOB_TAIL) / BLOCK) !== slot.blkCnt)
    throw new CorruptDbError(`blob length ${length} does not fit its ${slot.blkCnt} blocks`);
  const tail = size - BLOB_TAIL;
  if (raw.readUInt32LE(tail + 4) !== length || raw.readUInt32LE(tail + 8) !== BLOB_TAIL_MAGIC)
    throw new CorruptDbError('blob trailer is corrupt');
  if (raw.readUInt32LE(tail) !== adler32(raw.subarray(0, tail)))
    throw new CorruptDbError('blob checksum mismatch');
  return raw.subarray(BLOB_HEAD, BLOB_HEAD + length);
}

/** Every package blob in block order; a damaged blob goes to `warn` and is skipped. */
export async function* ndbBlobs(
  file: RandomAccessSource,
  warn: (msg: string) => void,
  maxBlob: number,
): AsyncGenerator<Buffer> {
  let end = 0;
  for (const slot of await readSlots(file, warn)) {
    // rpm refuses overlapping slots too; skipping them bounds the reads to one pass over the file.
    if (slot.blkOff < end) {
      warn(`package ${slot.pkgIdx}: its blocks overlap another package's; skipped`);
      continue;
    }
    end = slot.blkOff + slot.blkCnt;
    try {
      yield await readBlob(file, slot, maxBlob);
    } catch (err) {
      if (!(err instanceof CorruptDbError)) throw err;
      warn(`package ${slot.pkgIdx}: ${err.message}; skipped`);
    }
  }
}
