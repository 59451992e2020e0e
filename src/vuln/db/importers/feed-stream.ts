import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { inputError } from '../../../util/errors.js';

/** No feed inflates beyond this; a gzip that does is refused as a bomb. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024 * 1024;

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of a feed file, gunzipped when it is gzip (downloads may be stored compressed).
 * Corrupt or truncated gzip data, and output past MAX_INFLATED_BYTES, end the stream with a
 * UserError naming the file.
 */
export async function* feedBytes(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const gz = await isGzip(path);
  const stream: Readable = gz ? file.pipe(createGunzip()) : file;
  if (gz) file.on('error', (err) => stream.destroy(err));
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > MAX_INFLATED_BYTES)
        throw inputError(path, `inflates to more than ${MAX_INFLATED_BYTES} bytes`);
      yield chunk as Buffer;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED')
      throw inputError(path, `corrupt or truncated gzip data (${(err as Error).message})`, err);
    throw err;
  } finally {
    file.destroy();
    stream.destroy();
  }
}
