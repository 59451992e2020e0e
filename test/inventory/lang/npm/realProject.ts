import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * A real npm project installed from the registry, plus the lockfiles every package manager
 * writes for it (npm 1–3, Yarn 1 and 4, pnpm 7, 8, 9 → lockfile 5.4, 6.0, 9.0). It has what
 * the analyzers must get right: a scoped package, two versions of one package (a nested
 * node_modules), an alias, legacy and missing licenses, a package that ships package.json
 * fixtures, dev, optional and workspace dependencies, and a local folder dependency.
 */
const MANIFEST = {
  name: 'rf-npm-fixture',
  version: '1.0.0',
  private: true,
  workspaces: ['packages/*'],
  dependencies: {
    '@sindresorhus/is': '4.6.0',
    debug: '2.6.9',
    ms: '2.1.3',
    'str-alias': 'npm:left-pad@1.3.0',
    'json-schema': '0.2.3',
    indexof: '0.0.1',
    resolve: '1.22.8',
    'local-lib': 'file:libs/local-lib',
  },
  devDependencies: { 'is-number': '7.0.0', '@types/ms': '0.7.34' },
  optionalDependencies: { once: '1.4.0' },
};

const WORKSPACE = { name: 'ws-a', version: '0.1.0', dependencies: { ms: '2.1.2' } };
const LOCAL_LIB = { name: 'local-lib', version: '3.0.0', dependencies: { 'is-number': '7.0.0' } };

export interface InstalledPackage {
  name: string;
  version: string;
  /** Project-relative path of its package.json. */
  path: string;
  license?: unknown;
}

export interface RealProject {
  dir: string;
  installed: InstalledPackage[];
  /** name@version of the packages `npm ls --omit=dev` still lists. */
  prodIds: Set<string>;
  lockfiles: Record<'npm1' | 'npm2' | 'npm3' | 'yarn1' | 'yarn4' | 'pnpm5' | 'pnpm6' | 'pnpm9', string>;
  cleanup(): void;
}

export function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: 'true', COREPACK_ENABLE_STRICT: '0', YARN_ENABLE_TELEMETRY: '0' },
  });
}

function writeProject(dir: string): void {
  mkdirSync(join(dir, 'packages/ws-a'), { recursive: true });
  mkdirSync(join(dir, 'libs/local-lib'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(MANIFEST, null, 2));
  writeFileSync(join(dir, 'packages/ws-a/package.json'), JSON.stringify(WORKSPACE, null, 2));
  writeFileSync(join(dir, 'libs/local-lib/package.json'), JSON.stringify(LOCAL_LIB, null, 2));
}

interface LsNode {
  name?: string;
  version?: string;
  path?: string;
  license?: unknown;
  dependencies?: Record<string, LsNode>;
}

/** What `npm ls --all` lists as installed in `dir` from the registry (workspaces and links left out). */
export function installedByNpm(dir: string, options: { omitDev?: boolean } = {}): InstalledPackage[] {
  const args = ['ls', '--all', '--long', '--json', ...(options.omitDev ? ['--omit=dev'] : [])];
  return flattenLs(JSON.parse(run('npm', args, dir)) as LsNode, dir);
}

function flattenLs(root: LsNode, dir: string): InstalledPackage[] {
  const out = new Map<string, InstalledPackage>();
  const pending = Object.values(root.dependencies ?? {});
  for (let node = pending.pop(); node; node = pending.pop()) {
    pending.push(...Object.values(node.dependencies ?? {}));
    if (!node.path || !node.name || !node.version) continue;
    const real = realpathSync(node.path);
    if (!real.includes('/node_modules/')) continue;
    const path = relative(dir, join(real, 'package.json'));
    out.set(path, { name: node.name, version: node.version, path, license: node.license });
  }
  return [...out.values()];
}

export function createRealProject(): RealProject {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'rf-npm-')));
  const registry = run('npm', ['config', 'get', 'registry'], base).trim();
  const tools = join(base, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), '{"name":"tools","version":"0.0.0","private":true}');
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      'yarn@1',
      '@yarnpkg/cli-dist@4',
      'pnpm7@npm:pnpm@7',
      'pnpm8@npm:pnpm@8',
      'pnpm9@npm:pnpm@9',
    ],
    tools,
  );
  const dir = join(base, 'project');
  mkdirSync(dir);
  writeProject(dir);
  const npmInstall = ['install', '--no-audit', '--no-fund', '--ignore-scripts'];
  run('npm', npmInstall, dir);
  const installed = flattenLs(
    JSON.parse(run('npm', ['ls', '--all', '--long', '--json'], dir)) as LsNode,
    dir,
  );
  const prod = flattenLs(
    JSON.parse(run('npm', ['ls', '--all', '--long', '--json', '--omit=dev'], dir)) as LsNode,
    dir,
  );
  const prodIds = new Set(prod.map((p) => `${p.name}@${p.version}`));

  const locks = join(base, 'locks');
  mkdirSync(locks);
  const keep = (from: string, name: string) => {
    const to = join(locks, name);
    cpSync(from, to);
    return to;
  };
  const npm3 = keep(join(dir, 'package-lock.json'), 'npm3-package-lock.json');
  const lockOnly = (version: string) => {
    const work = join(base, `npm${version}`);
    writeProject(work);
    run('npm', [...npmInstall, '--package-lock-only', '--lockfile-version', version], work);
    return keep(join(work, 'package-lock.json'), `npm${version}-package-lock.json`);
  };

  const yarn1Dir = join(base, 'yarn1');
  writeProject(yarn1Dir);
  run(
    process.execPath,
    [
      join(tools, 'node_modules/yarn/bin/yarn.js'),
      'install',
      '--ignore-scripts',
      '--registry',
      registry,
      '--silent',
    ],
    yarn1Dir,
  );

  const yarn4Dir = join(base, 'yarn4');
  writeProject(yarn4Dir);
  writeFileSync(
    join(yarn4Dir, '.yarnrc.yml'),
    `npmRegistryServer: "${registry.replace(/\/$/, '')}"\nnodeLinker: node-modules\nenableTelemetry: false\nenableGlobalCache: false\n`,
  );
  writeFileSync(join(yarn4Dir, 'yarn.lock'), '');
  run(
    process.execPath,
    [join(tools, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js'), 'install', '--mode=update-lockfile'],
    yarn4Dir,
  );

  const pnpm = (major: number) => {
    const work = join(base, `pnpm${major}`);
    writeProject(work);
    writeFileSync(join(work, 'pnpm-workspace.yaml'), "packages:\n  - 'packages/*'\n");
    run(
      process.execPath,
      [
        join(tools, `node_modules/pnpm${major}/bin/pnpm.cjs`),
        'install',
        '--lockfile-only',
        '--ignore-scripts',
        '--registry',
        registry,
      ],
      work,
    );
    return keep(join(work, 'pnpm-lock.yaml'), `pnpm${major}-lock.yaml`);
  };

  return {
    dir,
    installed,
    prodIds,
    lockfiles: {
      npm1: lockOnly('1'),
      npm2: lockOnly('2'),
      npm3,
      yarn1: keep(join(yarn1Dir, 'yarn.lock'), 'yarn1.lock'),
      yarn4: keep(join(yarn4Dir, 'yarn.lock'), 'yarn4.lock'),
      pnpm5: pnpm(7),
      pnpm6: pnpm(8),
      pnpm9: pnpm(9),
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
