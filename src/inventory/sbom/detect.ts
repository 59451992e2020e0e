import { type FileHandle, open, stat } from 'node:fs/promises';

/**
 * Is this file an SBOM, and which kind? Told by content, not by name: the first and last
 * 64 KiB are searched for what each format must contain (JSON writers put the format key
 * first or, when they sort keys, often last). Other JSON is `json`: only parsing the whole
 * document can tell (image archives are never JSON). Formats Ringfence cannot read are
 * recognised too, so the user hears why instead of "not an image archive".
 */

export type SbomKind =
  | 'cyclonedx-json'
  | 'spdx-json'
  | 'json'
  | 'cyclonedx-xml'
  | 'spdx-tag-value'
  | 'spdx3-json';

const WINDOW = 64 * 1024;

const JSON_MARKERS: [RegExp, SbomKind][] = [
  [/"bomFormat"\s*:\s*"CycloneDX"/, 'cyclonedx-json'],
  [/"spdxVersion"\s*:\s*"SPDX-2\.\d+"/, 'spdx-json'],
  [/"@context"\s*:\s*"https:\/\/spdx\.org\/rdf\/3\./, 'spdx3-json'],
];

/** The SBOM kind of the file's content, or undefined when it is not one (or not a readable regular file). */
export async function sniffSbomFile(path: string): Promise<SbomKind | undefined> {
  // stat first: opening a FIFO or a device to read would block or consume it.
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = await readAt(handle, 0, Math.min(WINDOW, st.size));
    const tail = st.size > WINDOW ? await readAt(handle, st.size - WINDOW, WINDOW) : '';
    return sniffSbom(head, tail);
  } finally {
    await handle.close();
  }
}

export function sniffSbom(head: string, tail = ''): SbomKind | undefined {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) {
    for (const [marker, kind] of JSON_MARKERS) if (marker.test(start) || marker.test(tail)) return kind;
    return 'json';
  }
  if (start.startsWith('<') && /<bom\b[^>]*\bxmlns="http:\/\/cyclonedx\.org\/schema\/bom\//.test(start))
    return 'cyclonedx-xml';
  if (/^SPDXVersion:\s*SPDX-2/m.test(start.slice(0, 4096))) return 'spdx-tag-value';
  return undefined;
}

async function readAt(
  handle: Awaited<ReturnType<typeof open>>,
  position: number,
  length: number,
): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead).toString('utf8');
}
