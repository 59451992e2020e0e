import { describe, expect, it } from 'vitest';
import { pub } from '../../../../src/vuln/versions/pub/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('pub against the corpora', () => {
  it('agrees with pub-versions.txt', () =>
    expectAgreement('pub', pub, 'pub-versions.txt', readComparisons(dir!, 'pub-versions.txt')));
});

describe('pub', () => {
  it('accepts what pub_semver parses', () => {
    for (const v of ['1.2.3', '1.2.3-dev.1+build.2', '01.2.3']) expect(pub.isValid(v), v).toBe(true);
    for (const v of ['1.2', 'v1.2.3', '1.2.3-', '']) expect(pub.isValid(v), v).toBe(false);
  });
});
