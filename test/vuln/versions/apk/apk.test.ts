import { describe, expect, it } from 'vitest';
import { apk } from '../../../../src/vuln/versions/apk/index.js';
import { type Comparison, corporaDir, expectAgreement, readComparisons, readLines } from '../corpus.js';

const dir = corporaDir();

interface ApkData {
  comparisons: Comparison[];
  /** `ver1 op ver2` lines with fuzzy or negated operators, checked with apk's constraint match. */
  matches: { version: string; constraint: string; line: number }[];
  validity: { version: string; valid: boolean; line: number }[];
}

/** apk-tools' test/unit/version.data, read as its version_test.c reads it. */
function apkData(dir: string): ApkData {
  const data: ApkData = { comparisons: [], matches: [], validity: [] };
  readLines(dir, 'apk-tools-version.data').forEach((raw, i) => {
    const text = raw.split('#')[0]!.trim();
    if (text === '') return;
    const line = i + 1;
    const parts = text.split(' ');
    if (parts.length === 3) {
      const [a, op, b] = parts as [string, string, string];
      if (op === '<' || op === '=' || op === '>') data.comparisons.push({ a, op, b, line });
      else data.matches.push({ version: a, constraint: `${op}${b}`, line });
    } else if (parts.length === 1) {
      const valid = !text.startsWith('!');
      data.validity.push({ version: valid ? text : text.slice(1), valid, line });
    } else {
      throw new Error(`apk-tools-version.data:${line}: unreadable line ${raw}`);
    }
  });
  return data;
}

describe.skipIf(!dir)('apk against the corpora', () => {
  for (const file of ['alpine-versions-generated.txt', 'alpine-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('apk', apk, file, readComparisons(dir!, file)));
  }

  it('agrees with the comparisons of apk-tools-version.data', () => {
    expectAgreement('apk', apk, 'apk-tools-version.data', apkData(dir!).comparisons);
  });

  it('agrees with the fuzzy and negated matches of apk-tools-version.data', () => {
    const { matches } = apkData(dir!);
    const wrong = matches.filter((m) => !apk.satisfies!(m.version, m.constraint));
    console.log(
      `apk: ${matches.length - wrong.length}/${matches.length} constraint matches agree (apk-tools-version.data)`,
    );
    expect(matches.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('agrees with the valid and invalid versions of apk-tools-version.data', () => {
    const { validity } = apkData(dir!);
    const wrong = validity.filter((v) => apk.isValid(v.version) !== v.valid);
    console.log(
      `apk: ${validity.length - wrong.length}/${validity.length} validity verdicts agree (apk-tools-version.data)`,
    );
    expect(validity.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});

describe('apk constraints', () => {
  it('reads apk dependency operators', () => {
    expect(apk.satisfies!('1.2.3-r1', '>=1.2.3')).toBe(true);
    expect(apk.satisfies!('1.2.3-r1', '<1.2.3-r2')).toBe(true);
    expect(apk.satisfies!('1.2.3', '!=1.2.3')).toBe(false);
    expect(apk.satisfies!('1.2', 'no operator')).toBe(false);
    expect(apk.isValidRange!('~3.6')).toBe(true);
    expect(apk.isValidRange!('3.6')).toBe(false);
  });
});
