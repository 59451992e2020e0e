import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerFacts, DockerHostContext, HostFile } from '../../src/compliance/docker/context.js';
import { selfContainerId } from '../../src/compliance/docker/context.js';
import { DaemonSettings, parseDaemonArgs } from '../../src/compliance/docker/daemon-settings.js';
import { evaluateChecks, selectChecks } from '../../src/compliance/docker/index.js';
import type { ContainerInspect } from '../../src/docker/types.js';

function container(
  name: string,
  host: Partial<ContainerInspect['HostConfig']> = {},
  extra: Partial<ContainerInspect> = {},
): ContainerFacts {
  const inspect: ContainerInspect = {
    Id: `${name.padEnd(12, '0')}${'a'.repeat(52)}`,
    Name: `/${name}`,
    Image: 'sha256:1',
    State: { Status: 'running', Running: true, Pid: 1 },
    Config: { Image: 'app', User: '' },
    HostConfig: { NetworkMode: 'bridge', ...host },
    Mounts: [],
    ...extra,
  };
  return { inspect, name, processes: ['sleep infinity'] };
}

function context(
  over: Partial<DockerHostContext> = {},
  args: string[] = [],
  json: Record<string, unknown> = {},
): DockerHostContext {
  const files = new Map<string, HostFile>();
  return {
    info: {
      Driver: 'overlay2',
      LoggingDriver: 'json-file',
      SecurityOptions: ['name=seccomp,profile=builtin'],
    },
    daemon: new DaemonSettings(parseDaemonArgs(args), json, { configFile: '/etc/docker/daemon.json' }),
    file: (p) => files.get(p) ?? { path: p, exists: false },
    listDir: () => [],
    contentTrust: false,
    apparmorEnabled: false,
    selinuxEnabled: false,
    containers: [],
    images: [],
    warnings: [],
    ...over,
  };
}

const statusOf = (ctx: DockerHostContext, id: string, subject?: string) =>
  evaluateChecks(ctx, selectChecks([id]))
    .filter((f) => !subject || f.target.startsWith(subject))
    .map((f) => f.status);

describe('dockerd settings', () => {
  it('reads flags in every spelling, flags winning over daemon.json', () => {
    const s = new DaemonSettings(
      parseDaemonArgs([
        '-H',
        'fd://',
        '--host=tcp://0.0.0.0:2375',
        '--icc=false',
        '--live-restore',
        '--log-level',
        'debug',
      ]),
      { icc: true, 'userland-proxy': false, 'insecure-registries': ['r:5000'] },
      {},
    );
    expect(s.list('hosts')).toEqual(['fd://', 'tcp://0.0.0.0:2375']);
    expect(s.bool('icc')).toBe(false);
    expect(s.bool('live-restore')).toBe(true);
    expect(s.get('log-level')).toBe('debug');
    expect(s.bool('userland-proxy')).toBe(false);
    expect(s.list('insecure-registries')).toEqual(['r:5000']);
    expect(s.describe('icc')).toBe('dockerd flag --icc=false');
  });

  it('never throws on arbitrary argv', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (argv) => {
        parseDaemonArgs(argv);
      }),
    );
  });

  it('finds the container id in cgroup v1 and v2 views of /proc/self', () => {
    const id = 'ab'.repeat(32);
    const v1 = mkdtempSync(join(tmpdir(), 'rf-self-'));
    writeFileSync(join(v1, 'cgroup'), `12:pids:/docker/${id}\n0::/system.slice/docker-${id}.scope\n`);
    const v2 = mkdtempSync(join(tmpdir(), 'rf-self-'));
    writeFileSync(join(v2, 'cgroup'), '0::/\n');
    writeFileSync(
      join(v2, 'mountinfo'),
      `612 590 254:1 /var/lib/docker/containers/${id}/resolv.conf /etc/resolv.conf rw\n`,
    );
    const host = mkdtempSync(join(tmpdir(), 'rf-self-'));
    writeFileSync(join(host, 'cgroup'), '0::/user.slice\n');
    expect([selfContainerId(v1), selfContainerId(v2), selfContainerId(host)]).toEqual([id, id, undefined]);
    for (const d of [v1, v2, host]) rmSync(d, { recursive: true });
  });
});

describe('CIS Docker checks on a gathered context', () => {
  it('2.7 fails a TCP socket without TLS verification and passes one with it', () => {
    expect(statusOf(context({}, ['-H', 'tcp://0.0.0.0:2375']), '2.7')).toEqual(['FAIL']);
    expect(statusOf(context({}, ['-H', 'tcp://0.0.0.0:2376', '--tlsverify']), '2.7')).toEqual(['PASS']);
    expect(statusOf(context({}, ['-H', 'unix:///var/run/docker.sock']), '2.7')).toEqual(['PASS']);
  });

  it('2.5 ignores the default loopback range and flags real insecure registries', () => {
    const ok = context({
      info: { RegistryConfig: { InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: {} } },
    });
    expect(statusOf(ok, '2.5')).toEqual(['PASS']);
    const bad = context({
      info: {
        RegistryConfig: {
          InsecureRegistryCIDRs: ['127.0.0.0/8'],
          IndexConfigs: { 'r:5000': { Name: 'r:5000', Secure: false } },
        },
      },
    });
    expect(statusOf(bad, '2.5')).toEqual(['FAIL']);
  });

  it('3.15/3.16 judge the socket owner and mode', () => {
    const file =
      (mode: number, gid: number): DockerHostContext['file'] =>
      (p) => ({ path: p, exists: true, uid: 0, gid, mode });
    expect(statusOf(context({ file: file(0o660, 998), dockerGroupGid: 998 }), '3.15')).toEqual(['PASS']);
    expect(statusOf(context({ file: file(0o666, 998), dockerGroupGid: 998 }), '3.16')).toEqual(['FAIL']);
    expect(statusOf(context({ file: file(0o660, 1000), dockerGroupGid: 998 }), '3.15')).toEqual(['FAIL']);
  });

  it('5.4 fails dangerous added capabilities, passes drop-ALL, warns on the default set', () => {
    const ctx = context({
      containers: [
        container('a', { CapAdd: ['SYS_ADMIN'] }),
        container('b', { CapDrop: ['ALL'], CapAdd: ['NET_BIND_SERVICE'] }),
        container('c', {}),
      ],
    });
    expect(statusOf(ctx, '5.4')).toEqual(['FAIL', 'PASS', 'WARN']);
  });

  it('5.6 fails writable sensitive host mounts and warns on read-only ones', () => {
    const m = (Source: string, RW: boolean) => ({ Type: 'bind', Source, Destination: '/host', RW });
    const ctx = context({
      containers: [
        container('rw', {}, { Mounts: [m('/etc', true)] }),
        container('ro', {}, { Mounts: [m('/proc', false)] }),
        container('data', {}, { Mounts: [m('/srv/data', true)] }),
      ],
    });
    expect(statusOf(ctx, '5.6')).toEqual(['FAIL', 'WARN', 'PASS']);
  });

  it('5.7, 5.8, 5.14 read processes and published ports', () => {
    const sshd = container('ssh');
    sshd.processes = ['/usr/sbin/sshd -D'];
    const ports = container(
      'web',
      {},
      { NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '80' }] } } },
    );
    const local = container(
      'local',
      {},
      { NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } } },
    );
    const ctx = context({ containers: [sshd, ports, local] });
    expect(statusOf(ctx, '5.7')).toEqual(['FAIL', 'PASS', 'PASS']);
    expect(statusOf(ctx, '5.8')).toEqual(['PASS', 'FAIL', 'PASS']);
    expect(statusOf(ctx, '5.14')).toEqual(['PASS', 'FAIL', 'PASS']);
  });

  it('5.15 accepts on-failure up to 5 retries only', () => {
    const ctx = context({
      containers: [
        container('a', { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }),
        container('b', { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } }),
        container('c', { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 10 } }),
        container('d', { RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } }),
      ],
    });
    expect(statusOf(ctx, '5.15')).toEqual(['FAIL', 'PASS', 'FAIL', 'PASS']);
  });

  it('5.26 passes when the daemon sets no-new-privileges for everyone', () => {
    const c = [container('a')];
    expect(statusOf(context({ containers: c }), '5.26')).toEqual(['FAIL']);
    expect(statusOf(context({ containers: c }, [], { 'no-new-privileges': true }), '5.26')).toEqual(['PASS']);
  });

  it('4.10 finds secrets in image history and environment', () => {
    const ctx = context({
      images: [
        {
          name: 'app:1',
          inspect: { Id: 'sha256:1', Config: { Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2'] } },
          history: [{ Id: '1', Created: 0, Size: 0, CreatedBy: '/bin/sh -c #(nop)  ENV API_KEY=abc123' }],
        },
        { name: 'clean:1', inspect: { Id: 'sha256:2', Config: { Env: ['PATH=/usr/bin'] } }, history: [] },
      ],
    });
    const f = evaluateChecks(ctx, selectChecks(['4.10']));
    expect(f.map((x) => [x.target, x.status])).toEqual([
      ['image app:1', 'FAIL'],
      ['image clean:1', 'PASS'],
    ]);
    expect(String(f[0]!.details?.evidence)).toContain('API_KEY');
  });

  it('rejects unknown check ids and selects whole sections', () => {
    expect(() => selectChecks(['7.1'])).toThrow('unknown CIS Docker check(s) 7.1');
    expect(selectChecks(['2']).map((c) => c.id)).toContain('2.14');
    expect(selectChecks(['2']).every((c) => c.id.startsWith('2.'))).toBe(true);
  });
});
