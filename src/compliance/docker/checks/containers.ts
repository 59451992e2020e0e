import type { DockerMount } from '../../../docker/types.js';
import { type CisCheck, DAEMON, eachContainer, result } from '../check.js';
import type { ContainerFacts } from '../context.js';

/** CIS Docker Benchmark §5: every running container's runtime configuration. */

const DANGEROUS_CAPS = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'NET_ADMIN',
  'NET_RAW',
  'DAC_READ_SEARCH',
  'DAC_OVERRIDE',
  'SETFCAP',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SYSLOG',
]);
const SENSITIVE_DIRS = [
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/proc',
  '/sys',
  '/usr',
  '/var/lib/docker',
  '/run',
  '/var/run',
];

const hc = (c: ContainerFacts) => c.inspect.HostConfig;
const secOpts = (c: ContainerFacts) => (hc(c).SecurityOpt ?? []).map((o) => o.replace(':', '='));
const capName = (cap: string) => cap.toUpperCase().replace(/^CAP_/, '');
const binds = (c: ContainerFacts) => c.inspect.Mounts.filter((m) => m.Type === 'bind');
const describeMount = (m: DockerMount) => `${m.Source}:${m.Destination}${m.RW ? '' : ':ro'}`;

function publishedPorts(c: ContainerFacts): { container: string; hostIp: string; hostPort: number }[] {
  const ports = c.inspect.NetworkSettings?.Ports ?? hc(c).PortBindings ?? {};
  return Object.entries(ports).flatMap(([container, bindings]) =>
    (bindings ?? []).map((b) => ({ container, hostIp: b.HostIp, hostPort: Number(b.HostPort) })),
  );
}

function sharesHostNamespace(mode: string | undefined): boolean {
  return mode === 'host';
}

export const containerChecks: CisCheck[] = [
  {
    id: '5.1',
    title: 'Do not enable swarm mode unless it is needed',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      'Swarm mode opens management ports and starts services that a single-host setup does not need.',
    remediation: 'docker swarm leave --force on hosts that are not part of a swarm.',
    evaluate: (ctx) => {
      const state = ctx.info.Swarm?.LocalNodeState ?? 'inactive';
      return [result(state === 'active' ? 'WARN' : 'PASS', DAEMON, `swarm ${state}`)];
    },
  },
  {
    id: '5.2',
    title: 'Run containers with an AppArmor profile',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'AppArmor confines what a container process may touch even when it runs as root.',
    remediation:
      'Run with --security-opt apparmor=PROFILE (docker-default is applied automatically on AppArmor hosts).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const profile = c.inspect.AppArmorProfile ?? '';
        if (!ctx.apparmorEnabled) return ['INFO', 'AppArmor is not enabled on this host'];
        return profile && profile !== 'unconfined'
          ? ['PASS', `profile ${profile}`]
          : ['FAIL', 'no AppArmor profile'];
      }),
  },
  {
    id: '5.3',
    title: 'Set SELinux security options where SELinux is used',
    severity: 'MEDIUM',
    scored: true,
    level: 2,
    description: 'SELinux labels confine container processes and their files.',
    remediation: 'Run dockerd with --selinux-enabled and containers with --security-opt label=...',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        if (!ctx.selinuxEnabled) return ['INFO', 'SELinux is not enabled on this host'];
        const labels = secOpts(c).filter((o) => o.startsWith('label='));
        return labels.length ? ['PASS', labels.join(', ')] : ['FAIL', 'no SELinux label options'];
      }),
  },
  {
    id: '5.4',
    title: 'Restrict Linux kernel capabilities',
    severity: 'HIGH',
    scored: true,
    level: 1,
    description:
      'Capabilities such as SYS_ADMIN or NET_ADMIN give a container powers close to root on the host.',
    remediation:
      'Run with --cap-drop ALL and add back only what the workload needs (e.g. --cap-add NET_BIND_SERVICE).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const added = (hc(c).CapAdd ?? []).map(capName);
        const dropped = (hc(c).CapDrop ?? []).map(capName);
        const dangerous = added.filter((cap) => DANGEROUS_CAPS.has(cap));
        if (dangerous.length) return ['FAIL', `adds ${dangerous.join(', ')}`];
        if (dropped.includes('ALL'))
          return ['PASS', `drops ALL${added.length ? `, adds ${added.join(', ')}` : ''}`];
        return [
          'WARN',
          `default capability set kept${dropped.length ? ` (drops ${dropped.join(', ')})` : ''}`,
        ];
      }),
  },
  {
    id: '5.5',
    title: 'Do not run privileged containers',
    severity: 'CRITICAL',
    scored: true,
    level: 1,
    description: 'A privileged container has every capability and every host device: escaping it is trivial.',
    remediation: 'Remove --privileged; grant specific capabilities or devices instead.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => (hc(c).Privileged ? ['FAIL', 'privileged'] : ['PASS', 'not privileged'])),
  },
  {
    id: '5.6',
    title: 'Do not mount sensitive host directories',
    severity: 'HIGH',
    scored: true,
    level: 1,
    description: 'Mounting /, /etc, /proc, /sys or /dev lets the container change or read the host itself.',
    remediation: 'Mount only the application data the container needs, read-only where possible.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const bad = binds(c).filter((m) => SENSITIVE_DIRS.includes(m.Source.replace(/\/+$/, '') || '/'));
        if (bad.length === 0) return ['PASS', 'no sensitive host directories mounted'];
        return [bad.some((m) => m.RW) ? 'FAIL' : 'WARN', bad.map(describeMount).join(', ')];
      }),
  },
  {
    id: '5.7',
    title: 'Do not run sshd in containers',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      'An SSH server in a container is one more service to patch and another way in; use docker exec.',
    remediation: 'Remove the SSH server from the image and use docker exec for access.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const sshd = c.processes.filter((p) => /(^|\/)sshd(\s|$|:)/.test(p));
        return sshd.length ? ['FAIL', `running: ${sshd[0]}`] : ['PASS', 'no sshd process'];
      }),
  },
  {
    id: '5.8',
    title: 'Do not map privileged host ports',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'Host ports below 1024 are reserved for privileged services.',
    remediation: 'Publish on host ports 1024 and above (-p 8080:80).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const low = publishedPorts(c).filter((p) => p.hostPort > 0 && p.hostPort < 1024);
        return low.length
          ? ['FAIL', low.map((p) => `${p.hostPort}->${p.container}`).join(', ')]
          : ['PASS', 'no privileged host ports'];
      }),
  },
  {
    id: '5.9',
    title: 'Open only the ports the container needs',
    severity: 'LOW',
    scored: false,
    level: 1,
    description: 'Every published port is reachable attack surface.',
    remediation: 'Publish only needed ports; avoid -P (publish all).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const ports = publishedPorts(c);
        return ports.length
          ? [
              'INFO',
              `publishes ${ports.map((p) => `${p.hostIp || '*'}:${p.hostPort}->${p.container}`).join(', ')}`,
            ]
          : ['PASS', 'no published ports'];
      }),
  },
  {
    id: '5.10',
    title: "Do not share the host's network namespace",
    severity: 'HIGH',
    scored: true,
    level: 1,
    description:
      'With --network host the container sees and can bind every host interface, including loopback services.',
    remediation: 'Use a bridge or user-defined network instead of --network host.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        hc(c).NetworkMode === 'host'
          ? ['FAIL', 'network mode host']
          : ['PASS', `network mode ${hc(c).NetworkMode ?? 'default'}`],
      ),
  },
  {
    id: '5.11',
    title: 'Limit container memory',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      'Without a memory limit one container can exhaust the host and trigger the OOM killer on others.',
    remediation: 'Run with --memory (and --memory-swap).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        (hc(c).Memory ?? 0) > 0
          ? ['PASS', `memory limit ${hc(c).Memory} bytes`]
          : ['FAIL', 'no memory limit'],
      ),
  },
  {
    id: '5.12',
    title: 'Set CPU limits or priority',
    severity: 'LOW',
    scored: true,
    level: 1,
    description: 'Without CPU shares, quota or cpus, one container can starve the others.',
    remediation: 'Run with --cpus, --cpu-shares or --cpu-quota.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const h = hc(c);
        const shares = h.CpuShares ?? 0;
        const set =
          (h.NanoCpus ?? 0) > 0 || (h.CpuQuota ?? 0) > 0 || (shares > 0 && shares !== 1024) || !!h.CpusetCpus;
        return set
          ? ['PASS', `cpus=${(h.NanoCpus ?? 0) / 1e9} shares=${shares} quota=${h.CpuQuota ?? 0}`]
          : ['FAIL', 'no CPU limit or priority'];
      }),
  },
  {
    id: '5.13',
    title: "Mount the container's root filesystem read-only",
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      'A read-only root filesystem stops an intruder from altering binaries or dropping tools in the container.',
    remediation: 'Run with --read-only and mount writable volumes or tmpfs only where data is written.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        hc(c).ReadonlyRootfs ? ['PASS', 'read-only root filesystem'] : ['FAIL', 'writable root filesystem'],
      ),
  },
  {
    id: '5.14',
    title: 'Bind published ports to a specific host interface',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'Ports published on 0.0.0.0 are reachable from every network the host is on.',
    remediation: 'Publish with an address: -p 127.0.0.1:8080:80.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const open = publishedPorts(c).filter(
          (p) => p.hostIp === '' || p.hostIp === '0.0.0.0' || p.hostIp === '::',
        );
        return open.length
          ? ['FAIL', open.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}`).join(', ')]
          : ['PASS', 'no ports on all interfaces'];
      }),
  },
  {
    id: '5.15',
    title: "Limit restarts with 'on-failure' and at most 5 retries",
    severity: 'LOW',
    scored: true,
    level: 1,
    description: 'An unlimited restart policy hides crash loops and can be abused to exhaust the host.',
    remediation: 'Use --restart on-failure:5.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const p = hc(c).RestartPolicy ?? { Name: 'no', MaximumRetryCount: 0 };
        const bad =
          p.Name === 'always' ||
          p.Name === 'unless-stopped' ||
          (p.Name === 'on-failure' && (p.MaximumRetryCount === 0 || p.MaximumRetryCount > 5));
        return [
          bad ? 'FAIL' : 'PASS',
          `restart policy ${p.Name || 'no'}${p.Name === 'on-failure' ? `:${p.MaximumRetryCount}` : ''}`,
        ];
      }),
  },
  {
    id: '5.16',
    title: "Do not share the host's process namespace",
    severity: 'HIGH',
    scored: true,
    level: 1,
    description: 'With --pid host the container sees every host process and can signal or ptrace them.',
    remediation: 'Remove --pid host.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        sharesHostNamespace(hc(c).PidMode) ? ['FAIL', 'pid mode host'] : ['PASS', 'own pid namespace'],
      ),
  },
  {
    id: '5.17',
    title: "Do not share the host's IPC namespace",
    severity: 'HIGH',
    scored: true,
    level: 1,
    description: "Sharing the host's IPC namespace exposes host shared memory and semaphores.",
    remediation: 'Remove --ipc host.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        sharesHostNamespace(hc(c).IpcMode)
          ? ['FAIL', 'ipc mode host']
          : ['PASS', `ipc mode ${hc(c).IpcMode || 'private'}`],
      ),
  },
  {
    id: '5.18',
    title: 'Do not expose host devices directly',
    severity: 'MEDIUM',
    scored: false,
    level: 1,
    description: 'A host device in a container can be read or written below the filesystem layer.',
    remediation: 'Remove --device unless the workload needs it, and then limit it (:r).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const devices = hc(c).Devices ?? [];
        return devices.length
          ? ['WARN', devices.map((d) => d.PathOnHost).join(', ')]
          : ['PASS', 'no host devices'];
      }),
  },
  {
    id: '5.19',
    title: 'Override the default ulimit only when needed',
    severity: 'LOW',
    scored: false,
    level: 1,
    description: 'Per-container ulimits should be deliberate deviations from the daemon default.',
    remediation: 'Use --ulimit only where the workload needs it.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const u = hc(c).Ulimits ?? [];
        return u.length
          ? ['INFO', `overrides ${u.map((x) => x.Name).join(', ')}`]
          : ['PASS', 'daemon default ulimits'];
      }),
  },
  {
    id: '5.20',
    title: 'Do not use shared mount propagation',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'Shared propagation lets mounts made inside the container appear on the host.',
    remediation: 'Mount volumes with the default private propagation.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const shared = c.inspect.Mounts.filter(
          (m) => m.Propagation === 'shared' || m.Propagation === 'rshared',
        );
        return shared.length
          ? ['FAIL', shared.map(describeMount).join(', ')]
          : ['PASS', 'no shared mount propagation'];
      }),
  },
  {
    id: '5.21',
    title: "Do not share the host's UTS namespace",
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: "With --uts host the container can change the host's hostname.",
    remediation: 'Remove --uts host.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        sharesHostNamespace(hc(c).UTSMode) ? ['FAIL', 'uts mode host'] : ['PASS', 'own uts namespace'],
      ),
  },
  {
    id: '5.22',
    title: 'Do not disable the default seccomp profile',
    severity: 'HIGH',
    scored: true,
    level: 1,
    description: 'seccomp=unconfined re-opens ~50 syscalls, including several used in kernel exploits.',
    remediation: 'Remove --security-opt seccomp=unconfined, or supply a custom profile.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        secOpts(c).includes('seccomp=unconfined') || hc(c).Privileged
          ? ['FAIL', 'seccomp unconfined']
          : ['PASS', 'seccomp profile applied'],
      ),
  },
  {
    id: '5.25',
    title: 'Confirm the cgroup of each container',
    severity: 'LOW',
    scored: true,
    level: 1,
    description: 'A custom --cgroup-parent moves a container outside the limits the daemon applies.',
    remediation: 'Use --cgroup-parent only deliberately.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        hc(c).CgroupParent
          ? ['WARN', `cgroup parent ${hc(c).CgroupParent}`]
          : ['PASS', 'default cgroup parent'],
      ),
  },
  {
    id: '5.26',
    title: 'Stop the container from acquiring new privileges',
    severity: 'HIGH',
    scored: true,
    level: 1,
    description:
      'Without no-new-privileges, setuid binaries inside the container can raise a process to root.',
    remediation: 'Run with --security-opt no-new-privileges (or set it daemon-wide).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const on =
          secOpts(c).some((o) => o === 'no-new-privileges' || o === 'no-new-privileges=true') ||
          ctx.daemon.bool('no-new-privileges') === true;
        return on ? ['PASS', 'no-new-privileges set'] : ['FAIL', 'no-new-privileges not set'];
      }),
  },
  {
    id: '5.27',
    title: 'Check container health at run time',
    severity: 'LOW',
    scored: true,
    level: 1,
    description: 'A health check lets the engine and orchestrators notice a container that no longer works.',
    remediation: 'Add HEALTHCHECK to the image or run with --health-cmd.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const health = c.inspect.State.Health?.Status;
        return health ? ['PASS', `health ${health}`] : ['FAIL', 'no health check'];
      }),
  },
  {
    id: '5.29',
    title: 'Limit the number of processes (PIDs cgroup)',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'Without a PIDs limit a fork bomb in one container takes down the host.',
    remediation: 'Run with --pids-limit (e.g. 200).',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const limit = hc(c).PidsLimit ?? 0;
        return limit > 0 ? ['PASS', `pids limit ${limit}`] : ['FAIL', 'no pids limit'];
      }),
  },
  {
    id: '5.30',
    title: "Do not use Docker's default bridge docker0",
    severity: 'LOW',
    scored: false,
    level: 2,
    description:
      'On the default bridge every container can reach every other one; user-defined networks isolate them.',
    remediation: 'Attach containers to user-defined networks.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const mode = hc(c).NetworkMode ?? 'default';
        return mode === 'default' || mode === 'bridge'
          ? ['WARN', 'on the default bridge']
          : ['PASS', `network ${mode}`];
      }),
  },
  {
    id: '5.31',
    title: "Do not share the host's user namespace",
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: '--userns host turns off user namespace remapping for this container.',
    remediation: 'Remove --userns host.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) =>
        sharesHostNamespace(hc(c).UsernsMode) ? ['FAIL', 'userns mode host'] : ['PASS', 'userns not shared'],
      ),
  },
  {
    id: '5.32',
    title: 'Do not mount the Docker socket in containers',
    severity: 'CRITICAL',
    scored: true,
    level: 1,
    description: 'Access to docker.sock lets the container start a privileged container and own the host.',
    remediation:
      'Remove the docker.sock mount; use a narrowly scoped API proxy if the workload needs Docker.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const sock = binds(c).filter(
          (m) => m.Source.endsWith('docker.sock') || m.Destination.endsWith('docker.sock'),
        );
        return sock.length
          ? ['FAIL', sock.map(describeMount).join(', ')]
          : ['PASS', 'docker.sock not mounted'];
      }),
  },
];
