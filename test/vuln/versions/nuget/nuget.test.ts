import { describe, expect, it } from 'vitest';
import { nuget } from '../../../../src/vuln/versions/nuget/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('nuget against the corpora', () => {
  it('agrees with nuget-versions.txt', () =>
    expectAgreement('nuget', nuget, 'nuget-versions.txt', readComparisons(dir!, 'nuget-versions.txt')));
});

describe('nuget', () => {
  it('accepts one to four parts with labels and metadata', () => {
    for (const v of ['1', '1.0', '1.0.0', '1.0.0.1', '1.0.0-beta.1+sha.abc', '01.2'])
      expect(nuget.isValid(v), v).toBe(true);
    for (const v of ['', '1.0.0.0.0', '1.0-', 'a.b', '1.0.0-beta..1', '2147483648.0'])
      expect(nuget.isValid(v), v).toBe(false);
  });
});

// The examples of NuGet's "Version ranges" documentation.
describe('nuget version ranges', () => {
  const cases: [string, string, boolean][] = [
    ['1.0', '1.0', true],
    ['0.9', '1.0', false],
    ['1.0', '(1.0,)', false],
    ['1.0.1', '(1.0,)', true],
    ['1.0', '[1.0]', true],
    ['1.0', '(,1.0)', false],
    ['2.0', '[1.0,2.0]', true],
    ['2.0', '[1.0,2.0)', false],
    ['2.0.0-beta', '[1.0,2.0)', true],
    ['1.5', ' [1.0 , 2.0) ', true],
  ];
  for (const [version, range, want] of cases) {
    it(`${version} ${want ? 'is' : 'is not'} in "${range}"`, () =>
      expect(nuget.satisfies!(version, range)).toBe(want));
  }
  it('rejects malformed ranges', () => {
    for (const r of ['(1.0)', '(,)', '[2.0,1.0]', '(1.0,1.0]', '[1.0,2.0', 'foo', ''])
      expect(nuget.isValidRange!(r), r).toBe(false);
  });
});
