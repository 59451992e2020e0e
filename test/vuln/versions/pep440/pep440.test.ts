import { describe, expect, it } from 'vitest';
import { pep440 } from '../../../../src/vuln/versions/pep440/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('pep440 against the corpora', () => {
  for (const file of ['pypi-versions-generated.txt', 'pypi-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('pep440', pep440, file, readComparisons(dir!, file)));
  }
});

// Expected values are packaging's SpecifierSet(spec).contains(version, prereleases=True).
describe('pep440 specifier sets', () => {
  const cases: [string, string, boolean][] = [
    ['1.5', '>=1.0,<2', true],
    ['2.0', '>=1.0,<2', false],
    ['2.0rc1', '>=1.0,<2', false],
    ['1.9.post1', '>=1.0,<2', true],
    ['2.2.1', '~=2.2', true],
    ['3.0', '~=2.2', false],
    ['1.4.5', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['1.1.3', '==1.1.*', true],
    ['1.10', '==1.1.*', false],
    ['1.1', '==1.1.0', true],
    ['1.1+local', '==1.1', true],
    ['1.1+local', '==1.1+other', false],
    ['1.3.1', '!=1.3.*', false],
    ['3.1.post0', '>3.1', false],
    ['3.2.post0', '>3.1', true],
    ['3.1+local', '>3.1', false],
    ['1.0', '===1.0', true],
    ['1.0.0', '===1.0', false],
    ['foobar', '===foobar', true],
    ['foobar', '>=1.0', false],
    ['1.0', '', true],
  ];
  for (const [version, spec, want] of cases) {
    it(`${version} ${want ? 'is' : 'is not'} in "${spec}"`, () =>
      expect(pep440.satisfies!(version, spec)).toBe(want));
  }
  it('rejects malformed specifiers', () => {
    for (const s of ['>=1.0,', '~=1', '>=1.0+local', '==1.0a1.*', '=>1.0', '>= 1.0 2.0', 'foo'])
      expect(pep440.isValidRange!(s), s).toBe(s === '>=1.0,');
  });
  it('normalises versions as PEP 440 says', () => {
    for (const [a, b] of [
      ['1.0', 'v1.0.0'],
      ['1.0a1', '1.0-ALPHA.1'],
      ['1.0.post0', '1.0-0'],
      ['1.0.dev0', '1.0-dev'],
      ['1!1.0', '1!1.0.0'],
      ['1.0+ubuntu-1', '1.0+ubuntu.1'],
    ])
      expect(pep440.compare(a!, b!), `${a} = ${b}`).toBe(0);
    expect(pep440.isValid('1.0-foo')).toBe(false);
    expect(pep440.compare('1.0-foo', '0.0.1')).toBe(-1);
  });
});
