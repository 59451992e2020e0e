import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPOSITION_CONTENT_TYPE, Metrics, serveMetrics } from '../../src/runtime/metrics.js';
import { UserError } from '../../src/util/errors.js';
import { parseExposition, sampleValue } from './alerts/exposition.js';

describe('Metrics', () => {
  it('renders HELP, TYPE and series in a stable order, with the values of a known sequence', () => {
    const m = new Metrics();
    const events = m.counter('ringfence_events_total', 'Events seen', ['type']);
    const lost = m.counter('ringfence_events_lost_total', 'Events the kernel dropped');
    const depth = m.gauge('ringfence_queue_depth', 'Waiting', ['sink', 'kind']);
    const execve = events.labels({ type: 'execve' });
    for (let i = 0; i < 3; i++) execve.inc();
    events.inc({ type: 'openat' }, 5);
    events.inc({ type: 'connect' });
    lost.inc(undefined, 2);
    depth.set({ sink: 'webhook', kind: 'b' }, 7);
    depth.labels({ sink: 'webhook', kind: 'a' }).inc(4);
    depth.labels({ sink: 'webhook', kind: 'a' }).dec();
    depth.set({ sink: 'server', kind: 'z' }, -1.5);

    expect(m.render()).toBe(
      [
        '# HELP ringfence_events_lost_total Events the kernel dropped',
        '# TYPE ringfence_events_lost_total counter',
        'ringfence_events_lost_total 2',
        '# HELP ringfence_events_total Events seen',
        '# TYPE ringfence_events_total counter',
        'ringfence_events_total{type="connect"} 1',
        'ringfence_events_total{type="execve"} 3',
        'ringfence_events_total{type="openat"} 5',
        '# HELP ringfence_queue_depth Waiting',
        '# TYPE ringfence_queue_depth gauge',
        'ringfence_queue_depth{sink="server",kind="z"} -1.5',
        'ringfence_queue_depth{sink="webhook",kind="a"} 3',
        'ringfence_queue_depth{sink="webhook",kind="b"} 7',
        '',
      ].join('\n'),
    );
    expect(execve.value).toBe(3);
    expect(events.labels({ type: 'execve' })).toBe(execve);
  });

  it('returns the registered family for the same name, help and labels, and refuses a different one', () => {
    const m = new Metrics();
    const c = m.counter('x_total', 'X', ['a']);
    expect(m.counter('x_total', 'X', ['a'])).toBe(c);
    expect(() => m.gauge('x_total', 'X', ['a'])).toThrow(/already registered/);
    expect(() => m.counter('x_total', 'X', ['b'])).toThrow(/already registered/);
    expect(() => m.counter('x_total', 'Other', ['a'])).toThrow(/already registered/);
  });

  it('refuses invalid names, missing labels and negative counter increments', () => {
    const m = new Metrics();
    expect(() => m.counter('1bad', 'x')).toThrow(/invalid metric name/);
    expect(() => m.counter('ok_total', 'x', ['bad-label'])).toThrow(/invalid label name/);
    expect(() => m.counter('ok2_total', 'x', ['__reserved'])).toThrow(/invalid label name/);
    expect(() => m.counter('ok3_total', 'x', ['a', 'a'])).toThrow(/repeated/);
    const c = m.counter('ok4_total', 'x', ['a', 'b']);
    expect(() => c.inc({ a: '1' })).toThrow(/label b/);
    expect(() => c.inc({ a: '1', b: '2' }, -1)).toThrow(RangeError);
    expect(() => c.inc({ a: '1', b: '2' }, Number.NaN)).toThrow(RangeError);
  });

  it('escapes HELP text and writes special gauge values as Prometheus spells them', () => {
    const m = new Metrics();
    m.gauge('g', 'a \\ backslash\nand a newline').set({}, Number.POSITIVE_INFINITY);
    m.gauge('h', 'h').set({}, Number.NaN);
    m.gauge('i', 'i').set({}, Number.NEGATIVE_INFINITY);
    const text = m.render();
    expect(text).toContain('# HELP g a \\\\ backslash\\nand a newline\n');
    expect(text).toContain('g +Inf\n');
    expect(text).toContain('h NaN\n');
    expect(text).toContain('i -Inf\n');
    const parsed = parseExposition(text);
    expect(parsed.help.get('g')).toBe('a \\ backslash\nand a newline');
    expect(sampleValue(parsed, 'g')).toBe(Number.POSITIVE_INFINITY);
    expect(sampleValue(parsed, 'h')).toBeNaN();
  });

  it('renders nothing when nothing is registered', () => {
    expect(new Metrics().render()).toBe('');
  });

  const awkward = fc.string({
    unit: fc.constantFrom('\\', '"', '\n', '{', '}', ',', '=', ' ', 'a', 'é', '😀'),
  });
  const labelValue = fc.oneof(awkward, fc.string({ unit: 'binary' }));

  it('property: any label values survive rendering and parsing, one line per series', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(labelValue, labelValue), {
          selector: (t) => JSON.stringify(t),
          maxLength: 8,
        }),
        fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }),
        (pairs, counts) => {
          const m = new Metrics();
          const c = m.counter('rf_test_total', 'test', ['rule', 'container']);
          for (const [i, [rule, container]] of pairs.entries()) c.inc({ rule, container }, counts[i]!);
          const text = m.render();
          const parsed = parseExposition(text);
          expect(text.split('\n')).toHaveLength(pairs.length + 3);
          expect(parsed.samples).toHaveLength(pairs.length);
          for (const [i, [rule, container]] of pairs.entries())
            expect(sampleValue(parsed, 'rf_test_total', { rule, container })).toBe(counts[i]);
        },
      ),
    );
  });

  it('property: gauge values round-trip through the text exactly', () => {
    fc.assert(
      fc.property(fc.double(), (v) => {
        const m = new Metrics();
        m.gauge('rf_g', 'g').set({}, v);
        expect(Object.is(sampleValue(parseExposition(m.render()), 'rf_g'), v === 0 ? 0 : v)).toBe(true);
      }),
    );
  });

  it('property: the order of the output does not depend on the order series were created in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(labelValue, { maxLength: 10 }), (values) => {
        const render = (order: string[]): string => {
          const m = new Metrics();
          const c = m.counter('rf_o_total', 'o', ['v']);
          for (const v of order) c.inc({ v });
          return m.render();
        };
        expect(render([...values].reverse())).toBe(render(values));
      }),
    );
  });
});

describe('serveMetrics', () => {
  const servers: import('node:http').Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  async function start(m: Metrics): Promise<string> {
    const server = await serveMetrics(0, m);
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves /metrics in the exposition format, /healthz, and nothing else', async () => {
    const m = new Metrics();
    const events = m.counter('ringfence_events_total', 'Events seen', ['type']);
    const base = await start(m);
    events.inc({ type: 'execve' }, 41);
    events.inc({ type: 'execve' });

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    const parsed = parseExposition(await res.text());
    expect(parsed.type.get('ringfence_events_total')).toBe('counter');
    expect(sampleValue(parsed, 'ringfence_events_total', { type: 'execve' })).toBe(42);

    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('reports a port it cannot bind as a UserError naming it', async () => {
    const base = await start(new Metrics());
    const port = Number(new URL(base).port);
    const err = await serveMetrics(port, new Metrics()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`metrics 127.0.0.1:${port}: cannot listen (EADDRINUSE)`);
  });
});
