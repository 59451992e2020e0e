import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAlertSinks } from '../../../src/runtime/alerts/index.js';
import { Metrics, serveMetrics } from '../../../src/runtime/metrics.js';
import { fileRead, shell } from './alerts.js';
import { parseExposition, sampleValue } from './exposition.js';
import { Receiver } from './receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-alerts-scrape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('alert counters on /metrics', () => {
  it('after a known sequence, a scrape over HTTP shows every counter with its value', async () => {
    const hook = await Receiver.start();
    hook.will(500);
    const metrics = new Metrics();
    const events = metrics.counter('ringfence_events_total', 'Events seen', ['type']);
    let server: Server | undefined;
    try {
      server = await serveMetrics(0, metrics);
      const sinks = createAlertSinks(
        {
          output: join(dir, 'alerts.jsonl'),
          webhook: hook.url,
          rateLimitPerRule: 2,
          dedupWindowMs: 60_000,
          delivery: { batchMax: 100, backoffBaseMs: 10 },
        },
        metrics,
      );
      events.inc({ type: 'openat' }, 6);
      events.inc({ type: 'execve' });
      sinks.emit(fileRead('/etc/shadow'));
      sinks.emit(fileRead('/etc/shadow'));
      sinks.emit(fileRead('/etc/passwd'));
      sinks.emit(fileRead('/etc/group'));
      sinks.emit(fileRead('/etc/hosts'));
      sinks.emit(fileRead('/etc/hosts'));
      sinks.emit(shell());
      await sinks.close();

      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      const scraped = parseExposition(await res.text());
      const v = (name: string, labels: Record<string, string> = {}) => sampleValue(scraped, name, labels);
      const READ = 'Sensitive file read';
      expect(v('ringfence_events_total', { type: 'openat' })).toBe(6);
      expect(v('ringfence_alerts_total', { rule: READ, priority: 'Warning' })).toBe(2);
      expect(v('ringfence_alerts_total', { rule: 'Shell started', priority: 'Notice' })).toBe(1);
      expect(v('ringfence_alerts_deduplicated_total', { rule: READ })).toBe(2);
      expect(v('ringfence_alerts_suppressed_total', { rule: READ })).toBe(2);
      // 3 alerts and the summary of the suppressed two, to each output.
      expect(v('ringfence_alerts_delivered_total', { sink: 'file' })).toBe(4);
      expect(v('ringfence_alerts_delivered_total', { sink: 'webhook' })).toBe(4);
      expect(v('ringfence_alert_delivery_failures_total', { sink: 'webhook' })).toBe(1);
      expect(v('ringfence_alert_queue_depth', { sink: 'webhook' })).toBe(0);
      expect(scraped.type.get('ringfence_alert_queue_depth')).toBe('gauge');
      expect(scraped.type.get('ringfence_alerts_dropped_total')).toBe('counter');
      expect(hook.requests).toHaveLength(2);
    } finally {
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r) ?? r(undefined));
      await hook.close();
    }
  });
});
