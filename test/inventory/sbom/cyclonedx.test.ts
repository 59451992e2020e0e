import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  buildCycloneDx,
  cdxLicenses,
  serializeCycloneDx,
} from '../../../src/inventory/sbom/cyclonedx/build.js';
import type { CdxComponent } from '../../../src/inventory/sbom/cyclonedx/model.js';
import { packageVersion } from '../../../src/util/version.js';
import { sampleInventory } from './inventories.js';
import { cycloneDxLicenseIds, cycloneDxProblems } from './validate.js';

const require = createRequire(import.meta.url);
const TIME = '2024-05-06T07:08:09Z';
const prop = (c: CdxComponent, name: string) =>
  c.properties?.filter((p) => p.name === name).map((p) => p.value);

describe('CycloneDX 1.6 output', () => {
  const inventory = sampleInventory();
  const bom = buildCycloneDx(inventory, { timestamp: TIME });
  const doc = JSON.parse(serializeCycloneDx(bom));

  it('validates against the official CycloneDX 1.6 JSON schema', () => {
    expect(cycloneDxProblems(doc)).toEqual([]);
  });

  it('the schema check is not vacuous', () => {
    expect(cycloneDxProblems({ ...doc, components: [{ type: 'nonsense', name: 'x' }] })).not.toEqual([]);
    const badLicense = { ...doc.components[1], licenses: [{ license: { id: 'Not-A-License' } }] };
    expect(cycloneDxProblems({ ...doc, components: [badLicense] })).not.toEqual([]);
  });

  it('metadata: timestamp, the tool with its version, the image as a container with an oci purl', () => {
    expect(doc.metadata.timestamp).toBe(TIME);
    expect(doc.metadata.tools.components).toEqual([
      expect.objectContaining({ type: 'application', name: 'ringfence', version: packageVersion() }),
    ]);
    const image = doc.metadata.component;
    expect(image).toMatchObject({
      type: 'container',
      name: 'registry.example:5000/team/app:1.2',
      version: inventory.source.imageId,
      purl: `pkg:oci/app@sha256:${'e'.repeat(64)}?arch=amd64&repository_url=registry.example:5000%2Fteam%2Fapp&tag=1.2`,
      hashes: [{ alg: 'SHA-256', content: 'e'.repeat(64) }],
    });
    expect(prop(image, 'ringfence:layer:1:createdBy')).toEqual(['RUN apt-get install -y curl']);
    expect(prop(image, 'ringfence:layer:2:diffID')).toEqual([inventory.layers[2]!.diffId]);
  });

  it('the OS is an operating-system component; every package a library with purl and properties', () => {
    expect(doc.components[0]).toMatchObject({
      type: 'operating-system',
      name: 'debian',
      version: '12',
      description: 'Debian GNU/Linux 12 (bookworm)',
    });
    const libc = doc.components.find((c: CdxComponent) => c.name === 'libc6');
    expect(libc).toMatchObject({
      type: 'library',
      version: '2.36-9+deb12u4',
      purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc',
    });
    expect(libc['bom-ref']).toMatch(/^pkg:deb\/debian\/libc6@.*&package-id=[a-f0-9]{16}$/);
    expect(prop(libc, 'ringfence:layer:diffID')).toEqual([inventory.layers[0]!.diffId]);
    expect(prop(libc, 'ringfence:layer:index')).toEqual(['0']);
    expect(prop(libc, 'ringfence:package:path')).toEqual(['var/lib/dpkg/status']);
    expect(prop(libc, 'ringfence:package:sourceName')).toEqual(['glibc']);
    expect(prop(libc, 'ringfence:package:sourceVersion')).toEqual(['2.36-9+deb12u4']);
    const docker = doc.components.find((c: CdxComponent) => c.name === 'github.com/docker/cli');
    expect(prop(docker, 'ringfence:package:osOwned')).toEqual(['true']);
    expect(prop(docker, 'ringfence:package:analyzer')).toEqual(['go-binary']);
  });

  it('Maven group ids and npm scopes are the group', () => {
    const names = doc.components.map((c: CdxComponent) => [c.group, c.name]);
    expect(names).toContainEqual(['org.apache.logging.log4j', 'log4j-core']);
    expect(names).toContainEqual(['@Babel', 'Core']);
    expect(names).toContainEqual([undefined, 'left-pad']);
  });

  it('licenses: SPDX ids, names, and one expression when a package declares a single compound one', () => {
    const licenses = (name: string) => doc.components.find((c: CdxComponent) => c.name === name).licenses;
    expect(licenses('login')).toEqual([
      { license: { id: 'GPL-2.0-or-later' } },
      { license: { id: 'BSD-3-Clause' } },
    ]);
    expect(licenses('left-pad')).toEqual([{ expression: 'WTFPL OR MIT' }]);
    expect(licenses('log4j-core')).toEqual([{ license: { name: 'Apache License, Version 2.0' } }]);
    expect(licenses('libc6')).toBeUndefined();
    expect(cdxLicenses(['mit', 'apache-2.0'])).toEqual([
      { license: { id: 'MIT' } },
      { license: { id: 'Apache-2.0' } },
    ]);
    expect(cdxLicenses(['GPL-2.0+'])).toEqual([{ expression: 'GPL-2.0+' }]);
    expect(cdxLicenses(['MIT OR Apache-2.0', 'ISC'])).toEqual([
      { license: { name: 'MIT OR Apache-2.0' } },
      { license: { id: 'ISC' } },
    ]);
  });

  it('every license id it may write is one the schema accepts', () => {
    const accepted = cycloneDxLicenseIds();
    const list: string[] = [...require('spdx-license-ids'), ...require('spdx-license-ids/deprecated.json')];
    const written = list.flatMap((id) => cdxLicenses([id.toLowerCase()]) ?? []);
    expect(written).toHaveLength(list.length);
    for (const [i, choice] of written.entries()) {
      expect(choice).toEqual({ license: { id: list[i] } });
      expect(accepted.has(list[i]!)).toBe(true);
    }
  });

  it('bom-refs are unique; the image depends on the OS and every package', () => {
    const refs = doc.components.map((c: CdxComponent) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(doc.dependencies).toEqual([{ ref: doc.metadata.component['bom-ref'], dependsOn: refs }]);
    const twice = sampleInventory();
    twice.packages.push({ ...twice.packages[0]! });
    const refsTwice = buildCycloneDx(twice, { timestamp: TIME }).components.map((c) => c['bom-ref']);
    expect(new Set(refsTwice).size).toBe(refsTwice.length);
  });

  it('is reproducible: same inventory and time, same bytes; the serial number follows the content', () => {
    const again = serializeCycloneDx(buildCycloneDx(sampleInventory(), { timestamp: TIME }));
    expect(again).toBe(serializeCycloneDx(bom));
    expect(doc.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const later = JSON.parse(
      serializeCycloneDx(buildCycloneDx(sampleInventory(), { timestamp: '2030-01-01T00:00:00Z' })),
    );
    expect(later.serialNumber).toBe(doc.serialNumber);
    const other = sampleInventory();
    other.packages.pop();
    expect(JSON.parse(serializeCycloneDx(buildCycloneDx(other, { timestamp: TIME }))).serialNumber).not.toBe(
      doc.serialNumber,
    );
  });

  it('takes SOURCE_DATE_EPOCH for the timestamp', () => {
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      expect(buildCycloneDx(sampleInventory()).metadata.timestamp).toBe('2023-11-14T22:13:20Z');
      process.env.SOURCE_DATE_EPOCH = 'yesterday';
      expect(() => buildCycloneDx(sampleInventory())).toThrow(
        /^SOURCE_DATE_EPOCH: "yesterday" is not a number/,
      );
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });

  it('a vulnerability scan can add a vulnerabilities section: still valid, another serial number', () => {
    const extended = buildCycloneDx(sampleInventory(), { timestamp: TIME });
    const target = extended.components.find((c) => c.name === 'libc6')!['bom-ref'];
    extended.vulnerabilities = [
      {
        'bom-ref': 'CVE-2024-2961',
        id: 'CVE-2024-2961',
        source: { name: 'debian-tracker' },
        ratings: [{ severity: 'high', method: 'CVSSv31', score: 8.8 }],
        affects: [{ ref: target }],
      },
    ];
    const text = JSON.parse(serializeCycloneDx(extended));
    expect(cycloneDxProblems(text)).toEqual([]);
    expect(text.vulnerabilities).toHaveLength(1);
    expect(text.serialNumber).not.toBe(doc.serialNumber);
  });

  it('a directory scan is a file component without purl or hashes', () => {
    const dir = sampleInventory();
    dir.source = { type: 'fs', ref: './project' };
    dir.layers = [];
    for (const p of dir.packages) delete p.layer;
    const fs = JSON.parse(serializeCycloneDx(buildCycloneDx(dir, { timestamp: TIME })));
    expect(cycloneDxProblems(fs)).toEqual([]);
    expect(fs.metadata.component).toMatchObject({ type: 'file', name: './project' });
    expect(fs.metadata.component.purl).toBeUndefined();
    expect(fs.metadata.component.hashes).toBeUndefined();
  });
});
