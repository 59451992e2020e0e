import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCycloneDx, serializeCycloneDx } from '../../../src/inventory/sbom/cyclonedx/build.js';
import { readSbomText } from '../../../src/inventory/sbom/read.js';
import {
  buildSpdx,
  declaredLicense,
  LicenseRefs,
  serializeSpdx,
} from '../../../src/inventory/sbom/spdx/build.js';
import type { Inventory } from '../../../src/types.js';
import { comparable, inventoryArbitrary, sampleInventory } from './inventories.js';
import { cycloneDxProblems, spdxProblems } from './validate.js';

/**
 * "The SBOM is a contract": an inventory written as CycloneDX or SPDX and read back is the
 * same inventory on everything matching and reports use (ecosystem, name, version, purl,
 * source package, arch, OS, layers, paths, analyzer, OS ownership, dev), and licenses.
 */

const cyclonedx = (inventory: Inventory) =>
  readSbomText(serializeCycloneDx(buildCycloneDx(inventory)), 'app.cdx.json', 'cyclonedx-json');
const spdx = (inventory: Inventory) =>
  readSbomText(serializeSpdx(buildSpdx(inventory)), 'app.spdx.json', 'spdx-json');

/** SPDX keeps one declared-license expression per package, so licenses compare as that expression. */
function spdxComparable(inventory: Inventory): unknown {
  const c = comparable(inventory) as { packages: { licenses?: string[] }[] };
  return {
    ...c,
    packages: c.packages.map((p) => ({
      ...p,
      licenses: declaredLicense(p.licenses ?? [], new LicenseRefs()),
    })),
  };
}

describe('SBOM round trip', () => {
  it('image → CycloneDX → inventory: the same inventory, read as an SBOM source', () => {
    const original = sampleInventory();
    const back = cyclonedx(original);
    expect(back.source).toMatchObject({ type: 'sbom', ref: 'app.cdx.json' });
    expect(back.warnings).toEqual([]);
    expect(comparable(back)).toEqual(comparable(original));
  });

  it('image → SPDX → inventory: the same inventory', () => {
    const original = sampleInventory();
    const back = spdx(original);
    expect(back.source).toMatchObject({ type: 'sbom', ref: 'app.spdx.json' });
    expect(back.warnings).toEqual([]);
    expect(spdxComparable(back)).toEqual(spdxComparable(original));
    expect(back.packages.find((p) => p.name === 'login')?.licenses).toEqual([
      'GPL-2.0-or-later',
      'BSD-3-Clause',
    ]);
    expect(back.packages.find((p) => p.name === 'PyYAML')?.licenses).toEqual([
      'MIT',
      'Python Software Foundation License',
    ]);
  });

  it('generated inventories survive both formats, and each document is valid', () => {
    fc.assert(
      fc.property(inventoryArbitrary, (inventory) => {
        const bom = buildCycloneDx(inventory, { timestamp: '2024-01-02T03:04:05Z' });
        expect(cycloneDxProblems(bom)).toEqual([]);
        expect(comparable(cyclonedx(inventory))).toEqual(comparable(inventory));

        const doc = buildSpdx(inventory, { created: '2024-01-02T03:04:05Z' });
        expect(spdxProblems(doc)).toEqual([]);
        expect(spdxComparable(spdx(inventory))).toEqual(spdxComparable(inventory));
      }),
      { numRuns: 300 },
    );
  });
});
