import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../../util/log.js';
import type { RegistryClient } from './client.js';
import { RegistryError } from './errors.js';
import { networkError } from './http.js';

/**
 * A blob's bytes straight from the HTTP response, never buffered whole. When the connection
 * drops mid-blob, the download resumes where it stopped (a Range request, or skipping what was
 * already passed on when the server ignores Range), with backoff, a few times.
 */
export async function* blobStream(
  client: RegistryClient,
  repository: string,
  digest: string,
): AsyncGenerator<Buffer> {
  let offset = 0;
  for (let failures = 0; ; ) {
    const res = await client.blob(repository, digest, offset);
    if (res.status === 206) checkContentRange(res.headers['content-range'], offset, digest);
    let skip = res.status === 200 ? offset : 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          continue;
        }
        const fresh = skip > 0 ? chunk.subarray(skip) : chunk;
        skip = 0;
        offset += fresh.length;
        yield fresh;
      }
      if (skip > 0)
        throw new RegistryError(`blob ${digest} ended before the ${offset} bytes already read`, 'protocol');
      return;
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      const problem = networkError(err as NodeJS.ErrnoException);
      failures++;
      if (!problem.transient || failures >= client.http.attempts)
        throw new RegistryError(
          `blob ${digest}: the connection failed after ${offset} bytes (${problem.message})`,
          'unreachable',
        );
      log.debug(`blob ${digest}: ${problem.message} after ${offset} bytes; resuming`);
      await sleep(client.http.backoff(failures));
    } finally {
      res.body.destroy();
    }
  }
}

function checkContentRange(header: string | undefined, offset: number, digest: string): void {
  const start = /^bytes (\d+)-/.exec(header ?? '')?.[1];
  if (start === undefined || Number(start) !== offset)
    throw new RegistryError(
      `blob ${digest}: asked for bytes from ${offset}, the registry sent ${header ?? 'no Content-Range'}`,
      'protocol',
    );
}
