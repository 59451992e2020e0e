import type { Severity } from '../../../types.js';
import { type CheckResult, type CisCheck, result } from '../check.js';
import type { DockerHostContext, HostFile } from '../context.js';

/** CIS Docker Benchmark §3: ownership and permissions of the daemon's files, as data. */

interface GuardedFiles {
  ownerId: string;
  modeId: string;
  what: string;
  /** Host paths to judge; none existing gives INFO. */
  paths(ctx: DockerHostContext): string[];
  group: 'root' | 'docker';
  maxMode: number;
  severity: Severity;
  why: string;
}

const unitDirs = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

function daemonFile(name: 'tlscacert' | 'tlscert' | 'tlskey') {
  return (ctx: DockerHostContext) => {
    const v = ctx.daemon.get(name);
    return typeof v === 'string' ? [v] : [];
  };
}

function dockerSockets(ctx: DockerHostContext): string[] {
  const unix = ctx.daemon
    .list('hosts')
    .filter((h) => h.startsWith('unix://'))
    .map((h) => h.slice('unix://'.length));
  return unix.length ? unix : ['/var/run/docker.sock'];
}

const GUARDED: GuardedFiles[] = [
  {
    ownerId: '3.1',
    modeId: '3.2',
    what: 'docker.service unit',
    paths: () => unitDirs.map((d) => `${d}/docker.service`),
    group: 'root',
    maxMode: 0o644,
    severity: 'MEDIUM',
    why: "The unit file holds the daemon's command line; whoever can edit it can start dockerd insecurely.",
  },
  {
    ownerId: '3.3',
    modeId: '3.4',
    what: 'docker.socket unit',
    paths: () => unitDirs.map((d) => `${d}/docker.socket`),
    group: 'root',
    maxMode: 0o644,
    severity: 'MEDIUM',
    why: 'The socket unit decides who may open the Docker API socket.',
  },
  {
    ownerId: '3.5',
    modeId: '3.6',
    what: '/etc/docker directory',
    paths: () => ['/etc/docker'],
    group: 'root',
    maxMode: 0o755,
    severity: 'MEDIUM',
    why: '/etc/docker holds the daemon configuration and TLS material.',
  },
  {
    ownerId: '3.7',
    modeId: '3.8',
    what: 'registry certificates',
    paths: (ctx) => ctx.listDir('/etc/docker/certs.d'),
    group: 'root',
    maxMode: 0o444,
    severity: 'MEDIUM',
    why: 'Registry certificates decide which registries the daemon trusts.',
  },
  {
    ownerId: '3.9',
    modeId: '3.10',
    what: 'TLS CA certificate',
    paths: daemonFile('tlscacert'),
    group: 'root',
    maxMode: 0o444,
    severity: 'HIGH',
    why: 'The CA certificate decides which clients may use the API over TCP.',
  },
  {
    ownerId: '3.11',
    modeId: '3.12',
    what: 'server TLS certificate',
    paths: daemonFile('tlscert'),
    group: 'root',
    maxMode: 0o444,
    severity: 'MEDIUM',
    why: "The server certificate is the daemon's identity to its clients.",
  },
  {
    ownerId: '3.13',
    modeId: '3.14',
    what: 'server TLS key',
    paths: daemonFile('tlskey'),
    group: 'root',
    maxMode: 0o400,
    severity: 'HIGH',
    why: 'Whoever reads the key can impersonate the daemon.',
  },
  {
    ownerId: '3.15',
    modeId: '3.16',
    what: 'Docker socket',
    paths: dockerSockets,
    group: 'docker',
    maxMode: 0o660,
    severity: 'CRITICAL',
    why: 'Write access to the socket is root on the host.',
  },
  {
    ownerId: '3.17',
    modeId: '3.18',
    what: 'daemon.json',
    paths: (ctx) => [ctx.daemon.sources.configFile ?? '/etc/docker/daemon.json'],
    group: 'root',
    maxMode: 0o644,
    severity: 'MEDIUM',
    why: 'daemon.json configures every security setting of the daemon.',
  },
  {
    ownerId: '3.19',
    modeId: '3.20',
    what: '/etc/default/docker',
    paths: () => ['/etc/default/docker'],
    group: 'root',
    maxMode: 0o644,
    severity: 'LOW',
    why: '/etc/default/docker can add flags to the daemon.',
  },
  {
    ownerId: '3.22',
    modeId: '3.21',
    what: '/etc/sysconfig/docker',
    paths: () => ['/etc/sysconfig/docker'],
    group: 'root',
    maxMode: 0o644,
    severity: 'LOW',
    why: '/etc/sysconfig/docker can add flags to the daemon.',
  },
  {
    ownerId: '3.23',
    modeId: '3.24',
    what: 'containerd socket',
    paths: () => ['/run/containerd/containerd.sock'],
    group: 'root',
    maxMode: 0o660,
    severity: 'CRITICAL',
    why: 'Write access to the containerd socket runs any container, privileged ones included.',
  },
];

function present(ctx: DockerHostContext, g: GuardedFiles): HostFile[] {
  return g
    .paths(ctx)
    .map((p) => ctx.file(p))
    .filter((f) => f.exists);
}

function judge(
  ctx: DockerHostContext,
  g: GuardedFiles,
  test: (f: HostFile) => [boolean, string],
): CheckResult[] {
  const files = present(ctx, g);
  if (files.length === 0) return [result('INFO', g.what, `${g.what} not present`)];
  return files.map((f) => {
    const [ok, evidence] = test(f);
    return result(ok ? 'PASS' : 'FAIL', f.path, evidence);
  });
}

const octal = (m: number) => m.toString(8).padStart(4, '0');

export const fileChecks: CisCheck[] = GUARDED.flatMap((g): CisCheck[] => [
  {
    id: g.ownerId,
    title: `${g.what}: owned by root:${g.group}`,
    severity: g.severity,
    scored: true,
    level: 1,
    description: g.why,
    remediation: `chown root:${g.group} the ${g.what}.`,
    evaluate: (ctx) =>
      judge(ctx, g, (f) => {
        const gid = g.group === 'docker' ? [0, ctx.dockerGroupGid] : [0];
        return [f.uid === 0 && gid.includes(f.gid), `owner uid ${f.uid}, gid ${f.gid}`];
      }),
  },
  {
    id: g.modeId,
    title: `${g.what}: permissions ${octal(g.maxMode).slice(1)} or stricter`,
    severity: g.severity,
    scored: true,
    level: 1,
    description: g.why,
    remediation: `chmod ${octal(g.maxMode).slice(1)} the ${g.what}.`,
    evaluate: (ctx) =>
      judge(ctx, g, (f) => [((f.mode ?? 0) & ~g.maxMode) === 0, `mode ${octal(f.mode ?? 0)}`]),
  },
]);
