import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../../util/log.js';
import type { AlertMetrics, DropReason } from './alert-metrics.js';
import { BoundedQueue } from './bounded-queue.js';
import { withinDeadline } from './deadline.js';
import { Poster, type PostResult } from './post.js';
import { backoffDelay, retryAfterMs } from './retry.js';
import type { Sink } from './sink.js';

export interface DeliveryOptions {
  /** A batch is sent as soon as this many records wait… */
  batchMax: number;
  /** …or this long after the first of them arrived. */
  flushIntervalMs: number;
  /** Records waiting beyond this push out the oldest (counted as `queue_full`). */
  queueMax: number;
  /** Attempts per batch before it is dropped (`gave_up`). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A longer Retry-After is cut to this. */
  retryAfterMaxMs: number;
  requestTimeoutMs: number;
  /** How long close() may take to deliver what is queued; the rest is dropped (`shutdown`). */
  closeTimeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  batchMax: 100,
  flushIntervalMs: 1000,
  queueMax: 10_000,
  maxAttempts: 6,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  retryAfterMaxMs: 120_000,
  requestTimeoutMs: 10_000,
  closeTimeoutMs: 5000,
};

/** Where batches go and how they are written: the webhook and the server differ only in this. */
export interface HttpTarget {
  name: 'webhook' | 'server';
  url: URL;
  headers: Readonly<Record<string, string>>;
  /** From records as JSON texts; `batchId` stays the same across the retries of one batch (it is also the Idempotency-Key header). */
  body(records: readonly string[], batchId: string): string;
}

const QUEUE_FULL_LOG_INTERVAL_MS = 30_000;

/**
 * Batches records and POSTs them, one request at a time, in order. 5xx, 429 and connection
 * errors are retried with exponential backoff and jitter (Retry-After wins when sent); other
 * 4xx drop the batch. Memory is bounded by `queueMax` plus the batch in flight.
 */
export class HttpSink implements Sink {
  readonly name: string;
  /** Logs name the origin only: a webhook's path or query may itself be a secret. */
  private readonly where: string;
  private readonly queue: BoundedQueue<string>;
  private readonly poster: Poster;
  private readonly stop = new AbortController();
  private busy = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;
  private failing = false;
  private lastQueueFullLog = Number.NEGATIVE_INFINITY;
  private readonly delivered;
  private readonly failures;
  private readonly depth;

  constructor(
    private readonly target: HttpTarget,
    private readonly metrics: AlertMetrics,
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY,
  ) {
    this.name = target.name;
    this.where = `${target.name} ${target.url.origin}`;
    this.queue = new BoundedQueue(options.queueMax);
    this.poster = new Poster(target.url, options.requestTimeoutMs);
    this.delivered = metrics.delivered.labels({ sink: this.name });
    this.failures = metrics.failures.labels({ sink: this.name });
    this.depth = metrics.queueDepth.labels({ sink: this.name });
  }

  send(json: string): void {
    if (this.closed) {
      this.drop('shutdown', 1);
      return;
    }
    if (this.queue.push(json)) this.drop('queue_full', 1);
    this.depth.set(this.queue.length);
    this.pump();
  }

  flush(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.pump();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    const drained = this.flush();
    const inTime = await withinDeadline(drained, this.options.closeTimeoutMs);
    if (!inTime) {
      const left = this.queue.take(this.queue.length);
      this.depth.set(0);
      this.stop.abort();
      this.drop('shutdown', left.length);
      await drained;
      log.warn(`alerts to ${this.where}: closed before everything was delivered; the rest was dropped`);
    }
    clearTimeout(this.timer);
    this.poster.close();
  }

  /** Starts a batch when one is due, arms the interval timer otherwise, and wakes flush() when idle. */
  private pump(): void {
    if (this.busy) return;
    if (this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    if (this.queue.length >= this.options.batchMax || this.idleWaiters.length > 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.deliverNext();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (!this.busy) void this.deliverNext();
    }, this.options.flushIntervalMs).unref();
  }

  private async deliverNext(): Promise<void> {
    this.busy = true;
    const batch = this.queue.take(this.options.batchMax);
    this.depth.set(this.queue.length);
    await this.deliver(batch);
    this.busy = false;
    this.pump();
  }

  private async deliver(batch: string[]): Promise<void> {
    const batchId = randomUUID();
    const body = this.target.body(batch, batchId);
    const headers = { ...this.target.headers, 'idempotency-key': batchId };
    for (let attempt = 1; ; attempt++) {
      const result = await this.poster.post(body, headers, this.stop.signal);
      if (result.status >= 200 && result.status < 300) {
        this.delivered.inc(batch.length);
        if (this.failing) log.info(`alerts to ${this.where}: delivering again`);
        this.failing = false;
        return;
      }
      if (this.stop.signal.aborted) return this.drop('shutdown', batch.length);
      this.failures.inc();
      if (!retryable(result.status)) {
        log.warn(`alerts to ${this.where}: ${describe(result)}; ${batch.length} alerts dropped, not retried`);
        return this.drop('rejected', batch.length);
      }
      if (attempt >= this.options.maxAttempts) {
        log.warn(
          `alerts to ${this.where}: ${describe(result)} after ${attempt} attempts; ${batch.length} alerts dropped`,
        );
        return this.drop('gave_up', batch.length);
      }
      if (!this.failing) log.warn(`alerts to ${this.where}: ${describe(result)}; retrying with backoff`);
      this.failing = true;
      const o = this.options;
      const asked = retryAfterMs(result.retryAfter, Date.now());
      const wait =
        asked !== undefined
          ? Math.min(asked, o.retryAfterMaxMs)
          : backoffDelay(attempt, o.backoffBaseMs, o.backoffMaxMs);
      try {
        await sleep(wait, undefined, { signal: this.stop.signal, ref: false });
      } catch {
        return this.drop('shutdown', batch.length);
      }
    }
  }

  private drop(reason: DropReason, n: number): void {
    if (n === 0) return;
    const counter = this.metrics.dropped.labels({ sink: this.name, reason });
    counter.inc(n);
    if (reason !== 'queue_full') return;
    const now = Date.now();
    if (now - this.lastQueueFullLog < QUEUE_FULL_LOG_INTERVAL_MS) return;
    this.lastQueueFullLog = now;
    log.warn(
      `alerts to ${this.where}: queue full (${this.options.queueMax}); dropping the oldest (${counter.value} so far)`,
    );
  }
}

/** Connection errors, timeouts, 429 and 5xx may succeed later; other answers will not. */
function retryable(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

function describe(r: PostResult): string {
  if (r.status === 0) return `connection failed (${r.detail})`;
  return `HTTP ${r.status}${r.detail ? ` (${r.detail.replace(/\s+/g, ' ')})` : ''}`;
}
