import { type CisCheck, eachContainer, eachImage, result } from '../check.js';
import type { ImageFacts } from '../context.js';

/** CIS Docker Benchmark §4: images and their build history. */

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credentials?)$/i;

/** The command behind a history entry, without the legacy builder's `/bin/sh -c #(nop)` wrapper. */
function instruction(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\|\d+ (\S+=\S*\s+)*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .trim();
}

function isRoot(user: string | undefined): boolean {
  const name = (user ?? '').split(':')[0]!;
  return name === '' || name === 'root' || name === '0';
}

function secretsIn(image: ImageFacts): string[] {
  const found: string[] = [];
  for (const h of image.history) {
    for (const m of h.CreatedBy.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]+"|'[^']+'|[^\s"']+)/g)) {
      if (SECRET_NAME.test(m[1]!))
        found.push(`${m[1]} set in history: ${instruction(h.CreatedBy).slice(0, 80)}`);
    }
  }
  for (const e of image.inspect.Config?.Env ?? []) {
    const [name, ...rest] = e.split('=');
    if (SECRET_NAME.test(name!) && rest.join('=').length > 0) found.push(`${name} in image environment`);
  }
  return [...new Set(found)];
}

export const imageChecks: CisCheck[] = [
  {
    id: '4.1',
    title: 'Run containers as a non-root user',
    severity: 'HIGH',
    scored: true,
    level: 1,
    description:
      "A process running as root in a container is root on the host's kernel; any escape or writable host mount is a full compromise.",
    remediation: 'Create a user in the image (USER in the Dockerfile) or run with --user UID:GID.',
    evaluate: (ctx) =>
      eachContainer(ctx, (c) => {
        const user = c.inspect.Config.User;
        return isRoot(user)
          ? ['FAIL', `runs as ${user ? user : 'root (no user set)'}`]
          : ['PASS', `runs as ${user}`];
      }),
  },
  {
    id: '4.5',
    title: 'Enable Docker Content Trust',
    severity: 'MEDIUM',
    scored: true,
    level: 2,
    description: 'Content trust makes pull, push and run verify image signatures.',
    remediation:
      'export DOCKER_CONTENT_TRUST=1 for the Docker client environment (or sign and verify with cosign).',
    evaluate: (ctx) => [
      result(
        ctx.contentTrust ? 'PASS' : 'FAIL',
        'docker client',
        `DOCKER_CONTENT_TRUST ${ctx.contentTrust ? '=1' : 'not set'}`,
      ),
    ],
  },
  {
    id: '4.6',
    title: 'Add a HEALTHCHECK to container images',
    severity: 'LOW',
    scored: true,
    level: 1,
    description:
      'A health check lets the engine notice and replace a container that runs but no longer works.',
    remediation: 'Add a HEALTHCHECK instruction to the Dockerfile.',
    evaluate: (ctx) =>
      eachImage(ctx, (i) => {
        const test = i.inspect.Config?.Healthcheck?.Test;
        return test && test[0] !== 'NONE'
          ? ['PASS', `HEALTHCHECK ${test.slice(1).join(' ')}`]
          : ['FAIL', 'no HEALTHCHECK'];
      }),
  },
  {
    id: '4.7',
    title: 'Do not run package index updates alone in a layer',
    severity: 'LOW',
    scored: false,
    level: 1,
    description:
      'A cached "update" layer makes later installs use stale package lists and miss security fixes.',
    remediation: 'Combine update and install in one RUN: apt-get update && apt-get install -y ...',
    evaluate: (ctx) =>
      eachImage(ctx, (i) => {
        const alone = i.history
          .map((h) => instruction(h.CreatedBy))
          .filter((c) => /^RUN\s+(apt-get|apt|apk|yum|dnf|zypper)\s+(update|makecache|refresh)\s*$/.test(c));
        return alone.length ? ['WARN', alone[0]!] : ['PASS', 'no update-only layers'];
      }),
  },
  {
    id: '4.9',
    title: 'Use COPY instead of ADD',
    severity: 'LOW',
    scored: false,
    level: 1,
    description: 'ADD fetches URLs and unpacks archives implicitly, which can bring in unreviewed content.',
    remediation: 'Use COPY for local files; download explicitly with a checksum when a URL is needed.',
    evaluate: (ctx) =>
      eachImage(ctx, (i) => {
        const adds = i.history
          .map((h) => instruction(h.CreatedBy))
          .filter((c) => /^ADD\s/.test(c) && !/^ADD\s+(file|multi):[0-9a-f]+\s+in\s+\/\s*$/.test(c));
        return adds.length ? ['WARN', adds[0]!.slice(0, 100)] : ['PASS', 'no ADD instructions'];
      }),
  },
  {
    id: '4.10',
    title: 'Do not store secrets in images',
    severity: 'CRITICAL',
    scored: false,
    level: 1,
    description: 'Values in ENV, ARG and image history are readable by anyone who can pull the image.',
    remediation: 'Pass secrets at run time (secrets, mounted files) or with BuildKit --secret mounts.',
    evaluate: (ctx) =>
      eachImage(ctx, (i) => {
        const secrets = secretsIn(i);
        return secrets.length
          ? ['FAIL', secrets.slice(0, 3).join('; ')]
          : ['PASS', 'no secret-like variables'];
      }),
  },
];
