import { describe, expect, it } from 'vitest';
import {
  buildSpdx,
  declaredLicense,
  LicenseRefs,
  serializeSpdx,
} from '../../../src/inventory/sbom/spdx/build.js';
import type { SpdxPackage } from '../../../src/inventory/sbom/spdx/model.js';
import { packageVersion } from '../../../src/util/version.js';
import { sampleInventory } from './inventories.js';
import { spdxProblems } from './validate.js';

const TIME = '2024-05-06T07:08:09Z';

describe('SPDX 2.3 output', () => {
  const inventory = sampleInventory();
  const doc = JSON.parse(serializeSpdx(buildSpdx(inventory, { created: TIME })));
  const pkg = (name: string): SpdxPackage => doc.packages.find((p: SpdxPackage) => p.name === name);
  const comments = (p: SpdxPackage) => p.annotations?.map((a) => a.comment);

  it('meets what the SPDX 2.3 specification requires of every field it writes', () => {
    expect(spdxProblems(doc)).toEqual([]);
  });

  it('the check is not vacuous', () => {
    const broken = structuredClone(doc);
    broken.packages[2].SPDXID = 'SPDXRef-has space';
    broken.packages[3].licenseDeclared = 'MIT AND';
    broken.relationships.push({
      spdxElementId: 'SPDXRef-Image',
      relationshipType: 'CONTAINS',
      relatedSpdxElement: 'x',
    });
    expect(spdxProblems(broken)).toEqual([
      'packages[2]: SPDXID SPDXRef-has space',
      'packages[3].licenseDeclared: "MIT AND" is not an SPDX license expression',
      'relationships[2]: unknown element',
      `relationships[${broken.relationships.length - 1}]: unknown element`,
    ]);
  });

  it('document: name, a namespace unique to the content, the tool and version as creator', () => {
    expect(doc).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'registry.example:5000/team/app:1.2',
      creationInfo: { created: TIME, creators: [`Tool: ringfence-${packageVersion()}`] },
    });
    expect(doc.documentNamespace).toMatch(
      /^https:\/\/spdx\.org\/spdxdocs\/ringfence-registry.example-5000-team-app-1.2-[0-9a-f-]{36}$/,
    );
    const again = buildSpdx(sampleInventory(), { created: '2030-01-01T00:00:00Z' });
    expect(again.documentNamespace).toBe(doc.documentNamespace);
    const other = sampleInventory();
    other.packages.pop();
    expect(buildSpdx(other, { created: TIME }).documentNamespace).not.toBe(doc.documentNamespace);
    expect(serializeSpdx(buildSpdx(sampleInventory(), { created: TIME }))).toBe(serializeSpdx(doc));
  });

  it('the document DESCRIBES the image, which CONTAINS the OS and every package', () => {
    const image = doc.packages[0];
    expect(image).toMatchObject({
      SPDXID: 'SPDXRef-Image',
      primaryPackagePurpose: 'CONTAINER',
      versionInfo: inventory.source.imageId,
      checksums: [{ algorithm: 'SHA256', checksumValue: 'e'.repeat(64) }],
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl' }],
    });
    expect(image.externalRefs[0].referenceLocator).toMatch(/^pkg:oci\/app@sha256:e{64}\?/);
    expect(comments(image)).toContain(`ringfence:layer:1:diffID: ${inventory.layers[1]!.diffId}`);
    expect(pkg('debian')).toMatchObject({
      SPDXID: 'SPDXRef-OperatingSystem',
      versionInfo: '12',
      primaryPackagePurpose: 'OPERATING-SYSTEM',
    });
    expect(doc.relationships[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-Image',
    });
    const contained = doc.relationships
      .slice(1)
      .map((r: { relatedSpdxElement: string }) => r.relatedSpdxElement);
    expect(contained).toEqual(doc.packages.slice(1).map((p: SpdxPackage) => p.SPDXID));
  });

  it('packages: purl, NOASSERTION where nothing is asserted, layer and source in annotations', () => {
    const libc = pkg('libc6');
    expect(libc).toMatchObject({
      versionInfo: '2.36-9+deb12u4',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: inventory.packages[0]!.purl,
        },
      ],
    });
    expect(libc.SPDXID).toMatch(/^SPDXRef-Package-deb-libc6-[a-f0-9]{16}$/);
    expect(comments(libc)).toEqual([
      'ringfence:package:analyzer: dpkg',
      'ringfence:package:path: var/lib/dpkg/status',
      'ringfence:package:arch: amd64',
      'ringfence:package:sourceName: glibc',
      'ringfence:package:sourceVersion: 2.36-9+deb12u4',
      'ringfence:layer:index: 0',
      `ringfence:layer:diffID: ${inventory.layers[0]!.diffId}`,
    ]);
    expect(libc.annotations![0]).toMatchObject({
      annotationType: 'OTHER',
      annotationDate: TIME,
      annotator: `Tool: ringfence-${packageVersion()}`,
    });
    expect(comments(pkg('github.com/docker/cli'))).toContain('ringfence:package:osOwned: true');
  });

  it('licenses: one declared expression; names as LicenseRefs defined once', () => {
    expect(pkg('login').licenseDeclared).toBe('GPL-2.0-or-later AND BSD-3-Clause');
    expect(pkg('left-pad').licenseDeclared).toBe('WTFPL OR MIT');
    expect(pkg('PyYAML').licenseDeclared).toMatch(
      /^MIT AND LicenseRef-Python-Software-Foundation-License-[a-f0-9]{8}$/,
    );
    expect(pkg('org.apache.logging.log4j:log4j-core').licenseDeclared).toMatch(
      /^LicenseRef-Apache-License-Version-2.0-[a-f0-9]{8}$/,
    );
    expect(doc.hasExtractedLicensingInfos).toEqual([
      expect.objectContaining({ extractedText: 'Python Software Foundation License' }),
      expect.objectContaining({ extractedText: 'Apache License, Version 2.0' }),
    ]);

    const refs = new LicenseRefs();
    expect(declaredLicense(['MIT OR Apache-2.0', 'ISC'], refs)).toBe('(MIT OR Apache-2.0) AND ISC');
    expect(declaredLicense(['gpl-2.0-only', 'bsd-3-clause'], refs)).toBe('GPL-2.0-only AND BSD-3-Clause');
    expect(declaredLicense(['LicenseRef-Custom OR MIT'], refs)).toMatch(
      /^LicenseRef-LicenseRef-Custom-OR-MIT-/,
    );
    expect(declaredLicense(['Proprietary', 'Proprietary'], refs)).toMatch(
      /^(LicenseRef-Proprietary-\w+) AND \1$/,
    );
    expect(refs.extractedLicensingInfos()).toHaveLength(2);
    expect(declaredLicense([], refs)).toBe('NOASSERTION');
  });

  it('a directory scan is described as SOURCE (fs) or OTHER (rootfs), without purl', () => {
    for (const [type, purpose] of [
      ['fs', 'SOURCE'],
      ['rootfs', 'OTHER'],
    ] as const) {
      const dir = sampleInventory();
      dir.source = { type, ref: '/srv/root' };
      dir.layers = [];
      for (const p of dir.packages) delete p.layer;
      const out = buildSpdx(dir, { created: TIME });
      expect(spdxProblems(out)).toEqual([]);
      expect(out.packages[0]).toMatchObject({ SPDXID: 'SPDXRef-Directory', name: '/srv/root' });
      expect(out.packages[0]!.primaryPackagePurpose).toBe(purpose);
      expect(out.packages[0]!.externalRefs).toBeUndefined();
    }
  });
});
