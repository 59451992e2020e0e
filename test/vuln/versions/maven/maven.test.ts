import { describe, expect, it } from 'vitest';
import { maven } from '../../../../src/vuln/versions/maven/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('maven against the corpora', () => {
  for (const file of ['maven-versions-generated.txt', 'maven-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('maven', maven, file, readComparisons(dir!, file)));
  }
});

describe('maven', () => {
  it('orders qualifiers as maven-artifact does', () => {
    const ordered = [
      '1-alpha-1',
      '1-beta-1',
      '1-milestone-1',
      '1-rc-1',
      '1-snapshot',
      '1',
      '1-sp',
      '1-abc',
      '1-1',
      '1.1',
    ];
    for (let i = 1; i < ordered.length; i++)
      expect(maven.compare(ordered[i - 1]!, ordered[i]!), ordered[i]).toBe(-1);
    expect(maven.compare('1.0.RELEASE', '1')).toBe(0);
    expect(maven.compare('1CR1', '1-rc-1')).toBe(0);
  });
  it('keeps maven-artifact 3.8.6 intransitivity where a qualifier follows a dot', () => {
    expect(maven.compare('3-rc', '3')).toBe(-1);
    expect(maven.compare('3', '3.a')).toBe(-1);
    expect(maven.compare('3-rc', '3.a')).toBe(1);
  });
});

// The examples of Maven's POM reference ("Dependency Version Requirement Specification").
describe('maven version ranges', () => {
  const cases: [string, string, boolean][] = [
    ['5.0', '1.0', true],
    ['1.0', '[1.0]', true],
    ['1.0.1', '[1.0]', false],
    ['1.0', '(,1.0]', true],
    ['1.1', '(,1.0]', false],
    ['1.3', '[1.2,1.3]', true],
    ['2.0', '[1.0,2.0)', false],
    ['2.0-beta-1', '[1.0,2.0)', true],
    ['1.5', '[1.5,)', true],
    ['1.1', '(,1.0],[1.2,)', false],
    ['1.2', '(,1.0],[1.2,)', true],
    ['1.1', '(,1.1),(1.1,)', false],
    ['1.1.1', '(,1.1),(1.1,)', true],
  ];
  for (const [version, range, want] of cases) {
    it(`${version} ${want ? 'is' : 'is not'} in ${range}`, () =>
      expect(maven.satisfies!(version, range)).toBe(want));
  }
  it('rejects what VersionRange.createFromVersionSpec rejects', () => {
    for (const r of [
      '[1.0,2.0',
      '(1.0)',
      '[2.0,1.0]',
      '[1.0,2.0],[1.5,3.0]',
      '[1.0,2.0,3.0]',
      '',
      '[1.0],2.0',
    ])
      expect(maven.isValidRange!(r), r).toBe(false);
  });
});
