import { describe, expect, it } from 'vitest';
import { rubygems } from '../../../../src/vuln/versions/rubygems/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('rubygems against the corpora', () => {
  for (const file of ['rubygems-versions-generated.txt', 'rubygems-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('rubygems', rubygems, file, readComparisons(dir!, file)));
  }
});

describe('rubygems', () => {
  it('accepts what Gem::Version.correct? accepts', () => {
    for (const v of ['1', '1.2.3', '1.0.a.1', '1.0-rc1', ' 2.0 ', ''])
      expect(rubygems.isValid(v), v).toBe(true);
    for (const v of ['a', '1..2', '1.0 beta', '-1']) expect(rubygems.isValid(v), v).toBe(false);
  });
  it('reads "-" as a pre-release', () => {
    expect(rubygems.compare('1.0-rc1', '1.0')).toBe(-1);
    expect(rubygems.compare('1.0-rc1', '1.0.pre.rc1')).toBe(0);
  });
});

// Gem::Requirement examples (RubyGems' "Patterns" guide and Gem::Requirement docs).
describe('rubygems requirements', () => {
  const cases: [string, string, boolean][] = [
    ['2.2', '~> 2.2', true],
    ['2.9.9', '~> 2.2', true],
    ['3.0', '~> 2.2', false],
    ['2.2.9', '~> 2.2.0', true],
    ['2.3.0', '~> 2.2.0', false],
    ['3.0.0.beta', '~> 2.2', false],
    ['1.5', '>= 1.0, < 2', true],
    ['2.0', '>= 1.0, < 2', false],
    ['1.1', '!= 1.1', false],
    ['1.0', '1.0', true],
    ['1.0.0', '= 1.0', true],
    ['1.0.a', '>= 0.9', true],
  ];
  for (const [version, req, want] of cases) {
    it(`${version} ${want ? 'satisfies' : 'does not satisfy'} "${req}"`, () =>
      expect(rubygems.satisfies!(version, req)).toBe(want));
  }
  it('rejects malformed requirements', () => {
    for (const r of ['~>', '=> 1.0', '>= 1.0,', 'foo', '~> 1.0 2.0'])
      expect(rubygems.isValidRange!(r), r).toBe(false);
  });
});
