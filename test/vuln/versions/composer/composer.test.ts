import { describe, expect, it } from 'vitest';
import { composer } from '../../../../src/vuln/versions/composer/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('composer against the corpora', () => {
  for (const file of ['packagist-versions-generated.txt', 'packagist-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('composer', composer, file, readComparisons(dir!, file)));
  }
});

describe('composer', () => {
  it('accepts what Composer normalises', () => {
    for (const v of [
      '1.0.0',
      'v2.3',
      '1.0.0-beta2',
      '1.0.0-RC1',
      '2.0.x-dev',
      'dev-main',
      '20190101',
      '1.0@dev',
      '1.0.0 as 1.1',
    ])
      expect(composer.isValid(v), v).toBe(true);
    for (const v of ['', 'foo', '1.0.0-gamma', '1.2.3.4.5']) expect(composer.isValid(v), v).toBe(false);
  });
});
