// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL template syntax under test is written in plain strings
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import type { Expr, TemplatePart } from '../../../src/config/terraform/hcl/ast.js';
import { parseHcl, parseTemplateString } from '../../../src/config/terraform/hcl/parser.js';
import { printExpr } from './hcl-print.js';

const hcl = (...l: string[]): string => `${l.join('\n')}\n`;

/** The expression of `x = <text>`. */
function expr(text: string): Expr {
  const body = parseHcl(`x = ${text}\n`);
  return body.attributes[0]!.expr;
}

/** The tree without line ranges, adjacent text parts merged, empty ones dropped. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return mergeTexts(value.map(shape));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'range' || k === 'heredocBodyLine') continue;
    out[k] = shape(v);
  }
  return out;
}

function mergeTexts(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const t = item as { type?: string; value?: unknown };
    if (t?.type === 'text') {
      if (t.value === '') continue;
      const last = out[out.length - 1] as { type?: string; value?: string } | undefined;
      if (last?.type === 'text') {
        out[out.length - 1] = { type: 'text', value: last.value + String(t.value) };
        continue;
      }
    }
    out.push(item);
  }
  return out;
}

function parseError(text: string): { message: string; line?: number } {
  try {
    parseHcl(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigParseError);
    return { message: (err as ConfigParseError).message, line: (err as ConfigParseError).line };
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`);
}

describe('HCL structure', () => {
  it('reads blocks with labels, nested and one-line blocks, attributes and their lines', () => {
    const body = parseHcl(
      hcl(
        '# a comment',
        'resource "aws_security_group" web {',
        '  name = "web" // trailing comment',
        '  /* a',
        '     block comment */',
        '  ingress {',
        '    from_port = 22',
        '  }',
        '  lifecycle { ignore_changes = [tags] }',
        '  empty {}',
        '}',
        'locals {',
        '  list = [',
        '    1,',
        '    2,',
        '  ]',
        '}',
      ),
    );
    const [resource, locals] = body.blocks;
    expect([resource!.type, resource!.labels, resource!.range]).toEqual([
      'resource',
      ['aws_security_group', 'web'],
      { line: 2, endLine: 11 },
    ]);
    expect(resource!.body.attributes.map((a) => [a.name, a.range.line])).toEqual([['name', 3]]);
    expect(resource!.body.blocks.map((b) => [b.type, b.range.line, b.range.endLine])).toEqual([
      ['ingress', 6, 8],
      ['lifecycle', 9, 9],
      ['empty', 10, 10],
    ]);
    expect(locals!.body.attributes[0]!.range).toEqual({ line: 13, endLine: 16 });
  });

  it('accepts CRLF line ends and a file without a final newline', () => {
    const body = parseHcl('a = 1\r\nb {\r\n  c = "x"\r\n}');
    expect(body.attributes.map((a) => a.name)).toEqual(['a']);
    expect(body.blocks[0]!.body.attributes[0]!.range.line).toBe(3);
  });

  it('reports malformed files with the line of the problem', () => {
    expect(parseError(hcl('a = 1', 'resource "x" "y" {', '  b = [1,', '}'))).toEqual({
      message: "invalid HCL: expected an expression, found '}'",
      line: 4,
    });
    expect(parseError(hcl('a = 1', 'b = "open', 'c = 2')).line).toBe(2);
    expect(parseError(hcl('a = 1', 'a = 2'))).toEqual({
      message: 'invalid HCL: attribute "a" is already defined on line 1',
      line: 2,
    });
    expect(parseError(hcl('x {', '  a = 1')).line).toBe(1);
    expect(parseError(hcl('a = <<EOT', 'text')).message).toMatch(/no closing EOT/);
    expect(parseError(hcl('a = 1 b = 2')).line).toBe(1);
    expect(parseError(hcl('', '', 'a = "${x"', '')).line).toBe(3);
    expect(parseError(hcl('a = "bad \\q escape"')).message).toMatch(/invalid escape/);
    expect(parseError(hcl('a = 1', '/* never closed')).line).toBe(2);
    expect(parseError(hcl('b "${x}" {}')).message).toMatch(/label/);
    expect(parseError(hcl('a = [for x in y : x if]')).line).toBe(1);
    expect(parseError(`a = ${'['.repeat(5000)}`).message).toMatch(/nesting deeper/);
  });
});

describe('HCL expressions', () => {
  it('applies operator precedence and left associativity', () => {
    expect(printExpr(expr('a || b && c == d + e * f'))).toBe('a || (b && (c == (d + (e * f))))');
    expect(printExpr(expr('a - b - c'))).toBe('(a - b) - c');
    expect(printExpr(expr('x / y * z % w'))).toBe('((x / y) * z) % w');
    expect(printExpr(expr('!a == -b'))).toBe('(!a) == (-b)');
    expect(printExpr(expr('a < b == c >= d'))).toBe('(a < b) == (c >= d)');
    expect(printExpr(expr('(a + b) * c'))).toBe('(a + b) * c');
    expect(printExpr(expr('a ? b : c ? d : e'))).toBe('a ? b : (c ? d : e)');
    expect(printExpr(expr('a == 1 ? "x" : "y"'))).toBe('(a == 1) ? "x" : "y"');
  });

  it('reads traversals, legacy indexes, both splats and calls', () => {
    expect(shape(expr('var.list[0].name'))).toEqual(shape(expr('var.list.0.name')));
    const full = expr('aws_instance.web[*].tags["Name"]') as Extract<Expr, { type: 'splat' }>;
    expect([full.type, full.full, printExpr(full.each)]).toEqual(['splat', true, '.tags["Name"]']);
    const attr = expr('aws_instance.web.*.id[0]') as Extract<Expr, { type: 'index' }>;
    expect([attr.type, attr.target.type]).toEqual(['index', 'splat']);
    expect(printExpr(expr('concat(a, [b], c...)'))).toBe('concat(a, [b], c...)');
    expect(printExpr(expr('f(\n  1,\n  2,\n)'))).toBe('f(1, 2)');
    expect(printExpr(expr('a-b - c'))).toBe('a-b - c');
  });

  it('reads tuples, objects (newline or comma separated, identifier and expression keys) and for expressions', () => {
    expect(printExpr(expr('[\n  1,\n  "two",\n  [true, null],\n]'))).toBe('[1, "two", [true, null]]');
    const obj = expr(['{', '  a = 1, b : 2', '  "c" = 3', '  (d) = 4', '  e.f = 5', '}'].join('\n'));
    expect(printExpr(obj)).toBe('{ a = 1, b = 2, ("c") = 3, (d) = 4, (e.f) = 5 }');
    expect(printExpr(expr('[for i, v in var.l : upper(v) if v != ""]'))).toBe(
      '[for i, v in var.l : upper(v) if (v != "")]',
    );
    expect(printExpr(expr('{\n  for k, v in var.m :\n  k => v...\n}'))).toBe(
      '{for k, v in var.m : k => v...}',
    );
    expect(() => expr('[for, a]')).toThrow(ConfigParseError);
    expect(() => expr('{ a = 1 +\n 2 }')).toThrow(ConfigParseError);
  });

  it('decodes quoted templates: escapes, interpolation, directives and strip markers', () => {
    expect(shape(expr('"a\\tb\\n\\"\\\\ \\u00e9 \\U0001F600"'))).toEqual({
      type: 'template',
      parts: [{ type: 'text', value: 'a\tb\n"\\ é 😀' }],
    });
    expect(shape(expr('"$${x} %%{y} $$ 100%"'))).toEqual({
      type: 'template',
      parts: [{ type: 'text', value: '${x} %{y} $$ 100%' }],
    });
    expect(printExpr(expr('"hi ${var.name}!"'))).toBe('"hi ${var.name}!"');
    expect(printExpr(expr('"%{ if a }yes%{ else }no%{ endif }"'))).toBe(
      '"%{ if a }yes%{ else }no%{ endif }"',
    );
    expect(printExpr(expr('"%{ for k, v in m }${k}=${v},%{ endfor }"'))).toBe(
      '"%{ for k, v in m }${k}=${v},%{ endfor }"',
    );
    expect(shape(expr('"hello ${~ "world" ~}  !"'))).toEqual(shape(expr('"hello${"world"}!"')));
    expect(printExpr(expr('"${ "nested ${ "deep" }" }"'))).toBe('"${"nested ${"deep"}"}"');
  });

  it('reads heredocs, removing the common indentation of <<- ones', () => {
    const body = parseHcl(
      hcl(
        'plain = <<EOT',
        '  keep',
        '    this',
        'EOT',
        'indented = <<-EOT',
        '    {',
        '',
        '      "a": "${var.x}"',
        '    }',
        '    EOT',
        'after = 1',
      ),
    );
    const [plain, indented, after] = body.attributes;
    expect(shape(plain!.expr)).toEqual({
      type: 'template',
      parts: [{ type: 'text', value: '  keep\n    this\n' }],
    });
    expect(printExpr(indented!.expr)).toBe('"{\\n\\n  \\"a\\": \\"${var.x}\\"\\n}\\n"');
    expect([indented!.range, (indented!.expr as { heredocBodyLine?: number }).heredocBodyLine]).toEqual([
      { line: 5, endLine: 10 },
      6,
    ]);
    expect(after!.range.line).toBe(11);
  });

  it('reads a string of the JSON syntax as a template on one line', () => {
    const t = parseTemplateString('arn:${var.partition}:s3:::${\nlocal.name}\n', 7);
    expect(printExpr(t)).toBe('"arn:${var.partition}:s3:::${local.name}\\n"');
    expect(t.parts.every((p) => p.range.line === 7)).toBe(true);
  });
});

// ---- properties

const NAMES = ['a', 'b1', 'foo_bar', 'x-y', 'é', '_u', 'var', 'local'] as const;
const name = fc.constantFrom(...NAMES);
const text = fc
  .string({
    unit: fc.constantFrom('a', ' ', '$', '%', '{', '}', '"', '\\', '\n', '\t', 'é', '~', '\u0001'),
    maxLength: 8,
  })
  .filter((s) => s !== '' && !/[$%]$/.test(s));

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr; part: TemplatePart }>((tie) => {
  const r = { line: 1, endLine: 1 };
  const e = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc
        .oneof(
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.double({ min: 0, max: 1e300, noNaN: true }),
          fc.boolean(),
          fc.constant(null),
        )
        .map((value) => ({ type: 'literal', value, range: r }) as Expr),
      name.map((n) => ({ type: 'variable', name: n, range: r }) as Expr),
      fc.array(tie('part'), { maxLength: 4 }).map((parts) => ({ type: 'template', parts, range: r }) as Expr),
      fc.array(e, { maxLength: 3 }).map((items) => ({ type: 'tuple', items, range: r }) as Expr),
      fc
        .array(
          fc.record({
            key: fc.oneof(
              name.map((n) => ({ type: 'literal', value: n, range: r }) as Expr),
              e,
            ),
            value: e,
          }),
          {
            maxLength: 3,
          },
        )
        .map((items) => ({ type: 'object', items, range: r }) as Expr),
      fc
        .record({ name, args: fc.array(e, { maxLength: 3 }), expandFinal: fc.boolean() })
        .map(
          ({ name, args, expandFinal }) =>
            ({ type: 'call', name, args, expandFinal: expandFinal && args.length > 0, range: r }) as Expr,
        ),
      fc
        .record({ target: e, name })
        .map(({ target, name }) => ({ type: 'getattr', target, name, range: r }) as Expr),
      fc
        .record({ target: e, key: e })
        .map(({ target, key }) => ({ type: 'index', target, key, range: r }) as Expr),
      fc
        .record({
          source: e,
          names: fc.array(name, { maxLength: 2 }),
          full: fc.boolean(),
          index: fc.option(e),
        })
        .map(({ source, names, full, index }) => {
          let each: Expr = { type: 'splat-item', range: r };
          for (const n of names) each = { type: 'getattr', target: each, name: n, range: r };
          if (full && index) each = { type: 'index', target: each, key: index, range: r };
          return { type: 'splat', source, each, full, range: r } as Expr;
        }),
      fc
        .record({ op: fc.constantFrom('-', '!'), operand: e })
        .map((u) => ({ type: 'unary', ...u, range: r }) as Expr),
      fc
        .record({
          op: fc.constantFrom('||', '&&', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%'),
          left: e,
          right: e,
        })
        .map((b) => ({ type: 'binary', ...b, range: r }) as Expr),
      fc
        .record({ condition: e, ifTrue: e, ifFalse: e })
        .map((c) => ({ type: 'conditional', ...c, range: r }) as Expr),
      fc
        .record({
          keyVar: fc.option(name, { nil: undefined }),
          valueVar: name,
          collection: e,
          keyExpr: fc.option(e, { nil: undefined }),
          valueExpr: e,
          grouping: fc.boolean(),
          condition: fc.option(e, { nil: undefined }),
        })
        .map((f) => {
          const node: Record<string, unknown> = {
            type: 'for',
            valueVar: f.valueVar,
            collection: f.collection,
          };
          if (f.keyVar !== undefined) node.keyVar = f.keyVar;
          if (f.keyExpr) node.keyExpr = f.keyExpr;
          node.valueExpr = f.valueExpr;
          node.grouping = f.grouping && f.keyExpr !== undefined;
          if (f.condition) node.condition = f.condition;
          node.range = r;
          return node as unknown as Expr;
        }),
    ),
    part: fc.oneof(
      { depthSize: 'small' },
      text.map((value) => ({ type: 'text', value, range: r }) as TemplatePart),
      e.map((x) => ({ type: 'interpolation', expr: x, range: r }) as TemplatePart),
      fc
        .record({
          condition: e,
          ifTrue: fc.array(tie('part'), { maxLength: 2 }),
          ifFalse: fc.array(tie('part'), { maxLength: 2 }),
        })
        .map((p) => ({ type: 'if', ...p, range: r }) as TemplatePart),
      fc
        .record({
          keyVar: fc.option(name, { nil: undefined }),
          valueVar: name,
          collection: e,
          body: fc.array(tie('part'), { maxLength: 2 }),
        })
        .map(
          ({ keyVar, ...p }) =>
            ({ type: 'for', ...(keyVar !== undefined ? { keyVar } : {}), ...p, range: r }) as TemplatePart,
        ),
    ),
  };
}).expr;

const SAMPLE = hcl(
  'variable "cidr" {',
  '  default = "0.0.0.0/0"',
  '}',
  'resource "aws_security_group" "x" {',
  '  ingress {',
  '    cidr_blocks = [var.cidr, "${local.a}/32"]',
  '    from_port   = 22 # ssh',
  '  }',
  '  tags = { for k, v in var.t : k => upper(v) if v != "" }',
  '  policy = <<-EOT',
  '    {"a": "%{ if x }y%{ endif }"}',
  '    EOT',
  '  count = var.on ? 1 : 0',
  '  ids = aws_instance.w[*].id',
  '}',
);
const FRAGMENTS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  '${',
  '%{',
  '~}',
  '<<EOT\n',
  '<<-X\n',
  'EOT',
  '\n',
  '=',
  '.',
  '*',
  '...',
  '#',
  '/*',
  '*/',
  '\\',
  'for',
  'if',
  ' in ',
  ':',
  '=>',
  '?',
  ',',
  '~',
  'é',
  '\u0000',
  '1e',
  '0.',
  '.0',
];

function mutate(base: string, edits: { at: number; cut: number; insert: string }[]): string {
  let s = base;
  for (const { at, cut, insert } of edits) {
    const i = at % (s.length + 1);
    s = s.slice(0, i) + insert + s.slice(i + cut);
  }
  return s;
}

function parsesOrFailsCleanly(input: string): void {
  const lines = input.split('\n').length;
  try {
    parseHcl(input);
  } catch (err) {
    if (!(err instanceof ConfigParseError)) throw err;
    expect(err.line).toBeGreaterThanOrEqual(1);
    expect(err.line).toBeLessThanOrEqual(lines + 1);
  }
}

describe('HCL parser properties', () => {
  it('printed expressions parse back to the same tree', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const printed = printExpr(e);
        expect(shape(expr(printed))).toEqual(shape(e));
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary text either parses or fails with a ConfigParseError and a line', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesOrFailsCleanly), { numRuns: 2000 });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS, 'a', 'b = ', '1', '"x"'), { maxLength: 40 }),
        (parts) => parsesOrFailsCleanly(parts.join('')),
      ),
      { numRuns: 2000 },
    );
  });

  it('mutated Terraform either parses or fails with a ConfigParseError and a line, quickly', () => {
    const edit = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 6 }),
      insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const started = performance.now();
        parsesOrFailsCleanly(mutate(SAMPLE, edits));
        expect(performance.now() - started).toBeLessThan(500);
      }),
      { numRuns: 3000 },
    );
  });

  it('stays linear on large and deeply nested inputs', () => {
    const big = Array.from(
      { length: 5000 },
      (_, i) => `a${i} = [${i}, "${'x'.repeat(20)}", { k = v${i} }]`,
    ).join('\n');
    let started = performance.now();
    expect(parseHcl(big).attributes).toHaveLength(5000);
    expect(performance.now() - started).toBeLessThan(3000);
    started = performance.now();
    for (const deep of [
      '('.repeat(150_000),
      '!'.repeat(150_000),
      `x = ${'"${'.repeat(50_000)}`,
      `x = ${'a.'.repeat(100_000)}b`,
    ]) {
      parsesOrFailsCleanly(deep);
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
