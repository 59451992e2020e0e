import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GoModInfo,
  type GoModule,
  parseModinfo,
  unquoteGo,
} from '../../../../src/inventory/lang/go/modinfo.js';

/** Writes modinfo as Go's debug.BuildInfo.String does (JSON string syntax is what strconv.Quote emits for these). */
function format(info: GoModInfo): string {
  const mod = (kind: string, m: GoModule): string => {
    let s = `${kind}\t${m.path}\t${m.version}${m.sum ? `\t${m.sum}` : ''}\n`;
    if (m.replace) s += mod('=>', m.replace);
    return s;
  };
  let out = info.path ? `path\t${info.path}\n` : '';
  if (info.main) out += mod('mod', info.main);
  for (const d of info.deps) out += mod('dep', d);
  for (const { key, value } of info.settings)
    out += `build\t${key}=${/[\s"`]/.test(value) ? JSON.stringify(value) : value}\n`;
  return out;
}

const word = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9./_~+-]{0,30}$/);
const moduleArb: fc.Arbitrary<GoModule> = fc
  .record(
    { path: word, version: word, sum: fc.option(word, { nil: undefined }) },
    { requiredKeys: ['path', 'version'] },
  )
  .map((m) => (m.sum === undefined ? { path: m.path, version: m.version } : m));
const withReplace = fc
  .tuple(moduleArb, fc.option(moduleArb, { nil: undefined }))
  .map(([m, r]) => (r ? { ...m, replace: r } : m));
const infoArb: fc.Arbitrary<GoModInfo> = fc.record({
  path: word,
  main: withReplace.map((m) => ({ path: m.path, version: m.version })),
  deps: fc.array(withReplace, { maxLength: 8 }),
  settings: fc.array(
    fc.record({
      key: fc.stringMatching(/^-?[A-Za-z][A-Za-z0-9_.]{0,15}$/),
      value: fc.string({ maxLength: 40 }),
    }),
    { maxLength: 6 },
  ),
  malformed: fc.constant(0),
});

describe('modinfo parser', () => {
  it('reads back what Go would write', () => {
    fc.assert(
      fc.property(infoArb, (info) => {
        expect(parseModinfo(format(info))).toEqual(info);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and counts what it cannot read', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const info = parseModinfo(text);
        expect(info.malformed).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
    expect(parseModinfo('mod\ta\tv1\n=>\tb\tv2\n=>\tc\tv3\nnonsense\n').malformed).toBe(2);
  });

  it('reads (devel) and empty replacement versions as (devel)', () => {
    const info = parseModinfo('mod\texample.com/app\t(devel)\t\ndep\tx.io/a\tv1.0.0\n=>\t../a\t(devel)\t\n');
    expect(info.main).toEqual({ path: 'example.com/app', version: '(devel)' });
    expect(info.deps).toEqual([
      { path: 'x.io/a', version: 'v1.0.0', replace: { path: '../a', version: '(devel)' } },
    ]);
  });

  it('unquotes what strconv.Quote writes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        expect(unquoteGo(JSON.stringify(s))).toBe(s);
      }),
    );
    expect(unquoteGo('"\\x41\\u00e9\\U0001F600\\101\\a\\v"')).toBe('A\u00e9\u{1F600}A\x07\v');
    for (const bad of ['"', '"a', 'a"', '"\\q"', '"\\x4"', '"\\uD800"', '"a"b"', '"\\400"'])
      expect(unquoteGo(bad)).toBeUndefined();
  });
});
