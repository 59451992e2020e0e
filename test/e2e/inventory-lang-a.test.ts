import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSource } from '../../src/inventory/scan.js';
import type { Inventory, Package } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { type InstalledPackage, installedByNpm, run } from '../inventory/lang/npm/realProject.js';
import { type Distribution, importlibDistributions } from '../inventory/lang/python/oracle.js';
import { type LoadedGem, loadedGems } from '../inventory/lang/ruby/oracle.js';

/**
 * npm, Python and Ruby packages through the whole pipeline (scanSource, and the CLI) on a
 * real Debian image: python3-six in the base layer, node_modules installed from the npm
 * registry and copied in a second layer, python3-yaml, python3-requests and ruby-rack
 * installed with apt in a third. Oracles: `npm ls --all` on the copied tree, importlib.metadata
 * and RubyGems inside the container; the layer is the one whose Dockerfile instruction added it.
 */

const NPM_DEPENDENCIES = {
  '@sindresorhus/is': '4.6.0',
  debug: '2.6.9',
  ms: '2.1.3',
  'str-alias': 'npm:left-pad@1.3.0',
  'json-schema': '0.2.3',
};

function regularFiles(root: string, under: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(join(root, under), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(root, full)] = readFileSync(full);
  }
  return files;
}

describe.skipIf(needs('docker', 'mmdebstrap'))(
  'npm, Python and Ruby packages of a real image, through scanSource',
  () => {
    let work: string;
    let inventory: Inventory;
    let archive: string;
    let npmInstalled: InstalledPackage[];
    let baseDistributions: Distribution[];
    let distributions: Distribution[];
    let gems: LoadedGem[];
    const layerOf = (pattern: RegExp) => inventory.layers.findIndex((l) => pattern.test(l.createdBy ?? ''));
    const at = (path: string, ecosystem: string): Package | undefined =>
      inventory.packages.find((p) => p.ecosystem === ecosystem && p.paths.includes(path));

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'rf-e2e-lang-a-'));
      const project = join(work, 'project');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true, dependencies: NPM_DEPENDENCIES }),
      );
      run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], project);
      npmInstalled = installedByNpm(project);

      const base = debianBase(['python3-six']);
      const image = buildImage(
        'inventory-lang-a',
        [
          `FROM ${base}`,
          'COPY node_modules /app/node_modules',
          'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-yaml python3-requests ruby-rack >/dev/null && rm -rf /var/lib/apt/lists/*',
        ].join('\n'),
        regularFiles(project, 'node_modules'),
      );
      baseDistributions = importlibDistributions(base);
      distributions = importlibDistributions(image);
      gems = loadedGems(image);
      archive = saveImage(image, work);
      inventory = await scanSource(archive, { cacheRoot: join(work, 'cache') });
    });
    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('names the layers by the instructions that made them', () => {
      expect(inventory.layers).toHaveLength(3);
      expect(layerOf(/COPY .*node_modules/)).toBe(1);
      expect(layerOf(/apt-get install/)).toBe(2);
    });

    it('finds every npm package npm ls lists, at its path, in the COPY layer', () => {
      expect(npmInstalled.length).toBeGreaterThanOrEqual(6);
      for (const installed of npmInstalled) {
        const pkg = at(`app/${installed.path}`, 'npm');
        expect(pkg, installed.path).toBeDefined();
        expect(`${pkg!.name}@${pkg!.version}`).toBe(`${installed.name}@${installed.version}`);
        expect(pkg!.layer?.index).toBe(1);
        expect(pkg!.osOwned).toBeUndefined();
      }
      expect(at('app/node_modules/debug/node_modules/ms/package.json', 'npm')?.version).toBe('2.0.0');
      expect(at('app/node_modules/str-alias/package.json', 'npm')?.name).toBe('left-pad');
      expect(at('app/node_modules/json-schema/package.json', 'npm')?.licenses).toEqual(['AFLv2.1', 'BSD']);
      expect(inventory.packages.filter((p) => p.ecosystem === 'npm')).toHaveLength(npmInstalled.length);
    });

    it('finds every Python distribution in the layer that installed it, owned by its Debian package', () => {
      const inBase = new Set(baseDistributions.map((d) => d.path));
      expect(inBase.size).toBeGreaterThan(0);
      expect(distributions.length).toBeGreaterThan(inBase.size);
      for (const d of distributions) {
        const pkg = at(d.path, 'pypi');
        expect(pkg, d.path).toBeDefined();
        expect(`${pkg!.name}@${pkg!.version}`).toBe(`${d.name}@${d.version}`);
        expect(pkg!.layer?.index, d.path).toBe(inBase.has(d.path) ? 0 : 2);
        expect(pkg!.osOwned, d.path).toBe(true);
      }
      expect(inventory.packages.filter((p) => p.ecosystem === 'pypi')).toHaveLength(distributions.length);
    });

    it('finds every gem RubyGems loads, in the apt layer', () => {
      expect(gems.some((g) => g.name === 'rack')).toBe(true);
      for (const gem of gems) {
        const pkg = at(gem.path, 'gem');
        expect(pkg, gem.path).toBeDefined();
        expect(`${pkg!.name}@${pkg!.version}`).toBe(`${gem.name}@${gem.version}`);
        expect(pkg!.layer?.index).toBe(2);
      }
    });

    it('lists the same language packages through `ringfence sbom --format json`', async () => {
      const result = await ringfence([
        'sbom',
        archive,
        '--format',
        'json',
        '--cache-dir',
        join(work, 'cli-cache'),
      ]);
      expect(result.code).toBe(0);
      const fromCli = JSON.parse(result.stdout) as Inventory;
      const languages = (packages: Package[]) =>
        packages
          .filter((p) => ['npm', 'pypi', 'gem'].includes(p.ecosystem))
          .map((p) => `${p.ecosystem} ${p.paths.join()} ${p.name}@${p.version} ${p.layer?.index}`)
          .sort();
      expect(languages(fromCli.packages)).toEqual(languages(inventory.packages));
    });
  },
);
