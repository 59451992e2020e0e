import { hostname } from 'node:os';
import { inputError } from '../../util/errors.js';
import { packageVersion } from '../../util/version.js';
import type { HttpTarget } from './http-sink.js';
import type { SinkRecord } from './record.js';

/** The path of the Ringfence server's alert ingest API, below the server's base URL. */
export const INGEST_PATH = '/api/v1/alerts';

/**
 * The body of `POST {server}/api/v1/alerts`: one batch from one agent. A retried batch keeps its
 * `batch` id (also sent as Idempotency-Key), and every record its `id`, so the server can
 * ignore a copy it already stored. The server answers 2xx when it stored the batch, 401/403
 * for a bad token, 413 for a batch too large and 429 (with Retry-After) or 503 to slow agents
 * down; only 429, 5xx and connection failures are retried.
 */
export interface IngestRequest {
  /** Version of this request shape. */
  schema: 1;
  batch: string;
  agent: { hostname: string; version: string };
  /** When the batch was first sent, ISO 8601. */
  sentAt: string;
  alerts: readonly SinkRecord[];
}

const JSON_TYPE = 'application/json';

function userAgent(): string {
  return `ringfence/${packageVersion()}`;
}

/** A plain webhook: the body is a JSON array of records. */
export function webhookTarget(url: string): HttpTarget {
  return {
    name: 'webhook',
    url: httpUrl('--webhook', url),
    headers: { 'content-type': JSON_TYPE, 'user-agent': userAgent() },
    body: (records) => `[${records.join(',')}]`,
  };
}

export function serverTarget(server: { url: string; token: string }, host = hostname()): HttpTarget {
  const base = httpUrl('--server', server.url);
  if (!/^[\x21-\x7e]+$/.test(server.token))
    throw inputError('--token', 'must be printable ASCII without spaces');
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${INGEST_PATH}`, base);
  const agent = { hostname: host, version: packageVersion() };
  return {
    name: 'server',
    url,
    headers: {
      'content-type': JSON_TYPE,
      'user-agent': userAgent(),
      authorization: `Bearer ${server.token}`,
    },
    body: (records, batch) => {
      const head: Omit<IngestRequest, 'alerts'> = {
        schema: 1,
        batch,
        agent,
        sentAt: new Date().toISOString(),
      };
      // The records are JSON text already: they are spliced in as the envelope's last member.
      return `${JSON.stringify(head).slice(0, -1)},"alerts":[${records.join(',')}]}`;
    },
  };
}

function httpUrl(flag: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw inputError(flag, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw inputError(flag, 'needs an http:// or https:// URL');
  return url;
}
