import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSource } from '../../src/inventory/scan.js';
import type { Inventory, Package } from '../../src/types.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { type GoWorkspace, goBuild, goVersionM, goWorkspace, noGo } from '../inventory/lang/go/toolchain.js';
import { makeJar, noJdk } from '../inventory/lang/java/jdk.js';

/**
 * Go binaries and Java archives through the whole pipeline (scanSource) on a real Debian
 * image: Debian packages that ship them in the base layer and in an upper layer, and a Go
 * program and a fat jar built here in a third. Oracles: `go version -m` on the binaries taken
 * out of the image, the pom.properties inside the Debian jars, dpkg-query in the container.
 */

const GO_IN_BASE = 'usr/sbin/runc';
const GO_UPPER = 'usr/bin/docker-registry';
const JAR_IN_BASE = 'usr/share/java/commons-lang3.jar';
const JAR_UPPER = 'usr/share/java/commons-io.jar';

function inContainer(image: string, args: string[]): Buffer {
  return execFileSync('docker', ['run', '--rm', '--entrypoint', args[0] as string, image, ...args.slice(1)], {
    maxBuffer: 512 * 1024 * 1024,
  });
}

function dpkgVersion(image: string, pkg: string): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format
  return inContainer(image, ['dpkg-query', '-W', '-f=${Version}', pkg]).toString();
}

describe.skipIf(needs('docker', 'mmdebstrap') || noGo() || noJdk())(
  'Go and Java packages of a real Debian image, through scanSource',
  () => {
    let work: string;
    let ws: GoWorkspace;
    let image: string;
    let inventory: Inventory;
    const from = (path: string) => inventory.packages.filter((p) => p.paths.includes(path));
    const byName = (packages: Package[]) => new Map(packages.map((p) => [p.name, p]));

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'rf-e2e-lang-b-'));
      ws = goWorkspace(join(work, 'go'));
      const app = readFileSync(goBuild(ws, 'app-bin', ['-trimpath', '-ldflags=-s -w']));
      const lib = makeJar(join(work, 'lib-1.4.2.jar'), {
        'META-INF/maven/com.example/lib/pom.properties':
          'groupId=com.example\nartifactId=lib\nversion=1.4.2\n',
      });
      const fat = readFileSync(
        makeJar(
          join(work, 'service.jar'),
          {
            'BOOT-INF/lib/lib-1.4.2.jar': readFileSync(lib),
            'META-INF/maven/org.acme/service/pom.properties':
              'groupId=org.acme\nartifactId=service\nversion=2.0.0\n',
          },
          { stored: true },
        ),
      );
      const base = debianBase(['runc', 'libcommons-lang3-java']);
      image = buildImage(
        'inventory-lang-b',
        [
          `FROM ${base}`,
          // The classic builder keeps the context's 0644; the chmod makes the RUN layer the app's.
          'COPY app /opt/app/bin/app',
          'RUN chmod 755 /opt/app/bin/app && apt-get update && apt-get install -y --no-install-recommends docker-registry libcommons-io-java && rm -rf /var/lib/apt/lists/*',
          'COPY service.jar /opt/app/service.jar',
        ].join('\n'),
        { app, 'service.jar': fat },
      );
      inventory = await scanSource(saveImage(image, work), { cacheRoot: join(work, 'cache') });
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it.each([
      [GO_IN_BASE, 0],
      [GO_UPPER, 2],
    ])('reads %s as go version -m does, in layer %i, owned by its .deb', (path, layer) => {
      const binary = join(work, 'bin');
      writeFileSync(binary, inContainer(image, ['cat', `/${path}`]), { mode: 0o755 });
      const oracle = goVersionM(binary);
      const found = from(path);
      const stdlib = byName(found).get('stdlib');
      expect(`go${stdlib?.version}`).toBe(oracle.goVersion.replace(/^(go\d+\.\d+)$/, '$1.0'));
      const mods = oracle.lines.filter((l) => /^(mod|dep)\t/.test(l)).map((l) => l.split('\t')[1]);
      expect(found.map((p) => p.name).sort()).toEqual(['stdlib', ...mods].sort());
      for (const p of found) {
        expect(p).toMatchObject({ ecosystem: 'golang', analyzer: 'go-binary', osOwned: true });
        expect(p.layer?.index).toBe(layer);
      }
      expect(stdlib?.purl).toBe(`pkg:golang/stdlib@${stdlib?.version}`);
    });

    it('reads the Go program built here with its modules, not OS-owned, in the layer that made it executable', () => {
      const found = from('opt/app/bin/app');
      const goVersion = goVersionM(join(ws.root, 'app-bin')).goVersion;
      expect(found.map((p) => `${p.name}@${p.version}`).sort()).toEqual(
        [
          'example.com/alpha@v1.2.3',
          'example.com/app@(devel)',
          'example.com/beta@v0.4.0',
          'example.com/gamma-fork@v1.0.1',
          'example.com/local@(devel)',
          `stdlib@${goVersion.replace(/^go/, '')}`,
        ].sort(),
      );
      for (const p of found) {
        expect(p.osOwned).toBeUndefined();
        expect(p.layer?.index).toBe(2);
      }
      expect(byName(found).get('example.com/alpha')?.purl).toBe('pkg:golang/example.com/alpha@v1.2.3');
    });

    it.each([
      [JAR_IN_BASE, 'libcommons-lang3-java', 0],
      [JAR_UPPER, 'libcommons-io-java', 2],
    ])('reads %s as its pom.properties and %s say, in layer %i', (link, pkg, layer) => {
      const real = inContainer(image, ['readlink', '-f', `/${link}`])
        .toString()
        .trim()
        .slice(1);
      const jar = join(work, 'x.jar');
      writeFileSync(jar, inContainer(image, ['cat', `/${real}`]));
      const pomPath = execFileSync('unzip', ['-Z1', jar], { encoding: 'utf8' })
        .split('\n')
        .find((l) => l.endsWith('/pom.properties')) as string;
      const props = execFileSync('unzip', ['-p', jar, pomPath], { encoding: 'utf8' });
      const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(props)?.[1]?.trim() as string;
      const found = from(real);
      expect(found.map((p) => `${p.name}@${p.version}`)).toEqual([
        `${field('groupId')}:${field('artifactId')}@${field('version')}`,
      ]);
      expect(dpkgVersion(image, pkg).startsWith(field('version'))).toBe(true);
      expect(found[0]).toMatchObject({ ecosystem: 'maven', analyzer: 'java-archive', osOwned: true });
      expect(found[0]?.layer?.index).toBe(layer);
      expect(found[0]?.purl).toBe(`pkg:maven/${field('groupId')}/${field('artifactId')}@${field('version')}`);
    });

    it('reads the fat jar and the jar nested in it, in the top layer', () => {
      const found = from('opt/app/service.jar');
      expect(found.map((p) => `${p.name}@${p.version} ${p.paths[0]}`).sort()).toEqual([
        'com.example:lib@1.4.2 opt/app/service.jar!/BOOT-INF/lib/lib-1.4.2.jar',
        'org.acme:service@2.0.0 opt/app/service.jar',
      ]);
      for (const p of found) expect(p.layer?.index).toBe(3);
    });

    it('has no warnings from these analyzers', () => {
      expect(inventory.warnings.filter((w) => /\.(jar|war)|bin\//.test(w))).toEqual([]);
    });
  },
);
