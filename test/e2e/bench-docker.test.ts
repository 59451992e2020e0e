import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';
import { debianBase } from '../helpers/images.js';

const suffix = randomBytes(3).toString('hex');
const BAD = `rf-bench-bad-${suffix}`;
const GOOD = `rf-bench-good-${suffix}`;
const SELF = `rf-bench-self-${suffix}`;
const ROOT = new URL('../..', import.meta.url).pathname;

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000 }).trim();
}

function resultsFor(findings: Finding[], name: string): Map<string, string> {
  return new Map(
    findings
      .filter((f) => f.target.startsWith(`container ${name} `))
      .map((f) => [f.ruleId.replace('CIS-DOCKER-', ''), f.status]),
  );
}

describe.skipIf(needs('docker', 'mmdebstrap'))('ringfence bench docker against a real dockerd', () => {
  let image: string;
  let findings: Finding[];

  beforeAll(async () => {
    image = debianBase();
    const bad = [
      '--name',
      BAD,
      '--privileged',
      '--pid=host',
      '-v',
      '/var/run/docker.sock:/var/run/docker.sock',
      image,
    ];
    try {
      docker('run', '-d', ...bad, 'sleep', 'infinity');
    } catch (err) {
      // Some sandboxes (this CI's VM among them) lack CAP_SYS_RESOURCE in the bounding set, so runc
      // cannot start a privileged container. Its configuration is what the checks judge, so the
      // created container is audited instead (with --all).
      if (!String(err).includes('unable to apply caps')) throw err;
      docker('rm', '-f', BAD);
      docker('create', ...bad, 'sleep', 'infinity');
    }
    docker(
      'run',
      '-d',
      '--name',
      GOOD,
      '--user',
      '1000:1000',
      '--read-only',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '--memory',
      '64m',
      '--cpus',
      '0.5',
      '--pids-limit',
      '50',
      '--restart',
      'on-failure:3',
      '--health-cmd',
      'true',
      '--health-interval',
      '2s',
      image,
      'sleep',
      'infinity',
    );
    const r = await ringfence(['bench', 'docker', '--all', '--format', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    findings = JSON.parse(r.stdout).findings;
  });

  afterAll(() => {
    for (const name of [BAD, GOOD, SELF]) {
      try {
        docker('rm', '-f', name);
      } catch {
        // already gone
      }
    }
  });

  it('fails the privileged, docker.sock-mounting, host-pid container on the right checks', () => {
    const bad = resultsFor(findings, BAD);
    for (const id of ['5.5', '5.32', '5.16', '5.22', '4.1', '5.11', '5.13', '5.26', '5.29'])
      expect([id, bad.get(id)]).toEqual([id, 'FAIL']);
    const evidence = findings.find(
      (f) => f.target.startsWith(`container ${BAD} `) && f.ruleId === 'CIS-DOCKER-5.32',
    );
    expect(evidence?.details?.evidence).toBe('/var/run/docker.sock:/var/run/docker.sock');
    expect(evidence?.fix).toMatch(/docker\.sock/);
  });

  it('passes the hardened container on the same checks', () => {
    const good = resultsFor(findings, GOOD);
    for (const id of [
      '5.5',
      '5.32',
      '5.16',
      '5.22',
      '4.1',
      '5.4',
      '5.11',
      '5.12',
      '5.13',
      '5.15',
      '5.26',
      '5.27',
      '5.29',
    ])
      expect([id, good.get(id)]).toEqual([id, 'PASS']);
  });

  it('judges the daemon and the Docker socket file', () => {
    const sock = findings.filter((f) => f.target === '/var/run/docker.sock').map((f) => [f.ruleId, f.status]);
    expect(sock).toEqual(
      expect.arrayContaining([
        ['CIS-DOCKER-3.15', 'PASS'],
        ['CIS-DOCKER-3.16', 'PASS'],
      ]),
    );
    expect(findings.some((f) => f.target === 'docker daemon' && f.ruleId === 'CIS-DOCKER-2.6')).toBe(true);
  });

  it('returns --exit-code when a check fails, and writes JUnit with passes, failures and skips', async () => {
    const r = await ringfence([
      'bench',
      'docker',
      '--all',
      '--checks',
      '5.5',
      '--format',
      'junit',
      '--exit-code',
      '4',
    ]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(new RegExp(`<testsuite name="container ${BAD} [^"]+" tests="1" failures="1"`));
    expect(r.stdout).toMatch(new RegExp(`<testsuite name="container ${GOOD} [^"]+" tests="1" failures="0"`));
    const clean = await ringfence([
      'bench',
      'docker',
      '--all',
      '--checks',
      '5.5',
      '--severity',
      'LOW',
      '--exit-code',
      '4',
    ]);
    expect(clean.code).toBe(0);
  });

  it('does not judge the container it runs in', () => {
    const out = docker(
      'run',
      '--rm',
      '--name',
      SELF,
      '-v',
      '/var/run/docker.sock:/var/run/docker.sock',
      '-v',
      `${process.execPath}:/usr/local/bin/node:ro`,
      '-v',
      `${ROOT}:/ringfence:ro`,
      '-w',
      '/ringfence',
      image,
      'node',
      'bin/ringfence',
      'bench',
      'docker',
      '--all',
      '--checks',
      '5',
      '--format',
      'json',
    );
    const inside: Finding[] = JSON.parse(out).findings;
    expect(inside.some((f) => f.target.startsWith(`container ${BAD} `))).toBe(true);
    expect(inside.some((f) => f.target.startsWith(`container ${SELF} `))).toBe(false);
  });
});
