import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Analyzer } from '../../../../src/inventory/analyzer.js';
import {
  npmLockAnalyzer,
  npmPackageAnalyzer,
  pnpmLockAnalyzer,
  yarnLockAnalyzer,
} from '../../../../src/inventory/lang/npm/analyzers.js';
import { readLockfileYaml } from '../../../../src/inventory/lang/npm/lockfileYaml.js';
import type { Package } from '../../../../src/types.js';
import { analyzeTree, ids, memoryInput } from '../analyze.js';
import { createRealProject, type RealProject } from './realProject.js';

/**
 * Against the real tools: a project installed from the npm registry, `npm ls --all` as the
 * oracle, and the lockfiles npm, Yarn 1, Yarn 4 and pnpm 7/8/9 write for the same project.
 */
describe('npm analyzers on a real registry install', () => {
  let project: RealProject;
  beforeAll(() => {
    project = createRealProject();
  });
  afterAll(() => project?.cleanup());

  const lockfile = async (analyzer: Analyzer, file: string, path: string): Promise<Package[]> => {
    const out = await analyzer.analyze(memoryInput(path, readFileSync(file)));
    expect(out?.warnings ?? []).toEqual([]);
    return out?.packages ?? [];
  };
  const expectedIds = () => [...new Set(project.installed.map((p) => `${p.name}@${p.version}`))].sort();

  it('finds every installed package npm ls lists, at its own package.json, and nothing else', async () => {
    const { packages, warnings } = await analyzeTree([npmPackageAnalyzer], project.dir, 'image', 'srv/app');
    expect(warnings).toEqual([]);
    const found = packages.map((p) => `${p.paths.join()} ${p.name}@${p.version}`).sort();
    const expected = project.installed.map((p) => `srv/app/${p.path} ${p.name}@${p.version}`).sort();
    expect(found).toEqual(expected);
    // The fixture set covers what matters: nested versions, a scope, an alias, a workspace's own dependency.
    expect(found).toContain('srv/app/node_modules/debug/node_modules/ms/package.json ms@2.0.0');
    expect(found).toContain('srv/app/node_modules/ms/package.json ms@2.1.3');
    expect(found).toContain('srv/app/node_modules/str-alias/package.json left-pad@1.3.0');
    expect(found).toContain('srv/app/packages/ws-a/node_modules/ms/package.json ms@2.1.2');
    expect(found.some((f) => f.includes('@sindresorhus/is@4.6.0'))).toBe(true);
    expect(packages.every((p) => p.ecosystem === 'npm' && p.analyzer === 'npm-package')).toBe(true);
  });

  it('reads licenses as the installed package.json files declare them', async () => {
    const { packages } = await analyzeTree([npmPackageAnalyzer], project.dir, 'rootfs');
    const byPath = new Map(packages.map((p) => [p.paths[0], p]));
    for (const installed of project.installed) {
      const pkg = byPath.get(installed.path)!;
      if (typeof installed.license === 'string') expect(pkg.licenses).toEqual([installed.license]);
    }
    expect(byPath.get('node_modules/json-schema/package.json')!.licenses).toEqual(['AFLv2.1', 'BSD']);
    expect(byPath.get('node_modules/indexof/package.json')!.licenses).toBeUndefined();
  });

  it('does not read installed packages when scanning a source tree', async () => {
    const { packages } = await analyzeTree([npmPackageAnalyzer], project.dir, 'fs');
    expect(packages).toEqual([]);
  });

  it.each(['npm1', 'npm2', 'npm3'] as const)(
    '%s package-lock lists what npm installed, with dev flags',
    async (v) => {
      const packages = await lockfile(npmLockAnalyzer, project.lockfiles[v], 'package-lock.json');
      expect(ids(packages)).toEqual(expectedIds());
      for (const p of packages)
        expect(p.dev ?? false, `${p.name}@${p.version}`).toBe(!project.prodIds.has(`${p.name}@${p.version}`));
      // is-number is a devDependency of the project but also needed by the local folder dependency.
      expect(packages.find((p) => p.name === '@types/ms')?.dev).toBe(true);
      expect(packages.find((p) => p.name === 'is-number')?.dev).toBeUndefined();
    },
  );

  it.each(['yarn1', 'yarn4'] as const)('%s yarn.lock lists the same packages as npm', async (v) => {
    const packages = await lockfile(yarnLockAnalyzer, project.lockfiles[v], 'yarn.lock');
    expect(ids(packages)).toEqual(expectedIds());
  });

  it.each(['pnpm5', 'pnpm6', 'pnpm9'] as const)(
    '%s pnpm-lock.yaml lists the same packages and dev flags as npm',
    async (v) => {
      const packages = await lockfile(pnpmLockAnalyzer, project.lockfiles[v], 'pnpm-lock.yaml');
      expect(ids(packages)).toEqual(expectedIds());
      for (const p of packages)
        expect(p.dev ?? false, `${p.name}@${p.version}`).toBe(!project.prodIds.has(`${p.name}@${p.version}`));
    },
  );

  it.each(['yarn4', 'pnpm5', 'pnpm6', 'pnpm9'] as const)(
    '%s: the fast YAML reader reads what the general parser reads',
    (v) => {
      const text = readFileSync(project.lockfiles[v], 'utf8');
      const general = parseAllDocuments(text, { schema: 'failsafe' }).map((d) => d.toJS());
      expect(JSON.parse(JSON.stringify(readLockfileYaml(text)))).toEqual(general);
    },
  );

  it('reads the lockfiles in a source tree and leaves node_modules/.package-lock.json alone', async () => {
    const { packages } = await analyzeTree([npmLockAnalyzer, npmPackageAnalyzer], project.dir, 'fs');
    expect(new Set(packages.map((p) => p.paths.join()))).toEqual(new Set(['package-lock.json']));
  });
});
