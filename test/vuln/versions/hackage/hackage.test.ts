import { describe, expect, it } from 'vitest';
import { hackage } from '../../../../src/vuln/versions/hackage/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('hackage against the corpora', () => {
  it('agrees with hackage-versions.txt', () =>
    expectAgreement(
      'hackage',
      hackage,
      'hackage-versions.txt',
      readComparisons(dir!, 'hackage-versions.txt'),
    ));
});

describe('hackage', () => {
  it('accepts dotted numbers only', () => {
    expect(hackage.isValid('0.11.3.0')).toBe(true);
    for (const v of ['', '1.0-rc1', '1.']) expect(hackage.isValid(v), v).toBe(false);
  });
});
