import type { Check } from '../../engine/check.js';
import type { Dockerfile, RunInstruction } from '../model.js';
import { installs, type Manager, packageInvocation } from '../packages.js';
import { commandText, effectiveInstructions, hitInRun, runs, shippedStages } from '../queries.js';
import type { SimpleCommand } from '../shell/model.js';

/**
 * Package caches left in a layer of the final image. Builder stages are exempt (their layers
 * are not shipped), and so are RUNs that put the cache on a `--mount=type=cache`.
 */
function* installsWithoutCleanup(
  df: Dockerfile,
  managers: readonly Manager[],
  cacheDirs: readonly string[],
  cleansUp: (c: SimpleCommand) => boolean,
  usesNoCache: (c: SimpleCommand) => boolean = () => false,
): Generator<{ run: RunInstruction; command: SimpleCommand }> {
  for (const run of runs(df, shippedStages(df))) {
    if (
      run.mounts.some(
        (m) => m.type === 'cache' && cacheDirs.some((d) => (m.options.target ?? '').startsWith(d)),
      )
    )
      continue;
    const commands = run.script?.commands ?? [];
    if (commands.some(cleansUp)) continue;
    for (const c of commands) {
      const inv = packageInvocation(c);
      if (inv && managers.includes(inv.manager) && installs(inv) && !usesNoCache(c))
        yield { run, command: c };
    }
  }
}

const removes = (c: SimpleCommand, dir: string): boolean =>
  c.name === 'rm' && c.args.some((a) => a.startsWith(dir));
const subcommandIs = (c: SimpleCommand, names: readonly string[], sub: readonly string[]): boolean =>
  names.includes(c.name) && sub.includes(packageInvocation(c)?.subcommand ?? '');

export const aptListsNotRemoved: Check<Dockerfile> = {
  id: 'RF-DF-013',
  title: 'apt lists left in the image',
  severity: 'LOW',
  description:
    'apt-get update downloads package lists to /var/lib/apt/lists (tens of megabytes). Unless the same RUN deletes them they stay in the layer for good, and they also go stale.',
  remediation:
    'End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache: `RUN --mount=type=cache,target=/var/lib/apt ...`.',
  references: ['https://docs.docker.com/build/building/best-practices/#apt-get'],
  *run(df) {
    for (const { run, command } of installsWithoutCleanup(df, ['apt-get', 'apt'], ['/var/lib/apt'], (c) =>
      removes(c, '/var/lib/apt/lists'),
    )) {
      yield hitInRun(
        run,
        command,
        `"${commandText(command)}" without rm -rf /var/lib/apt/lists/* in the same RUN`,
      );
    }
  },
};

export const apkWithoutNoCache: Check<Dockerfile> = {
  id: 'RF-DF-017',
  title: 'apk add without --no-cache',
  severity: 'LOW',
  description: 'apk keeps the downloaded index in /var/cache/apk, which then ships in the layer.',
  remediation: 'Use `apk add --no-cache pkg` (no separate `apk update` needed).',
  references: ['https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper'],
  *run(df) {
    for (const { run, command } of installsWithoutCleanup(
      df,
      ['apk'],
      ['/var/cache/apk', '/etc/apk/cache'],
      (c) => removes(c, '/var/cache/apk') || subcommandIs(c, ['apk'], ['cache']),
      (c) => packageInvocation(c)?.options.has('--no-cache') ?? false,
    )) {
      yield hitInRun(run, command, `"${commandText(command)}" without --no-cache`);
    }
  },
};

export const yumCacheNotCleaned: Check<Dockerfile> = {
  id: 'RF-DF-020',
  title: 'yum/dnf cache left in the image',
  severity: 'LOW',
  description:
    'yum, dnf and microdnf keep metadata and packages under /var/cache; without a clean in the same RUN they ship in the layer.',
  remediation:
    'End the RUN with `&& yum clean all` (`dnf clean all`, `microdnf clean all`), or mount a cache on /var/cache/dnf.',
  references: ['https://docs.docker.com/build/building/best-practices/'],
  *run(df) {
    for (const { run, command } of installsWithoutCleanup(
      df,
      ['yum'],
      ['/var/cache/yum', '/var/cache/dnf'],
      (c) =>
        subcommandIs(c, ['yum', 'dnf', 'microdnf', 'tdnf'], ['clean']) ||
        removes(c, '/var/cache/yum') ||
        removes(c, '/var/cache/dnf'),
    )) {
      yield hitInRun(
        run,
        command,
        `"${commandText(command)}" without "${command.name} clean all" in the same RUN`,
      );
    }
  },
};

export const zypperCacheNotCleaned: Check<Dockerfile> = {
  id: 'RF-DF-023',
  title: 'zypper cache left in the image',
  severity: 'LOW',
  description:
    'zypper keeps repository metadata and packages under /var/cache/zypp; without a clean in the same RUN they ship in the layer.',
  remediation: 'End the RUN with `&& zypper clean --all` (or `zypper cc`).',
  references: ['https://en.opensuse.org/SDB:Zypper_manual'],
  *run(df) {
    for (const { run, command } of installsWithoutCleanup(
      df,
      ['zypper'],
      ['/var/cache/zypp'],
      (c) => subcommandIs(c, ['zypper'], ['clean', 'cc']) || removes(c, '/var/cache/zypp'),
    )) {
      yield hitInRun(run, command, `"${commandText(command)}" without "zypper clean" in the same RUN`);
    }
  },
};

export const pipCacheKept: Check<Dockerfile> = {
  id: 'RF-DF-025',
  title: 'pip install without --no-cache-dir',
  severity: 'LOW',
  description: 'pip keeps every downloaded wheel in ~/.cache/pip, which then ships in the layer.',
  remediation:
    'Use `pip install --no-cache-dir ...`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache on /root/.cache/pip.',
  references: ['https://pip.pypa.io/en/stable/topics/caching/'],
  *run(df) {
    const stages = shippedStages(df);
    const envOff = stages.some((s) =>
      effectiveInstructions(df, s).some(
        (i) => i.keyword === 'ENV' && i.pairs.some((p) => p.key === 'PIP_NO_CACHE_DIR'),
      ),
    );
    if (envOff) return;
    for (const { run, command } of installsWithoutCleanup(
      df,
      ['pip'],
      ['/root/.cache', '/home'],
      (c) => removes(c, '/root/.cache'),
      (c) => packageInvocation(c)?.options.has('--no-cache-dir') ?? false,
    )) {
      yield hitInRun(run, command, `"${commandText(command)}" without --no-cache-dir`);
    }
  },
};

export const yarnCacheNotCleaned: Check<Dockerfile> = {
  id: 'RF-DF-052',
  title: 'yarn cache left in the image',
  severity: 'LOW',
  description: 'yarn (v1) keeps every downloaded package in its global cache, which then ships in the layer.',
  remediation: 'End the RUN with `&& yarn cache clean`, or mount a cache on /usr/local/share/.cache/yarn.',
  references: ['https://classic.yarnpkg.com/en/docs/cli/cache'],
  *run(df) {
    for (const { run, command } of installsWithoutCleanup(
      df,
      ['yarn'],
      ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn'],
      (c) => subcommandIs(c, ['yarn'], ['cache']),
    )) {
      yield hitInRun(run, command, `"${commandText(command)}" without "yarn cache clean" in the same RUN`);
    }
  },
};
