import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSource } from '../../src/inventory/scan.js';
import type { Inventory } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { type RunningRegistry, skopeoPush, startRegistry } from '../image/registry/harness.js';
import { run } from '../inventory/lang/npm/realProject.js';

/**
 * One image, read four ways, gives one inventory: a Debian image built here (a package removed
 * in an upper layer, npm packages installed from the registry, Python packages from apt) read
 * as a `docker save` archive, as an OCI layout written by skopeo, from a real docker-registry
 * with basic auth (pushed by skopeo), and from the Docker daemon. Every way reads every layer
 * itself (no layer cache); only the description of the source may differ.
 */

const execFileAsync = promisify(execFile);
const USER = 'eq-user';
const PASSWORD = 'eq-password';

function regularFiles(root: string, under: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(join(root, under), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(root, full)] = readFileSync(full);
  }
  return files;
}

/** What must be the same whichever way the image was read. */
function content(inv: Inventory) {
  return {
    os: inv.os,
    layers: inv.layers.map((l) => ({ index: l.index, diffId: l.diffId, createdBy: l.createdBy })),
    packages: inv.packages,
    warnings: inv.warnings,
  };
}

describe.skipIf(needs('docker', 'mmdebstrap', 'registry', 'skopeo', 'htpasswd'))(
  'one image read four ways gives one inventory',
  () => {
    let work: string;
    let image: string;
    let registry: RunningRegistry;
    const inventories: Record<string, Inventory> = {};

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'rf-e2e-sources-'));
      const project = join(work, 'project');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({
          name: 'eq',
          version: '1.0.0',
          private: true,
          dependencies: { debug: '4.3.4', 'left-pad': '1.3.0' },
        }),
      );
      run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], project);
      image = buildImage(
        'image-sources',
        [
          `FROM ${debianBase(['less', 'python3-six'])}`,
          'RUN dpkg --purge less',
          'COPY node_modules /app/node_modules',
          'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-yaml >/dev/null && rm -rf /var/lib/apt/lists/*',
        ].join('\n'),
        regularFiles(project, 'node_modules'),
      );

      const archive = saveImage(image, work);
      const layout = join(work, 'layout');
      await execFileAsync('skopeo', ['copy', '--quiet', `docker-daemon:${image}`, `oci:${layout}:eq`], {
        timeout: 600_000,
      });
      registry = await startRegistry({ htpasswd: { user: USER, password: PASSWORD } });
      await skopeoPush(`docker-daemon:${image}`, `${registry.host}/eq:1`, `${USER}:${PASSWORD}`);

      const scan = (arg: string, pull = {}) =>
        scanSource(arg, { cache: false, cacheRoot: join(work, 'cache'), pull });
      inventories['docker-archive'] = await scan(archive);
      inventories.oci = await scan(layout);
      inventories.registry = await scan(`${registry.host}/eq:1`, {
        sources: ['registry'],
        credentials: { username: USER, password: PASSWORD },
      });
      inventories.docker = await scan(image, { sources: ['docker'] });
    }, 1_800_000);
    afterAll(async () => {
      await registry?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('reads what was built: the purged package is gone, npm and Python packages are in their layers', () => {
      const inv = inventories['docker-archive']!;
      const find = (name: string, ecosystem: string) =>
        inv.packages.find((p) => p.name === name && p.ecosystem === ecosystem);
      expect(inv.layers).toHaveLength(4);
      expect(find('less', 'deb')).toBeUndefined();
      expect(find('libc6', 'deb')?.layer?.index).toBe(0);
      expect(find('python3-yaml', 'deb')?.layer?.index).toBe(3);
      expect(find('debug', 'npm')).toMatchObject({ version: '4.3.4', layer: { index: 2 } });
      expect(find('left-pad', 'npm')).toMatchObject({ version: '1.3.0', layer: { index: 2 } });
      expect(find('PyYAML', 'pypi')).toMatchObject({ layer: { index: 3 }, osOwned: true });
      expect(find('six', 'pypi')?.layer?.index).toBe(0);
    });

    it('gives the same packages (versions, sources, layers by diffID, paths, files) whichever way it was read', () => {
      const expected = content(inventories['docker-archive']!);
      expect(expected.packages.length).toBeGreaterThan(100);
      for (const way of ['oci', 'registry', 'docker'])
        expect(content(inventories[way]!), way).toEqual(expected);
    });

    it('differs only in how the source is described', () => {
      const imageId = inventories['docker-archive']!.source.imageId;
      // skopeo rewrites the config as an OCI image config, so the layout's image ID is another.
      expect(inventories.oci!.source).toMatchObject({ type: 'oci', repoTags: ['eq'] });
      expect(inventories.oci!.source.imageId).not.toBe(imageId);
      expect(inventories.registry!.source).toMatchObject({
        type: 'registry',
        ref: `${registry.host}/eq:1`,
        imageId,
        repoTags: [`${registry.host}/eq:1`],
      });
      expect(inventories.docker!.source).toMatchObject({
        type: 'docker',
        ref: image,
        imageId,
        repoTags: [image],
      });
      // Layers stored compressed (OCI layout, registry) and as plain tars (docker save, daemon).
      expect(inventories.registry!.layers.every((l) => l.mediaType?.endsWith('gzip'))).toBe(true);
    });

    it('the CLI reads the registry and the daemon the same way', async () => {
      const cacheDir = join(work, 'cli-cache');
      const fromRegistry = await ringfence(
        [
          'sbom',
          `${registry.host}/eq:1`,
          '-f',
          'json',
          '--username',
          USER,
          '--password',
          PASSWORD,
          '--cache-dir',
          cacheDir,
        ],
        { timeoutMs: 600_000 },
      );
      expect(fromRegistry.stderr).toBe('');
      const fromDaemon = await ringfence(
        ['sbom', image, '-f', 'json', '--image-src', 'docker', '--cache-dir', cacheDir],
        {
          timeoutMs: 600_000,
        },
      );
      expect(fromDaemon.stderr).toBe('');
      const expected = content(inventories['docker-archive']!);
      expect(content(JSON.parse(fromRegistry.stdout) as Inventory)).toEqual(expected);
      expect(content(JSON.parse(fromDaemon.stdout) as Inventory)).toEqual(expected);
    }, 900_000);
  },
);
