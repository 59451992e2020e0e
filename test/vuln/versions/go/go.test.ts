import { describe, expect, it } from 'vitest';
import { go } from '../../../../src/vuln/versions/go/index.js';
import { corporaDir, expectAgreement, readComparisons } from '../corpus.js';

const dir = corporaDir();

describe.skipIf(!dir)('go against the corpora', () => {
  it('agrees with semver-versions.txt', () =>
    expectAgreement('go', go, 'semver-versions.txt', readComparisons(dir!, 'semver-versions.txt')));
});

describe('go', () => {
  it('orders pseudo-versions, +incompatible and toolchain versions', () => {
    expect(go.compare('v0.0.0-20191109021931-daa7c04131f5', 'v0.0.1')).toBe(-1);
    expect(go.compare('v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.3')).toBe(1);
    expect(go.compare('v2.0.0+incompatible', '2.0.0')).toBe(0);
    expect(go.compare('go1.21.4', '1.21.4')).toBe(0);
    expect(go.compare('go1.21rc2', '1.21.0-rc.2')).toBe(0);
    expect(go.compare('go1.21rc2', 'go1.21.0')).toBe(-1);
    expect(go.compare('go1.9beta1', '1.9.0-beta.1')).toBe(0);
    expect(go.compare('v1', 'v1.0.0')).toBe(0);
    expect(go.compare('0', 'v0.0.1')).toBe(-1);
  });
  it('puts invalid versions below valid ones, all equal', () => {
    expect(go.compare('(devel)', 'v0.0.0')).toBe(-1);
    expect(go.compare('(devel)', 'garbage')).toBe(0);
    for (const v of ['v1.2-pre', 'v01.2.3', '1.2.3-01', 'v1.2.3-']) expect(go.isValid(v), v).toBe(false);
  });
});
