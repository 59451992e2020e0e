import { describe, expect, it } from 'vitest';
import { maven } from '../../../../src/vuln/versions/maven/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('maven against the corpora', () => {
  for (const file of ['maven-versions-generated.txt', 'maven-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('maven', maven, file, readComparisons(dir!, file)));
  }
});
