import type { Check } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { installs, isOpaque, type Manager, type PackageInvocation, packageInvocation } from '../packages.js';
import { hitInRun, runs } from '../queries.js';

/**
 * One check per package manager: packages installed without a version. Unpinned installs make
 * two builds of the same Dockerfile differ and let a compromised or broken release in unnoticed.
 */
function pinCheck(
  id: string,
  managers: readonly Manager[],
  label: string,
  example: string,
  unpinned: (pkg: string, inv: PackageInvocation) => boolean,
  references: readonly string[],
): Check<Dockerfile> {
  return {
    id,
    title: `${label} packages installed without a version`,
    severity: 'LOW',
    description: `${label} installs whatever version is current at build time: rebuilds differ, and a broken or malicious new release goes in unnoticed.`,
    remediation: `Pin each package: ${example}.`,
    references,
    *run(df) {
      for (const run of runs(df)) {
        for (const c of run.script?.commands ?? []) {
          const inv = packageInvocation(c);
          if (!inv || !managers.includes(inv.manager) || !installs(inv)) continue;
          const loose = inv.packages.filter((p) => !isOpaque(p) && unpinned(p, inv));
          if (loose.length > 0) yield hitInRun(run, c, `no version for ${loose.join(', ')}`);
        }
      }
    },
  };
}

const isFile = (p: string, ...exts: string[]): boolean => p.includes('/') || exts.some((e) => p.endsWith(e));

export const aptUnpinned = pinCheck(
  'RF-DF-015',
  ['apt-get', 'apt'],
  'apt',
  '`apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5`',
  (p) => !p.includes('=') && !isFile(p, '.deb'),
  ['https://docs.docker.com/build/building/best-practices/#apt-get'],
);

export const apkUnpinned = pinCheck(
  'RF-DF-018',
  ['apk'],
  'apk',
  '`apk add --no-cache curl=8.5.0-r0` (or `curl~8.5`)',
  (p) => !/[=<>~]/.test(p) && !isFile(p, '.apk'),
  ['https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Add_a_Package'],
);

export const yumUnpinned = pinCheck(
  'RF-DF-021',
  ['yum'],
  'yum/dnf',
  '`dnf install -y httpd-2.4.57`',
  (p) => !p.startsWith('@') && !/-\d/.test(p) && !/[=<>]/.test(p) && !isFile(p, '.rpm'),
  ['https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label'],
);

export const zypperUnpinned = pinCheck(
  'RF-DF-024',
  ['zypper'],
  'zypper',
  '`zypper install -y "curl=8.0.1"` (or `"curl>=8.0"`)',
  (p) => !/[=<>]/.test(p) && !isFile(p, '.rpm'),
  ['https://en.opensuse.org/SDB:Zypper_manual'],
);

export const pipUnpinned = pinCheck(
  'RF-DF-026',
  ['pip'],
  'pip',
  '`pip install django==5.0.3`, or `pip install -r requirements.txt` with a hashed lock file',
  (p) => !/(==|~=|@)/.test(p) && !isFile(p, '.whl', '.tar.gz', '.zip') && !/^(\.|git\+|https?:)/.test(p),
  ['https://pip.pypa.io/en/stable/topics/repeatable-installs/'],
);

export const npmUnpinned = pinCheck(
  'RF-DF-027',
  ['npm', 'yarn'],
  'npm/yarn',
  '`npm install -g typescript@5.4.2`',
  (p) => {
    if (/^(\.|\/|file:|git|https?:)/.test(p) || p.endsWith('.tgz')) return false;
    const at = p.lastIndexOf('@');
    if (at <= 0) return !p.includes('/') || p.startsWith('@');
    return !/^[\d^~=<>v]/.test(p.slice(at + 1));
  },
  ['https://docs.npmjs.com/cli/commands/npm-install'],
);

export const gemUnpinned = pinCheck(
  'RF-DF-029',
  ['gem'],
  'gem',
  '`gem install bundler -v 2.5.6` (or `bundler:2.5.6`)',
  (p, inv) => !p.includes(':') && !inv.options.has('-v', '--version') && !p.endsWith('.gem'),
  ['https://guides.rubygems.org/command-reference/#gem-install'],
);

export const goInstallLatest: Check<Dockerfile> = {
  id: 'RF-DF-058',
  title: 'go install of @latest',
  severity: 'LOW',
  description:
    '`go install pkg@latest` builds whatever the module published last: rebuilds differ and a compromised release goes in unnoticed.',
  remediation: 'Name a version: `go install golang.org/x/tools/gopls@v0.15.2`.',
  references: ['https://go.dev/ref/mod#go-install'],
  *run(df) {
    for (const run of runs(df)) {
      for (const c of run.script?.commands ?? []) {
        if (c.name !== 'go' || (c.args[0] !== 'install' && c.args[0] !== 'get')) continue;
        const latest = c.args.slice(1).filter((a) => a.endsWith('@latest'));
        if (latest.length > 0) yield hitInRun(run, c, `go ${c.args[0]} ${latest.join(' ')}`);
      }
    }
  },
};
