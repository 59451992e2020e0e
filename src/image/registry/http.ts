import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../../util/log.js';

/**
 * HTTP for registry pulls: keep-alive agents, a timeout on every exchange, redirects followed
 * with the Authorization header kept only for the same origin, retries with backoff for
 * connection resets and 5xx/429 answers, and bounded reads of bodies.
 */

interface HttpRequest {
  method?: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  /** A small body (form data for token requests). */
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  url: URL;
  body: IncomingMessage;
}

export interface HttpClientOptions {
  /** Skip TLS certificate verification for these host[:port]s (--insecure). */
  insecureHosts?: ReadonlySet<string>;
  /** No byte for this long (connecting, waiting for headers or during the body) fails the exchange. */
  timeoutMs?: number;
  /** Attempts for a request that fails transiently (first try included). */
  attempts?: number;
  /** Backoff before the second attempt; doubled after each further one. */
  backoffMs?: number;
}

const MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 10_000;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** A network failure: the message says what happened, never what was sent. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export class HttpClient {
  private readonly plainAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  private readonly tlsAgents = new Map<boolean, HttpsAgent>();
  private readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoffMs: number;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
  }

  /**
   * Sends a request, following redirects and retrying transient failures; resolves once the
   * headers of the final answer arrive (any status). Network failures reject with NetworkError.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.follow(req);
      } catch (err) {
        if (!(err instanceof NetworkError) || !err.transient || attempt >= this.attempts) throw err;
        log.debug(`${req.url.host}: ${err.message}; retrying (${attempt}/${this.attempts - 1})`);
        await sleep(this.backoff(attempt));
        continue;
      }
      if (!RETRY_STATUSES.has(res.status) || attempt >= this.attempts) return res;
      discard(res.body);
      log.debug(`${res.url.host}: HTTP ${res.status}; retrying (${attempt}/${this.attempts - 1})`);
      await sleep(retryAfter(res.headers['retry-after']) ?? this.backoff(attempt));
    }
  }

  /** Backoff before attempt `attempt + 1`, with jitter so parallel clients spread out. */
  backoff(attempt: number): number {
    return this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
  }

  close(): void {
    this.plainAgent.destroy();
    for (const agent of this.tlsAgents.values()) agent.destroy();
  }

  private async follow(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let headers = req.headers ?? {};
    for (let hop = 0; ; hop++) {
      const body = await this.exchange({ ...req, url, headers });
      const status = body.statusCode ?? 0;
      const location = body.headers.location;
      if (![301, 302, 303, 307, 308].includes(status) || !location) {
        return { status, headers: body.headers, url, body };
      }
      discard(body);
      if (hop >= MAX_REDIRECTS)
        throw new NetworkError(`more than ${MAX_REDIRECTS} redirects`, undefined, false);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new NetworkError('redirected to an invalid URL', undefined, false);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw new NetworkError(`redirected to a ${next.protocol} URL`, undefined, false);
      if (next.origin !== url.origin) headers = withoutAuthorization(headers);
      url = next;
    }
  }

  /** One request/response; resolves when the headers arrive. */
  private exchange(req: HttpRequest): Promise<IncomingMessage> {
    const tls = req.url.protocol === 'https:';
    const send = tls ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { 'User-Agent': 'ringfence', ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    return new Promise((resolve, reject) => {
      const r = send(
        req.url,
        {
          method: req.method ?? 'GET',
          headers,
          agent: tls ? this.tlsAgent(!this.options.insecureHosts?.has(req.url.host)) : this.plainAgent,
        },
        (res) => {
          // The same timeout keeps watching the body: a server that stalls mid-blob fails the read.
          res.on('error', () => {});
          resolve(res);
        },
      );
      r.setTimeout(this.timeoutMs, () =>
        r.destroy(Object.assign(new Error(`no data for ${this.timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })),
      );
      r.on('error', (err: NodeJS.ErrnoException) => reject(networkError(err)));
      r.end(req.body);
    });
  }

  private tlsAgent(verify: boolean): HttpsAgent {
    let agent = this.tlsAgents.get(verify);
    if (!agent) {
      agent = new HttpsAgent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: verify });
      this.tlsAgents.set(verify, agent);
    }
    return agent;
  }
}

/** Turns a socket/TLS error into a NetworkError with a short, credential-free message. */
export function networkError(err: NodeJS.ErrnoException): NetworkError {
  if (err instanceof NetworkError) return err;
  const code = err.code;
  const transient =
    (code !== undefined && TRANSIENT_CODES.has(code)) ||
    err.message === 'socket hang up' ||
    err.message === 'aborted';
  return new NetworkError(describeNetworkError(err), code, transient);
}

const PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPROTO: 'TLS handshake failed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed (use --insecure to accept it)',
  SELF_SIGNED_CERT_IN_CHAIN:
    'its TLS certificate chain ends in a self-signed certificate (use --insecure to accept it)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified (use --insecure to accept it)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'its TLS certificate has an unknown issuer (use --insecure to accept it)',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired (use --insecure to accept it)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name (use --insecure to accept it)',
};

function describeNetworkError(err: NodeJS.ErrnoException): string {
  const code = err.code;
  if (code === 'ETIMEDOUT' && err.message.startsWith('no data')) return err.message;
  if (code && PROBLEMS[code])
    return PROBLEMS[code].includes('TLS certificate') ? PROBLEMS[code] : `${PROBLEMS[code]}: ${code}`;
  if (code?.startsWith('ERR_SSL_')) return `TLS handshake failed: ${code}`;
  const line = err.message.split('\n')[0]!.slice(0, 200);
  return code && !line.includes(code) ? `${line}: ${code}` : line;
}

/** Reads a whole body, refusing more than `maxBytes` (a hostile or broken server). */
export async function readBody(res: HttpResponse, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(res.body);
    throw new NetworkError(`${what} is ${declared} bytes (limit ${maxBytes})`, undefined, false);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        res.body.destroy();
        throw new NetworkError(`${what} is larger than ${maxBytes} bytes`, undefined, false);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    throw networkError(err as NodeJS.ErrnoException);
  }
  return Buffer.concat(chunks);
}

/** Drops a body we do not need, without reading more than a little of it. */
function discard(body: IncomingMessage): void {
  body.resume();
  body.once('error', () => {});
  if (!body.complete) setImmediate(() => body.complete || body.destroy());
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
}

function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}
