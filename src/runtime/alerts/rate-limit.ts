import type { Severity } from '../../types.js';
import type { Priority } from '../rules/priority.js';

const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  refilledAt: number;
  /** Held back since the last summary. */
  suppressed: number;
  since: number;
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
}

/** What one rule's limit held back since the last summary. */
export interface Suppression {
  rule: string;
  count: number;
  since: number;
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
}

/**
 * A token bucket per rule: `perMinute` alerts in a burst, refilled continuously at
 * `perMinute` a minute. Memory grows with the number of rules, which the rule files bound.
 */
export class RuleRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly perMinute: number) {
    if (!(perMinute > 0)) throw new RangeError(`rate limit ${perMinute} per minute`);
  }

  /** True when the alert may go out; false when it is held back (and counted for the summary). */
  allow(
    alert: { rule: string; priority: Priority; severity: Severity; tags: readonly string[] },
    now: number,
  ): boolean {
    let b = this.buckets.get(alert.rule);
    if (!b) {
      b = { tokens: this.perMinute, refilledAt: now, suppressed: 0, since: now, ...pick(alert) };
      this.buckets.set(alert.rule, b);
    }
    b.tokens = Math.min(
      this.perMinute,
      b.tokens + (Math.max(0, now - b.refilledAt) * this.perMinute) / MINUTE_MS,
    );
    b.refilledAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    if (b.suppressed === 0) b.since = now;
    b.suppressed++;
    Object.assign(b, pick(alert));
    return false;
  }

  /** The suppressions since the last call, per rule, and starts counting again. */
  drain(): Suppression[] {
    const out: Suppression[] = [];
    for (const [rule, b] of this.buckets) {
      if (b.suppressed === 0) continue;
      out.push({
        rule,
        count: b.suppressed,
        since: b.since,
        priority: b.priority,
        severity: b.severity,
        tags: b.tags,
      });
      b.suppressed = 0;
    }
    return out;
  }
}

function pick(a: { priority: Priority; severity: Severity; tags: readonly string[] }) {
  return { priority: a.priority, severity: a.severity, tags: a.tags };
}
