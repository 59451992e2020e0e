import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What came back from one POST; a connection failure or timeout is `status: 0` with the error's code. */
export interface PostResult {
  status: number;
  /** The Retry-After header, as sent. */
  retryAfter?: string;
  /** The start of the response body, or the network error, for the log. */
  detail: string;
}

const DETAIL_BYTES = 200;

/** POSTs to one URL over a kept-alive connection. */
export class Poster {
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;

  constructor(
    private readonly url: URL,
    private readonly timeoutMs: number,
  ) {
    const tls = url.protocol === 'https:';
    this.agent = tls
      ? new HttpsAgent({ keepAlive: true, maxSockets: 1 })
      : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    this.request = tls ? httpsRequest : httpRequest;
  }

  post(body: string, headers: Record<string, string>, signal: AbortSignal): Promise<PostResult> {
    return new Promise((resolve) => {
      let req: ReturnType<typeof httpRequest>;
      try {
        req = this.request(this.url, {
          method: 'POST',
          agent: this.agent,
          signal,
          timeout: this.timeoutMs,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        });
      } catch (err) {
        resolve({ status: 0, detail: (err as NodeJS.ErrnoException).code ?? String(err) });
        return;
      }
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) =>
        resolve({ status: 0, detail: err.code ?? err.message }),
      );
      req.on('response', (res) => {
        let detail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (detail.length < DETAIL_BYTES) detail += chunk.slice(0, DETAIL_BYTES - detail.length);
        });
        const done = (): void => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            detail: detail.trim(),
            ...(retryAfter ? { retryAfter } : {}),
          });
        };
        res.on('end', done);
        res.on('error', done);
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
