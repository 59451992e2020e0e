import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../../util/errors.js';
import { fileSource, ZipArchive } from '../../../util/zip.js';
import type { SourceWriter } from '../builder.js';
import { JsonSyntaxError, streamJsonValues } from '../json-stream.js';
import { type OsvOptions, parseOsvRecord } from './osv.js';

/** One OSV record is a few kilobytes; anything this big is not one. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Counts of one OSV import, beyond the writer's records and skipped. */
interface OsvImportStats {
  withdrawn: number;
}

/**
 * Imports OSV records from a file (one record, or a JSON array of them), a directory tree of
 * *.json files, or a zip of them (osv.dev's per-ecosystem all.zip). Invalid records are
 * skipped with a warning naming the file and the problem; an unreadable container (corrupt
 * zip, truncated download) aborts the import with a UserError.
 */
export async function importOsvPath(
  writer: SourceWriter,
  path: string,
  kind: 'file' | 'directory' | 'zip',
  options: OsvOptions = {},
): Promise<OsvImportStats> {
  const stats: OsvImportStats = { withdrawn: 0 };
  const add = (origin: string, text: string | Buffer) => {
    let json: unknown;
    try {
      json = JSON.parse(text.toString());
    } catch (err) {
      writer.warn(`${origin}: invalid JSON (${(err as Error).message})`);
      return;
    }
    addRecord(writer, origin, json, options, stats);
  };
  if (kind === 'directory') {
    // Synchronous reads: thousands of small files go several times faster than through the thread pool.
    for (const file of jsonFiles(path)) {
      const size = statSync(file).size;
      if (size > MAX_RECORD_BYTES) writer.warn(`${file}: ${size} bytes is too big for an OSV record`);
      else add(file, readFileSync(file));
    }
  } else if (kind === 'zip') {
    const source = await fileSource(path);
    try {
      const zip = await ZipArchive.open(source, { name: path });
      for await (const entry of zip.entries()) {
        if (entry.isDirectory || !entry.name.endsWith('.json')) continue;
        const label = zip.entryLabel(entry);
        if (entry.uncompressedSize > MAX_RECORD_BYTES) writer.warn(`${label}: too big for an OSV record`);
        else add(label, await zip.read(entry));
      }
    } finally {
      await source.close();
    }
  } else if (await startsWithArray(path)) {
    try {
      for await (const { path: at, value } of streamJsonValues(createReadStream(path), {
        depth: 1,
        maxValueChars: MAX_RECORD_BYTES,
      }))
        addRecord(writer, `${path}[${at[0]}]`, value, options, stats);
    } catch (err) {
      if (err instanceof JsonSyntaxError) throw inputError(path, `invalid JSON: ${err.message}`, err);
      throw err;
    }
  } else {
    const size = (await stat(path)).size;
    if (size > MAX_RECORD_BYTES) throw inputError(path, `${size} bytes is too big for an OSV record`);
    add(path, await readFile(path));
  }
  return stats;
}

function addRecord(
  writer: SourceWriter,
  origin: string,
  json: unknown,
  options: OsvOptions,
  stats: OsvImportStats,
) {
  const result = parseOsvRecord(json, options);
  if (result.kind === 'withdrawn') stats.withdrawn++;
  else if (result.kind === 'invalid')
    writer.warn(`${origin}: ${result.id ? `record ${result.id}: ` : ''}${result.problem}`);
  else {
    for (const note of result.notes) writer.note(`${origin}: record ${result.advisory.id}: ${note}`);
    writer.addAdvisory(result.advisory, origin);
  }
}

/** Every *.json file under `dir`, in a stable order. */
function* jsonFiles(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) yield* jsonFiles(full);
    else if (e.isFile() && e.name.endsWith('.json')) yield full;
  }
}

async function startsWithArray(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString()
      .trimStart()
      .replace(/^\uFEFF/, '')
      .startsWith('[');
  } finally {
    await handle.close();
  }
}
