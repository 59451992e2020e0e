import type { Check } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { packageInvocation } from '../packages.js';
import { allInstructions, commandText, hitAt, hitInRun, runCommands } from '../queries.js';
import { parseArguments } from '../shell/arguments.js';
import type { SimpleCommand } from '../shell/model.js';

const CURL_WITH_VALUE = [
  '-o',
  '-d',
  '-H',
  '-u',
  '-X',
  '-e',
  '-A',
  '-b',
  '-c',
  '-F',
  '-T',
  '-w',
  '-x',
  '-m',
  '-r',
  '-E',
  '-K',
  '-Q',
  '-y',
  '-Y',
  '-z',
  '-C',
  '-P',
  '--output',
  '--data',
  '--header',
  '--user',
  '--request',
  '--url',
  '--cacert',
  '--cert',
  '--key',
  '--retry',
  '--max-time',
  '--connect-timeout',
  '--proxy',
];

/** What in one command switches off TLS certificate or package signature checks; undefined if nothing. */
function disablesVerification(c: SimpleCommand): string | undefined {
  const args = c.args;
  switch (c.name) {
    case 'curl':
      return parseArguments(args, { withValue: CURL_WITH_VALUE }).has('-k', '--insecure')
        ? 'curl --insecure'
        : undefined;
    case 'wget':
      return args.includes('--no-check-certificate') ? 'wget --no-check-certificate' : undefined;
    case 'git': {
      const off = args.find((a) => /^http\.sslverify=(false|0|no)$/i.test(a));
      if (off) return `git -c ${off}`;
      const i = args.findIndex((a) => /^http\.sslverify$/i.test(a));
      return i !== -1 && /^(false|0|no)$/i.test(args[i + 1] ?? '')
        ? 'git config http.sslVerify false'
        : undefined;
    }
    case 'npm':
    case 'yarn':
    case 'pnpm': {
      if (args.some((a) => /^--strict-ssl=false$/.test(a) || a === 'strict-ssl=false'))
        return `${c.name} strict-ssl=false`;
      const i = args.indexOf('strict-ssl');
      return i !== -1 && args[i + 1] === 'false' ? `${c.name} config set strict-ssl false` : undefined;
    }
    case 'rpm':
      return args.find((a) => a === '--nosignature' || a === '--nodigest' || a === '--nogpgcheck');
  }
  const inv = packageInvocation(c);
  if (!inv) return undefined;
  const o = inv.options;
  if (inv.manager === 'pip' && o.has('--trusted-host')) return 'pip --trusted-host';
  if (inv.manager === 'apk' && o.has('--allow-untrusted')) return 'apk --allow-untrusted';
  if (inv.manager === 'apt-get' || inv.manager === 'apt') {
    const flag = ['--allow-unauthenticated', '--allow-insecure-repositories', '--force-yes'].find((f) =>
      o.has(f),
    );
    if (flag) return `${c.name} ${flag}`;
    const opt = o
      .values('-o', '--option')
      .find((v) =>
        /(AllowUnauthenticated|AllowInsecureRepositories)=(true|1|yes)$|Verify-(Peer|Host)=(false|0|no)$/i.test(
          v,
        ),
      );
    if (opt) return `${c.name} -o ${opt}`;
  }
  if (inv.manager === 'yum') {
    if (o.has('--nogpgcheck')) return `${c.name} --nogpgcheck`;
    const setopt = o.values('--setopt').find((v) => /(sslverify|gpgcheck)=(0|false|no)$/i.test(v));
    if (setopt) return `${c.name} --setopt=${setopt}`;
  }
  if (inv.manager === 'zypper' && o.has('--no-gpg-checks')) return 'zypper --no-gpg-checks';
  return undefined;
}

const INSECURE_ENV: ReadonlyMap<string, RegExp> = new Map([
  ['NODE_TLS_REJECT_UNAUTHORIZED', /^0$/],
  ['PYTHONHTTPSVERIFY', /^0$/],
  ['GIT_SSL_NO_VERIFY', /^(1|true|yes)$/i],
  ['NPM_CONFIG_STRICT_SSL', /^(false|0)$/i],
  ['PIP_TRUSTED_HOST', /./],
  ['CURL_CA_BUNDLE', /^$/],
]);

export const verificationDisabled: Check<Dockerfile> = {
  id: 'RF-DF-048',
  title: 'TLS or package signature verification disabled',
  severity: 'HIGH',
  description:
    'Turning off certificate checks (`curl -k`, `wget --no-check-certificate`, `NODE_TLS_REJECT_UNAUTHORIZED=0`) or package signature checks (`--allow-unauthenticated`, `--nogpgcheck`, `apk --allow-untrusted`) lets anyone on the network path, or a compromised mirror, swap what the image installs.',
  remediation:
    'Keep verification on; install the missing CA certificate (`ca-certificates`, or COPY your CA into /usr/local/share/ca-certificates and run update-ca-certificates) or import the repository key.',
  references: ['https://www.cisecurity.org/benchmark/docker'],
  frameworks: { 'cis-docker': '4.11' },
  *run(df) {
    for (const { run, command } of runCommands(df)) {
      const what = disablesVerification(command);
      if (what) yield hitInRun(run, command, `${what} in "${commandText(command)}"`);
    }
    for (const i of allInstructions(df)) {
      if (i.keyword !== 'ENV') continue;
      for (const p of i.pairs) {
        const bad = INSECURE_ENV.get(p.key);
        if (bad && !p.value.unresolved && bad.test(p.value.value))
          yield hitAt(i, `ENV ${p.key}=${p.value.value}`);
      }
    }
  },
};

const PLAIN_HTTP = /^http:\/\/(?!(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$))/i;

function plainHttpUrl(c: SimpleCommand): string | undefined {
  if (c.name === 'curl' || c.name === 'wget') return c.args.find((a) => PLAIN_HTTP.test(a));
  const inv = packageInvocation(c);
  if (inv?.manager === 'pip')
    return inv.options
      .values('-i', '--index-url', '--extra-index-url', '-f', '--find-links')
      .find((v) => PLAIN_HTTP.test(v));
  if (inv?.manager === 'npm' || inv?.manager === 'yarn') {
    return [...inv.options.values('--registry'), ...c.args].find((v) => PLAIN_HTTP.test(v));
  }
  return undefined;
}

export const plainHttpDownload: Check<Dockerfile> = {
  id: 'RF-DF-049',
  title: 'Download over plain HTTP',
  severity: 'MEDIUM',
  description:
    'Anything fetched over http:// can be read and replaced on the way; what the build installs is then up to the network.',
  remediation: 'Use https:// (and verify a checksum or signature of what you download).',
  references: ['https://docs.docker.com/build/building/best-practices/#add-or-copy'],
  *run(df) {
    for (const { run, command } of runCommands(df)) {
      const url = plainHttpUrl(command);
      if (url) yield hitInRun(run, command, `${command.name} fetches ${url}`);
    }
    for (const i of allInstructions(df)) {
      if (i.keyword !== 'ADD') continue;
      const url = i.sources.find((s) => PLAIN_HTTP.test(s.value));
      if (url) yield hitAt(i, `ADD fetches ${url.value}`);
    }
  },
};
