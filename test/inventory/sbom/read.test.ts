import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SBOM_BYTES, readSbomFile, readSbomText } from '../../../src/inventory/sbom/read.js';
import { UserError } from '../../../src/util/errors.js';

/**
 * Reading SBOMs other tools write. The documents here are written for these tests in the
 * shapes Trivy and Syft use (their property and annotation names, their purls), with
 * made-up values.
 */

const L1 = `sha256:${'1'.repeat(64)}`;
const L2 = `sha256:${'2'.repeat(64)}`;
const props = (o: Record<string, string | string[]>) =>
  Object.entries(o).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })));

const trivyCycloneDx = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  metadata: {
    component: {
      'bom-ref': 'pkg:oci/app@sha256:abc',
      type: 'container',
      name: 'registry.example/app:1',
      purl: 'pkg:oci/app@sha256:abc',
      properties: props({
        'aquasecurity:trivy:ImageID': `sha256:${'9'.repeat(64)}`,
        'aquasecurity:trivy:RepoDigest': `registry.example/app@sha256:${'8'.repeat(64)}`,
        'aquasecurity:trivy:RepoTag': 'registry.example/app:1',
        'aquasecurity:trivy:DiffID': [L1, L2],
      }),
    },
  },
  components: [
    {
      'bom-ref': 'os-1',
      type: 'operating-system',
      name: 'debian',
      version: '12.5',
      properties: props({ 'aquasecurity:trivy:Type': 'debian', 'aquasecurity:trivy:Class': 'os-pkgs' }),
    },
    {
      'bom-ref': 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5',
      type: 'library',
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      licenses: [{ license: { name: 'Apache-2.0' } }],
      purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5',
      properties: props({
        'aquasecurity:trivy:PkgType': 'debian',
        'aquasecurity:trivy:SrcName': 'openssl',
        'aquasecurity:trivy:SrcVersion': '3.0.11',
        'aquasecurity:trivy:SrcRelease': '1~deb12u2',
        'aquasecurity:trivy:LayerDiffID': L2,
      }),
    },
    {
      'bom-ref': 'app-1',
      type: 'application',
      name: 'Node.js',
      properties: props({ 'aquasecurity:trivy:Type': 'node-pkg', 'aquasecurity:trivy:Class': 'lang-pkgs' }),
    },
    {
      'bom-ref': 'pkg:npm/%40types/node@20.1.0',
      type: 'library',
      group: '@types',
      name: 'node',
      version: '20.1.0',
      purl: 'pkg:npm/%40types/node@20.1.0',
      properties: props({
        'aquasecurity:trivy:PkgType': 'node-pkg',
        'aquasecurity:trivy:FilePath': 'usr/lib/node_modules/@types/node/package.json',
        'aquasecurity:trivy:LayerDiffID': L1,
      }),
    },
    {
      'bom-ref': 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1',
      type: 'library',
      name: 'openssl-libs',
      version: '3.0.7-27.el9',
      purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1',
      properties: props({
        'aquasecurity:trivy:SrcName': 'openssl',
        'aquasecurity:trivy:SrcVersion': '3.0.7',
        'aquasecurity:trivy:SrcRelease': '27.el9',
        'aquasecurity:trivy:SrcEpoch': '1',
      }),
    },
  ],
};

const syftCycloneDx = {
  $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  metadata: {
    component: {
      'bom-ref': 'x',
      type: 'container',
      name: 'alpine:3.20',
      version: `sha256:${'7'.repeat(64)}`,
    },
  },
  components: [
    {
      'bom-ref':
        'pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&upstream=busybox&distro=alpine-3.20.3&package-id=1',
      type: 'library',
      name: 'busybox',
      version: '1.36.1-r29',
      licenses: [{ license: { id: 'GPL-2.0-only' } }],
      purl: 'pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&upstream=busybox&distro=alpine-3.20.3',
      properties: props({
        'syft:package:foundBy': 'apk-db-cataloger',
        'syft:package:type': 'apk',
        'syft:location:0:layerID': L1,
        'syft:location:0:path': '/lib/apk/db/installed',
        'syft:metadata:originPackage': 'busybox',
      }),
    },
    {
      'bom-ref': 'pkg:apk/alpine/ssl_client@1.36.1-r29?package-id=2',
      type: 'library',
      name: 'ssl_client',
      version: '1.36.1-r29',
      purl: 'pkg:apk/alpine/ssl_client@1.36.1-r29?arch=x86_64&upstream=busybox&distro=alpine-3.20.3',
      properties: props({ 'syft:package:foundBy': 'apk-db-cataloger', 'syft:location:0:layerID': L1 }),
    },
    {
      'bom-ref': 'pkg:golang/github.com/x/y@v1.2.3?package-id=3',
      type: 'library',
      name: 'github.com/x/y',
      version: 'v1.2.3',
      purl: 'pkg:golang/github.com/x/y@v1.2.3',
      properties: props({
        'syft:package:foundBy': 'go-module-binary-cataloger',
        'syft:location:0:layerID': L2,
        'syft:location:0:path': '/usr/local/bin/app',
      }),
    },
    {
      'bom-ref': 'os',
      type: 'operating-system',
      name: 'alpine',
      version: '3.20.3',
      properties: props({ 'syft:distro:id': 'alpine', 'syft:distro:versionID': '3.20.3' }),
    },
  ],
};

const syftSpdx = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'debian:12',
  documentNamespace: 'https://example.invalid/debian-12',
  creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: syft-1.0.0'] },
  packages: [
    {
      SPDXID: 'SPDXRef-Package-deb-python3-yaml-1',
      name: 'python3-yaml',
      versionInfo: '6.0-3+b2',
      downloadLocation: 'NOASSERTION',
      sourceInfo:
        'acquired package info from DPKG DB: /var/lib/dpkg/status, /usr/share/doc/python3-yaml/copyright',
      licenseDeclared: 'MIT AND LicenseRef-Expat-like',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator:
            'pkg:deb/debian/python3-yaml@6.0-3%2Bb2?arch=amd64&upstream=pyyaml%406.0-3&distro=debian-12',
        },
      ],
    },
    {
      SPDXID: 'SPDXRef-Package-python-PyYAML-2',
      name: 'PyYAML',
      versionInfo: '6.0',
      downloadLocation: 'NOASSERTION',
      sourceInfo:
        'acquired package info from installed python package manifest file: /usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA',
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      externalRefs: [
        {
          referenceCategory: 'SECURITY',
          referenceType: 'cpe23Type',
          referenceLocator: 'cpe:2.3:a:x:y:6.0:*:*:*:*:*:*:*',
        },
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:pypi/pyyaml@6.0',
        },
      ],
    },
    {
      SPDXID: 'SPDXRef-DocumentRoot-Image-debian',
      name: 'debian',
      versionInfo: `sha256:${'6'.repeat(64)}`,
      downloadLocation: 'NOASSERTION',
      primaryPackagePurpose: 'CONTAINER',
    },
    {
      SPDXID: 'SPDXRef-Package-binary-x',
      name: 'x',
      downloadLocation: 'NOASSERTION',
      primaryPackagePurpose: 'LIBRARY',
    },
  ],
  hasExtractedLicensingInfos: [
    { licenseId: 'LicenseRef-Expat-like', extractedText: 'Expat-like', name: 'Expat-like' },
  ],
  relationships: [
    {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-DocumentRoot-Image-debian',
    },
    {
      spdxElementId: 'SPDXRef-Package-deb-python3-yaml-1',
      relationshipType: 'CONTAINS',
      relatedSpdxElement: 'SPDXRef-Package-python-PyYAML-2',
    },
  ],
};

const trivyAnnotation = (comment: string) => ({
  annotator: 'Tool: trivy-0.50.0',
  annotationDate: '2024-01-01T00:00:00Z',
  annotationType: 'OTHER',
  comment,
});
const trivySpdx = {
  SPDXID: 'SPDXRef-DOCUMENT',
  dataLicense: 'CC0-1.0',
  name: 'app.tar',
  documentNamespace: 'http://example.invalid/app',
  creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: trivy-0.50.0'] },
  packages: [
    {
      SPDXID: 'SPDXRef-ContainerImage-1',
      name: 'app.tar',
      downloadLocation: 'NONE',
      primaryPackagePurpose: 'CONTAINER',
      annotations: [trivyAnnotation(`DiffID: ${L1}`), trivyAnnotation(`ImageID: sha256:${'5'.repeat(64)}`)],
    },
    {
      SPDXID: 'SPDXRef-OperatingSystem-1',
      name: 'ubuntu',
      versionInfo: '22.04',
      downloadLocation: 'NONE',
      primaryPackagePurpose: 'OPERATING-SYSTEM',
    },
    {
      SPDXID: 'SPDXRef-Package-1',
      name: 'libc6',
      versionInfo: '2.35-0ubuntu3.6',
      downloadLocation: 'NONE',
      licenseConcluded: 'LGPL-2.1-only AND GPL-2.0-only',
      licenseDeclared: 'LGPL-2.1-only AND GPL-2.0-only',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:deb/ubuntu/libc6@2.35-0ubuntu3.6?arch=amd64&distro=ubuntu-22.04',
        },
      ],
      annotations: [
        trivyAnnotation('PkgType: ubuntu'),
        trivyAnnotation('SrcName: glibc'),
        trivyAnnotation('SrcVersion: 2.35'),
        trivyAnnotation('SrcRelease: 0ubuntu3.6'),
        trivyAnnotation(`LayerDiffID: ${L1}`),
      ],
    },
  ],
  relationships: [
    {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-ContainerImage-1',
    },
  ],
  spdxVersion: 'SPDX-2.3',
};

const cdx = (doc: unknown) => readSbomText(JSON.stringify(doc), 'bom.json', 'cyclonedx-json');
const spdx = (doc: unknown) => readSbomText(JSON.stringify(doc), 'bom.spdx.json', 'spdx-json');

describe('reading CycloneDX from other tools', () => {
  it('Trivy: image ids and layers from its properties, source packages, OS, layer by diffID', () => {
    const inv = cdx(trivyCycloneDx);
    expect(inv.source).toEqual({
      type: 'sbom',
      ref: 'bom.json',
      imageId: `sha256:${'9'.repeat(64)}`,
      digest: `sha256:${'8'.repeat(64)}`,
      repoTags: ['registry.example/app:1'],
    });
    expect(inv.os).toEqual({ family: 'debian', version: '12.5' });
    expect(inv.layers).toEqual([
      { index: 0, diffId: L1 },
      { index: 1, diffId: L2 },
    ]);
    expect(inv.warnings).toEqual([]);
    expect(inv.packages).toEqual([
      {
        name: 'libssl3',
        version: '3.0.11-1~deb12u2',
        ecosystem: 'deb',
        purl: trivyCycloneDx.components[1]!.purl,
        paths: [],
        analyzer: 'dpkg',
        arch: 'amd64',
        source: { name: 'openssl', version: '3.0.11-1~deb12u2' },
        licenses: ['Apache-2.0'],
        layer: { index: 1, diffId: L2 },
      },
      {
        name: '@types/node',
        version: '20.1.0',
        ecosystem: 'npm',
        purl: 'pkg:npm/%40types/node@20.1.0',
        paths: ['usr/lib/node_modules/@types/node/package.json'],
        analyzer: 'npm-package',
        layer: { index: 0, diffId: L1 },
      },
      {
        name: 'openssl-libs',
        version: '1:3.0.7-27.el9',
        ecosystem: 'rpm',
        purl: trivyCycloneDx.components[4]!.purl,
        paths: [],
        analyzer: 'rpm',
        arch: 'x86_64',
        source: { name: 'openssl', version: '1:3.0.7-27.el9' },
      },
    ]);
  });

  it('Syft: catalogers as analyzers, locations as paths and layers, upstream and distro from the purl', () => {
    const inv = cdx(syftCycloneDx);
    expect(inv.source.digest).toBe(`sha256:${'7'.repeat(64)}`);
    expect(inv.os).toEqual({ family: 'alpine', version: '3.20.3' });
    expect(inv.layers).toEqual([
      { index: 0, diffId: L1 },
      { index: 1, diffId: L2 },
    ]);
    const [busybox, sslClient, goModule] = inv.packages;
    expect(busybox).toMatchObject({
      name: 'busybox',
      ecosystem: 'apk',
      analyzer: 'apk',
      paths: ['lib/apk/db/installed'],
      source: { name: 'busybox', version: '1.36.1-r29' },
      licenses: ['GPL-2.0-only'],
      layer: { index: 0, diffId: L1 },
    });
    expect(sslClient).toMatchObject({ source: { name: 'busybox', version: '1.36.1-r29' } });
    expect(goModule).toMatchObject({
      name: 'github.com/x/y',
      analyzer: 'go-binary',
      paths: ['usr/local/bin/app'],
      layer: { index: 1, diffId: L2 },
    });
  });

  it('packages nested in components are read; what cannot be matched is left out with a warning', () => {
    const inv = cdx({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      components: [
        {
          type: 'application',
          name: 'app',
          components: [
            { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
          ],
        },
        { type: 'library', name: 'no-purl', version: '1' },
        { type: 'library', name: 'generic', purl: 'pkg:generic/openssl@3.0.0' },
        { type: 'library', name: 'bad', purl: 'pkg:npm/x@1%ZZ' },
        { type: 'library', name: 'unversioned', purl: 'pkg:npm/left-pad' },
        { type: 'file', name: 'README' },
        'not an object',
      ],
    });
    expect(inv.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20']);
    expect(inv.warnings).toEqual([
      'bom.json: 1 CycloneDX package(s) without a purl left out (nothing to match them by)',
      'bom.json: 1 CycloneDX package(s) of purl type "generic" left out (nothing to match them by)',
      'bom.json: 1 CycloneDX package(s) with an invalid purl left out (nothing to match them by)',
      'bom.json: 1 CycloneDX package(s) without a version left out (nothing to match them by)',
    ]);
  });

  it('nesting 100,000 deep is read without recursion', () => {
    const depth = 100_000;
    const text = `{"bomFormat":"CycloneDX","specVersion":"1.6","components":${'[{"type":"application","name":"a","components":'.repeat(depth)}[{"type":"library","name":"x","purl":"pkg:npm/x@1"}]${'}]'.repeat(depth)}}`;
    expect(readSbomText(text, 'deep.json', 'cyclonedx-json').packages.map((p) => p.name)).toEqual(['x']);
  });
});

describe('reading SPDX from other tools', () => {
  it('Syft: DESCRIBES names the image, OS from distro qualifiers, sourceInfo paths, ownership by CONTAINS', () => {
    const inv = spdx(syftSpdx);
    expect(inv.source).toEqual({ type: 'sbom', ref: 'bom.spdx.json', digest: `sha256:${'6'.repeat(64)}` });
    expect(inv.os).toEqual({ family: 'debian', version: '12' });
    expect(inv.packages).toEqual([
      {
        name: 'python3-yaml',
        version: '6.0-3+b2',
        ecosystem: 'deb',
        purl: syftSpdx.packages[0]!.externalRefs![0]!.referenceLocator,
        paths: ['var/lib/dpkg/status', 'usr/share/doc/python3-yaml/copyright'],
        analyzer: 'dpkg',
        arch: 'amd64',
        source: { name: 'pyyaml', version: '6.0-3' },
        licenses: ['MIT', 'Expat-like'],
      },
      {
        name: 'PyYAML',
        version: '6.0',
        ecosystem: 'pypi',
        purl: 'pkg:pypi/pyyaml@6.0',
        paths: ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA'],
        analyzer: 'sbom',
        osOwned: true,
      },
    ]);
    expect(inv.warnings).toEqual([
      'bom.spdx.json: 1 SPDX package(s) without a purl left out (nothing to match them by)',
    ]);
  });

  it('Trivy: annotations with its bare names, the OS package, layers from the image', () => {
    const inv = spdx(trivySpdx);
    expect(inv.source.imageId).toBe(`sha256:${'5'.repeat(64)}`);
    expect(inv.os).toEqual({ family: 'ubuntu', version: '22.04' });
    expect(inv.layers).toEqual([{ index: 0, diffId: L1 }]);
    expect(inv.packages).toEqual([
      expect.objectContaining({
        name: 'libc6',
        version: '2.35-0ubuntu3.6',
        analyzer: 'dpkg',
        source: { name: 'glibc', version: '2.35-0ubuntu3.6' },
        licenses: ['LGPL-2.1-only', 'GPL-2.0-only'],
        layer: { index: 0, diffId: L1 },
      }),
    ]);
    const old = structuredClone(trivySpdx) as typeof trivySpdx & {
      packages: { attributionTexts?: string[] }[];
    };
    old.packages[2]!.annotations = [];
    old.packages[2]!.attributionTexts = ['SrcName: glibc', 'SrcVersion: 2.35', `LayerDiffID: ${L1}`];
    expect(spdx(old).packages[0]).toMatchObject({
      source: { name: 'glibc', version: '2.35' },
      layer: { index: 0 },
    });
  });
});

describe('bad SBOMs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-sbom-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const refused = (text: string, kind: 'cyclonedx-json' | 'spdx-json' = 'cyclonedx-json') => {
    try {
      readSbomText(text, 'bad.json', kind);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      const message = (err as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      return message;
    }
    throw new Error('accepted');
  };

  it('one line naming the file and the problem', () => {
    expect(refused('{"bomFormat": "CycloneDX",')).toMatch(/^bad\.json: not valid JSON \(.+\)$/);
    expect(refused('[1, 2]')).toBe('bad.json: not a JSON object');
    expect(refused('{"bomFormat": "CycloneDX", "components": {}}')).toBe(
      'bad.json: CycloneDX: "components" is not an array',
    );
    expect(refused('{"bomFormat": "CycloneDX", "metadata": []}')).toBe(
      'bad.json: CycloneDX: "metadata" is not an object',
    );
    expect(refused('{"spdxVersion": "SPDX-2.3", "packages": "x"}', 'spdx-json')).toBe(
      'bad.json: SPDX: "packages" is not an array',
    );
    expect(refused('{"spdxVersion": "SPDX-2.3", "relationships": 1}', 'spdx-json')).toBe(
      'bad.json: SPDX: "relationships" is not an array',
    );
  });

  it('formats it recognises but does not read are named', async () => {
    for (const [kind, message] of [
      ['cyclonedx-xml', /CycloneDX XML is not supported/],
      ['spdx-tag-value', /SPDX tag-value is not supported/],
      ['spdx3-json', /SPDX 3 is not supported/],
    ] as const) {
      const path = join(dir, kind);
      writeFileSync(path, 'x');
      await expect(readSbomFile(path, path, kind)).rejects.toThrow(message);
    }
  });

  it('a file over the size limit is refused before it is read', async () => {
    const path = join(dir, 'huge.cdx.json');
    writeFileSync(path, '{"bomFormat":"CycloneDX"');
    truncateSync(path, MAX_SBOM_BYTES + 1);
    await expect(readSbomFile(path, 'huge.cdx.json', 'cyclonedx-json')).rejects.toThrow(
      /^huge\.cdx\.json: \d+ bytes: larger than 256 MiB, the most an SBOM may be$/,
    );
    await expect(readSbomFile(join(dir, 'missing'), 'missing', 'spdx-json')).rejects.toThrow(
      'missing: cannot read (ENOENT)',
    );
  });

  it('any value in any field gives an inventory or a UserError, never a crash', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const component = fc.dictionary(
      fc.constantFrom('type', 'name', 'group', 'version', 'purl', 'licenses', 'properties', 'components'),
      value,
    );
    const cdxDoc = fc.record(
      {
        bomFormat: fc.constant('CycloneDX'),
        metadata: fc.oneof(value, fc.record({ component })),
        components: fc.oneof(value, fc.array(component, { maxLength: 4 })),
      },
      { requiredKeys: ['bomFormat'] },
    );
    const spdxPackage = fc.dictionary(
      fc.constantFrom(
        'SPDXID',
        'name',
        'versionInfo',
        'externalRefs',
        'annotations',
        'licenseDeclared',
        'sourceInfo',
      ),
      value,
    );
    const spdxDoc = fc.record(
      {
        spdxVersion: fc.constant('SPDX-2.3'),
        packages: fc.oneof(value, fc.array(spdxPackage, { maxLength: 4 })),
        relationships: value,
        hasExtractedLicensingInfos: value,
        documentDescribes: value,
      },
      { requiredKeys: ['spdxVersion'] },
    );
    const outcome = (read: () => unknown) => {
      try {
        read();
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
      }
    };
    fc.assert(
      fc.property(cdxDoc, spdxDoc, fc.string(), (c, s, junk) => {
        outcome(() => readSbomText(JSON.stringify(c), 'f.json', 'cyclonedx-json'));
        outcome(() => readSbomText(JSON.stringify(s), 'f.json', 'spdx-json'));
        outcome(() => readSbomText(junk, 'f.json', 'spdx-json'));
      }),
      { numRuns: 1000 },
    );
  });
});
