import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/image/resolve.js';
import { analyzers } from '../../src/inventory/analyzers.js';
import { type ScanOptions, scanSource } from '../../src/inventory/scan.js';
import { DEFAULT_LIMITS, walkLayer } from '../../src/inventory/walker.js';
import type { Inventory } from '../../src/types.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { probeAnalyzer } from './probe.js';

/**
 * A real image: Debian 12 from mmdebstrap, then layers that delete a file (whiteout), recreate a
 * directory (opaque), purge a Debian package, add an empty layer and a hard link. Read as
 * `docker save` wrote it and as skopeo writes OCI layouts; dpkg-query inside the container is
 * the oracle for the Debian packages.
 */
describe.skipIf(needs('docker', 'mmdebstrap', 'skopeo'))('scanning a real image', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-scan-'));
  const cacheRoot = join(dir, 'cache');
  let tag: string;
  let archive: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    const base = debianBase(['less']);
    tag = buildImage(
      'layers',
      [
        `FROM ${base}`,
        'RUN mkdir -p /opt/a /opt/b && echo 1 > /opt/a/x && echo 1 > /opt/keep && echo 1 > /opt/b/y && echo 1 > /opt/gone',
        'RUN rm /opt/a/x /opt/gone && echo 2 > /opt/keep',
        'RUN rm -rf /opt/b && mkdir /opt/b && echo 3 > /opt/b/z',
        'RUN dpkg --purge less',
        'ENV EMPTY=layer',
        'RUN ln /opt/keep /opt/hard',
      ].join('\n'),
    );
    archive = saveImage(tag, dir);
  });

  const scan = (arg: string, options: ScanOptions = {}): Promise<Inventory> =>
    scanSource(arg, { cacheRoot, analyzers: [...analyzers, probeAnalyzer()], ...options });
  const probed = (inv: Inventory) =>
    inv.packages.filter((p) => p.analyzer === 'probe').map((p) => `${p.name}@${p.version}#${p.layer?.index}`);

  it('applies whiteouts, opaque directories and hard links, and attributes each file to its layer', async () => {
    const inv = await scan(archive, { cache: false });
    expect(probed(inv)).toEqual(['opt/b/z@3#3', 'opt/hard@2#5', 'opt/keep@2#2']);
    expect(inv.layers).toHaveLength(6);
    expect(inv.layers.slice(1).map((l) => l.createdBy?.replace(/^\/bin\/sh -c /, ''))).toEqual([
      'mkdir -p /opt/a /opt/b && echo 1 > /opt/a/x && echo 1 > /opt/keep && echo 1 > /opt/b/y && echo 1 > /opt/gone',
      'rm /opt/a/x /opt/gone && echo 2 > /opt/keep',
      'rm -rf /opt/b && mkdir /opt/b && echo 3 > /opt/b/z',
      'dpkg --purge less',
      'ln /opt/keep /opt/hard',
    ]);
  });

  it('sees the whiteouts and the opaque directory Docker wrote', async () => {
    const target = await resolveSource(archive, { workDir: dir });
    if (target.kind !== 'image') throw new Error('not an image');
    const options = { analyzers: [], mode: 'image' as const, workDir: dir, limits: DEFAULT_LIMITS };
    const deleted = await walkLayer(target.image.layers[2]!, options);
    expect(deleted.whiteouts.sort()).toEqual(['opt/a/x', 'opt/gone']);
    const recreated = await walkLayer(target.image.layers[3]!, options);
    expect(recreated.opaqueDirs).toEqual(['opt/b']);
  });

  it('lists every Debian package dpkg-query lists in the container, with the same version and source', async () => {
    const inv = await scan(archive);
    const oracle = execFileSync('docker', [
      'run',
      '--rm',
      tag,
      'dpkg-query',
      '-W',
      '-f',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
      '${Package}\t${Version}\t${source:Package}\t${source:Version}\n',
    ])
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .map(([name, version, srcName, srcVersion]) => `${name} ${version} ${srcName} ${srcVersion}`)
      .sort();
    const debs = inv.packages.filter((p) => p.ecosystem === 'deb');
    expect(
      debs
        .map((p) => `${p.name} ${p.version} ${p.source?.name ?? p.name} ${p.source?.version ?? p.version}`)
        .sort(),
    ).toEqual(oracle);
    expect(debs.find((p) => p.name === 'less')).toBeUndefined();
    expect(new Set(debs.map((p) => p.layer?.index))).toEqual(new Set([0]));
    expect(inv.os).toMatchObject({ family: 'debian', version: '12' });
    expect(debs.find((p) => p.name === 'bash')?.files).toContain('bin/bash');
  });

  it('gives the same inventory from the OCI layouts skopeo writes and its docker-archive', async () => {
    const fromSave = await scan(archive);
    const layoutDir = join(dir, 'oci');
    const ociTar = join(dir, 'oci.tar');
    const skopeoArchive = join(dir, 'skopeo.tar');
    const copy = (dest: string) =>
      execFileSync('skopeo', ['copy', '-q', `docker-daemon:${tag}`, dest], {
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 600_000,
      });
    copy(`oci:${layoutDir}:app`);
    copy(`oci-archive:${ociTar}:app`);
    copy(`docker-archive:${skopeoArchive}:${tag}`);
    // Converting to OCI rewrites the config (so the image ID), never the layers.
    const same = (inv: Inventory) => ({
      os: inv.os,
      packages: inv.packages,
      diffIds: inv.layers.map((l) => l.diffId),
    });
    for (const arg of [layoutDir, `${layoutDir}:app`, ociTar, skopeoArchive]) {
      const inv = await scan(arg);
      expect(same(inv), arg).toEqual(same(fromSave));
    }
    expect((await scan(layoutDir)).layers.every((l) => l.digest?.startsWith('sha256:'))).toBe(true);
    expect((await scan(skopeoArchive)).source.imageId).toBe(fromSave.source.imageId);
  });
});
