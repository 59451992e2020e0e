import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** Date.now() when the request's body had arrived. */
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How to answer one request: a status, a status with headers and body, a dropped connection, or never. */
export type Answer =
  | number
  | { status: number; headers?: Record<string, string>; body?: string }
  | 'reset'
  | 'hang';

/** A real HTTP server on 127.0.0.1 that records requests and answers them as scripted (then 200). */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly script: Answer[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    let receiver: Receiver | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => receiver!.answer(req, res, body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  /** Answers for the next requests, in order. */
  will(...answers: Answer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** Resolves when `n` requests have arrived. */
  async waitFor(n: number, timeoutMs = 30_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < n) {
      if (Date.now() > deadline) throw new Error(`${this.requests.length} requests arrived, waited for ${n}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.requests;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private answer(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    body: string,
  ) {
    this.requests.push({ at: Date.now(), method: req.method!, path: req.url!, headers: req.headers, body });
    const a = this.script.shift() ?? 200;
    if (a === 'hang') return;
    if (a === 'reset') {
      req.socket.destroy();
      return;
    }
    const { status, headers = {}, body: text = '' } = typeof a === 'number' ? { status: a } : a;
    res.writeHead(status, headers).end(text);
  }
}

/** A port on 127.0.0.1 where nothing listens (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
