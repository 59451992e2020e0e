import { describe, expect, it } from 'vitest';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import { parseYaml } from '../../../src/config/engine/yaml.js';

describe('positioned YAML', () => {
  it('gives the lines of entries, items and whole collections, across documents', () => {
    const text = [
      'a:',
      '  b:',
      '    - x',
      '    - |',
      '      two',
      '      lines',
      '  c: {d: 1}',
      '---',
      '# comment',
      'e: 2',
      '',
    ].join('\n');
    const { documents, locations } = parseYaml(text);
    const [first, second] = documents.map((d) => d.value as Record<string, Record<string, unknown>>);
    const a = first!.a!;
    expect(locations.entry(first!, 'a')).toEqual({
      key: { line: 1, endLine: 1 },
      value: { line: 2, endLine: 7 },
    });
    expect(locations.entry(a.b as object, 1)).toEqual({
      key: { line: 4, endLine: 6 },
      value: { line: 4, endLine: 6 },
    });
    expect(locations.of(a.c as object)).toEqual({ line: 7, endLine: 7 });
    expect(locations.entry(second!, 'e')?.key.line).toBe(10);
    expect(documents.map((d) => [d.index, d.range.line])).toEqual([
      [0, 1],
      [1, 8],
    ]);
  });

  it('resolves aliases to the same object and lets explicit keys win over merged ones', () => {
    const text = [
      'base: &b {x: 1, y: 1}',
      'extra: &e {y: 2, z: 2}',
      'one: *b',
      'two:',
      '  <<: [*b, *e]',
      '  x: 3',
    ].join('\n');
    const { documents, locations } = parseYaml(text);
    const doc = documents[0]!.value as Record<string, Record<string, unknown>>;
    expect(doc.one).toBe(doc.base);
    expect(doc.two).toEqual({ x: 3, y: 1, z: 2 });
    expect(locations.entry(doc.two!, 'x')?.key.line).toBe(6);
    expect(locations.entry(doc.two!, 'y')?.key.line).toBe(1);
    expect(locations.entry(doc.two!, 'z')?.key.line).toBe(2);
  });

  it('keeps keys that name Object.prototype members as plain data', () => {
    const doc = parseYaml('__proto__: {polluted: true}\nconstructor: 1\n').documents[0]!.value as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shares aliased nodes, so a billion-laughs document stays small', () => {
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const doc = parseYaml(levels.join('\n')).documents[0]!.value as Record<string, unknown[]>;
    expect(doc.l9![0]).toBe(doc.l8);
  });

  it('refuses merge chains that would expand past the limit', () => {
    const lines = ['k0: &k0 {a0: 0}'];
    for (let i = 1; i < 2100; i++) lines.push(`k${i}: &k${i} {<<: *k${i - 1}, a${i}: ${i}}`);
    expect(() => parseYaml(lines.join('\n'))).toThrow(/more than 2000000 values/);
  });

  it('reports syntax errors with their line', () => {
    try {
      parseYaml('a: 1\nb: [1,\nc: 2\n');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigParseError);
      expect((err as ConfigParseError).line).toBe(3);
      expect((err as ConfigParseError).message).toMatch(/^invalid YAML: /);
    }
  });

  it('passes custom tags through a caller hook', () => {
    const { documents } = parseYaml('a: !Ref Bucket\nb: !GetAtt [X, Arn]\n', {
      onUnknownTag: (tag, value) => ({ [tag.replace(/^!/, '')]: value }),
    });
    expect(documents[0]!.value).toEqual({ a: { Ref: 'Bucket' }, b: { GetAtt: ['X', 'Arn'] } });
  });
});
