import fc from 'fast-check';
import { purlFor } from '../../../src/inventory/purl.js';
import { normalizeLicenseExpression } from '../../../src/inventory/sbom/licenses.js';
import type { Ecosystem, Inventory, LayerInfo, OsInfo, Package } from '../../../src/types.js';

/** Inventories for SBOM tests: one written by hand, and a fast-check generator of realistic ones. */

const DEBIAN: OsInfo = {
  family: 'debian',
  version: '12',
  codename: 'bookworm',
  prettyName: 'Debian GNU/Linux 12 (bookworm)',
};

const LAYERS: LayerInfo[] = [
  { index: 0, diffId: `sha256:${'a'.repeat(64)}`, digest: `sha256:${'b'.repeat(64)}`, size: 1000 },
  { index: 1, diffId: `sha256:${'c'.repeat(64)}`, size: 20, createdBy: 'RUN apt-get install -y curl' },
  { index: 2, diffId: `sha256:${'d'.repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
];

function withPurl(pkg: Omit<Package, 'purl'>, os?: OsInfo): Package {
  const full = { ...pkg, purl: '' } as Package;
  full.purl = purlFor(full, os);
  return full;
}

const layer = (index: number) => ({ index, diffId: LAYERS[index]!.diffId });

/** A Debian image with OS and language packages of every kind the SBOMs distinguish. */
export function sampleInventory(): Inventory {
  const dpkg = { paths: ['var/lib/dpkg/status'], analyzer: 'dpkg' };
  return {
    source: {
      type: 'docker-archive',
      ref: 'app.tar',
      imageId: `sha256:${'e'.repeat(64)}`,
      repoTags: ['registry.example:5000/team/app:1.2'],
      architecture: 'amd64',
      os: 'linux',
    },
    os: DEBIAN,
    layers: LAYERS,
    packages: [
      withPurl(
        {
          name: 'libc6',
          version: '2.36-9+deb12u4',
          ecosystem: 'deb',
          arch: 'amd64',
          source: { name: 'glibc', version: '2.36-9+deb12u4' },
          layer: layer(0),
          files: ['usr/lib/x86_64-linux-gnu/libc.so.6'],
          ...dpkg,
        },
        DEBIAN,
      ),
      withPurl(
        {
          name: 'login',
          version: '1:4.13+dfsg1-1+b1',
          ecosystem: 'deb',
          arch: 'amd64',
          source: { name: 'shadow', version: '1:4.13+dfsg1-1' },
          licenses: ['GPL-2.0-or-later', 'BSD-3-Clause'],
          layer: layer(0),
          ...dpkg,
        },
        DEBIAN,
      ),
      withPurl(
        {
          name: 'curl',
          version: '7.88.1-10+deb12u5',
          ecosystem: 'deb',
          arch: 'amd64',
          source: { name: 'curl', version: '7.88.1-10+deb12u5' },
          licenses: ['curl'],
          layer: layer(1),
          ...dpkg,
        },
        DEBIAN,
      ),
      withPurl(
        {
          name: 'github.com/docker/cli',
          version: 'v20.10.24+incompatible',
          ecosystem: 'golang',
          paths: ['usr/bin/docker'],
          analyzer: 'go-binary',
          osOwned: true,
          layer: layer(1),
        },
        DEBIAN,
      ),
      withPurl({
        name: '@Babel/Core',
        version: '7.24.0',
        ecosystem: 'npm',
        licenses: ['MIT'],
        paths: ['app/node_modules/@babel/core/package.json'],
        analyzer: 'npm-package',
        layer: layer(2),
      }),
      withPurl({
        name: 'left-pad',
        version: '1.3.0',
        ecosystem: 'npm',
        licenses: ['WTFPL OR MIT'],
        paths: ['app/package-lock.json'],
        analyzer: 'npm-lock',
        dev: true,
        layer: layer(2),
      }),
      withPurl({
        name: 'PyYAML',
        version: '6.0.1',
        ecosystem: 'pypi',
        licenses: ['MIT', 'Python Software Foundation License'],
        paths: ['usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA'],
        analyzer: 'python-package',
        osOwned: true,
        layer: layer(1),
      }),
      withPurl({
        name: 'org.apache.logging.log4j:log4j-core',
        version: '2.14.1',
        ecosystem: 'maven',
        licenses: ['Apache License, Version 2.0'],
        paths: ['app/lib/log4j-core-2.14.1.jar'],
        analyzer: 'java-archive',
        layer: layer(2),
      }),
    ],
    warnings: ['layer 3: something skipped'],
  };
}

/** The same inventory once it has been through an SBOM: no warnings or file lists, licenses normalised. */
export function comparable(inventory: Inventory): unknown {
  return {
    os: inventory.os,
    layers: inventory.layers,
    source: { ...inventory.source, type: undefined, ref: undefined },
    packages: inventory.packages.map(({ files: _files, licenses, ...pkg }) => ({
      ...pkg,
      licenses: licenses?.map((l) => normalizeLicenseExpression(l) ?? l),
    })),
  };
}

// Generated inventories: names, versions and paths as analyzers produce them.

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const version = fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,3}){0,2}([-+~][a-z0-9.]{1,6})?$/);
const path = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._@-]{1,10}$/), { minLength: 1, maxLength: 4 })
  .map((s) => s.join('/'));
const license = fc.oneof(
  fc.constantFrom('MIT', 'Apache-2.0', 'GPL-2.0-or-later', 'mit', 'BSD-3-Clause OR MIT', 'GPL-2.0+'),
  fc.constantFrom('LGPL-2.1-only AND (MIT OR ISC)', 'GPL-2.0-only WITH Classpath-exception-2.0'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => s.trim() || 'x'),
);

const nameFor: Record<Ecosystem, fc.Arbitrary<string>> = {
  deb: word,
  apk: word,
  rpm: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_+-]{0,10}$/),
  npm: fc.oneof(
    word,
    fc.tuple(word, word).map(([s, n]) => `@${s}/${n}`),
  ),
  pypi: fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,10}[A-Za-z0-9]$/),
  golang: fc.tuple(word, word, word).map(([h, o, r]) => `${h}.com/${o}/${r}`),
  maven: fc.tuple(word, word).map(([g, a]) => `org.${g}:${a}`),
  gem: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/),
  cargo: fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/),
  composer: fc.tuple(word, word).map(([v, n]) => `${v}/${n}`),
  nuget: fc.stringMatching(/^[A-Z][A-Za-z0-9.]{0,10}[a-z]$/),
};
const OS_ECOSYSTEMS: Ecosystem[] = ['deb', 'rpm', 'apk'];
const LANGUAGE_ECOSYSTEMS: Ecosystem[] = [
  'npm',
  'pypi',
  'golang',
  'maven',
  'gem',
  'cargo',
  'composer',
  'nuget',
];

const osInfo: fc.Arbitrary<OsInfo> = fc.record(
  {
    family: fc.constantFrom('debian', 'ubuntu', 'alpine', 'rhel', 'rocky', 'opensuse-leap'),
    version: fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,2}){0,2}$/),
    codename: word,
    prettyName: fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.trim() || 'Linux'),
  },
  { requiredKeys: ['family', 'version'] },
);

const layerInfos: fc.Arbitrary<LayerInfo[]> = fc
  .array(
    fc.record(
      {
        diffId: fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
        digest: fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
        size: fc.nat(),
        mediaType: fc.constant('application/vnd.docker.image.rootfs.diff.tar.gzip'),
        createdBy: fc.string({ maxLength: 40 }),
      },
      { requiredKeys: ['diffId'] },
    ),
    { minLength: 0, maxLength: 4 },
  )
  .map((layers) => layers.map((l, index) => ({ index, ...l })));

function packageArbitrary(os: OsInfo | undefined, layers: LayerInfo[]): fc.Arbitrary<Package> {
  const ecosystem = fc.constantFrom(
    ...(os ? [...OS_ECOSYSTEMS, ...LANGUAGE_ECOSYSTEMS] : LANGUAGE_ECOSYSTEMS),
  );
  return ecosystem.chain((eco) => {
    const isOs = OS_ECOSYSTEMS.includes(eco);
    return fc
      .record(
        {
          name: nameFor[eco],
          version:
            eco === 'rpm'
              ? fc.tuple(fc.option(fc.nat(3)), version).map(([e, v]) => (e === null ? v : `${e}:${v}`))
              : version,
          arch: isOs ? fc.constantFrom('amd64', 'x86_64', 'all', 'noarch') : fc.constant(undefined),
          source: isOs
            ? fc.option(fc.record({ name: word, version }), { nil: undefined })
            : fc.constant(undefined),
          licenses: fc.option(fc.uniqueArray(license, { minLength: 1, maxLength: 3 }), { nil: undefined }),
          layer:
            layers.length > 0
              ? fc.option(fc.nat(layers.length - 1), { nil: undefined })
              : fc.constant(undefined),
          paths: fc.uniqueArray(path, { minLength: isOs ? 1 : 0, maxLength: 3 }),
          osOwned: isOs ? fc.constant(undefined) : fc.option(fc.constant(true), { nil: undefined }),
          dev: isOs ? fc.constant(undefined) : fc.option(fc.constant(true), { nil: undefined }),
          analyzer: fc.constantFrom('dpkg', 'npm-package', 'go-binary', 'python-package'),
        },
        { requiredKeys: ['name', 'version', 'paths', 'analyzer'] },
      )
      .map((fields) => {
        const pkg: Package = { ...fields, ecosystem: eco, purl: '', layer: undefined };
        for (const key of Object.keys(pkg) as (keyof Package)[]) if (pkg[key] === undefined) delete pkg[key];
        if (fields.layer !== undefined)
          pkg.layer = { index: fields.layer, diffId: layers[fields.layer]!.diffId };
        pkg.purl = purlFor(pkg, os);
        return pkg;
      });
  });
}

export const inventoryArbitrary: fc.Arbitrary<Inventory> = fc
  .record({
    type: fc.constantFrom('docker-archive', 'oci', 'registry', 'fs', 'rootfs') as fc.Arbitrary<
      Inventory['source']['type']
    >,
    os: fc.option(osInfo, { nil: undefined }),
    layers: layerInfos,
    imageId: fc.option(
      fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
      { nil: undefined },
    ),
    digest: fc.option(
      fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
      { nil: undefined },
    ),
    repoTags: fc.option(
      fc.array(
        fc.tuple(word, word).map(([r, t]) => `${r}:${t}`),
        { minLength: 1, maxLength: 2 },
      ),
      {
        nil: undefined,
      },
    ),
  })
  .chain(({ type, os, layers, imageId, digest, repoTags }) => {
    const isImage = type !== 'fs' && type !== 'rootfs';
    const source: Inventory['source'] = { type, ref: isImage ? 'image.tar' : './dir' };
    if (isImage && imageId) source.imageId = imageId;
    if (isImage && digest) source.digest = digest;
    if (isImage && repoTags) source.repoTags = repoTags;
    const imageLayers = isImage ? layers : [];
    return fc
      .uniqueArray(packageArbitrary(os, imageLayers), {
        maxLength: 12,
        selector: (p) => `${p.ecosystem}\0${p.name}\0${p.version}\0${p.arch}\0${p.paths[0]}`,
      })
      .map((packages): Inventory => {
        const inventory: Inventory = { source, layers: imageLayers, packages, warnings: [] };
        if (os) inventory.os = os;
        return inventory;
      });
  });
