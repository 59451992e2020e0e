import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryOptions } from '../../../src/runtime/alerts/http-sink.js';
import {
  type AlertSinkOptions,
  createAlertSinks,
  type IngestRequest,
} from '../../../src/runtime/alerts/index.js';
import type { SinkRecord } from '../../../src/runtime/alerts/record.js';
import { Metrics } from '../../../src/runtime/metrics.js';
import { UserError } from '../../../src/util/errors.js';
import { fileRead } from './alerts.js';
import { parseExposition, sampleValue } from './exposition.js';
import { closedPort, Receiver } from './receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-alerts-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(): Promise<Receiver> {
  const r = await Receiver.start();
  receivers.push(r);
  return r;
}

const FAST: Partial<DeliveryOptions> = {
  batchMax: 5,
  flushIntervalMs: 50,
  backoffBaseMs: 40,
  backoffMaxMs: 400,
  maxAttempts: 4,
  requestTimeoutMs: 10_000,
  closeTimeoutMs: 10_000,
};

let files = 0;
function sinks(opts: AlertSinkOptions, delivery: Partial<DeliveryOptions> = {}) {
  const metrics = new Metrics();
  const s = createAlertSinks(
    {
      output: join(dir, `${files++}.jsonl`),
      rateLimitPerRule: 0,
      dedupWindowMs: 0,
      delivery: { ...FAST, ...delivery },
      ...opts,
    },
    metrics,
  );
  const value = (name: string, labels: Record<string, string>): number =>
    sampleValue(parseExposition(metrics.render()), name, labels) ?? 0;
  return { s, metrics, value };
}

function emitReads(s: { emit: (a: ReturnType<typeof fileRead>) => void }, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) s.emit(fileRead(`/etc/f${i}`));
}

const paths = (body: string): string[] =>
  (JSON.parse(body) as SinkRecord[]).map((r) => ('fd' in r ? r.fd!.name! : r.output));

describe('webhook', () => {
  it('POSTs JSON arrays in batches of batchMax, in order', async () => {
    const hook = await receiver();
    const { s, value } = sinks({ webhook: `${hook.url}/hook?key=s3cret` });
    emitReads(s, 12);
    await s.flush();
    expect(hook.requests.map((r) => [r.method, r.path, r.headers['content-type']])).toEqual([
      ['POST', '/hook?key=s3cret', 'application/json'],
      ['POST', '/hook?key=s3cret', 'application/json'],
      ['POST', '/hook?key=s3cret', 'application/json'],
    ]);
    expect(hook.requests.map((r) => paths(r.body))).toEqual([
      ['/etc/f0', '/etc/f1', '/etc/f2', '/etc/f3', '/etc/f4'],
      ['/etc/f5', '/etc/f6', '/etc/f7', '/etc/f8', '/etc/f9'],
      ['/etc/f10', '/etc/f11'],
    ]);
    expect(hook.requests[0]!.headers['user-agent']).toMatch(/^ringfence\//);
    expect(new Set(hook.requests.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(12);
    expect(value('ringfence_alerts_delivered_total', { sink: 'file' })).toBe(12);
    await s.close();
  });

  it('sends a partial batch after flushIntervalMs without being asked', async () => {
    const hook = await receiver();
    const { s } = sinks({ webhook: hook.url }, { flushIntervalMs: 200 });
    emitReads(s, 2);
    expect(hook.requests).toHaveLength(0);
    const [request] = await hook.waitFor(1);
    expect(paths(request!.body)).toEqual(['/etc/f0', '/etc/f1']);
    await s.close();
  });

  it('retries 5xx and dropped connections with growing backoff, then delivers the same batch', async () => {
    const hook = await receiver();
    hook.will(500, 'reset', 503, 200);
    const { s, value } = sinks({ webhook: hook.url });
    emitReads(s, 3);
    await s.flush();
    const r = hook.requests;
    expect(r).toHaveLength(4);
    expect(new Set(r.map((x) => x.body)).size).toBe(1);
    expect(new Set(r.map((x) => x.headers['idempotency-key'])).size).toBe(1);
    // Equal jitter: the n-th wait is at least half of base × 2^(n-1).
    const gaps = r.slice(1).map((x, i) => x.at - r[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(20 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(40 - 5);
    expect(gaps[2]).toBeGreaterThanOrEqual(80 - 5);
    expect(value('ringfence_alert_delivery_failures_total', { sink: 'webhook' })).toBe(3);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(3);
    await s.close();
  });

  it('gives up on a request the receiver does not answer in requestTimeoutMs, and retries it', async () => {
    const hook = await receiver();
    hook.will('hang', 200);
    const { s, value } = sinks({ webhook: hook.url }, { requestTimeoutMs: 300 });
    emitReads(s, 2);
    await s.flush();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.body).toBe(hook.requests[0]!.body);
    expect(value('ringfence_alert_delivery_failures_total', { sink: 'webhook' })).toBe(1);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(2);
    await s.close();
  });

  it('waits as long as a 429 Retry-After says', async () => {
    const hook = await receiver();
    hook.will({ status: 429, headers: { 'retry-after': '1' } }, 200);
    const { s, value } = sinks({ webhook: hook.url }, { backoffBaseMs: 5 });
    emitReads(s, 1);
    await s.flush();
    const [first, second] = hook.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(1);
    await s.close();
  });

  it('does not retry other 4xx: the batch is dropped as rejected, and later batches still go', async () => {
    const hook = await receiver();
    hook.will({ status: 400, body: 'bad payload' });
    const { s, value } = sinks({ webhook: hook.url });
    const stderr = vi.spyOn(process.stderr, 'write');
    emitReads(s, 5);
    await s.flush();
    emitReads(s, 1, 5);
    await s.flush();
    expect(hook.requests.map((r) => paths(r.body).length)).toEqual([5, 1]);
    expect(value('ringfence_alerts_dropped_total', { sink: 'webhook', reason: 'rejected' })).toBe(5);
    expect(value('ringfence_alert_delivery_failures_total', { sink: 'webhook' })).toBe(1);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(1);
    expect(stderr.mock.calls.map(([t]) => String(t)).join('')).toContain(
      `alerts to webhook ${hook.url}: HTTP 400 (bad payload); 5 alerts dropped, not retried`,
    );
    stderr.mockRestore();
    await s.close();
  });

  it('survives a receiver that is down: bounded queue, counted drops, every alert accounted for', async () => {
    const port = await closedPort();
    const queueMax = 20;
    const { s, metrics, value } = sinks(
      { webhook: `http://127.0.0.1:${port}/hook` },
      { queueMax, maxAttempts: 2, backoffBaseMs: 10, closeTimeoutMs: 5000 },
    );
    const depth = metrics.gauge('ringfence_alert_queue_depth', 'Records waiting in an output queue', [
      'sink',
    ]);
    let maxDepth = 0;
    for (let i = 0; i < 2000; i++) {
      s.emit(fileRead(`/etc/f${i}`));
      maxDepth = Math.max(maxDepth, depth.labels({ sink: 'webhook' }).value);
    }
    expect(maxDepth).toBe(queueMax);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(15_000);
    const dropped = (reason: string): number =>
      value('ringfence_alerts_dropped_total', { sink: 'webhook', reason });
    expect(dropped('queue_full')).toBeGreaterThanOrEqual(2000 - queueMax - 5);
    expect(dropped('gave_up')).toBeGreaterThan(0);
    expect(dropped('queue_full') + dropped('gave_up') + dropped('shutdown')).toBe(2000);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(0);
    expect(value('ringfence_alert_delivery_failures_total', { sink: 'webhook' })).toBeGreaterThanOrEqual(2);
    expect(depth.labels({ sink: 'webhook' }).value).toBe(0);
    expect(value('ringfence_alerts_delivered_total', { sink: 'file' })).toBe(2000);
  });

  it('close() delivers what is queued, without waiting for the interval', async () => {
    const hook = await receiver();
    const { s, value } = sinks({ webhook: hook.url }, { flushIntervalMs: 600_000 });
    emitReads(s, 3);
    await s.close();
    expect(hook.requests.map((r) => paths(r.body))).toEqual([['/etc/f0', '/etc/f1', '/etc/f2']]);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(3);
    s.emit(fileRead('/etc/late'));
    expect(value('ringfence_alerts_dropped_total', { sink: 'webhook', reason: 'shutdown' })).toBe(1);
  });

  it('close() gives up at its deadline when the receiver never answers', async () => {
    const hook = await receiver();
    hook.will('hang');
    const { s, value } = sinks({ webhook: hook.url }, { closeTimeoutMs: 300, batchMax: 2 });
    emitReads(s, 3);
    await hook.waitFor(1);
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(value('ringfence_alerts_dropped_total', { sink: 'webhook', reason: 'shutdown' })).toBe(3);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(0);
  });

  it('refuses a URL that is not http(s), without echoing it', () => {
    expect(() => sinks({ webhook: 'ftp://user:pw@example.org/x' })).toThrow(UserError);
    expect(() => sinks({ webhook: 'not a url' })).toThrow('--webhook: not a URL');
  });
});

describe('Ringfence server ingest', () => {
  it('POSTs {url}/api/v1/alerts with the bearer token and the batch envelope', async () => {
    const server = await receiver();
    const { s } = sinks({
      server: { url: `${server.url}/ringfence/`, token: 'tok-123' },
      hostname: 'node-7',
    });
    emitReads(s, 2);
    await s.flush();
    const [request] = server.requests;
    expect(request!.path).toBe('/ringfence/api/v1/alerts');
    expect(request!.headers.authorization).toBe('Bearer tok-123');
    expect(request!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request!.body) as IngestRequest;
    expect(body).toMatchObject({
      schema: 1,
      batch: request!.headers['idempotency-key'],
      agent: { hostname: 'node-7', version: expect.any(String) },
    });
    expect(Date.parse(body.sentAt)).not.toBeNaN();
    expect(body.alerts.map((a) => [a.rule, a.hostname, 'fd' in a && a.fd?.name])).toEqual([
      ['Sensitive file read', 'node-7', '/etc/f0'],
      ['Sensitive file read', 'node-7', '/etc/f1'],
    ]);
    await s.close();
  });

  it('goes to the webhook and the server alike, and never logs the token', async () => {
    const server = await receiver();
    const hook = await receiver();
    server.will({ status: 401, body: 'unknown token' });
    const stderr = vi.spyOn(process.stderr, 'write');
    const { s, value } = sinks({
      webhook: hook.url,
      server: { url: server.url, token: 'very-secret-token' },
    });
    emitReads(s, 2);
    await s.flush();
    await s.close();
    const logged = stderr.mock.calls.map(([t]) => String(t)).join('');
    stderr.mockRestore();
    expect(logged).toContain(`alerts to server ${server.url}: HTTP 401 (unknown token)`);
    expect(logged).not.toContain('very-secret-token');
    expect(hook.requests).toHaveLength(1);
    expect(value('ringfence_alerts_dropped_total', { sink: 'server', reason: 'rejected' })).toBe(2);
    expect(value('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(2);
  });

  it('refuses a token that cannot be sent in a header', () => {
    expect(() => sinks({ server: { url: 'http://127.0.0.1:1', token: 'two words' } })).toThrow(
      '--token: must be printable ASCII without spaces',
    );
  });
});
