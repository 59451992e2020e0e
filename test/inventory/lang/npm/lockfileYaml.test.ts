import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readLockfileYaml, UnsupportedYaml } from '../../../../src/inventory/lang/npm/lockfileYaml.js';

/** The general parser is the oracle: where the fast reader answers, it must answer the same. */
const general = (text: string) =>
  JSON.parse(JSON.stringify(parse(text, { schema: 'failsafe', uniqueKeys: false })));
const fast = (text: string) => JSON.parse(JSON.stringify(readLockfileYaml(text)[0] ?? null));

const leaf = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '1.10',
    'true',
    '~',
    'null',
    '@scope/x@1.0.0(peer@1)',
    'link:../x',
    "it's",
    'a: b',
    '#x',
    '- x',
    '{x}',
    'x\ny\n',
    'x\n\ny',
    '\nlead',
    'trail\n\n',
    'sha512-abc==',
    'https://x/y?a=1#f',
  ),
);
// "__proto__" is left to its own test: the general parser treats it as the prototype.
const key = fc.oneof(
  fc.string({ minLength: 1 }).filter((k) => k !== '__proto__'),
  fc.constantFrom('constructor', '/a/1.0.0', "'q'", '@s/n@1', 'a b', '.'),
);
const document = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  seq: fc.array(tie('node'), { maxLength: 4 }),
})).map;

describe('lockfile YAML reader', () => {
  it('reads what a YAML writer writes exactly as the general parser does, or declines', () => {
    let answered = 0;
    fc.assert(
      fc.property(document, fc.boolean(), (doc, flow) => {
        const text = stringify(doc, { collectionStyle: flow ? 'flow' : 'any', lineWidth: 0 });
        try {
          const result = fast(text);
          answered++;
          expect(result).toEqual(general(text));
        } catch (err) {
          if (!(err instanceof UnsupportedYaml)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(1000);
  });

  it('reads the constructs pnpm and Yarn write', () => {
    const text = `# comment
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
importers:
  .:
    dependencies:
      '@s/a':
        specifier: ^1.0.0
        version: 1.0.0(peer@2.0.0)
packages:
  '@s/a@1.0.0':
    resolution: {integrity: sha512-abc==, tarball: 'https://x/a.tgz'}
    engines: {node: '>=10'}
    cpu: [x64, arm64]
    deprecated: |-
      Use b instead.
      See https://x
    hasBin: true
  "quoted@npm:1": {}
list:
- a
- k: v
  j: w
after: x # trailing comment
---
second: doc
`;
    expect(JSON.parse(JSON.stringify(readLockfileYaml(text)))).toEqual(
      JSON.parse(JSON.stringify(text.split('---\n').map((d) => parse(d, { schema: 'failsafe' })))),
    );
  });

  it('reads empty block scalars', () => {
    expect(JSON.parse(JSON.stringify(readLockfileYaml('a: >-\nb: |+\n\nc: |\n')))).toEqual([
      { a: '', b: '\n', c: '' },
    ]);
  });

  it('treats __proto__ as a plain key', () => {
    const [doc] = readLockfileYaml('__proto__:\n  polluted: yes\n') as [Record<string, unknown>];
    expect(Object.keys(doc)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a: &x 1\nb: *x\n', 1],
    ['a: !tag x\n', 1],
    ['a: b\n   c\n', 2],
    ["a: 'multi\n  line'\n", 1],
    ['a: {b: c,\n  d: e}\n', 1],
    ['%YAML 1.2\n---\na: b\n', 1],
    [`a: ${'['.repeat(100)}${']'.repeat(100)}\n`, 1],
  ])('declines %j at line %i', (text, line) => {
    expect(() => readLockfileYaml(text)).toThrow(UnsupportedYaml);
    try {
      readLockfileYaml(text);
    } catch (err) {
      expect((err as UnsupportedYaml).line).toBe(line);
    }
  });
});
