import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdxComponent } from '../../src/inventory/sbom/cyclonedx/model.js';
import type { SpdxPackage } from '../../src/inventory/sbom/spdx/model.js';
import type { Finding, Inventory } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { comparable } from '../inventory/sbom/inventories.js';
import { cycloneDxProblems, spdxProblems } from '../inventory/sbom/validate.js';
import { buildVulnDb } from '../vuln/match/db-fixture.js';
import { feeds } from './vuln-fixtures.js';

/**
 * `ringfence sbom --format cyclonedx|spdx-json` on a real Debian image (a base from Debian's
 * archive, npm packages copied in one layer, Debian packages installed in another), checked
 * against dpkg-query in the container and the official CycloneDX schema; then each document
 * read back as a source: the same inventory as the image, and `ringfence image` on it gives
 * the same findings as on the image archive.
 */

interface Listed {
  name: string;
  version: string;
  sourceName: string;
  sourceVersion: string;
}

function dpkgQuery(image: string): Listed[] {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format
  const format = '${Package}\t${Version}\t${source:Package}\t${source:Version}\n';
  const out = execFileSync('docker', [
    'run',
    '--rm',
    '--entrypoint',
    'dpkg-query',
    image,
    '-W',
    `-f=${format}`,
  ]);
  return out
    .toString()
    .trim()
    .split('\n')
    .map((line) => {
      const [name, version, sourceName, sourceVersion] = line.split('\t') as [string, string, string, string];
      return { name, version, sourceName, sourceVersion };
    });
}

const packageJson = (name: string, version: string, license: string) =>
  JSON.stringify({ name, version, license, description: 'test package' });

describe.skipIf(needs('docker', 'mmdebstrap'))('SBOMs of a real Debian image', () => {
  let work: string;
  let cache: string;
  let archive: string;
  let listed: Listed[];
  let cdx: { components: CdxComponent[] } & Record<string, unknown>;
  let spdx: { packages: SpdxPackage[] } & Record<string, unknown>;
  const cli = (args: string[]) => ringfence([...args, '--cache-dir', cache], { timeoutMs: 600_000 });
  const file = (name: string) => join(work, name);

  beforeAll(async () => {
    const image = buildImage(
      'sbom-image',
      [
        `FROM ${debianBase(['ca-certificates', 'curl', 'libssl3', 'python3'])}`,
        'COPY node_modules /app/node_modules',
        'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-yaml jq >/dev/null && rm -rf /var/lib/apt/lists/*',
      ].join('\n'),
      {
        'node_modules/lodash/package.json': packageJson('lodash', '4.17.20', 'MIT'),
        'node_modules/@types/node/package.json': packageJson('@types/node', '20.1.0', 'MIT'),
      },
    );
    work = mkdtempSync(join(tmpdir(), 'rf-e2e-sbom-'));
    cache = join(work, 'cache');
    archive = saveImage(image, work);
    listed = dpkgQuery(image);
    for (const [format, out] of [
      ['cyclonedx', 'app.cdx.json'],
      ['spdx-json', 'app.spdx.json'],
      ['json', 'inventory.json'],
    ]) {
      const r = await cli(['sbom', archive, '--format', format!, '--output', file(out!)]);
      expect(r.stderr).toBe('');
      expect([r.code, r.stdout]).toEqual([0, '']);
    }
    cdx = JSON.parse(readFileSync(file('app.cdx.json'), 'utf8'));
    spdx = JSON.parse(readFileSync(file('app.spdx.json'), 'utf8'));
  }, 1_800_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the CycloneDX document is valid against the official schema and lists every dpkg package', () => {
    expect(cycloneDxProblems(cdx)).toEqual([]);
    const debs = cdx.components.filter((c) => c.purl?.startsWith('pkg:deb/'));
    const prop = (c: CdxComponent, name: string) => c.properties?.find((p) => p.name === name)?.value;
    expect(debs).toHaveLength(listed.length);
    const byName = new Map(debs.map((c) => [c.name, c]));
    for (const l of listed) {
      const c = byName.get(l.name);
      expect(c, l.name).toBeDefined();
      expect([
        c!.version,
        prop(c!, 'ringfence:package:sourceName'),
        prop(c!, 'ringfence:package:sourceVersion'),
      ]).toEqual([l.version, l.sourceName, l.sourceVersion]);
    }
    expect(prop(byName.get('jq')!, 'ringfence:layer:index')).toBe('2');
    expect(prop(byName.get('libc6')!, 'ringfence:layer:index')).toBe('0');
    const lodash = cdx.components.find((c) => c.name === 'lodash')!;
    expect(lodash).toMatchObject({ purl: 'pkg:npm/lodash@4.17.20', licenses: [{ license: { id: 'MIT' } }] });
    expect(prop(lodash, 'ringfence:layer:index')).toBe('1');
    const pyyaml = cdx.components.find((c) => c.purl?.startsWith('pkg:pypi/pyyaml@'))!;
    expect(prop(pyyaml, 'ringfence:package:osOwned')).toBe('true');
  });

  it('the SPDX document meets the 2.3 specification and lists every dpkg package', () => {
    expect(spdxProblems(spdx)).toEqual([]);
    const debs = spdx.packages.filter((p) => p.externalRefs?.[0]?.referenceLocator.startsWith('pkg:deb/'));
    expect(debs).toHaveLength(listed.length);
    const byName = new Map(debs.map((p) => [p.name, p]));
    for (const l of listed) {
      const p = byName.get(l.name);
      expect(p?.versionInfo, l.name).toBe(l.version);
      expect(p!.annotations!.map((a) => a.comment)).toEqual(
        expect.arrayContaining([
          `ringfence:package:sourceName: ${l.sourceName}`,
          `ringfence:package:sourceVersion: ${l.sourceVersion}`,
        ]),
      );
    }
  });

  it('each document read back as a source is the inventory of the image', async () => {
    const original = JSON.parse(readFileSync(file('inventory.json'), 'utf8')) as Inventory;
    for (const doc of ['app.cdx.json', 'app.spdx.json']) {
      const r = await cli(['sbom', file(doc), '--format', 'json']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const back = JSON.parse(r.stdout) as Inventory;
      expect(back.source).toMatchObject({ type: 'sbom', ref: file(doc) });
      // SPDX joins a package's licenses into one expression; the round-trip tests cover that.
      const strip = (i: Inventory) => {
        const c = comparable(i) as { packages: { licenses?: string[] }[] };
        return doc.endsWith('.cdx.json')
          ? c
          : { ...c, packages: c.packages.map(({ licenses: _l, ...p }) => p) };
      };
      expect(strip(back)).toEqual(strip(original));
    }
  });

  it('ringfence image on either document gives the same findings as on the image archive', async () => {
    const versionOf = (source: string) => listed.find((l) => l.sourceName === source)!.sourceVersion;
    await buildVulnDb(work, join(cache, 'db'), feeds({ glibc: versionOf('glibc'), zlib: versionOf('zlib') }));
    const findings = async (source: string) => {
      const r = await cli(['image', source, '--skip-db-update', '--format', 'json']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return (JSON.parse(r.stdout).findings as Finding[]).map((f) => ({
        ...f,
        target: f.target.replace(source, 'SOURCE'),
      }));
    };
    const fromImage = await findings(archive);
    expect(fromImage.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['GHSA-35jh-r3h4-6jhm', 'DSA-9901-1', 'CVE-2099-0003']),
    );
    expect(await findings(file('app.cdx.json'))).toEqual(fromImage);
    expect(await findings(file('app.spdx.json'))).toEqual(fromImage);
  });
});
