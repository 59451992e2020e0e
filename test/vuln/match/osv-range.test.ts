import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AffectedRange, RangeEvent, RangeEventKind } from '../../../src/vuln/db/model.js';
import { evaluateEntry, evaluateRange, type RangeSchemes } from '../../../src/vuln/match/osv-range.js';
import { dpkg } from '../../../src/vuln/versions/dpkg/index.js';
import { npm } from '../../../src/vuln/versions/npm/index.js';
import { pep440 } from '../../../src/vuln/versions/pep440/index.js';
import { semver } from '../../../src/vuln/versions/semver/index.js';

const range = (type: AffectedRange['type'], ...events: [RangeEventKind, string][]): AffectedRange => ({
  type,
  events: events.map(([kind, version]) => ({ kind, version })),
});
const entry = (ranges: AffectedRange[], versions: string[] = []) => ({
  ranges,
  listsVersion: (v: string) => versions.includes(v),
});
const ALL_VALID = () => true;

describe('OSV range evaluation (the schema examples)', () => {
  it('introduced 0 with no fix: every version', () => {
    const r = range('SEMVER', ['introduced', '0']);
    for (const v of ['0.0.0', '1.0.0', '99.1.2-beta'])
      expect(evaluateRange(v, r, semver)).toEqual({ affected: true });
  });

  it('fixed: the fix itself and later versions are not affected; the fix is reported', () => {
    const r = range('SEMVER', ['introduced', '0'], ['fixed', '1.0.2']);
    expect(evaluateRange('1.0.1', r, semver)).toEqual({ affected: true, fixed: '1.0.2' });
    expect(evaluateRange('1.0.2', r, semver)).toEqual({ affected: false });
    expect(evaluateRange('2.0.0', r, semver)).toEqual({ affected: false });
  });

  it('several introduced/fixed pairs: [1.0.0, 1.0.2) and [3.0.0, 3.2.5), each with its own fix', () => {
    const r = range(
      'SEMVER',
      ['introduced', '1.0.0'],
      ['fixed', '1.0.2'],
      ['introduced', '3.0.0'],
      ['fixed', '3.2.5'],
    );
    expect(evaluateRange('0.9.0', r, semver).affected).toBe(false);
    expect(evaluateRange('1.0.0', r, semver)).toEqual({ affected: true, fixed: '1.0.2' });
    expect(evaluateRange('2.0.0', r, semver).affected).toBe(false);
    expect(evaluateRange('3.1.0', r, semver)).toEqual({ affected: true, fixed: '3.2.5' });
    expect(evaluateRange('3.2.5', r, semver).affected).toBe(false);
  });

  it('last_affected: that version is affected, the next is not, and there is no fix to report', () => {
    const r = range('ECOSYSTEM', ['introduced', '0'], ['last_affected', '2.1.214']);
    expect(evaluateRange('2.1.214', r, npm)).toEqual({ affected: true });
    expect(evaluateRange('2.1.215', r, npm).affected).toBe(false);
  });

  it('limit: versions at or above every limit are outside the range; "*" is infinity', () => {
    const limited = range('SEMVER', ['introduced', '1.0.0'], ['limit', '2.0.0']);
    expect(evaluateRange('1.5.0', limited, semver).affected).toBe(true);
    expect(evaluateRange('2.0.0', limited, semver).affected).toBe(false);
    const two = range('SEMVER', ['introduced', '1.0.0'], ['limit', '2.0.0'], ['limit', '*']);
    expect(evaluateRange('5.0.0', two, semver).affected).toBe(true);
  });

  it('sorts events that the record lists out of order', () => {
    const r = range(
      'SEMVER',
      ['fixed', '3.2.5'],
      ['introduced', '3.0.0'],
      ['fixed', '1.0.2'],
      ['introduced', '0'],
    );
    expect(evaluateRange('1.0.1', r, semver)).toEqual({ affected: true, fixed: '1.0.2' });
    expect(evaluateRange('3.0.0', r, semver)).toEqual({ affected: true, fixed: '3.2.5' });
    expect(evaluateRange('2.0.0', r, semver).affected).toBe(false);
  });

  it('compares ECOSYSTEM ranges in the ecosystem order (dpkg epochs and tildes, PEP 440 pre-releases)', () => {
    const deb = range('ECOSYSTEM', ['introduced', '0'], ['fixed', '2.36-9+deb12u4']);
    expect(evaluateRange('2.36-9+deb12u3', deb, dpkg).affected).toBe(true);
    expect(evaluateRange('2.36-9+deb12u4~bpo1', deb, dpkg).affected).toBe(true);
    expect(evaluateRange('1:2.0-1', deb, dpkg).affected).toBe(false);
    const py = range('ECOSYSTEM', ['introduced', '0'], ['fixed', '2.0']);
    expect(evaluateRange('2.0rc1', py, pep440)).toEqual({ affected: true, fixed: '2.0' });
    expect(evaluateRange('2.0.0', py, pep440).affected).toBe(false);
  });
});

describe('evaluateEntry', () => {
  const schemes: RangeSchemes = { ecosystem: npm, semver };

  it('matches explicitly listed versions even when no range includes them', () => {
    const e = entry([range('ECOSYSTEM', ['introduced', '2.0.0'], ['fixed', '2.1.0'])], ['1.0.0']);
    expect(evaluateEntry('1.0.0', e, schemes, ALL_VALID)).toEqual({ affected: true });
    expect(evaluateEntry('1.0.1', e, schemes, ALL_VALID).affected).toBe(false);
  });

  it('of several matching ranges, reports the smallest fix', () => {
    const e = entry([
      range('ECOSYSTEM', ['introduced', '0'], ['fixed', '1.5.0']),
      range('SEMVER', ['introduced', '1.0.0'], ['fixed', '1.2.0']),
    ]);
    expect(evaluateEntry('1.1.0', e, schemes, ALL_VALID)).toEqual({ affected: true, fixed: '1.2.0' });
  });

  it('skips GIT ranges, and ranges whose scheme cannot read the installed version', () => {
    const git = entry([range('GIT', ['introduced', '0'])]);
    expect(evaluateEntry('1.0.0', git, schemes, ALL_VALID).affected).toBe(false);
    const e = entry([range('ECOSYSTEM', ['introduced', '0'])], ['(devel)']);
    expect(evaluateEntry('(devel)', e, schemes, () => false)).toEqual({ affected: true });
    expect(evaluateEntry('(other)', e, schemes, () => false).affected).toBe(false);
  });

  it('uses the OSV spelling for listed versions (Go drops the "v")', () => {
    const e = entry([], ['1.2.3']);
    expect(evaluateEntry('v1.2.3', e, { ecosystem: semver, semver }, ALL_VALID, '1.2.3').affected).toBe(true);
  });
});

/** The schema's pseudo-code, literally: full sort, every event visited. Versions are integers here. */
function reference(v: number, events: RangeEvent[]): boolean {
  const num = (e: RangeEvent) =>
    e.version === '0' && e.kind === 'introduced' ? -1 : Number(e.version.split('.')[1]);
  const limits = events.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && !limits.some((e) => v < num(e))) return false;
  let vulnerable = false;
  for (const e of [...events].filter((x) => x.kind !== 'limit').sort((a, b) => num(a) - num(b))) {
    if (e.kind === 'introduced' && v >= num(e)) vulnerable = true;
    else if (e.kind === 'fixed' && v >= num(e)) vulnerable = false;
    else if (e.kind === 'last_affected' && v > num(e)) vulnerable = false;
  }
  return vulnerable;
}

describe('properties', () => {
  // Distinct versions per range (OSV ranges never repeat one), as "1.N.0" so SemVer orders them by N.
  const events = fc
    .uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 })
    .chain((ns) =>
      fc.tuple(
        ...ns.map((n) =>
          fc
            .constantFrom<RangeEventKind>('introduced', 'fixed', 'last_affected', 'limit')
            .map((kind): RangeEvent => ({ kind, version: `1.${n}.0` })),
        ),
      ),
    )
    .map((list) => [{ kind: 'introduced', version: '0' } as RangeEvent, ...list]);

  it('agrees with the schema pseudo-code for every installed version, in any event order', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 0, max: 42 }), fc.boolean(), (evts, n, reverse) => {
        const r: AffectedRange = { type: 'SEMVER', events: reverse ? [...evts].reverse() : evts };
        const verdict = evaluateRange(`1.${n}.0`, r, semver);
        expect(verdict.affected).toBe(reference(n, evts));
        if (verdict.affected && verdict.fixed !== undefined) {
          // The reported fix is above the installed version and no other fix lies between them.
          const fix = Number(verdict.fixed.split('.')[1]);
          expect(fix).toBeGreaterThan(n);
          const between = evts.filter((e) => e.kind === 'fixed' && Number(e.version.split('.')[1]) > n);
          expect(Math.min(...between.map((e) => Number(e.version.split('.')[1])))).toBe(fix);
        }
      }),
    );
  });

  it('never throws on arbitrary version strings and events', () => {
    const kind = fc.constantFrom<RangeEventKind>('introduced', 'fixed', 'last_affected', 'limit');
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.record({ kind, version: fc.string({ minLength: 1 }) }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<AffectedRange['type']>('ECOSYSTEM', 'SEMVER', 'GIT'),
        (v, evts, type) => {
          const verdict = evaluateEntry(
            v,
            entry([{ type, events: evts }]),
            { ecosystem: pep440, semver },
            ALL_VALID,
          );
          expect(typeof verdict.affected).toBe('boolean');
        },
      ),
    );
  });
});
