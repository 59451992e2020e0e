import { type ParsedArguments, parseArguments } from './shell/arguments.js';
import type { SimpleCommand } from './shell/model.js';

/** How package managers are invoked in RUN commands: subcommand, options and the packages named. */
export interface PackageInvocation {
  manager: Manager;
  subcommand: string;
  options: ParsedArguments;
  /** Arguments after the subcommand that are not options. */
  packages: string[];
}

export type Manager = 'apt-get' | 'apt' | 'apk' | 'yum' | 'zypper' | 'pip' | 'npm' | 'yarn' | 'gem';

const WITH_VALUE: Record<Manager, readonly string[]> = {
  'apt-get': ['-o', '-c', '-t', '-a', '--option', '--config-file', '--target-release', '--host-architecture'],
  apt: ['-o', '-c', '-t', '-a', '--option', '--config-file', '--target-release', '--host-architecture'],
  apk: [
    '-X',
    '-p',
    '-t',
    '--repository',
    '--root',
    '--arch',
    '--cache-dir',
    '--keys-dir',
    '--virtual',
    '--repositories-file',
    '--cache-max-age',
    '--timeout',
  ],
  yum: [
    '-c',
    '-x',
    '-d',
    '-e',
    '--config',
    '--enablerepo',
    '--disablerepo',
    '--installroot',
    '--releasever',
    '--exclude',
    '--setopt',
    '--repo',
    '--repoid',
    '--repofrompath',
    '--forcearch',
  ],
  zypper: [
    '-r',
    '-R',
    '-D',
    '-c',
    '--repo',
    '--root',
    '--reposd-dir',
    '--config',
    '--cache-dir',
    '--from',
    '-t',
    '--type',
  ],
  pip: [
    '-r',
    '-c',
    '-e',
    '-i',
    '-f',
    '-t',
    '-C',
    '--requirement',
    '--constraint',
    '--editable',
    '--index-url',
    '--extra-index-url',
    '--find-links',
    '--target',
    '--prefix',
    '--root',
    '--trusted-host',
    '--platform',
    '--python-version',
    '--implementation',
    '--abi',
    '--src',
    '--upgrade-strategy',
    '--progress-bar',
    '--cache-dir',
    '--log',
    '--proxy',
    '--retries',
    '--timeout',
    '--exists-action',
    '--cert',
    '--client-cert',
    '--no-binary',
    '--only-binary',
    '--config-settings',
    '--global-option',
    '--report',
  ],
  npm: [
    '-w',
    '--workspace',
    '--registry',
    '--prefix',
    '--cache',
    '--omit',
    '--include',
    '--tag',
    '--loglevel',
  ],
  yarn: ['--cwd', '--registry', '--cache-folder', '--modules-folder', '--network-timeout', '--mutex'],
  gem: [
    '-v',
    '-i',
    '-n',
    '-s',
    '-P',
    '-g',
    '--version',
    '--install-dir',
    '--bindir',
    '--source',
    '--trust-policy',
    '--platform',
    '--file',
  ],
};

const YUM_LIKE = new Set(['yum', 'dnf', 'microdnf', 'tdnf']);

const invocations = new WeakMap<SimpleCommand, PackageInvocation | undefined>();

/** The package-manager invocation `command` is, if any (`python3 -m pip`, `dnf` count as pip, yum). */
export function packageInvocation(command: SimpleCommand): PackageInvocation | undefined {
  if (!invocations.has(command)) invocations.set(command, readInvocation(command));
  return invocations.get(command);
}

function readInvocation(command: SimpleCommand): PackageInvocation | undefined {
  let manager: Manager;
  let args = command.args;
  if (
    command.name === 'apt-get' ||
    command.name === 'apt' ||
    command.name === 'apk' ||
    command.name === 'zypper'
  ) {
    manager = command.name;
  } else if (YUM_LIKE.has(command.name)) manager = 'yum';
  else if (command.name === 'npm' || command.name === 'yarn' || command.name === 'gem')
    manager = command.name;
  else if (/^pip[0-9.]*$/.test(command.name)) manager = 'pip';
  else if (/^python[0-9.]*$/.test(command.name) && args[0] === '-m' && /^pip[0-9.]*$/.test(args[1] ?? '')) {
    manager = 'pip';
    args = args.slice(2);
  } else return undefined;
  const options = parseArguments(args, { withValue: WITH_VALUE[manager] });
  const [subcommand = '', ...packages] = options.positionals;
  return { manager, subcommand, options, packages };
}

/** apt-get/yum "install", zypper "in", npm "i"...: the subcommand installs packages. */
export function installs(inv: PackageInvocation): boolean {
  switch (inv.manager) {
    case 'apt-get':
    case 'apt':
    case 'pip':
    case 'gem':
      return inv.subcommand === 'install';
    case 'apk':
      return inv.subcommand === 'add';
    case 'yum':
      return ['install', 'groupinstall', 'localinstall', 'reinstall'].includes(inv.subcommand);
    case 'zypper':
      return inv.subcommand === 'install' || inv.subcommand === 'in';
    case 'npm':
      return [
        'install',
        'i',
        'add',
        'isntall',
        'in',
        'ins',
        'inst',
        'insta',
        'instal',
        'isnt',
        'isnta',
        'isntal',
      ].includes(inv.subcommand);
    case 'yarn':
      return inv.subcommand === '' || inv.subcommand === 'install' || inv.subcommand === 'add';
  }
}

/** Words a check cannot judge: variables, globs and file names it cannot see. */
export function isOpaque(pkg: string): boolean {
  return pkg.includes('$') || pkg.includes('*');
}
