import type { Check } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { installs, type Manager, packageInvocation } from '../packages.js';
import { commandText, hitInRun, runs } from '../queries.js';

const UPDATES: Partial<Record<Manager, readonly string[]>> = {
  'apt-get': ['update'],
  apt: ['update'],
  apk: ['update'],
  yum: ['makecache', 'check-update'],
  zypper: ['refresh', 'ref'],
};
const FAMILY: Partial<Record<Manager, string>> = {
  'apt-get': 'apt',
  apt: 'apt',
  apk: 'apk',
  yum: 'yum',
  zypper: 'zypper',
};

export const updateAlone: Check<Dockerfile> = {
  id: 'RF-DF-003',
  title: 'Package index updated in a RUN of its own',
  severity: 'MEDIUM',
  description:
    'A RUN that only refreshes the package index (`apt-get update`) is cached as its own layer. Later builds reuse that stale index while the install in a following RUN changes, so they install outdated packages, or fail once the old versions leave the mirror.',
  remediation:
    'Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends pkg && rm -rf /var/lib/apt/lists/*`.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#apt-get',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.7' },
  *run(df) {
    for (const run of runs(df)) {
      const commands = run.script?.commands ?? [];
      const families = new Set<string>();
      for (const c of commands) {
        const inv = packageInvocation(c);
        if (inv && (installs(inv) || /upgrade/.test(inv.subcommand))) families.add(FAMILY[inv.manager] ?? '');
      }
      for (const c of commands) {
        const inv = packageInvocation(c);
        if (!inv || !UPDATES[inv.manager]?.includes(inv.subcommand)) continue;
        if (!families.has(FAMILY[inv.manager]!)) {
          yield hitInRun(run, c, `"${commandText(c)}" without an install in the same RUN`);
        }
      }
    }
  },
};

const UPGRADES: Partial<Record<Manager, readonly string[]>> = {
  'apt-get': ['upgrade', 'dist-upgrade', 'full-upgrade'],
  apt: ['upgrade', 'dist-upgrade', 'full-upgrade'],
  apk: ['upgrade'],
  yum: ['update', 'upgrade', 'distro-sync', 'dist-upgrade'],
  zypper: ['update', 'up', 'dist-upgrade', 'dup'],
};

export const distributionUpgrade: Check<Dockerfile> = {
  id: 'RF-DF-014',
  title: 'Whole-distribution upgrade in the image',
  severity: 'LOW',
  description:
    'Upgrading every package while building (`apt-get upgrade`, `apk upgrade`, `yum update`) makes the image differ from build to build, can pull in changes the base image maintainers deliberately held back, and hides which base image the container really runs on.',
  remediation:
    'Rebuild on a newer, patched base image instead (pin it by digest and let a bot update it); upgrade single packages by name when a fix cannot wait.',
  references: ['https://docs.docker.com/build/building/best-practices/#apt-get'],
  *run(df) {
    for (const run of runs(df)) {
      for (const c of run.script?.commands ?? []) {
        const inv = packageInvocation(c);
        if (inv && UPGRADES[inv.manager]?.includes(inv.subcommand) && inv.packages.length === 0) {
          yield hitInRun(run, c, `"${commandText(c)}" upgrades the whole distribution`);
        }
      }
    }
  },
};

const SSH_SERVERS = new Set(['openssh-server', 'openssh', 'dropbear', 'ssh']);

export const sshServerInstalled: Check<Dockerfile> = {
  id: 'RF-DF-057',
  title: 'SSH server installed in the image',
  severity: 'MEDIUM',
  description:
    'An SSH daemon in a container is another privileged service to patch, configure and guard, with its own keys and passwords, and it bypasses the audit trail of `docker exec` / `kubectl exec`.',
  remediation:
    'Remove the SSH server; use `docker exec` or `kubectl exec` (or a debug container) for access.',
  references: ['https://www.cisecurity.org/benchmark/docker'],
  frameworks: { 'cis-docker': '5.7' },
  *run(df) {
    for (const run of runs(df)) {
      for (const c of run.script?.commands ?? []) {
        const inv = packageInvocation(c);
        if (!inv || !installs(inv) || inv.manager === 'pip' || inv.manager === 'npm' || inv.manager === 'gem')
          continue;
        const server = inv.packages.find((p) => SSH_SERVERS.has(p.split(/[=<>~]/)[0]!));
        if (server) yield hitInRun(run, c, `installs ${server}`);
      }
    }
  },
};
