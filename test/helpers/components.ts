import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Real components a test needs (dockerd, bpftrace, a registry...). Locally a missing one
 * skips the test with a printed reason; under CI=true it is a failure, never a skip.
 */
interface Component {
  name: string;
  available: boolean;
  /** Pass to describe.skipIf / it.skipIf. */
  skip: boolean;
  reason?: string;
}

const cache = new Map<string, Component>();

function succeeds(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

const checks: Record<string, () => string | undefined> = {
  root: () => (process.getuid?.() === 0 ? undefined : 'needs root'),
  docker: () => (succeeds('docker', ['info']) ? undefined : 'dockerd is not reachable (docker info failed)'),
  mmdebstrap: () => (succeeds('mmdebstrap', ['--version']) ? undefined : 'mmdebstrap is not installed'),
  skopeo: () => (succeeds('skopeo', ['--version']) ? undefined : 'skopeo is not installed'),
  registry: () => (existsSync('/usr/bin/docker-registry') ? undefined : 'docker-registry is not installed'),
  htpasswd: () =>
    succeeds('htpasswd', ['-nbB', 'a', 'b']) ? undefined : 'htpasswd (apache2-utils) is not installed',
  bpftrace: () => {
    if (process.getuid?.() !== 0) return 'needs root';
    if (!existsSync('/sys/kernel/btf/vmlinux')) return 'kernel has no BTF';
    return succeeds('bpftrace', ['--version']) ? undefined : 'bpftrace is not installed';
  },
  postgres: () =>
    succeeds('pg_isready', ['-q']) ? undefined : 'PostgreSQL is not running (pg_isready failed)',
  chromium: () => (existsSync('/usr/bin/chromium') ? undefined : '/usr/bin/chromium is not installed'),
};

function component(name: keyof typeof checks): Component {
  const known = cache.get(name);
  if (known) return known;
  const check = checks[name];
  if (!check) throw new Error(`unknown component ${name}`);
  const reason = check();
  const c: Component = { name, available: !reason, skip: !!reason, reason };
  if (reason) {
    if (process.env.CI === 'true') throw new Error(`CI=true but ${name} is missing: ${reason}`);
    process.stderr.write(`SKIP (${name}): ${reason}\n`);
  }
  cache.set(name, c);
  return c;
}

/** All of them available? Returns a skip flag for describe.skipIf. */
export function needs(...names: (keyof typeof checks)[]): boolean {
  return names.map((n) => component(n)).some((c) => c.skip);
}

/**
 * The conformance data in ../shared (a sibling of the checkout, not part of it). Tests that read
 * it skip loudly when it is absent, as ../shared/README.md asks, in CI as well: it is data beside
 * the project, not a component CI installs.
 */
export function sharedDir(): string | undefined {
  const dir = new URL('../../../shared/', import.meta.url).pathname;
  if (existsSync(dir)) return dir;
  process.stderr.write(`SKIP (shared): ${dir} is absent\n`);
  return undefined;
}
