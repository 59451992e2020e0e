import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deduplicator } from '../../../src/runtime/alerts/dedup.js';
import {
  type AlertSinkOptions,
  createAlertSinks,
  type SinkRecord,
} from '../../../src/runtime/alerts/index.js';
import { Metrics } from '../../../src/runtime/metrics.js';
import { fileRead, shell } from './alerts.js';
import { parseExposition, sampleValue } from './exposition.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-alerts-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Only the clock and the summary interval are faked: file writes complete as usual.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: Date.UTC(2025, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

let files = 0;
function sinks(opts: AlertSinkOptions) {
  const file = join(dir, `${files++}.jsonl`);
  const metrics = new Metrics();
  const s = createAlertSinks({ output: file, ...opts }, metrics);
  const records = async (): Promise<SinkRecord[]> => {
    await s.flush();
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SinkRecord);
  };
  const value = (name: string, labels: Record<string, string>): number =>
    sampleValue(parseExposition(metrics.render()), name, labels) ?? 0;
  return { s, records, value };
}

const READ = 'Sensitive file read';

describe('per-rule rate limit', () => {
  it('lets N alerts a minute through per rule, counts the rest and summarises them each interval', async () => {
    const { s, records, value } = sinks({ rateLimitPerRule: 3, dedupWindowMs: 0 });
    for (let i = 0; i < 10; i++) s.emit(fileRead(`/etc/f${i}`));
    s.emit(shell());
    expect((await records()).map((r) => r.output.split(' (')[0])).toEqual([
      'bash read /etc/f0',
      'bash read /etc/f1',
      'bash read /etc/f2',
      'shell bash -c cat /etc/hosts',
    ]);
    expect(value('ringfence_alerts_suppressed_total', { rule: READ })).toBe(7);
    expect(value('ringfence_alerts_total', { rule: READ, priority: 'Warning' })).toBe(3);
    expect(value('ringfence_alerts_total', { rule: 'Shell started', priority: 'Notice' })).toBe(1);

    vi.advanceTimersByTime(60_000);
    const summary = (await records())[4]!;
    expect(summary).toMatchObject({
      source: 'ringfence',
      rule: READ,
      priority: 'Warning',
      severity: 'MEDIUM',
      tags: ['filesystem', 'mitre_credential_access', 'T1555'],
      output: `rule ${READ}: 7 alerts suppressed`,
      output_fields: {},
      suppressed: { count: 7, since: '2025-01-01T00:00:00.000Z', limitPerMinute: 3 },
      time: '2025-01-01T00:01:00.000Z',
    });
    expect(await records()).toHaveLength(5);

    // A minute refilled the bucket: three more pass, the other two wait for the summary at close.
    for (let i = 10; i < 15; i++) s.emit(fileRead(`/etc/f${i}`));
    vi.advanceTimersByTime(1000);
    await s.close();
    const all = await records();
    expect(all.slice(5).map((r) => r.output.split(' (')[0])).toEqual([
      'bash read /etc/f10',
      'bash read /etc/f11',
      'bash read /etc/f12',
      `rule ${READ}: 2 alerts suppressed`,
    ]);
    expect(value('ringfence_alerts_suppressed_total', { rule: READ })).toBe(9);
  });

  it('refills continuously: a third of a minute gives back one of three', async () => {
    const { s, records } = sinks({ rateLimitPerRule: 3, dedupWindowMs: 0 });
    for (let i = 0; i < 4; i++) s.emit(fileRead(`/etc/a${i}`));
    vi.advanceTimersByTime(19_000);
    s.emit(fileRead('/etc/early'));
    vi.advanceTimersByTime(2000);
    s.emit(fileRead('/etc/on-time'));
    s.emit(fileRead('/etc/too-soon'));
    const outs = (await records()).map((r) => r.output.split(' (')[0]);
    expect(outs).toEqual([
      'bash read /etc/a0',
      'bash read /etc/a1',
      'bash read /etc/a2',
      'bash read /etc/on-time',
    ]);
    await s.close();
  });

  it('rate 0 is no limit, and no summaries', async () => {
    const { s, records } = sinks({ rateLimitPerRule: 0, dedupWindowMs: 0 });
    for (let i = 0; i < 500; i++) s.emit(fileRead(`/etc/f${i}`));
    vi.advanceTimersByTime(120_000);
    await s.close();
    expect(await records()).toHaveLength(500);
  });
});

describe('de-duplication', () => {
  it('counts the same rule, container and output within the window instead of sending it', async () => {
    const { s, records, value } = sinks({ rateLimitPerRule: 0, dedupWindowMs: 10_000 });
    s.emit(fileRead('/etc/shadow'));
    s.emit(fileRead('/etc/shadow'));
    s.emit(fileRead('/etc/shadow', 'other0000000'));
    s.emit(fileRead('/etc/passwd'));
    vi.advanceTimersByTime(9_999);
    s.emit(fileRead('/etc/shadow'));
    vi.advanceTimersByTime(1);
    s.emit(fileRead('/etc/shadow'));
    await s.close();
    const sent = (await records()).map((r) => [
      'container' in r ? r.container.id : '',
      r.output.split(' (')[0],
    ]);
    expect(sent).toEqual([
      ['c0ffee123456', 'bash read /etc/shadow'],
      ['other0000000', 'bash read /etc/shadow'],
      ['c0ffee123456', 'bash read /etc/passwd'],
      ['c0ffee123456', 'bash read /etc/shadow'],
    ]);
    expect(value('ringfence_alerts_deduplicated_total', { rule: READ })).toBe(2);
    expect(value('ringfence_alerts_total', { rule: READ, priority: 'Warning' })).toBe(4);
  });

  it('runs before the rate limit, so duplicates do not use up the budget', async () => {
    const { s, records, value } = sinks({ rateLimitPerRule: 2, dedupWindowMs: 60_000 });
    for (let i = 0; i < 5; i++) s.emit(fileRead('/etc/shadow'));
    s.emit(fileRead('/etc/passwd'));
    await s.close();
    expect((await records()).map((r) => r.output.split(' (')[0])).toEqual([
      'bash read /etc/shadow',
      'bash read /etc/passwd',
    ]);
    expect(value('ringfence_alerts_deduplicated_total', { rule: READ })).toBe(4);
    expect(value('ringfence_alerts_suppressed_total', { rule: READ })).toBe(0);
  });

  it('remembers at most maxKeys alerts, forgetting the oldest first', () => {
    const d = new Deduplicator(1000, 3);
    for (const o of ['a', 'b', 'c']) expect(d.isDuplicate('r', 'c', o, 0)).toBe(false);
    expect(d.isDuplicate('r', 'c', 'a', 1)).toBe(true);
    expect(d.isDuplicate('r', 'c', 'd', 1)).toBe(false);
    expect(d.isDuplicate('r', 'c', 'a', 2)).toBe(false);
    expect(d.isDuplicate('r', 'c', 'c', 2)).toBe(true);
    expect(d.isDuplicate('r', 'c', 'c', 999)).toBe(true);
    expect(d.isDuplicate('r', 'c', 'c', 1000)).toBe(false);
  });

  it('does not confuse keys whose parts only differ in where they split, short or long', () => {
    const d = new Deduplicator(1000);
    for (const tail of ['x', 'x'.repeat(2000)]) {
      expect(d.isDuplicate('ab', 'c', tail, 0)).toBe(false);
      expect(d.isDuplicate('a', 'bc', tail, 0)).toBe(false);
      expect(d.isDuplicate('a', 'b', `c${tail}`, 0)).toBe(false);
      expect(d.isDuplicate('a', 'b', `c${tail}`, 0)).toBe(true);
    }
    expect(d.isDuplicate('a', 'b', `c${'x'.repeat(1999)}y`, 0)).toBe(false);
  });
});

describe('settings', () => {
  it('refuses negative or non-finite limits', () => {
    expect(() => sinks({ rateLimitPerRule: -1 })).toThrow('alert rate limit must be a non-negative number');
    expect(() => sinks({ dedupWindowMs: Number.NaN })).toThrow(/de-duplication window/);
  });
});
