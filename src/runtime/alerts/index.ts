import { hostname as osHostname } from 'node:os';
import { UserError } from '../../util/errors.js';
import type { Metrics } from '../metrics.js';
import type { Alert } from '../rules/ruleset.js';
import { alertMetrics } from './alert-metrics.js';
import { Deduplicator } from './dedup.js';
import { DEFAULT_DELIVERY, type DeliveryOptions, HttpSink } from './http-sink.js';
import { JsonLinesSink, openAppend } from './json-lines.js';
import { RuleRateLimiter } from './rate-limit.js';
import { alertRecord, type CaptureProblem, captureRecord, suppressionRecord } from './record.js';
import type { Sink } from './sink.js';
import { serverTarget, webhookTarget } from './targets.js';

export type { AlertRecord, CaptureProblem, CaptureRecord, SinkRecord, SuppressionRecord } from './record.js';
export type { IngestRequest } from './targets.js';
export { INGEST_PATH } from './targets.js';

export interface AlertSinkOptions {
  /** JSON lines go to this file (appended to), or to stdout when absent or `-`. */
  output?: string;
  /** POST batches (a JSON array of records) to this URL. */
  webhook?: string;
  /** POST batches to the Ringfence server's `{url}/api/v1/alerts` with this bearer token. */
  server?: { url: string; token: string };
  /** Alerts per rule per minute (a token bucket); 0 is no limit. Default 100. */
  rateLimitPerRule?: number;
  /** The same rule, container and output again within this window is counted, not sent; 0 is off. Default 10 s. */
  dedupWindowMs?: number;
  /** How often the alerts a rate limit held back are summarised. Default 60 s. */
  summaryIntervalMs?: number;
  /** Batching, queue and retry settings of the webhook and server outputs; `closeTimeoutMs` bounds every output's close. */
  delivery?: Partial<DeliveryOptions>;
  /** The `hostname` of every record (default: this host's name). */
  hostname?: string;
}

export interface AlertSinks {
  /** Hands an alert to every output; never throws and never waits. */
  emit(alert: Alert): void;
  /** Tells every output that capture missed events (never rate-limited or de-duplicated). */
  captureProblem(problem: CaptureProblem): void;
  /** Resolves when everything emitted so far is delivered or dropped. */
  flush(): Promise<void>;
  /** Summarises pending suppressions, delivers what is queued (each HTTP output within its deadline), stops. */
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT_PER_RULE = 100;
export const DEFAULT_DEDUP_WINDOW_MS = 10_000;
export const DEFAULT_SUMMARY_INTERVAL_MS = 60_000;

/**
 * The alert outputs of the agent: de-duplication, then the per-rule rate limit, then every
 * output (JSON lines always; webhook and server when configured). Throws a UserError for
 * settings that cannot work (an unopenable file, a bad URL or token) before anything starts.
 */
export function createAlertSinks(opts: AlertSinkOptions, metrics: Metrics): AlertSinks {
  const m = alertMetrics(metrics);
  const perMinute = nonNegative('alert rate limit', opts.rateLimitPerRule ?? DEFAULT_RATE_LIMIT_PER_RULE);
  const windowMs = nonNegative('alert de-duplication window', opts.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS);
  const delivery = { ...DEFAULT_DELIVERY, ...opts.delivery };
  const hostname = opts.hostname ?? osHostname();
  const targets = [
    ...(opts.webhook !== undefined ? [webhookTarget(opts.webhook)] : []),
    ...(opts.server ? [serverTarget(opts.server, hostname)] : []),
  ];
  const toFile = opts.output !== undefined && opts.output !== '-';
  const sinks: Sink[] = [
    toFile
      ? new JsonLinesSink('file', openAppend(opts.output!), true, m, delivery)
      : new JsonLinesSink('stdout', process.stdout, false, m, delivery),
    ...targets.map((t) => new HttpSink(t, m, delivery)),
  ];
  const dedup = windowMs > 0 ? new Deduplicator(windowMs) : undefined;
  const limiter = perMinute > 0 ? new RuleRateLimiter(perMinute) : undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  const summarise = (): void => {
    for (const s of limiter?.drain() ?? []) {
      const json = JSON.stringify(suppressionRecord(s, perMinute, hostname, new Date()));
      for (const sink of sinks) sink.send(json);
    }
  };
  const summaries = limiter
    ? setInterval(summarise, opts.summaryIntervalMs ?? DEFAULT_SUMMARY_INTERVAL_MS).unref()
    : undefined;

  return {
    emit(alert) {
      if (closed) {
        for (const sink of sinks) m.dropped.inc({ sink: sink.name, reason: 'shutdown' });
        return;
      }
      const now = Date.now();
      const containerId = alert.event.container?.id ?? 'host';
      if (dedup?.isDuplicate(alert.rule, containerId, alert.output, now)) {
        m.deduplicated.inc({ rule: alert.rule });
        return;
      }
      if (limiter && !limiter.allow(alert, now)) {
        m.suppressed.inc({ rule: alert.rule });
        return;
      }
      m.emitted.inc({ rule: alert.rule, priority: alert.priority });
      const json = JSON.stringify(alertRecord(alert, hostname));
      for (const sink of sinks) sink.send(json);
    },
    captureProblem(problem) {
      if (closed) return;
      const json = JSON.stringify(captureRecord(problem, hostname));
      for (const sink of sinks) sink.send(json);
    },
    async flush() {
      await Promise.all(sinks.map((s) => s.flush()));
    },
    close() {
      closing ??= (async () => {
        clearInterval(summaries);
        summarise();
        closed = true;
        await Promise.all(sinks.map((s) => s.close()));
      })();
      return closing;
    },
  };
}

function nonNegative(what: string, n: number): number {
  if (!(n >= 0 && n < Number.POSITIVE_INFINITY)) throw new UserError(`${what} must be a non-negative number`);
  return n;
}
