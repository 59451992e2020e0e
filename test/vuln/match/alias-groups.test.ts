import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Groupable, groupByAlias } from '../../../src/vuln/match/alias-groups.js';

const item = (id: string, aliases: string[] = [], rank = 1): Groupable => ({ id, aliases, rank });
const summary = (items: Groupable[]) =>
  groupByAlias(items).map((g) => ({
    id: g.primary.id,
    others: g.others.map((o) => o.id),
    umbrellas: g.umbrellas,
  }));

describe('groupByAlias', () => {
  it('merges records that alias each other or share an alias; the most specific one leads', () => {
    expect(
      summary([
        item('PYSEC-2021-1', ['CVE-2021-1', 'GHSA-aaaa']),
        item('GHSA-aaaa', ['CVE-2021-1']),
        item('GO-1'),
      ]),
    ).toEqual([
      { id: 'GO-1', others: [], umbrellas: [] },
      { id: 'GHSA-aaaa', others: ['PYSEC-2021-1'], umbrellas: [] },
    ]);
    expect(summary([item('GHSA-x', ['CVE-1']), item('PYSEC-y', ['CVE-1'])])).toEqual([
      { id: 'GHSA-x', others: ['PYSEC-y'], umbrellas: [] },
    ]);
  });

  it("puts the distribution's own feed first: a tracker CVE leads an OSV record aliasing it", () => {
    expect(summary([item('DEBIAN-CVE-2024-1', ['CVE-2024-1'], 1), item('CVE-2024-1', [], 0)])).toEqual([
      { id: 'CVE-2024-1', others: ['DEBIAN-CVE-2024-1'], umbrellas: [] },
    ]);
  });

  it('keeps the vulnerabilities an umbrella advisory covers apart, each naming it', () => {
    expect(
      summary([
        item('DSA-5555-1', ['CVE-A', 'CVE-B'], 1),
        item('CVE-A', [], 0),
        item('CVE-B', [], 0),
        item('CVE-C', [], 0),
      ]),
    ).toEqual([
      { id: 'CVE-A', others: [], umbrellas: ['DSA-5555-1'] },
      { id: 'CVE-B', others: [], umbrellas: ['DSA-5555-1'] },
      { id: 'CVE-C', others: [], umbrellas: [] },
    ]);
  });

  it('loses no record and never puts one in two groups, whatever the input order', () => {
    const ids = fc.constantFrom('CVE-1', 'CVE-2', 'CVE-3', 'GHSA-1', 'GHSA-2', 'GO-1', 'DSA-1');
    const arb = fc.uniqueArray(
      fc.record({ id: ids, aliases: fc.uniqueArray(ids, { maxLength: 3 }), rank: fc.constantFrom(0, 1) }),
      { selector: (x) => x.id, maxLength: 7 },
    );
    fc.assert(
      fc.property(arb, (items) => {
        const groups = groupByAlias(items);
        const placed = groups.flatMap((g) => [g.primary.id, ...g.others.map((o) => o.id)]);
        const umbrellas = new Set(groups.flatMap((g) => g.umbrellas));
        expect(new Set(placed).size).toBe(placed.length);
        expect([...placed, ...umbrellas].sort()).toEqual(items.map((i) => i.id).sort());
        expect(summary([...items].reverse())).toEqual(summary(items));
      }),
    );
  });
});
