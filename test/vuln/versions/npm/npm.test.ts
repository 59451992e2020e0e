import { describe, expect, it } from 'vitest';
import { npm } from '../../../../src/vuln/versions/npm/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('npm against the corpora', () => {
  it('agrees with semver-versions.txt', () =>
    expectAgreement('npm', npm, 'semver-versions.txt', readComparisons(dir!, 'semver-versions.txt')));
});

// Expected values are node-semver 7's (its README's desugaring tables).
describe('npm ranges', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.4', '^0.0.3', false],
    ['0.0.9', '^0.0.x', true],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['1.2.9', '~>1.2', true],
    ['1.5.0', '1.x', true],
    ['2.0.0', '1.x', false],
    ['3.0.0', '*', true],
    ['1.3.0', '>1.2', true],
    ['1.2.9', '>1.2', false],
    ['1.2.9', '<=1.2', true],
    ['1.2.3', '1.2.3 - 2.3.4', true],
    ['2.3.5', '1.2.3 - 2.3.4', false],
    ['2.9.9', '1.2.3 - 2', true],
    ['2.4.0', '1.2 - 2.3', false],
    ['1.5.0', '>= 1.2.3 < 2 || >=3', true],
    ['3.1.0', '>= 1.2.3 < 2 || >=3', true],
    ['2.5.0', '>= 1.2.3 < 2 || >=3', false],
    ['1.2.3-beta.3', '>1.2.3-alpha.3', true],
    ['3.4.5-alpha.9', '>1.2.3-alpha.3', false],
    ['1.2.4-beta', '^1.2.3', false],
    ['1.2.3-beta.4', '^1.2.3-beta.2', true],
    ['1.2.4-beta.4', '^1.2.3-beta.2', false],
    ['1.5.0-rc.1', '*', false],
    ['1.5.0', '', true],
    ['v1.2.3', '=1.2.3', true],
    ['1.2.3+build', '1.2.3', true],
    ['not a version', '*', false],
  ];
  for (const [version, range, want] of cases) {
    it(`${version} ${want ? 'satisfies' : 'does not satisfy'} "${range}"`, () =>
      expect(npm.satisfies!(version, range)).toBe(want));
  }
  it('rejects what node-semver rejects', () => {
    for (const r of ['>=1.2.3 <', 'foo', '1.2.3 - ', '1.x.3', '*.2', '>=1.2.3-'])
      expect(npm.isValidRange!(r), r).toBe(false);
    expect(npm.satisfies!('1.2.3', 'foo')).toBe(false);
    for (const r of ['^1.2.3', '~1.x', '1.2.3 - 2', '>=1.0.0 <2.0.0 || 3.x', '', '*'])
      expect(npm.isValidRange!(r), r).toBe(true);
  });
  it('reads versions as node-semver does', () => {
    for (const v of ['1.2.3', ' v1.2.3 ', '1.2.3-rc.1+b']) expect(npm.isValid(v), v).toBe(true);
    for (const v of ['=1.2.3', 'V1.2.3', '1.2', '01.2.3', '1.2.3-01', '9007199254740992.0.0'])
      expect(npm.isValid(v), v).toBe(false);
  });
});
