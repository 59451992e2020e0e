import type { Check } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { installs, type PackageInvocation, packageInvocation } from '../packages.js';
import { commandText, hitInRun, runCommands } from '../queries.js';

function* invocations(df: Dockerfile, accept: (inv: PackageInvocation) => boolean) {
  for (const { run, command } of runCommands(df)) {
    const inv = packageInvocation(command);
    if (inv && accept(inv)) yield { run, command, inv };
  }
}

export const aptWithoutYes: Check<Dockerfile> = {
  id: 'RF-DF-011',
  title: 'apt-get install without -y',
  severity: 'LOW',
  description:
    'Without -y, apt-get stops to ask for confirmation; in a build nobody answers, so it aborts (or hangs on an interactive builder).',
  remediation: 'Use `apt-get install -y ...` (or `--yes`, `-qq`).',
  references: ['https://manpages.debian.org/bookworm/apt/apt-get.8.en.html'],
  *run(df) {
    for (const { run, command, inv } of invocations(
      df,
      (i) => (i.manager === 'apt-get' || i.manager === 'apt') && installs(i),
    )) {
      const quiet = inv.options.options.filter((o) => o.name === '-q').length >= 2;
      const assumeYes = inv.options
        .values('-o', '--option')
        .some((v) => /^APT::Get::Assume-Yes=(true|1|yes)$/i.test(v));
      const q2 = command.args.some((a) => a === '-q=2' || a === '--quiet=2');
      if (!inv.options.has('-y', '--yes', '--assume-yes') && !quiet && !assumeYes && !q2) {
        yield hitInRun(run, command, `"${commandText(command)}" without -y`);
      }
    }
  },
};

export const aptRecommends: Check<Dockerfile> = {
  id: 'RF-DF-012',
  title: 'apt-get install without --no-install-recommends',
  severity: 'LOW',
  description:
    'By default apt also installs every "recommended" package: often dozens of extra packages, each more to patch and more attack surface.',
  remediation: 'Use `apt-get install -y --no-install-recommends ...` and name what you really need.',
  references: ['https://docs.docker.com/build/building/best-practices/#apt-get'],
  frameworks: { 'cis-docker': '4.3' },
  *run(df) {
    for (const { run, command, inv } of invocations(
      df,
      (i) => (i.manager === 'apt-get' || i.manager === 'apt') && installs(i),
    )) {
      const off = inv.options
        .values('-o', '--option')
        .some((v) => /^APT::Install-Recommends=(false|0|no)$/i.test(v));
      if (!inv.options.has('--no-install-recommends') && !off) {
        yield hitInRun(run, command, `"${commandText(command)}" without --no-install-recommends`);
      }
    }
  },
};

export const aptInsteadOfAptGet: Check<Dockerfile> = {
  id: 'RF-DF-016',
  title: 'apt used instead of apt-get',
  severity: 'LOW',
  description:
    'apt is meant for people at a terminal: its output and behaviour are not a stable interface and it warns so in scripts.',
  remediation: 'Use apt-get (or apt-cache) in Dockerfiles.',
  references: [
    'https://manpages.debian.org/bookworm/apt/apt.8.en.html#SCRIPT_USAGE_AND_DIFFERENCES_FROM_OTHER_APT_TOOLS',
  ],
  *run(df) {
    for (const { run, command } of invocations(df, (i) => i.manager === 'apt')) {
      yield hitInRun(run, command, `"${commandText(command)}"`);
    }
  },
};

export const yumWithoutYes: Check<Dockerfile> = {
  id: 'RF-DF-019',
  title: 'yum/dnf install without -y',
  severity: 'LOW',
  description:
    'Without -y, yum and dnf stop to ask for confirmation; in a build nobody answers and the install aborts.',
  remediation: 'Use `yum install -y ...` / `dnf install -y ...`.',
  references: ['https://dnf.readthedocs.io/en/latest/command_ref.html'],
  *run(df) {
    for (const { run, command, inv } of invocations(df, (i) => i.manager === 'yum' && installs(i))) {
      if (command.name !== 'microdnf' && !inv.options.has('-y', '--assumeyes')) {
        yield hitInRun(run, command, `"${commandText(command)}" without -y`);
      }
    }
  },
};

export const zypperInteractive: Check<Dockerfile> = {
  id: 'RF-DF-022',
  title: 'zypper install without non-interactive mode',
  severity: 'LOW',
  description:
    'Without -n (or -y), zypper stops to ask for confirmation; in a build nobody answers and the install aborts.',
  remediation: 'Use `zypper --non-interactive install ...` (or `zypper install -y ...`).',
  references: ['https://en.opensuse.org/SDB:Zypper_manual'],
  *run(df) {
    for (const { run, command, inv } of invocations(df, (i) => i.manager === 'zypper' && installs(i))) {
      if (!inv.options.has('-n', '--non-interactive', '-y', '--no-confirm')) {
        yield hitInRun(run, command, `"${commandText(command)}" without -n/-y`);
      }
    }
  },
};

export const npmInstallInsteadOfCi: Check<Dockerfile> = {
  id: 'RF-DF-028',
  title: 'npm install used instead of npm ci',
  severity: 'LOW',
  description:
    '`npm install` may update package-lock.json and resolve newer versions than the lock file records; `npm ci` installs exactly the locked tree and fails when it does not match package.json.',
  remediation:
    'Copy package.json and package-lock.json, then `RUN npm ci` (add `--omit=dev` for production images).',
  references: ['https://docs.npmjs.com/cli/commands/npm-ci'],
  *run(df) {
    for (const { run, command, inv } of invocations(df, (i) => i.manager === 'npm' && installs(i))) {
      if (inv.packages.length === 0 && !inv.options.has('-g', '--global')) {
        yield hitInRun(
          run,
          command,
          `"${commandText(command)}" installs from package.json without the lock file guarantee`,
        );
      }
    }
  },
};
