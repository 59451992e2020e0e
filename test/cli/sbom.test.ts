import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { dockerArchiveFiles, filesToTar, ociLayoutFiles } from '../image/helpers/archives.js';
import { tarArchive } from '../image/helpers/tar-writer.js';

const root = mkdtempSync(join(tmpdir(), 'rf-cli-sbom-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { XDG_CACHE_HOME: join(root, 'xdg') };

const STATUS = [
  'Package: less',
  'Status: install ok installed',
  'Priority: optional',
  'Architecture: amd64',
  'Version: 590-2',
  'Description: pager',
  '',
].join('\n');
const rootfsLayer = tarArchive([
  {
    name: 'etc/os-release',
    data: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  },
  { name: 'var/lib/dpkg/status', data: STATUS },
]);
const archive = join(root, 'app.tar');
writeFileSync(archive, filesToTar(dockerArchiveFiles({ layers: [{ tar: rootfsLayer }] }, { legacy: true })));
const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('ringfence sbom', () => {
  it('prints the inventory as JSON, and nothing else on stdout or stderr', async () => {
    const r = await ringfence(['sbom', archive, '--format', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const inv = JSON.parse(r.stdout) as Inventory;
    expect(inv.source).toMatchObject({ type: 'docker-archive', ref: archive, repoTags: ['test/app:1'] });
    expect(inv.os).toMatchObject({ family: 'debian', version: '12' });
    expect(inv.packages.map((p) => [p.name, p.version, p.purl, p.layer?.index])).toEqual([
      ['less', '590-2', 'pkg:deb/debian/less@590-2?arch=amd64&distro=debian-12', 0],
    ]);
  });

  it('prints a table by default, and reads --input and OCI layouts', async () => {
    const r = await ringfence(['sbom', '--input', archive], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^docker-archive .*app\.tar {2}Debian GNU\/Linux 12 \(bookworm\)\nNAME +VERSION +TYPE +LAYER +PATH\nless +590-2 +deb +1\n1 packages\n$/,
    );
    const layout = join(root, 'oci');
    mkdirSync(layout);
    for (const [name, data] of ociLayoutFiles([{ layers: [{ tar: rootfsLayer }] }])) {
      mkdirSync(join(layout, name, '..'), { recursive: true });
      writeFileSync(join(layout, name), data);
    }
    const oci = await ringfence(['sbom', layout, '-f', 'json', '--platform', 'linux/amd64'], { env });
    expect((JSON.parse(oci.stdout) as Inventory).packages).toHaveLength(1);
  });

  it('scans directories (fs by default, rootfs: prefix)', async () => {
    const dir = join(root, 'tree');
    mkdirSync(join(dir, 'var/lib/dpkg'), { recursive: true });
    writeFileSync(join(dir, 'var/lib/dpkg/status'), STATUS);
    const rootfs = JSON.parse(
      (await ringfence(['sbom', `rootfs:${dir}`, '-f', 'json'], { env })).stdout,
    ) as Inventory;
    expect(rootfs.source.type).toBe('rootfs');
    expect(rootfs.packages.map((p) => p.name)).toEqual(['less']);
    const fs = JSON.parse((await ringfence(['sbom', dir, '-f', 'json'], { env })).stdout) as Inventory;
    expect(fs.source.type).toBe('fs');
  });

  it('writes --output atomically, and never leaves a file when the scan fails', async () => {
    const outDir = join(root, 'out');
    mkdirSync(outDir);
    const out = join(outDir, 'sbom.json');
    const ok = await ringfence(['sbom', archive, '-f', 'json', '-o', out], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).packages).toHaveLength(1);
    const bad = join(outDir, 'bad.json');
    const failed = await ringfence(['sbom', join(root, 'missing.tar'), '-o', bad], { env });
    expect(failed.code).toBe(2);
    expect(readdirSync(outDir)).toEqual(['sbom.json']);
    const unwritable = await ringfence(['sbom', archive, '-o', join(root, 'no/such/dir/x.json')], { env });
    expect(unwritable.code).toBe(2);
    expect(oneLine(unwritable.stderr)).toBe(true);
    expect(unwritable.stderr).toMatch(/cannot write output \(ENOENT\)/);
  });

  it('reports bad input and bad usage in one line with exit code 2', async () => {
    const corrupt = join(root, 'corrupt.tar');
    writeFileSync(corrupt, Buffer.alloc(4096, 0x41));
    const brokenLayer = join(root, 'broken-layer.tar');
    const files = dockerArchiveFiles({ layers: [{ tar: rootfsLayer }] }, { legacy: true });
    for (const [k, v] of files) if (k.endsWith('layer.tar')) files.set(k, v.subarray(0, 1000));
    writeFileSync(brokenLayer, filesToTar(files));
    const cases: [string[], RegExp][] = [
      [['sbom', join(root, 'nope.tar')], /nope\.tar: no such file or directory/],
      [['sbom', corrupt], /corrupt\.tar: not a tar header \(checksum mismatch\) at offset 0/],
      // A fresh cache: a cached result for the layer's diffID would be used without reading it.
      [
        ['sbom', brokenLayer, '--cache-dir', join(root, 'fresh-cache')],
        /broken-layer\.tar: layer 1\/1 \(sha256:[0-9a-f]{12}\): layer content \(diffID\) does not match its digest/,
      ],
      [['sbom', archive, '--format', 'xml'], /argument 'xml' is invalid/],
      [['sbom', archive, '--platform', 'amd64'], /--platform amd64: expected os\/arch/],
      [['sbom', archive, '--input', archive], /either a SOURCE argument or --input/],
    ];
    for (const [args, message] of cases) {
      const r = await ringfence(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toMatch(message);
    }
  });

  it('caches layers under --cache-dir, and `clean` empties the scan cache', async () => {
    const cache = join(root, 'my-cache');
    expect((await ringfence(['sbom', archive, '--cache-dir', cache], { env })).code).toBe(0);
    expect(readdirSync(join(cache, 'layers'))).toHaveLength(1);
    const cleaned = await ringfence(['clean', '--cache-dir', cache], { env });
    expect(cleaned.code).toBe(0);
    expect(cleaned.stderr).toMatch(/^removed 1 files \(.*\) from .*my-cache\n$/);
    expect(readdirSync(cache)).toEqual(['CACHEDIR.TAG']);
    mkdirSync(join(cache, 'db'));
    expect((await ringfence(['clean', '--cache-dir', cache], { env })).stderr).toMatch(/^removed 0 files/);
    expect((await ringfence(['clean', '--all', '--cache-dir', cache], { env })).code).toBe(0);
    expect(readdirSync(cache)).toEqual(['CACHEDIR.TAG']);
    expect((await ringfence(['clean', '--quiet', '--cache-dir', cache], { env })).stderr).toBe('');
    const notCache = join(root, 'documents');
    mkdirSync(notCache);
    writeFileSync(join(notCache, 'thesis.tex'), 'x');
    const refused = await ringfence(['clean', '--all', '--cache-dir', notCache], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not a cache directory/);
    expect(existsSync(join(notCache, 'thesis.tex'))).toBe(true);
  });
});
