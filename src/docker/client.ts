import { request as httpRequest, type IncomingMessage } from 'node:http';
import { UserError } from '../util/errors.js';

/**
 * A small Docker Engine API client over the daemon's unix socket (or DOCKER_HOST=unix://…).
 * Shared by the daemon image source, `bench docker` and the runtime enricher.
 */

export interface DockerClientOptions {
  /** Unix socket path; default from DOCKER_HOST (unix:// only) or /var/run/docker.sock. */
  socketPath?: string;
  timeoutMs?: number;
}

export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

function defaultSocketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

export class DockerClient {
  readonly socketPath: string;
  private readonly timeoutMs: number;

  constructor(opts: DockerClientOptions = {}) {
    this.socketPath = opts.socketPath ?? defaultSocketPath();
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Opens a request and resolves with the response stream once headers arrive (for /images/get, /events). */
  stream(method: string, path: string, query?: Record<string, string | undefined>): Promise<IncomingMessage> {
    const qs = query
      ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][])
      : undefined;
    const fullPath = qs && [...qs].length ? `${path}?${qs}` : path;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { socketPath: this.socketPath, method, path: fullPath, headers: { Host: 'docker' } },
        (res) => {
          if ((res.statusCode ?? 500) >= 400) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
            res.on('end', () =>
              reject(new DockerApiError(res.statusCode ?? 500, apiMessage(Buffer.concat(chunks)))),
            );
            res.on('error', reject);
            return;
          }
          resolve(res);
        },
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`no answer from the Docker daemon within ${this.timeoutMs} ms`)),
      );
      req.on('error', (err: NodeJS.ErrnoException) => reject(this.connectionError(err)));
      req.end();
    });
  }

  /** GET a JSON document. */
  async json<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    const res = await this.stream('GET', path, query);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
    } catch {
      throw new DockerApiError(502, `Docker daemon returned invalid JSON for ${path}`);
    }
  }

  async ping(): Promise<boolean> {
    try {
      const res = await this.stream('GET', '/_ping');
      res.resume();
      return true;
    } catch {
      return false;
    }
  }

  private connectionError(err: NodeJS.ErrnoException): Error {
    if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EACCES')
      return new UserError(`cannot reach the Docker daemon at ${this.socketPath} (${err.code})`);
    return err;
  }
}

function apiMessage(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const doc = JSON.parse(text) as { message?: string };
    if (doc.message) return doc.message;
  } catch {
    // not JSON: use the text itself
  }
  return text.trim().slice(0, 300) || 'error';
}
