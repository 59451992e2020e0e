import type { Counter, Gauge, Metrics } from '../metrics.js';

/** Why an alert was not delivered (the `reason` label of ringfence_alerts_dropped_total). */
export type DropReason =
  /** The sink's queue was full; the oldest alert made room. */
  | 'queue_full'
  /** Every delivery attempt failed (5xx, 429, connection errors, timeouts). */
  | 'gave_up'
  /** The receiver answered 4xx (not 429): sending it again would not help. */
  | 'rejected'
  /** Still queued when close() reached its deadline. */
  | 'shutdown'
  /** The output stream could not keep up and its buffer reached its bound. */
  | 'backpressure'
  /** The output stream failed (disk full, closed pipe). */
  | 'write_error';

export interface AlertMetrics {
  emitted: Counter;
  suppressed: Counter;
  deduplicated: Counter;
  delivered: Counter;
  dropped: Counter;
  failures: Counter;
  queueDepth: Gauge;
}

export function alertMetrics(m: Metrics): AlertMetrics {
  return {
    emitted: m.counter('ringfence_alerts_total', 'Alerts sent to the outputs', ['rule', 'priority']),
    suppressed: m.counter(
      'ringfence_alerts_suppressed_total',
      "Alerts held back by their rule's rate limit",
      ['rule'],
    ),
    deduplicated: m.counter(
      'ringfence_alerts_deduplicated_total',
      'Alerts not sent again: same rule, container and output within the de-duplication window',
      ['rule'],
    ),
    delivered: m.counter('ringfence_alerts_delivered_total', 'Records an output accepted', ['sink']),
    dropped: m.counter('ringfence_alerts_dropped_total', 'Records an output dropped, by reason', [
      'sink',
      'reason',
    ]),
    failures: m.counter(
      'ringfence_alert_delivery_failures_total',
      'Failed delivery attempts (each retry counts)',
      ['sink'],
    ),
    queueDepth: m.gauge('ringfence_alert_queue_depth', 'Records waiting in an output queue', ['sink']),
  };
}
