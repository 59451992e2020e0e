import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { inputError } from './errors.js';

/**
 * Writes a document, whole or in pieces, to `--output FILE` or stdout. A file is written
 * beside its final name and renamed into place, so a failed run never leaves a partial output
 * file. Pieces are written as they come, waiting when the stream is full.
 */
export async function writeResult(document: string | Iterable<string>, outputFile?: string): Promise<void> {
  if (!outputFile) {
    await writePieces(process.stdout, document).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
    return;
  }
  const tmp = join(dirname(outputFile), `.${basename(outputFile)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (typeof document === 'string') await writeFile(tmp, document);
    else {
      const file = createWriteStream(tmp);
      await writePieces(file, document);
      await new Promise<void>((resolve, reject) =>
        file.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    }
    await rename(tmp, outputFile);
  } catch (err) {
    await rm(tmp, { force: true });
    throw inputError(outputFile, `cannot write output (${(err as NodeJS.ErrnoException).code ?? err})`, err);
  }
}

async function writePieces(out: Writable, document: string | Iterable<string>): Promise<void> {
  let failure: Error | undefined;
  const onError = (err: Error) => {
    failure = err;
  };
  out.on('error', onError);
  try {
    for (const piece of typeof document === 'string' ? [document] : document) {
      if (failure) throw failure;
      // once() rejects if the stream fails while we wait.
      if (!out.write(piece)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => out.write('', (err) => (err ? reject(err) : resolve())));
    if (failure) throw failure;
  } finally {
    out.off('error', onError);
  }
}
