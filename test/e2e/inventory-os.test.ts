import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPMTAG } from '../../src/inventory/os/rpm/header.js';
import { scanSource } from '../../src/inventory/scan.js';
import type { Inventory, Package } from '../../src/types.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { headerBlob, ndbFile } from '../inventory/os/rpm/support.js';

/**
 * OS inventory through the whole pipeline (scanSource): a real Debian image with packages
 * removed and added in upper layers, checked against dpkg-query inside the container, and
 * root filesystems laid out as Ubuntu, distroless, Alpine and SUSE images lay them out.
 */

const DPKG_QUERY_FORMAT = `\${Package} \${Version} \${source:Package} \${source:Version} \${Architecture} \${db:Status-Status}\\n`;

interface Listed {
  name: string;
  version: string;
  sourceName: string;
  sourceVersion: string;
  arch: string;
  state: string;
}

function dpkgQuery(image: string): Listed[] {
  const out = execFileSync('docker', [
    'run',
    '--rm',
    image,
    'dpkg-query',
    '-W',
    '-f',
    DPKG_QUERY_FORMAT,
  ]).toString();
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [name, version, sourceName, sourceVersion, arch, state] = line.split(' ') as string[];
      return {
        name: name!,
        version: version!,
        sourceName: sourceName!,
        sourceVersion: sourceVersion!,
        arch: arch!,
        state: state!,
      };
    });
}

const debs = (inv: Inventory) =>
  new Map(inv.packages.filter((p) => p.ecosystem === 'deb').map((p) => [p.name, p]));

describe.skipIf(needs('docker', 'mmdebstrap'))(
  'dpkg inventory of a real Debian image, against dpkg-query',
  () => {
    let work: string;
    let base: string;
    let image: string;
    let inventory: Inventory;

    beforeAll(async () => {
      base = debianBase(['ca-certificates', 'curl', 'libssl3', 'python3']);
      image = buildImage(
        'inventory-os',
        [
          `FROM ${base}`,
          'RUN dpkg --purge curl && dpkg --remove e2fsprogs',
          'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*',
        ].join('\n'),
      );
      work = mkdtempSync(join(tmpdir(), 'rf-e2e-os-'));
      inventory = await scanSource(saveImage(image, work), { cacheRoot: join(work, 'cache') });
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('finds Debian 12', () => {
      expect(inventory.os).toMatchObject({ family: 'debian', version: '12', codename: 'bookworm' });
      expect(inventory.warnings).toEqual([]);
    });

    it('lists every installed package dpkg-query lists, with its version, arch and source package', () => {
      const listed = dpkgQuery(image).filter((l) => l.state === 'installed');
      const found = debs(inventory);
      expect(listed.length).toBeGreaterThan(100);
      for (const l of listed) {
        const p = found.get(l.name);
        expect(p, l.name).toBeDefined();
        expect([p!.version, p!.arch, p!.source?.name, p!.source?.version], l.name).toEqual([
          l.version,
          l.arch,
          l.sourceName,
          l.sourceVersion,
        ]);
      }
      expect(found.size).toBe(listed.length);
    });

    it('has source packages that differ from the binaries, as advisories need', () => {
      const found = debs(inventory);
      expect(found.get('libc6')?.source?.name).toBe('glibc');
      expect(found.get('libssl3')?.source?.name).toBe('openssl');
      expect(found.get('python3')?.source?.name).toBe('python3-defaults');
    });

    it('drops the purged package and the one removed to its config files', () => {
      const states = new Map(dpkgQuery(image).map((l) => [l.name, l.state]));
      expect(states.has('curl')).toBe(false);
      expect(states.get('e2fsprogs')).toBe('config-files');
      expect(debs(inventory).has('curl')).toBe(false);
      expect(debs(inventory).has('e2fsprogs')).toBe(false);
    });

    it('attributes each package to the layer that introduced it', () => {
      const inBase = new Set(dpkgQuery(base).map((l) => l.name));
      const found = [...debs(inventory).values()];
      for (const p of found) expect(p.layer?.index, p.name).toBe(inBase.has(p.name) ? 0 : 2);
      expect(found.filter((p) => p.layer?.index === 2).map((p) => p.name)).toEqual(
        expect.arrayContaining(['jq', 'libjq1', 'libonig5']),
      );
      expect(inventory.layers[0]?.diffId).toBe(found.find((p) => p.name === 'libc6')?.layer?.diffId);
    });

    it('gives packages distro-qualified purls and the files dpkg lists for them', () => {
      const libc = debs(inventory).get('libc6')!;
      expect(libc.purl).toBe(
        `pkg:deb/debian/libc6@${libc.version.replace('+', '%2B')}?arch=amd64&distro=debian-12&upstream=glibc`,
      );
      expect(libc.files).toContain('lib/x86_64-linux-gnu/libc.so.6');
      expect(debs(inventory).get('jq')?.files).toContain('usr/bin/jq');
    });

    it('rescans from the layer cache with the same result', async () => {
      const again = await scanSource(saveImage(image, work), { cacheRoot: join(work, 'cache') });
      expect(again.packages).toEqual(inventory.packages);
    });
  },
);

describe('OS inventory of root filesystems laid out as real images are', () => {
  let root: string;
  const write = (rel: string, data: string | Buffer) => {
    mkdirSync(join(root, dirname(rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  };
  const scan = () => scanSource(root, { mode: 'rootfs', cache: false });
  const fixture = (name: string) =>
    readFileSync(new URL(`../inventory/os/dpkg/fixtures/${name}`, import.meta.url).pathname, 'utf8');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'rf-rootfs-os-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('Ubuntu: os-release wins over etc/debian_version ("bookworm/sid") in the same layer', async () => {
    rmSync(root, { recursive: true, force: true });
    write(
      'usr/lib/os-release',
      'NAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n',
    );
    write('etc/debian_version', 'trixie/sid\n');
    write('etc/lsb-release', 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\n');
    write(
      'var/lib/dpkg/status',
      'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.21-2ubuntu4\n',
    );
    const inv = await scan();
    expect(inv.os).toEqual({
      family: 'ubuntu',
      version: '24.04',
      codename: 'noble',
      prettyName: 'Ubuntu 24.04.1 LTS',
    });
    expect(inv.packages[0]?.purl).toBe('pkg:deb/ubuntu/bash@5.2.21-2ubuntu4?arch=amd64&distro=ubuntu-24.04');
  });

  it('distroless: one status.d file per package, with md5sums beside them', async () => {
    rmSync(root, { recursive: true, force: true });
    write('etc/debian_version', '12.15\n');
    const expected = fixture('debian12-dpkg-query.txt')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[5] === 'installed');
    for (const stanza of fixture('debian12-status').split('\n\n')) {
      const name = /^Package: (.+)$/m.exec(stanza)?.[1];
      if (name && expected.some((f) => f[0] === name))
        write(`var/lib/dpkg/status.d/${name}`, `${stanza.replace(/^Status: .*\n/m, '')}\n`);
    }
    write('var/lib/dpkg/status.d/libc6.md5sums', fixture('libc6-amd64.md5sums'));
    const inv = await scan();
    expect(inv.os).toEqual({ family: 'debian', version: '12' });
    const found = inv.packages.map((p: Package) => [
      p.name,
      p.version,
      p.source?.name,
      p.source?.version,
      p.arch,
    ]);
    expect(found.sort()).toEqual(expected.map((f) => f.slice(0, 5)).sort());
    expect(inv.packages.find((p) => p.name === 'libc6')?.files).toContain('lib/x86_64-linux-gnu/libc.so.6');
  });

  it('Alpine without os-release: alpine-release and the apk database', async () => {
    rmSync(root, { recursive: true, force: true });
    write('etc/alpine-release', '3.20.3\n');
    write(
      'lib/apk/db/installed',
      'P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n',
    );
    const inv = await scan();
    expect(inv.os).toEqual({ family: 'alpine', version: '3.20.3' });
    expect(inv.packages.map((p) => [p.purl, p.files])).toEqual([
      ['pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3', ['lib/ld-musl-x86_64.so.1']],
    ]);
  });

  it('openSUSE: NDB Packages.db under usr/lib/sysimage/rpm', async () => {
    rmSync(root, { recursive: true, force: true });
    write('etc/os-release', 'NAME="openSUSE Leap"\nVERSION_ID="15.6"\nID="opensuse-leap"\n');
    const header = headerBlob([
      { tag: RPMTAG.NAME, type: 'string', value: 'libopenssl3' },
      { tag: RPMTAG.VERSION, type: 'string', value: '3.1.4' },
      { tag: RPMTAG.RELEASE, type: 'string', value: '150600.5.15.1' },
      { tag: RPMTAG.ARCH, type: 'string', value: 'x86_64' },
      { tag: RPMTAG.SOURCERPM, type: 'string', value: 'openssl-3-3.1.4-150600.5.15.1.src.rpm' },
      { tag: RPMTAG.DIRINDEXES, type: 'int32', value: [0] },
      { tag: RPMTAG.BASENAMES, type: 'string[]', value: ['libssl.so.3'] },
      { tag: RPMTAG.DIRNAMES, type: 'string[]', value: ['/usr/lib64/'] },
    ]);
    write('usr/lib/sysimage/rpm/Packages.db', ndbFile([header]));
    const inv = await scan();
    const [p] = inv.packages;
    expect(p?.purl).toBe(
      'pkg:rpm/opensuse/libopenssl3@3.1.4-150600.5.15.1?arch=x86_64&distro=opensuse-leap-15.6&upstream=openssl-3',
    );
    expect(p?.source).toEqual({ name: 'openssl-3', version: '3.1.4-150600.5.15.1' });
    expect(p?.files).toEqual(['usr/lib64/libssl.so.3']);
  });

  it('a corrupt package database is a warning naming it, and the scan goes on', async () => {
    rmSync(root, { recursive: true, force: true });
    write('etc/alpine-release', '3.20.3\n');
    write('var/lib/rpm/Packages', Buffer.alloc(4096, 7));
    write('lib/apk/db/installed', 'P:musl\nV:1.2.5-r0\n\n');
    const inv = await scan();
    expect(inv.packages.map((p) => p.name)).toEqual(['musl']);
    expect(
      inv.warnings.some((w) => w.includes('var/lib/rpm/Packages: not a Berkeley DB hash database')),
    ).toBe(true);
  });
});
