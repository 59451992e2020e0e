import { describe, expect, it } from 'vitest';
import { semver } from '../../../../src/vuln/versions/semver/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('semver against the corpora', () => {
  it('agrees with semver-versions.txt', () =>
    expectAgreement('semver', semver, 'semver-versions.txt', readComparisons(dir!, 'semver-versions.txt')));
});

describe('semver', () => {
  it('follows SemVer 2.0.0 precedence (the example list of the spec)', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '2.0.0',
      '2.1.0',
      '2.1.1',
    ];
    for (let i = 1; i < ordered.length; i++) expect(semver.compare(ordered[i - 1]!, ordered[i]!)).toBe(-1);
    expect(semver.compare('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
  });
  it('accepts SemVer 2.0.0 with an optional v and nothing else', () => {
    for (const v of ['1.2.3', 'v1.2.3', '1.2.3-rc.1+build.5', '0.0.0-0'])
      expect(semver.isValid(v), v).toBe(true);
    for (const v of ['1.2', '01.2.3', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3.4', '=1.2.3', ''])
      expect(semver.isValid(v), v).toBe(false);
  });
});
