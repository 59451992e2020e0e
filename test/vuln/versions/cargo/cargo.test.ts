import { describe, expect, it } from 'vitest';
import { cargo } from '../../../../src/vuln/versions/cargo/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('cargo against the corpora', () => {
  it('agrees with the lines of semver-versions.txt without build metadata', () => {
    // The semver crate orders build metadata ("1.2.3+build" < "1.2.3+otherbuild"); SemVer does not.
    const cases = readComparisons(dir!, 'semver-versions.txt').filter((c) => !`${c.a}${c.b}`.includes('+'));
    expectAgreement('cargo', cargo, 'semver-versions.txt', cases);
  });
});

// Expected values follow the semver crate's VersionReq::matches.
describe('cargo requirements', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3', '1.2.3', true],
    ['1.9.0', '1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.4', '^0.0.3', false],
    ['0.0.9', '^0.0', true],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2', false],
    ['1.5.0', '1.*', true],
    ['1.2.7', '1.2.*', true],
    ['1.5.0', '>=1.2, <1.5', false],
    ['1.4.9', '>=1.2, <1.5', true],
    ['1.0.0-beta.3', '>=1.0.0-beta.2', true],
    ['1.0.1-beta.3', '>=1.0.0-beta.2', false],
    ['1.0.0', '=1.0.0-beta.2', false],
    ['3.0.0', '*', true],
    ['3.0.0-rc.1', '*', false],
  ];
  for (const [version, req, want] of cases) {
    it(`${version} ${want ? 'matches' : 'does not match'} "${req}"`, () =>
      expect(cargo.satisfies!(version, req)).toBe(want));
  }
  it('rejects what the crate rejects', () => {
    for (const r of ['', '>=', '01.2', '1.*.3', 'foo', '>= 1.2,'])
      expect(cargo.isValidRange!(r), r).toBe(false);
  });
  it('orders build metadata after precedence', () => {
    expect(cargo.compare('1.0.0+build.2', '1.0.0+build.10')).toBe(-1);
    expect(cargo.compare('1.0.0', '1.0.0+a')).toBe(-1);
    expect(cargo.compare('1.0.1', '1.0.0+z')).toBe(1);
  });
});
