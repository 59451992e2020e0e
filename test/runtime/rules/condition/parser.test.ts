import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Expr,
  type FieldRef,
  LIST_OPERATORS,
  NUMERIC_OPERATORS,
  type Operand,
  STRING_OPERATORS,
  TRANSFORMERS,
} from '../../../../src/runtime/rules/condition/ast.js';
import { ConditionSyntaxError, parseCondition } from '../../../../src/runtime/rules/condition/parser.js';
import { printCondition } from '../../../../src/runtime/rules/condition/print.js';

/** The tree without offsets, for structural comparison. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'offset')
        .map(([k, v]) => [k, shape(v)]),
    );
  }
  return value;
}

const parse = (text: string) => shape(parseCondition(text));
const f = (name: string, arg?: string) =>
  arg === undefined ? { kind: 'field', name } : { kind: 'field', name, arg };
const v = (value: string) => ({ kind: 'value', value });
const cmp = (operand: unknown, op: string, right: unknown) => ({ kind: 'compare', operand, op, right });

describe('condition parser', () => {
  it('gives and precedence over or, and not over and', () => {
    expect(parse('a or b and not c')).toEqual({
      kind: 'or',
      children: [
        { kind: 'macro', name: 'a' },
        {
          kind: 'and',
          children: [
            { kind: 'macro', name: 'b' },
            { kind: 'not', child: { kind: 'macro', name: 'c' } },
          ],
        },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parse('(a or b) and c')).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            { kind: 'macro', name: 'a' },
            { kind: 'macro', name: 'b' },
          ],
        },
        { kind: 'macro', name: 'c' },
      ],
    });
  });

  it('cancels double negation and accepts not( without a blank', () => {
    expect(parse('not not a')).toEqual({ kind: 'macro', name: 'a' });
    expect(parse('not(a)')).toEqual({ kind: 'not', child: { kind: 'macro', name: 'a' } });
    expect(parse('a and(b)')).toEqual({
      kind: 'and',
      children: [
        { kind: 'macro', name: 'a' },
        { kind: 'macro', name: 'b' },
      ],
    });
  });

  it('reads every comparison operator', () => {
    for (const op of [
      '=',
      '!=',
      'contains',
      'icontains',
      'bcontains',
      'startswith',
      'bstartswith',
      'endswith',
      'glob',
      'iglob',
      'regex',
    ]) {
      expect(parse(`proc.name ${op} x`)).toEqual(cmp(f('proc.name'), op, v('x')));
    }
    expect(parse('proc.name==x')).toEqual(cmp(f('proc.name'), '=', v('x')));
    for (const op of ['<', '<=', '>', '>='])
      expect(parse(`fd.num${op}-1`)).toEqual(cmp(f('fd.num'), op, v('-1')));
    expect(parse('evt.arg.flags > 0x1F')).toEqual(cmp(f('evt.arg.flags'), '>', v('0x1F')));
    expect(parse('proc.pname exists')).toEqual({ kind: 'exists', operand: f('proc.pname') });
  });

  it('reads list values, list names, and the quirks of Falco lists', () => {
    expect(parse('proc.name in (a, "b c", \'d\')')).toEqual(
      cmp(f('proc.name'), 'in', { kind: 'list', values: ['a', 'b c', 'd'] }),
    );
    expect(parse('proc.name in ()')).toEqual(cmp(f('proc.name'), 'in', { kind: 'list', values: [] }));
    expect(parse('proc.name in shell_binaries')).toEqual(cmp(f('proc.name'), 'in', v('shell_binaries')));
    expect(parse('proc.pname in (runc:[0:PARENT], runc)')).toEqual(
      cmp(f('proc.pname'), 'in', { kind: 'list', values: ['runc:[0:PARENT]', 'runc'] }),
    );
    expect(parse('fd.name pmatch (/tmp, /var/*)')).toEqual(
      cmp(f('fd.name'), 'pmatch', { kind: 'list', values: ['/tmp', '/var/*'] }),
    );
    expect(parse('proc.args intersects ("-V", "-l")')).toEqual(
      cmp(f('proc.args'), 'intersects', { kind: 'list', values: ['-V', '-l'] }),
    );
  });

  it('reads field arguments', () => {
    expect(parse('proc.aname[2]=sshd')).toEqual(cmp(f('proc.aname', '2'), '=', v('sshd')));
    expect(parse('proc.env[HOME] = /root')).toEqual(cmp(f('proc.env', 'HOME'), '=', v('/root')));
    expect(parse('container.mount.dest[/proc*] in ("<NA>")')).toEqual(
      cmp(f('container.mount.dest', '/proc*'), 'in', { kind: 'list', values: ['<NA>'] }),
    );
    expect(parse("k8s.pod.label['app name'] = x")).toEqual(cmp(f('k8s.pod.label', 'app name'), '=', v('x')));
  });

  it('reads transformers and val()', () => {
    expect(parse('tolower(proc.name) = bash')).toEqual(
      cmp({ kind: 'transform', fn: 'tolower', operand: f('proc.name') }, '=', v('bash')),
    );
    expect(parse('proc.name = val(proc.pname)')).toEqual(
      cmp(f('proc.name'), '=', { kind: 'val', field: f('proc.pname') }),
    );
    expect(parse('toupper(b64(proc.env)) contains X')).toEqual(
      cmp(
        {
          kind: 'transform',
          fn: 'toupper',
          operand: { kind: 'transform', fn: 'b64', operand: f('proc.env') },
        },
        'contains',
        v('X'),
      ),
    );
    expect(parse('len(proc.args) > 3')).toEqual(
      cmp({ kind: 'transform', fn: 'len', operand: f('proc.args') }, '>', v('3')),
    );
  });

  it('resolves escapes as libsinsp does', () => {
    expect(parse('proc.args contains "\\ "')).toEqual(cmp(f('proc.args'), 'contains', v('\\')));
    expect(parse('proc.args endswith \\')).toEqual(cmp(f('proc.args'), 'endswith', v('\\')));
    expect(parse('fd.name contains "a\\nb\\x41\\"c"')).toEqual(cmp(f('fd.name'), 'contains', v('a\nbA"c')));
    expect(() => parseCondition("fd.name = 'a\\\"b'")).toThrow(/invalid/);
    expect(() => parseCondition('fd.name = "a\\qb"')).toThrow(/unsupported escape/);
  });

  it('reports errors with their position', () => {
    const cases: [string, number, RegExp][] = [
      ['', 0, /empty/],
      ['proc.name', 9, /operator/],
      ['proc.name = ', 12, /string value/],
      ['(a', 2, /'\)'/],
      ['a andb', 5, /blank or '\('/],
      ['a b', 2, /unexpected token/],
      ['fd.num > abc', 9, /number/],
      ['proc.name in (a,', 16, /list value/],
      ['proc.aname[2 = x', 12, /'\]'/],
      ['proc.name = "abc', 12, /unterminated/],
    ];
    for (const [text, offset, message] of cases) {
      try {
        parseCondition(text);
        expect.unreachable(text);
      } catch (err) {
        expect(err, text).toBeInstanceOf(ConditionSyntaxError);
        expect((err as ConditionSyntaxError).offset, text).toBe(offset);
        expect((err as Error).message, text).toMatch(message);
      }
    }
  });

  it('quotes values the lexer would read as blanks', () => {
    const tree = parseCondition('a.b intersects ("\\b")');
    expect(printCondition(tree)).toBe('a.b intersects ("\\b")');
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseCondition(`${'('.repeat(5000)}a${')'.repeat(5000)}`)).toThrow(ConditionSyntaxError);
    expect(parse(`${'('.repeat(30)}a${')'.repeat(30)}`)).toEqual({ kind: 'macro', name: 'a' });
  });
});

// Generators of well-formed trees, shaped as the parser produces them.
const identifier = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,8}$/)
  .filter((s) => !['and', 'or', 'not'].includes(s) && !/^not$/.test(s));
const fieldName = fc
  .array(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,6}$/), { minLength: 2, maxLength: 4 })
  .map((parts) => parts.join('.'));
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "'", '\\', ' ', '(', ')', ',', '=', '\n', '\t', '[', ']', '*', '/'),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  ),
});
const fieldRef: fc.Arbitrary<FieldRef> = fc.record(
  { kind: fc.constant('field' as const), name: fieldName, arg: anyText, offset: fc.constant(0) },
  { requiredKeys: ['kind', 'name', 'offset'] },
);
const operand: fc.Arbitrary<Operand> = fc.letrec<{ operand: Operand }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fieldRef,
    fc.record({
      kind: fc.constant('transform' as const),
      fn: fc.constantFrom(...TRANSFORMERS),
      operand: tie('operand'),
      offset: fc.constant(0),
    }),
  ),
})).operand;
const number = fc.oneof(
  fc.integer().map(String),
  fc.stringMatching(/^0[xX][0-9a-fA-F]{1,8}$/),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => d.toFixed(3)),
);
const val = fieldRef.map((field) => ({ kind: 'val' as const, field, offset: 0 }));
const transformRight = fc.record({
  kind: fc.constant('transform' as const),
  fn: fc.constantFrom(...TRANSFORMERS),
  operand,
  offset: fc.constant(0),
});
const compare = fc.oneof(
  fc.record({
    kind: fc.constant('compare' as const),
    operand,
    op: fc.constantFrom(...STRING_OPERATORS),
    right: fc.oneof(
      anyText.map((value) => ({ kind: 'value' as const, value, offset: 0 })),
      val,
      transformRight,
    ),
    offset: fc.constant(0),
  }),
  fc.record({
    kind: fc.constant('compare' as const),
    operand,
    op: fc.constantFrom(...NUMERIC_OPERATORS),
    right: fc.oneof(
      number.map((value) => ({ kind: 'value' as const, value, offset: 0 })),
      val,
    ),
    offset: fc.constant(0),
  }),
  fc.record({
    kind: fc.constant('compare' as const),
    operand,
    op: fc.constantFrom(...LIST_OPERATORS),
    right: fc.oneof(
      fc.array(anyText, { maxLength: 4 }).map((values) => ({ kind: 'list' as const, values, offset: 0 })),
      identifier.map((value) => ({ kind: 'value' as const, value, offset: 0 })),
      val,
    ),
    offset: fc.constant(0),
  }),
);
const expr: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    compare,
    identifier.map((name) => ({ kind: 'macro' as const, name, offset: 0 })),
    fc.record({ kind: fc.constant('exists' as const), operand, offset: fc.constant(0) }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      children: fc.array(tie('expr'), { minLength: 2, maxLength: 4 }),
      offset: fc.constant(0),
    }),
    fc.record({ kind: fc.constant('not' as const), child: tie('expr'), offset: fc.constant(0) }),
  ),
})).expr;

describe('condition parser properties', () => {
  it('parses printed trees back to the same tree', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        expect(parse(printCondition(tree))).toEqual(shape(tree));
      }),
      { numRuns: 1000 },
    );
  });

  it('parses printed conditions to a fixed point', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const once = printCondition(tree);
        expect(printCondition(parseCondition(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('answers garbage with a syntax error or a tree, never anything else', () => {
    const tokens = fc.constantFrom(
      'and',
      'or',
      'not',
      '(',
      ')',
      'proc.name',
      '=',
      'in',
      'exists',
      'x',
      '"',
      "'",
      ',',
      '[',
      ']',
      ' ',
      'val(',
      'tolower(',
      '0x',
      '-1',
      'pmatch',
      '\\',
    );
    const garbage = fc.oneof(
      fc.string(),
      fc.array(tokens, { maxLength: 30 }).map((t) => t.join('')),
      fc.array(tokens, { maxLength: 30 }).map((t) => t.join(' ')),
    );
    fc.assert(
      fc.property(garbage, (text) => {
        try {
          const tree = parseCondition(text);
          expect(typeof printCondition(tree)).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(ConditionSyntaxError);
          expect((err as ConditionSyntaxError).offset).toBeGreaterThanOrEqual(0);
          expect((err as ConditionSyntaxError).offset).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
