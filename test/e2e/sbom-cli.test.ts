import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { dockerArchiveFiles, filesToTar } from '../image/helpers/archives.js';
import { tarArchive } from '../image/helpers/tar-writer.js';
import { cycloneDxProblems, spdxProblems } from '../inventory/sbom/validate.js';

/**
 * `ringfence sbom --format cyclonedx|spdx-json` and SBOM files as sources, through the built
 * CLI, on a small image archive written by the test (no Docker needed).
 */

const root = mkdtempSync(join(tmpdir(), 'rf-cli-sbom-formats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cache = join(root, 'cache');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  ringfence([...args, '--cache-dir', cache], { env });

const layer = tarArchive([
  { name: 'etc/os-release', data: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' },
  {
    name: 'var/lib/dpkg/status',
    data: [
      'Package: libssl3',
      'Status: install ok installed',
      'Architecture: amd64',
      'Source: openssl',
      'Version: 3.0.15-1~deb12u1',
      '',
    ].join('\n'),
  },
  {
    name: 'app/node_modules/lodash/package.json',
    data: JSON.stringify({ name: 'lodash', version: '4.17.20', license: 'MIT' }),
  },
]);
const archive = join(root, 'app.tar');
writeFileSync(archive, filesToTar(dockerArchiveFiles({ layers: [{ tar: layer }] }, { legacy: true })));
const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('ringfence sbom in SBOM formats', () => {
  it('--format cyclonedx: the BOM alone on stdout, valid, reproducible under SOURCE_DATE_EPOCH', async () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const r = await cli(['sbom', archive, '--format', 'cyclonedx'], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const bom = JSON.parse(r.stdout);
    expect(cycloneDxProblems(bom)).toEqual([]);
    expect(bom.metadata.timestamp).toBe('2023-11-14T22:13:20Z');
    expect(bom.components.map((c: { purl?: string }) => c.purl)).toEqual([
      undefined,
      'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl',
      'pkg:npm/lodash@4.17.20',
    ]);
    expect((await cli(['sbom', archive, '--format', 'cyclonedx'], env)).stdout).toBe(r.stdout);
  });

  it('--format spdx-json --output: the document in the file, nothing on stdout', async () => {
    const out = join(root, 'app.spdx.json');
    const r = await cli(['sbom', archive, '-f', 'spdx-json', '-o', out]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(spdxProblems(doc)).toEqual([]);
    expect(doc.packages.map((p: { name: string }) => p.name)).toEqual([
      'test/app:1',
      'debian',
      'libssl3',
      'lodash',
    ]);
  });

  it('an SBOM is a source: its packages in a table, or as an inventory', async () => {
    const bom = join(root, 'bom.json');
    expect((await cli(['sbom', archive, '-f', 'cyclonedx', '-o', bom])).code).toBe(0);
    const table = await cli(['sbom', bom]);
    expect([table.code, table.stderr]).toEqual([0, '']);
    expect(table.stdout).toMatch(/^sbom .*bom\.json {2}debian 12\nNAME +VERSION +TYPE +LAYER +PATH\n/);
    expect(table.stdout).toMatch(/\nlibssl3 +3\.0\.15-1~deb12u1 +deb +1\n/);
    expect(table.stdout).toMatch(/\nlodash +4\.17\.20 +npm +1 +app\/node_modules\/lodash\/package\.json\n/);
    const json = JSON.parse((await cli(['sbom', `sbom:${bom}`, '-f', 'json'])).stdout) as Inventory;
    expect(json.packages.map((p) => [p.name, p.source?.name, p.layer?.index])).toEqual([
      ['libssl3', 'openssl', 0],
      ['lodash', undefined, 0],
    ]);
    const again = JSON.parse((await cli(['sbom', '--input', bom, '-f', 'json'])).stdout) as Inventory;
    expect(again.packages).toEqual(json.packages);
  });

  it('a bad SBOM is one line naming it, exit 2, and no output file', async () => {
    const outDir = join(root, 'out');
    mkdirSync(outDir);
    const write = (name: string, text: string) => {
      const path = join(root, name);
      writeFileSync(path, text);
      return path;
    };
    const cases: [string, RegExp][] = [
      [
        write('broken.cdx.json', '{"bomFormat": "CycloneDX", "components": [{'),
        /broken\.cdx\.json: not valid JSON/,
      ],
      [
        write('wrong.cdx.json', '{"bomFormat": "CycloneDX", "components": {"a": 1}}'),
        /wrong\.cdx\.json: CycloneDX: "components" is not an array$/,
      ],
      [
        write('bom.xml', '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"></bom>'),
        /bom\.xml: CycloneDX XML is not supported; give the SBOM as CycloneDX JSON$/,
      ],
      [write('plain.json', '{"name": "x"}'), /plain\.json: JSON, but not a CycloneDX or SPDX 2 document/],
    ];
    for (const [path, message] of cases) {
      const r = await cli(['sbom', path, '-f', 'spdx-json', '-o', join(outDir, 'out.json')]);
      expect(r.code, path).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr.trim()).toMatch(message);
    }
    expect(readdirSync(outDir)).toEqual([]);
    const usage = await cli(['sbom', archive, '--format', 'cyclonedx-xml']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Allowed choices are json, table, cyclonedx, spdx-json/);
  });
});
