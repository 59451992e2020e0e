import { describe, expect, it } from 'vitest';
import { rpm } from '../../../../src/vuln/versions/rpm/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('rpm against the corpora', () => {
  for (const file of ['redhat-versions.txt', 'rpmvercmp.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('rpm', rpm, file, readComparisons(dir!, file)));
  }
});

describe('rpm', () => {
  it('reads epoch:version-release', () => {
    expect(rpm.compare('1:1.0-1.el9', '2.0-1.el9')).toBe(1);
    expect(rpm.compare('0:3.10.0-229.el7', '3.10.0-229.el7')).toBe(0);
    expect(rpm.compare('1.0-1.el9_2', '1.0-1.el9_10')).toBe(-1);
    expect(rpm.compare('1.0~rc1-1', '1.0-1')).toBe(-1);
  });
  it('accepts what rpmbuild accepts', () => {
    for (const v of ['1.0', '1:1.0-1.el9', '1.0^git1~pre-2.fc40', '3.10.0-229.1.2.ael7b'])
      expect(rpm.isValid(v), v).toBe(true);
    for (const v of ['', '1.0-1-2', 'a:1', '1.0 -1', '-1', '1.0-', '..'])
      expect(rpm.isValid(v), v).toBe(false);
  });
});
