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
