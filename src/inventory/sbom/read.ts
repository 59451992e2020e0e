import { readFile, stat } from 'node:fs/promises';
import type { Inventory } from '../../types.js';
import { errorMessage, inputError, UserError } from '../../util/errors.js';
import { readCycloneDx } from './cyclonedx/read.js';
import type { SbomKind } from './detect.js';
import { asObject, field, type JsonObject } from './json.js';
import { readSpdx } from './spdx/read.js';

/**
 * An SBOM file → Inventory, the scan source for `ringfence sbom|image|fs FILE`. The file is
 * parsed whole, so its size is capped: 256 MiB is some 250,000 packages in Ringfence's
 * CycloneDX, 130,000 in its SPDX, fewer in Syft's richer documents, and takes about 5× its
 * size in memory to read. Every problem is one line naming the file.
 */

export const MAX_SBOM_BYTES = 256 * 1024 * 1024;

const UNSUPPORTED: Partial<Record<SbomKind, string>> = {
  'cyclonedx-xml': 'CycloneDX XML is not supported; give the SBOM as CycloneDX JSON',
  'spdx-tag-value': 'SPDX tag-value is not supported; give the SBOM as SPDX 2.x JSON',
  'spdx3-json': 'SPDX 3 is not supported; give the SBOM as SPDX 2.x JSON or CycloneDX JSON',
};

export async function readSbomFile(path: string, ref: string, kind: SbomKind): Promise<Inventory> {
  refuseUnsupported(kind, ref);
  return readSbomText(await readBounded(path, ref), ref, kind);
}

/** An SBOM's text → Inventory; `ref` names it in the inventory and in errors. */
export function readSbomText(text: string, ref: string, kind: SbomKind): Inventory {
  refuseUnsupported(kind, ref);
  const doc = asObject(parseJson(text, ref));
  if (!doc) throw inputError(ref, 'not a JSON object');
  const format = kind === 'json' ? formatOf(doc) : kind;
  if (!format)
    throw inputError(
      ref,
      'JSON, but not a CycloneDX or SPDX 2 document (no "bomFormat": "CycloneDX" or "spdxVersion": "SPDX-2.x")',
    );
  return format === 'cyclonedx-json' ? readCycloneDx(doc, ref) : readSpdx(doc, ref);
}

function formatOf(doc: JsonObject): 'cyclonedx-json' | 'spdx-json' | undefined {
  if (field(doc, 'bomFormat') === 'CycloneDX') return 'cyclonedx-json';
  const version = field(doc, 'spdxVersion');
  return typeof version === 'string' && version.startsWith('SPDX-2.') ? 'spdx-json' : undefined;
}

function refuseUnsupported(kind: SbomKind, ref: string): void {
  const unsupported = UNSUPPORTED[kind];
  if (unsupported) throw inputError(ref, unsupported);
}

async function readBounded(path: string, ref: string): Promise<string> {
  try {
    const { size } = await stat(path);
    if (size > MAX_SBOM_BYTES)
      throw inputError(
        ref,
        `${size} bytes: larger than ${MAX_SBOM_BYTES / 1024 / 1024} MiB, the most an SBOM may be`,
      );
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw inputError(ref, `cannot read (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`, err);
  }
}

function parseJson(text: string, ref: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw inputError(ref, `not valid JSON (${errorMessage(err).split('\n')[0]})`, err);
  }
}
