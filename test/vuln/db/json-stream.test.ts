import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonItem, JsonSyntaxError, streamJsonValues } from '../../../src/vuln/db/json-stream.js';

async function collect(
  chunks: (string | Uint8Array)[],
  depth: number,
  maxValueChars?: number,
): Promise<JsonItem[]> {
  const out: JsonItem[] = [];
  for await (const item of streamJsonValues(
    (async function* () {
      yield* chunks;
    })(),
    { depth, maxValueChars },
  ))
    out.push(item);
  return out;
}

/** Splits text at the given cut points (fractions of its length). */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * text.length)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(text.slice(last, p));
    last = p;
  }
  parts.push(text.slice(last));
  return parts;
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

describe('streaming JSON parser', () => {
  it('yields the whole document at depth 0, equal to JSON.parse, however the text is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.boolean(), cuts, async (value, pretty, at) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const items = await collect(split(text, at), 0);
        expect(items).toEqual([{ path: [], value: JSON.parse(text) }]);
      }),
    );
  });

  it('yields each member at depth 1 with its key or index', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue())),
        cuts,
        async (doc, at) => {
          const text = JSON.stringify(doc);
          const expected = Object.entries(JSON.parse(text) as object).map(([k, v]) => ({
            path: [Array.isArray(doc) ? Number(k) : k],
            value: v,
          }));
          expect(await collect(split(text, at), 1)).toEqual(expected);
        },
      ),
    );
  });

  it('accepts exactly what JSON.parse accepts (mutated documents)', async () => {
    const alphabet = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'u',
      '0',
      '1',
      '-',
      '.',
      'e',
      't',
      'n',
      ' ',
      '\u0001',
      'x',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.option(alphabet)), { maxLength: 3 }),
        cuts,
        async (value, edits, at) => {
          let text = JSON.stringify(value);
          for (const [where, ch] of edits) {
            const i = Math.floor(where * text.length);
            text = text.slice(0, i) + (ch ?? '') + text.slice(i + 1);
          }
          let expected: unknown;
          let valid = true;
          try {
            expected = JSON.parse(text);
          } catch {
            valid = false;
          }
          if (valid) expect(await collect(split(text, at), 0)).toEqual([{ path: [], value: expected }]);
          else await expect(collect(split(text, at), 0)).rejects.toThrow(JsonSyntaxError);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('waits for the rest of a number cut after its exponent marker or point', async () => {
    expect(await collect(['[5e', '-324, 1.', '5]'], 0)).toEqual([{ path: [], value: [5e-324, 1.5] }]);
  });

  it('decodes UTF-8 split inside a multi-byte character', async () => {
    const bytes = Buffer.from(JSON.stringify({ name: 'naïve ☃ 𝄞' }));
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    expect(await collect(chunks, 0)).toEqual([{ path: [], value: { name: 'naïve ☃ 𝄞' } }]);
  });

  it('keeps "__proto__" an own property, as JSON.parse does', async () => {
    const [item] = await collect(['{"__proto__": {"polluted": true}}'], 0);
    expect(Object.getPrototypeOf(item?.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(item?.value).toEqual(JSON.parse('{"__proto__": {"polluted": true}}'));
  });

  it('emits the values of a two-level feed with their paths, and scalars above them', async () => {
    const text = '{"version": "v3.20", "packages": [{"a": 1}, {"b": [2]}], "zlib": {"CVE-1": {"x": null}}}';
    expect(await collect(split(text, [0.3, 0.6]), 2)).toEqual([
      { path: ['version'], value: 'v3.20' },
      { path: ['packages', 0], value: { a: 1 } },
      { path: ['packages', 1], value: { b: [2] } },
      { path: ['zlib', 'CVE-1'], value: { x: null } },
    ]);
  });

  it.each([
    ['{"a": 1', 'unexpected end of input'],
    ['{"a": "b', 'unterminated string'],
    ['[1, 2,]', "unexpected ']' at character 6"],
    ['{"a" 1}', "unexpected '1' at character 5"],
    ['01', "unexpected '1' at character 1"],
    ['"a\u0001"', 'control character in string at character 2'],
    ['[1] [2]', "unexpected '[' at character 4"],
  ])('reports %j as a syntax error naming the place', async (text, message) => {
    await expect(collect([text], 0)).rejects.toThrow(message);
  });

  it('refuses a value bigger than the limit instead of buffering it', async () => {
    const big = `[${'"xxxxxxxxxx",'.repeat(1000)}"end"]`;
    await expect(collect(split(big, [0.25, 0.5, 0.75]), 0, 4096)).rejects.toThrow(
      /longer than 4096 characters/,
    );
    expect(await collect(split(big, [0.5]), 1, 4096)).toHaveLength(1001);
  });

  it('refuses absurd nesting', async () => {
    await expect(collect(['['.repeat(10_000)], 0)).rejects.toThrow(/nesting deeper than 512/);
  });
});
