import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../../src/image/resolve.js';
import { buildCycloneDx, serializeCycloneDx } from '../../../src/inventory/sbom/cyclonedx/build.js';
import { sniffSbom, sniffSbomFile } from '../../../src/inventory/sbom/detect.js';
import { buildSpdx, serializeSpdx } from '../../../src/inventory/sbom/spdx/build.js';
import { scanSource } from '../../../src/inventory/scan.js';
import { sampleInventory } from './inventories.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-sbom-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sniffSbom', () => {
  it.each([
    ['{"bomFormat": "CycloneDX", "specVersion": "1.6"}', 'cyclonedx-json'],
    ['\uFEFF  {\n  "$schema": "x",\n  "bomFormat" :"CycloneDX"}', 'cyclonedx-json'],
    ['{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}', 'spdx-json'],
    ['{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}', 'spdx3-json'],
    ['<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">', 'cyclonedx-xml'],
    ['SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', 'spdx-tag-value'],
    ['{"name": "app", "lockfileVersion": 3}', 'json'],
    ['{"bomFormat": "SomethingElse"}', 'json'],
    ['<html><body>bom</body></html>', undefined],
    ['ustar\u0000', undefined],
    ['', undefined],
  ])('%j → %s', (head, kind) => {
    expect(sniffSbom(head)).toBe(kind);
  });

  it('finds the format key at the end of a document whose writer sorted its keys; never opens a FIFO', async () => {
    const packages = Array.from({ length: 3000 }, (_, i) => ({ SPDXID: `SPDXRef-${i}`, name: `p${i}` }));
    const path = join(dir, 'sorted.json');
    writeFileSync(path, JSON.stringify({ SPDXID: 'SPDXRef-DOCUMENT', packages, spdxVersion: 'SPDX-2.2' }));
    expect(await sniffSbomFile(path)).toBe('spdx-json');
    expect(await sniffSbomFile(dir)).toBeUndefined();
    expect(await sniffSbomFile(join(dir, 'missing'))).toBeUndefined();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await sniffSbomFile(fifo)).toBeUndefined();
  });
});

describe('an SBOM is a scan source wherever a source is', () => {
  const cdxPath = join(dir, 'app.cdx.json');
  const spdxPath = join(dir, 'app.spdx');
  writeFileSync(cdxPath, serializeCycloneDx(buildCycloneDx(sampleInventory())));
  writeFileSync(spdxPath, serializeSpdx(buildSpdx(sampleInventory())));
  const lockfile = join(dir, 'project', 'package-lock.json');
  mkdirSync(join(dir, 'project'));
  writeFileSync(lockfile, '{"name": "x", "lockfileVersion": 3, "packages": {}}');
  const work = () => mkdtempSync(join(dir, 'work-'));

  it('recognised by content in every mode but rootfs, with --input and the sbom: prefix', async () => {
    for (const mode of [undefined, 'image', 'fs'] as const)
      expect(await resolveSource(spdxPath, { mode, workDir: work() })).toEqual({
        kind: 'sbom',
        sbom: 'spdx-json',
        path: spdxPath,
        ref: spdxPath,
      });
    expect(await resolveSource(undefined, { input: cdxPath, workDir: work() })).toMatchObject({
      kind: 'sbom',
      sbom: 'cyclonedx-json',
    });
    expect(await resolveSource(`sbom:${cdxPath}`, { workDir: work() })).toMatchObject({ kind: 'sbom' });
    await expect(resolveSource(`sbom:${join(dir, 'missing')}`, { workDir: work() })).rejects.toThrow(
      'missing: not a CycloneDX or SPDX document',
    );
    expect(await resolveSource(lockfile, { mode: 'image', workDir: work() })).toMatchObject({ sbom: 'json' });
    await expect(resolveSource(cdxPath, { mode: 'rootfs', workDir: work() })).rejects.toThrow(
      'not a directory',
    );
    expect(await resolveSource(lockfile, { mode: 'fs', workDir: work() })).toMatchObject({
      kind: 'directory',
    });
  });

  it('other JSON is read to be sure, and refused unless it is a CycloneDX or SPDX document', async () => {
    await expect(scanSource(`sbom:${lockfile}`, { cacheRoot: join(dir, 'cache') })).rejects.toThrow(
      `${lockfile}: JSON, but not a CycloneDX or SPDX 2 document (no "bomFormat": "CycloneDX" or "spdxVersion": "SPDX-2.x")`,
    );
    const buried = join(dir, 'buried.json');
    const filler = Array.from({ length: 20_000 }, (_, i) => `p${i}`);
    writeFileSync(
      buried,
      JSON.stringify({ filler, bomFormat: 'CycloneDX', more: filler, specVersion: '1.6' }),
    );
    expect((await scanSource(buried, { cacheRoot: join(dir, 'cache') })).source).toEqual({
      type: 'sbom',
      ref: buried,
    });
  });

  it('scanSource reads it into an inventory of the image it describes', async () => {
    for (const path of [cdxPath, spdxPath]) {
      const inventory = await scanSource(path, { mode: 'image', cacheRoot: join(dir, 'cache') });
      expect(inventory.source).toMatchObject({
        type: 'sbom',
        ref: path,
        imageId: sampleInventory().source.imageId,
      });
      expect(inventory.packages.map((p) => p.purl)).toEqual(sampleInventory().packages.map((p) => p.purl));
    }
  });
});
