import { describe, expect, it } from 'vitest';
import { cran } from '../../../../src/vuln/versions/cran/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('cran against the corpora', () => {
  for (const file of ['cran-versions-generated.txt', 'cran-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('cran', cran, file, readComparisons(dir!, file)));
  }
});

describe('cran', () => {
  it('accepts what R accepts as a package version', () => {
    for (const v of ['0.1-2', '1.0', '1.2.3.4', '0.01']) expect(cran.isValid(v), v).toBe(true);
    for (const v of ['1', '1.0a', '', '1..0']) expect(cran.isValid(v), v).toBe(false);
  });
});
