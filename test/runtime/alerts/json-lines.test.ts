import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertMetrics } from '../../../src/runtime/alerts/alert-metrics.js';
import { createAlertSinks } from '../../../src/runtime/alerts/index.js';
import { JsonLinesSink } from '../../../src/runtime/alerts/json-lines.js';
import { alertRecord } from '../../../src/runtime/alerts/record.js';
import { Metrics } from '../../../src/runtime/metrics.js';
import { UserError } from '../../../src/util/errors.js';
import { fileRead, shell } from './alerts.js';
import { parseExposition, sampleValue } from './exposition.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NO_LIMITS = { rateLimitPerRule: 0, dedupWindowMs: 0 };

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function metric(m: Metrics, name: string, labels: Record<string, string>): number | undefined {
  return sampleValue(parseExposition(m.render()), name, labels);
}

describe('JSON lines output', () => {
  it('writes one record per line with the alert, process, fd and container fields', async () => {
    const file = join(dir, 'shape.jsonl');
    const sinks = createAlertSinks({ output: file, hostname: 'node-1', ...NO_LIMITS }, new Metrics());
    const alert = fileRead('/etc/shadow');
    alert.event.k8s = { ns: 'shop', pod: 'web-0', labels: { app: 'web' } };
    alert.event.container!.imageDigest = 'sha256:abc';
    alert.event.proc.env = { AWS_SECRET_ACCESS_KEY: 'do-not-copy' };
    sinks.emit(alert);
    await sinks.close();

    expect(alert.time).toMatch(/^2023-11-14T22:13:20\.123456\d{3}Z$/);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('do-not-copy');
    const [record] = lines(file);
    expect(record).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      time: alert.time,
      epoch_ms: 1_700_000_000_123.456,
      hostname: 'node-1',
      source: 'syscall',
      rule: 'Sensitive file read',
      priority: 'Warning',
      severity: 'MEDIUM',
      tags: ['filesystem', 'mitre_credential_access', 'T1555'],
      output: 'bash read /etc/shadow (user=root container=web image=docker.io/library/nginx:1.25)',
      output_fields: {
        'proc.name': 'bash',
        'fd.name': '/etc/shadow',
        'user.name': 'root',
        'container.name': 'web',
        'container.image': 'docker.io/library/nginx:1.25',
      },
      remediation: 'Find out why this process reads it.',
      evt: { type: 'openat', res: 3 },
      proc: {
        pid: 4242,
        ppid: 4200,
        name: 'bash',
        exe: '/bin/bash',
        exepath: '/usr/bin/bash',
        cmdline: 'bash -c cat /etc/hosts',
        uid: 0,
        user: 'root',
        ancestors: [
          {
            pid: 4200,
            name: 'containerd-shim',
            exe: 'containerd-shim',
            exepath: '/usr/bin/containerd-shim-runc-v2',
            cmdline: 'containerd-shim -namespace moby',
          },
          {
            pid: 1,
            name: 'systemd',
            exe: '/sbin/init',
            exepath: '/usr/lib/systemd/systemd',
            cmdline: 'systemd',
          },
        ],
      },
      fd: { num: 3, name: '/etc/shadow', type: 'file' },
      container: {
        id: 'c0ffee123456',
        name: 'web',
        image: 'docker.io/library/nginx:1.25',
        imageDigest: 'sha256:abc',
      },
      k8s: { ns: 'shop', pod: 'web-0' },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('marks host processes as Falco does and leaves out what the event lacks', () => {
    const record = JSON.parse(JSON.stringify(alertRecord(shell(), 'h'))) as Record<string, unknown>;
    expect(record.container).toEqual({ id: 'host', name: 'host' });
    expect(record).not.toHaveProperty('fd');
    expect(record).not.toHaveProperty('k8s');
    expect(record).not.toHaveProperty('remediation');
    expect(record.output).toBe('shell bash -c cat /etc/hosts (parent=containerd-shim)');
  });

  it('appends to an existing file', async () => {
    const file = join(dir, 'append.jsonl');
    writeFileSync(file, '{"earlier":true}\n');
    for (const path of ['/etc/a', '/etc/b']) {
      const sinks = createAlertSinks({ output: file, ...NO_LIMITS }, new Metrics());
      sinks.emit(fileRead(path));
      await sinks.close();
    }
    expect(lines(file).map((r) => r.earlier ?? (r.fd as { name: string }).name)).toEqual([
      true,
      '/etc/a',
      '/etc/b',
    ]);
  });

  it('refuses a file it cannot open before anything starts', () => {
    const missing = join(dir, 'no', 'such', 'dir', 'alerts.jsonl');
    expect(() => createAlertSinks({ output: missing }, new Metrics())).toThrow(UserError);
    expect(() => createAlertSinks({ output: missing }, new Metrics())).toThrow(
      `${missing}: cannot open alert output (ENOENT)`,
    );
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it.skipIf(!existsSync('/dev/full'))(
    'counts records a failing file cannot take, without crashing',
    async () => {
      const m = new Metrics();
      const sinks = createAlertSinks({ output: '/dev/full', ...NO_LIMITS }, m);
      for (const path of ['/etc/a', '/etc/b', '/etc/c']) sinks.emit(fileRead(path));
      await sinks.flush();
      sinks.emit(fileRead('/etc/d'));
      await sinks.close();
      expect(metric(m, 'ringfence_alerts_dropped_total', { sink: 'file', reason: 'write_error' })).toBe(4);
      expect(metric(m, 'ringfence_alerts_delivered_total', { sink: 'file' })).toBe(0);
      expect(metric(m, 'ringfence_alerts_total', { rule: 'Sensitive file read', priority: 'Warning' })).toBe(
        4,
      );
    },
  );

  it('drops rather than buffers without bound when the reader stops reading, and closes at its deadline', async () => {
    const reader = spawn('sleep', ['60'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      const m = new Metrics();
      const bound = 64 * 1024;
      const sink = new JsonLinesSink('stdout', reader.stdin, false, alertMetrics(m), {
        maxBufferedBytes: bound,
        closeTimeoutMs: 200,
      });
      const json = JSON.stringify(alertRecord(fileRead(`/etc/${'x'.repeat(900)}`), 'h'));
      let maxBuffered = 0;
      for (let i = 0; i < 2000; i++) {
        sink.send(json);
        maxBuffered = Math.max(maxBuffered, reader.stdin.writableLength);
      }
      const dropped =
        metric(m, 'ringfence_alerts_dropped_total', { sink: 'stdout', reason: 'backpressure' }) ?? 0;
      expect(dropped).toBeGreaterThan(1000);
      expect(maxBuffered).toBeLessThan(bound + 2 * json.length);
      const started = Date.now();
      await sink.close();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      reader.stdin.destroy();
      reader.kill();
    }
  });

  it('writes to stdout by default (a real process)', async () => {
    const dist = new URL('../../../dist/runtime/', import.meta.url).pathname;
    const script = `
      import { createAlertSinks } from '${dist}alerts/index.js';
      import { compileRules } from '${dist}rules/engine.js';
      import { Metrics } from '${dist}metrics.js';
      const { ruleset } = compileRules([{ file: 'r.yaml', text: ${JSON.stringify(
        '- rule: Any exec\n  desc: d\n  condition: evt.type = execve\n  output: "exec %proc.cmdline"\n  priority: ERROR\n',
      )} }]);
      const sinks = createAlertSinks({ dedupWindowMs: 0 }, new Metrics());
      for (let i = 0; i < 3; i++) {
        const event = { ts: 1e12 + i, type: 'execve', proc: { pid: i, ppid: 1, tid: i, name: 'sh',
          exe: 'sh', cmdline: 'sh -c ' + i, args: ['-c', String(i)], uid: 0, gid: 0 }, evt: {} };
        for (const a of ruleset.evaluate(event)) sinks.emit(a);
      }
      await sinks.close();
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { rule: string; priority: string; output: string; container: unknown });
    expect(records.map((r) => [r.rule, r.priority, r.output])).toEqual([
      ['Any exec', 'Error', 'exec sh -c 0'],
      ['Any exec', 'Error', 'exec sh -c 1'],
      ['Any exec', 'Error', 'exec sh -c 2'],
    ]);
    expect(records[0]!.container).toEqual({ id: 'host', name: 'host' });
  });
});
