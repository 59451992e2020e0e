import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inputError } from './errors.js';

/**
 * Writes a finished document to `--output FILE` or stdout. A file is written beside its
 * final name and renamed into place, so a failed run never leaves a partial output file.
 */
export async function writeResult(text: string, outputFile?: string): Promise<void> {
  if (!outputFile) {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(text, (err) =>
        err && (err as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(err) : resolve(),
      ),
    );
    return;
  }
  const tmp = join(dirname(outputFile), `.${basename(outputFile)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, outputFile);
  } catch (err) {
    await rm(tmp, { force: true });
    throw inputError(outputFile, `cannot write output (${(err as NodeJS.ErrnoException).code ?? err})`, err);
  }
}
