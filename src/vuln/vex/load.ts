import { readFile, stat } from 'node:fs/promises';
import { inputError } from '../../util/errors.js';
import { parseOpenVex, type VexDocument } from './openvex.js';

/** Far beyond any real VEX document; keeps a wrong file (an image tar) out of memory. */
const MAX_VEX_BYTES = 64 * 1024 * 1024;

/** Reads every `--vex FILE`; any unreadable or invalid file is a one-line UserError. */
export async function loadVexFiles(paths: readonly string[]): Promise<VexDocument> {
  const merged: VexDocument = { statements: [], warnings: [] };
  for (const path of paths) {
    let text: string;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw inputError(path, 'not a regular file');
      if (st.size > MAX_VEX_BYTES) throw inputError(path, `${st.size} bytes is too large for a VEX document`);
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code) throw inputError(path, `cannot read the VEX file (${code})`, err);
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw inputError(path, `invalid JSON (${(err as Error).message})`, err);
    }
    const doc = parseOpenVex(json, path, merged.statements.length);
    merged.statements.push(...doc.statements);
    merged.warnings.push(...doc.warnings);
  }
  return merged;
}
