import { inflateSync } from 'node:zlib';
import { type Elf, findSection } from '../../../util/elf.js';
import { inputError } from '../../../util/errors.js';
import { type RandomAccessSource, readExactly } from '../../../util/random-access.js';
import { isRecord, stringOf } from '../untrusted.js';

/**
 * The dependency list cargo-auditable embeds in Rust binaries: an ELF section `.dep-v0` holding
 * zlib-compressed JSON, `{"packages":[{"name","version","source","kind"?,"root"?,
 * "dependencies"?}]}` (schema: rustsec.org/schemas/cargo-auditable.json). `kind` is "build"
 * for build scripts and proc-macros, which run at compile time and are not in the binary.
 */

const AUDIT_SECTION = '.dep-v0';

interface AuditedCrate {
  name: string;
  version: string;
  /** "crates.io", "registry", "git", "local", or another source's name. */
  source: string;
  buildOnly: boolean;
  root: boolean;
}

const MAX_COMPRESSED = 8 * 1024 * 1024;
const MAX_JSON = 64 * 1024 * 1024;

/** The section's decompressed JSON, or undefined when the binary was not built with cargo-auditable. */
export async function readAuditData(source: RandomAccessSource, elf: Elf, label: string): Promise<unknown> {
  const section = findSection(elf, AUDIT_SECTION);
  if (!section) return undefined;
  const corrupt = (problem: string) => inputError(label, `corrupt ${AUDIT_SECTION} audit data: ${problem}`);
  if (section.size > MAX_COMPRESSED) throw corrupt(`${section.size} bytes, more than ${MAX_COMPRESSED}`);
  const compressed = await readExactly(source, section.offset, section.size, () => corrupt('truncated'));
  let json: Buffer;
  try {
    json = inflateSync(compressed, { maxOutputLength: MAX_JSON });
  } catch (err) {
    throw corrupt(err instanceof RangeError ? `inflates to more than ${MAX_JSON} bytes` : 'not zlib data');
  }
  try {
    return JSON.parse(json.toString('utf8'));
  } catch {
    throw corrupt('not JSON');
  }
}

/** The crates the JSON lists; entries without a name or version are counted as skipped. */
export function auditedCrates(data: unknown): { crates: AuditedCrate[]; skipped: number } {
  const list = isRecord(data) && Array.isArray(data.packages) ? data.packages : [];
  const crates: AuditedCrate[] = [];
  let skipped = 0;
  for (const p of list) {
    const name = isRecord(p) ? stringOf(p.name) : undefined;
    const version = isRecord(p) ? stringOf(p.version) : undefined;
    if (!isRecord(p) || !name || !version) {
      skipped++;
      continue;
    }
    crates.push({
      name,
      version,
      source: sourceName(p.source),
      buildOnly: p.kind === 'build',
      root: p.root === true,
    });
  }
  return { crates, skipped };
}

function sourceName(source: unknown): string {
  if (isRecord(source)) return stringOf(source.Other) ?? 'other';
  return stringOf(source) ?? 'unknown';
}
