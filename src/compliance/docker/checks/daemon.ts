import { type CisCheck, DAEMON, result } from '../check.js';

/** CIS Docker Benchmark §2: daemon configuration (dockerd flags, daemon.json, docker info). */
export const daemonChecks: CisCheck[] = [
  {
    id: '2.1',
    title: 'Run the Docker daemon as a non-root user where possible',
    severity: 'MEDIUM',
    scored: false,
    level: 2,
    description:
      'A rootless daemon turns a container escape into the compromise of one unprivileged user, not of the host.',
    remediation:
      'Consider rootless mode (dockerd-rootless-setuptool.sh install) where its limitations are acceptable.',
    evaluate: (ctx) => {
      const rootless = (ctx.info.SecurityOptions ?? []).some((o) => o.includes('name=rootless'));
      return [
        result(rootless ? 'PASS' : 'INFO', DAEMON, rootless ? 'rootless daemon' : 'daemon runs as root'),
      ];
    },
  },
  {
    id: '2.2',
    title: 'Restrict network traffic between containers on the default bridge',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      'With inter-container communication enabled, every container on the default bridge can reach every other one, so one compromised container can probe all the others.',
    remediation:
      'Start dockerd with --icc=false (or "icc": false in daemon.json) and link containers through user-defined networks.',
    evaluate: (ctx) => {
      const icc = ctx.bridgeIcc ?? ctx.daemon.bool('icc') ?? true;
      return [
        result(
          icc ? 'FAIL' : 'PASS',
          DAEMON,
          ctx.bridgeIcc === undefined ? ctx.daemon.describe('icc') : `bridge network enable_icc=${icc}`,
        ),
      ];
    },
  },
  {
    id: '2.3',
    title: "Set the daemon's logging level to 'info'",
    severity: 'LOW',
    scored: true,
    level: 1,
    description: "A level of 'info' records what an audit needs without the volume and secrets of 'debug'.",
    remediation: 'Remove --log-level or set it to info.',
    evaluate: (ctx) => {
      const level = ctx.daemon.get('log-level') ?? (ctx.daemon.bool('debug') ? 'debug' : 'info');
      return [result(level === 'info' ? 'PASS' : 'FAIL', DAEMON, ctx.daemon.describe('log-level'))];
    },
  },
  {
    id: '2.4',
    title: 'Allow Docker to make changes to iptables',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      'When Docker manages iptables its network rules stay consistent with the containers it runs.',
    remediation: 'Remove --iptables=false from the daemon configuration.',
    evaluate: (ctx) => [
      result(
        ctx.daemon.bool('iptables') === false ? 'FAIL' : 'PASS',
        DAEMON,
        ctx.daemon.describe('iptables'),
      ),
    ],
  },
  {
    id: '2.5',
    title: 'Do not use insecure registries',
    severity: 'HIGH',
    scored: true,
    level: 1,
    description:
      'An insecure registry is reached over plain HTTP or with unverified TLS, so images can be swapped in transit.',
    remediation: 'Remove --insecure-registry entries and give every registry a valid TLS certificate.',
    evaluate: (ctx) => {
      const cidrs = (ctx.info.RegistryConfig?.InsecureRegistryCIDRs ?? []).filter(
        (c) => c !== '127.0.0.0/8' && c !== '::1/128',
      );
      const indexes = Object.values(ctx.info.RegistryConfig?.IndexConfigs ?? {})
        .filter((i) => !i.Secure)
        .map((i) => i.Name);
      const insecure = [...cidrs, ...indexes];
      return [
        result(
          insecure.length ? 'FAIL' : 'PASS',
          DAEMON,
          insecure.length ? `insecure: ${insecure.join(', ')}` : 'no insecure registries',
        ),
      ];
    },
  },
  {
    id: '2.6',
    title: 'Do not use the aufs storage driver',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'aufs is unmaintained and has known kernel crashes; overlay2 is the supported driver.',
    remediation: 'Use overlay2 (--storage-driver overlay2).',
    evaluate: (ctx) => [
      result(
        ctx.info.Driver === 'aufs' ? 'FAIL' : 'PASS',
        DAEMON,
        `storage driver ${ctx.info.Driver ?? 'unknown'}`,
      ),
    ],
  },
  {
    id: '2.7',
    title: 'Require TLS authentication when the daemon listens on TCP',
    severity: 'CRITICAL',
    scored: true,
    level: 1,
    description:
      'The Docker API on a TCP socket without mutual TLS gives root on the host to anyone who can reach the port.',
    remediation:
      'Listen on the unix socket only, or use --tlsverify with --tlscacert, --tlscert and --tlskey.',
    evaluate: (ctx) => {
      const tcp = ctx.daemon.list('hosts').filter((h) => h.startsWith('tcp://'));
      if (tcp.length === 0) return [result('PASS', DAEMON, 'daemon does not listen on TCP')];
      const verified = ctx.daemon.bool('tlsverify') === true;
      return [
        result(verified ? 'PASS' : 'FAIL', DAEMON, `listens on ${tcp.join(', ')}; tlsverify=${verified}`),
      ];
    },
  },
  {
    id: '2.8',
    title: 'Configure a default ulimit',
    severity: 'LOW',
    scored: false,
    level: 1,
    description:
      'Default ulimits bound the resources (open files, processes) any container gets unless told otherwise.',
    remediation: 'Set --default-ulimit (e.g. nofile=1024:4096) or "default-ulimits" in daemon.json.',
    evaluate: (ctx) => {
      const set = ctx.daemon.list('default-ulimits');
      return [
        result(
          set.length ? 'PASS' : 'WARN',
          DAEMON,
          set.length ? `default ulimits: ${set.join(', ')}` : 'no default ulimits',
        ),
      ];
    },
  },
  {
    id: '2.9',
    title: 'Enable user namespace remapping',
    severity: 'MEDIUM',
    scored: true,
    level: 2,
    description: 'With userns-remap, root inside a container maps to an unprivileged user on the host.',
    remediation: 'Set --userns-remap=default (or a dedicated user) after checking volume ownership.',
    evaluate: (ctx) => {
      const on = (ctx.info.SecurityOptions ?? []).some((o) => o.includes('name=userns'));
      return [
        result(
          on ? 'PASS' : 'FAIL',
          DAEMON,
          on ? 'userns remapping on' : 'user namespace remapping not enabled',
        ),
      ];
    },
  },
  {
    id: '2.10',
    title: 'Confirm the default cgroup parent',
    severity: 'LOW',
    scored: true,
    level: 2,
    description:
      'A custom --cgroup-parent changes where containers are accounted and limited; it should be deliberate.',
    remediation: 'Leave --cgroup-parent at its default unless a documented need exists.',
    evaluate: (ctx) => {
      const parent = ctx.daemon.get('cgroup-parent');
      return [result(parent ? 'WARN' : 'PASS', DAEMON, ctx.daemon.describe('cgroup-parent'))];
    },
  },
  {
    id: '2.11',
    title: 'Do not change the base device size until needed',
    severity: 'LOW',
    scored: true,
    level: 2,
    description: 'A larger dm.basesize lets a container fill the host disk.',
    remediation: 'Remove the dm.basesize storage option unless it is needed.',
    evaluate: (ctx) => {
      const opts = ctx.daemon.list('storage-opts').filter((o) => o.startsWith('dm.basesize'));
      return [
        result(opts.length ? 'WARN' : 'PASS', DAEMON, opts.length ? opts.join(', ') : 'dm.basesize not set'),
      ];
    },
  },
  {
    id: '2.12',
    title: 'Enable an authorization plugin for Docker client commands',
    severity: 'MEDIUM',
    scored: true,
    level: 2,
    description: 'Without an authorization plugin, anyone who can reach the socket can run any API call.',
    remediation:
      "Install an authorization plugin (for example Ringfence's Docker AuthZ plugin) and start dockerd with --authorization-plugin.",
    evaluate: (ctx) => {
      const plugins = ctx.info.Plugins?.Authorization ?? [];
      return [
        result(
          plugins.length ? 'PASS' : 'FAIL',
          DAEMON,
          plugins.length ? `plugins: ${plugins.join(', ')}` : 'no authorization plugin',
        ),
      ];
    },
  },
  {
    id: '2.13',
    title: 'Send container logs to a central, remote store',
    severity: 'LOW',
    scored: true,
    level: 2,
    description: 'Logs kept only on the host are lost with it and can be altered by whoever controls it.',
    remediation: 'Use a remote logging driver (syslog, journald forwarding, fluentd, gelf...).',
    evaluate: (ctx) => {
      const driver = ctx.info.LoggingDriver ?? 'json-file';
      const local = ['json-file', 'local', 'none'].includes(driver);
      return [result(local ? 'FAIL' : 'PASS', DAEMON, `logging driver ${driver}`)];
    },
  },
  {
    id: '2.15',
    title: 'Enable live restore',
    severity: 'LOW',
    scored: true,
    level: 1,
    description: 'Live restore keeps containers running while the daemon restarts or is upgraded.',
    remediation: 'Set --live-restore or "live-restore": true.',
    evaluate: (ctx) => [
      result(
        ctx.info.LiveRestoreEnabled ? 'PASS' : 'FAIL',
        DAEMON,
        `live restore ${ctx.info.LiveRestoreEnabled ? 'on' : 'off'}`,
      ),
    ],
  },
  {
    id: '2.16',
    title: 'Disable the userland proxy',
    severity: 'LOW',
    scored: true,
    level: 1,
    description:
      'Hairpin NAT replaces the docker-proxy process, removing one more privileged process and attack surface.',
    remediation: 'Set --userland-proxy=false.',
    evaluate: (ctx) => [
      result(
        ctx.daemon.bool('userland-proxy') === false ? 'PASS' : 'FAIL',
        DAEMON,
        ctx.daemon.describe('userland-proxy'),
      ),
    ],
  },
  {
    id: '2.17',
    title: 'Apply a daemon-wide custom seccomp profile where appropriate',
    severity: 'LOW',
    scored: false,
    level: 2,
    description: "Docker's default seccomp profile allows ~300 syscalls; a tailored profile narrows that.",
    remediation:
      'Set --seccomp-profile to a reviewed profile (Ringfence can learn one from observed behaviour).',
    evaluate: (ctx) => {
      const p = ctx.daemon.get('seccomp-profile');
      return [
        result(
          p ? 'PASS' : 'INFO',
          DAEMON,
          p ? `seccomp profile ${String(p)}` : "Docker's default seccomp profile in use",
        ),
      ];
    },
  },
  {
    id: '2.18',
    title: 'Do not run experimental features in production',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description: 'Experimental features are unstable and not covered by security support.',
    remediation: 'Remove --experimental.',
    evaluate: (ctx) => [
      result(
        ctx.info.ExperimentalBuild ? 'FAIL' : 'PASS',
        DAEMON,
        `experimental ${ctx.info.ExperimentalBuild ? 'on' : 'off'}`,
      ),
    ],
  },
  {
    id: '2.14',
    title: 'Stop containers from acquiring new privileges by default',
    severity: 'MEDIUM',
    scored: true,
    level: 1,
    description:
      "no-new-privileges blocks setuid binaries and file capabilities from raising a process's privileges.",
    remediation: 'Set --no-new-privileges or "no-new-privileges": true.',
    evaluate: (ctx) => [
      result(
        ctx.daemon.bool('no-new-privileges') ? 'PASS' : 'FAIL',
        DAEMON,
        ctx.daemon.describe('no-new-privileges'),
      ),
    ],
  },
];
