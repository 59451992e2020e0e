import { FormatError } from '../format-error.js';

/** PAX extended header records: "<len> <key>=<value>\n", where len counts the whole record. */
export function parsePax(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === 0) break; // some writers pad the block with NULs
    let len = 0;
    let i = pos;
    while (i < body.length && body[i]! >= 0x30 && body[i]! <= 0x39 && i - pos < 12)
      len = len * 10 + body[i++]! - 0x30;
    if (i === pos || body[i] !== 0x20 || len <= i - pos + 1 || pos + len > body.length)
      throw new FormatError(`malformed PAX record at byte ${pos} of an extended header`);
    const end = pos + len;
    if (body[end - 1] !== 0x0a)
      throw new FormatError(`malformed PAX record at byte ${pos} of an extended header`);
    const eq = body.indexOf(0x3d, i + 1);
    if (eq < 0 || eq >= end - 1)
      throw new FormatError(`malformed PAX record at byte ${pos} of an extended header`);
    records.set(body.toString('utf8', i + 1, eq), body.toString('utf8', eq + 1, end - 1));
    pos = end;
  }
  return records;
}

/** A PAX size value: decimal digits only, within what a JavaScript number holds exactly. */
export function paxSize(value: string): number {
  if (!/^\d{1,16}$/.test(value) || Number(value) > Number.MAX_SAFE_INTEGER)
    throw new FormatError(`PAX size "${value.slice(0, 40)}" is not a valid size`);
  return Number(value);
}

/** GNU sparse formats 0.x and 1.0 announce themselves through PAX keys. */
export function isPaxSparse(records: Map<string, string>): boolean {
  for (const key of records.keys()) if (key.startsWith('GNU.sparse.')) return true;
  return false;
}
