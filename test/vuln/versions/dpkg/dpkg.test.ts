import { describe, expect, it } from 'vitest';
import { dpkg } from '../../../../src/vuln/versions/dpkg/index.js';
import { type Comparison, corporaDir, expectAgreement, readComparisons, readLines } from '../corpus.js';

const dir = corporaDir();

/** The `__DATA__` section of dpkg's scripts/t/Dpkg_Version.t: "v1 v2 result" per line. */
function dpkgTestData(dir: string): Comparison[] {
  const lines = readLines(dir, 'dpkg-Dpkg_Version.t');
  const start = lines.indexOf('__DATA__');
  const out: Comparison[] = [];
  lines.slice(start + 1).forEach((text, i) => {
    if (text.trim() === '') return;
    const [a, b, res] = text.trim().split(/\s+/);
    const op = res === '-1' ? '<' : res === '0' ? '=' : res === '1' ? '>' : undefined;
    if (!a || !b || !op) throw new Error(`Dpkg_Version.t: bad data line ${text}`);
    out.push({ a, b, op, line: start + i + 2 });
  });
  return out;
}

/** The `@versions_expected = qw(...)` lists of Dpkg_Version.t: versions in sorted order. */
function dpkgSortedLists(dir: string): string[][] {
  const text = readLines(dir, 'dpkg-Dpkg_Version.t').join('\n');
  return [...text.matchAll(/@versions_expected = qw\(([^)]*)\)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

describe.skipIf(!dir)('dpkg against the corpora', () => {
  it('sorts the expected lists of dpkg-Dpkg_Version.t in their order', () => {
    const lists = dpkgSortedLists(dir!);
    let pairs = 0;
    for (const list of lists) {
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          expect(dpkg.compare(list[i]!, list[j]!), `${list[i]} < ${list[j]}`).toBe(-1);
          pairs++;
        }
    }
    console.log(
      `dpkg: ${pairs}/${pairs} ordered pairs agree (dpkg-Dpkg_Version.t sort lists, ${lists.length} lists)`,
    );
    expect(lists.length).toBe(3);
  });
  for (const file of ['debian-versions-generated.txt', 'debian-versions.txt']) {
    it(`agrees with ${file}`, () => expectAgreement('dpkg', dpkg, file, readComparisons(dir!, file)));
  }
  it('agrees with the __DATA__ of dpkg-Dpkg_Version.t, every version in it valid', () => {
    const cases = dpkgTestData(dir!);
    expectAgreement('dpkg', dpkg, 'dpkg-Dpkg_Version.t', cases);
    expect(cases.flatMap((c) => [c.a, c.b]).filter((v) => !dpkg.isValid(v))).toEqual([]);
  });
  it('finds every version of the generated corpus valid', () => {
    const cases = readComparisons(dir!, 'debian-versions-generated.txt');
    expect(cases.flatMap((c) => [c.a, c.b]).filter((v) => !dpkg.isValid(v))).toEqual([]);
  });
});

describe('dpkg validity', () => {
  it('rejects what Dpkg_Version.t names invalid', () => {
    for (const v of ['', '-0', '0:-0', ':1.0', '1.0-', '10a:5.2', '5.2@3-2', 'foo5.2', '0:foo5.2'])
      expect(dpkg.isValid(v), v).toBe(false);
  });
  it('accepts epochs, colons and hyphens in the upstream part', () => {
    for (const v of ['1.0', '1:1.0', '1:1.0:1.0', '1.0-1', '1.0-1.0-1', ' 2.30-1 ', '2147483647:1'])
      expect(dpkg.isValid(v), v).toBe(true);
    expect(dpkg.isValid('2147483648:1')).toBe(false);
    expect(dpkg.isValid('1.0 1')).toBe(false);
  });
});

describe('dpkg ordering', () => {
  it('sorts ~ before the end of a part and compares numbers of any length', () => {
    expect(dpkg.compare('1.0~rc1', '1.0')).toBe(-1);
    expect(dpkg.compare('1.0~~', '1.0~')).toBe(-1);
    expect(dpkg.compare('1.99999999999999999999999', '1.99999999999999999999998')).toBe(1);
    expect(dpkg.compare('1:1.0', '2.0')).toBe(1);
    expect(dpkg.compare(' 1.0 ', '1.0')).toBe(0);
  });
});
