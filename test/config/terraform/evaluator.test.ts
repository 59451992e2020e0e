// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolation under test is written in plain strings
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../../src/config/iac/unknown.js';
import { Evaluator } from '../../../src/config/terraform/eval/evaluator.js';
import type { Expr } from '../../../src/config/terraform/hcl/ast.js';
import { parseHcl } from '../../../src/config/terraform/hcl/parser.js';

/** Evaluates `x = <expr>` in a module with these variable defaults and locals. */
function evaluate(expr: string, module = ''): unknown {
  const body = parseHcl(`${module}\nx = ${expr}\n`);
  const variables = new Map<string, { expr: Expr }>();
  const locals = new Map<string, Expr>();
  for (const b of body.blocks) {
    const fallback = b.body.attributes.find((a) => a.name === 'default');
    if (b.type === 'variable' && fallback) variables.set(b.labels[0]!, { expr: fallback.expr });
    if (b.type === 'locals') for (const a of b.body.attributes) locals.set(a.name, a.expr);
  }
  const x = body.attributes.find((a) => a.name === 'x')!;
  return new Evaluator({ variables, locals }).evaluate(x.expr);
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('Terraform evaluation', () => {
  it('evaluates literals, operators, conditionals and templates', () => {
    expect(evaluate('1 + 2 * 3')).toBe(7);
    expect(evaluate('"10" + 5')).toBe(15);
    expect(evaluate('!true || 3 >= 3')).toBe(true);
    expect(evaluate('[1, "a"] == [1, "a"]')).toBe(true);
    expect(evaluate('1 == "1"')).toBe(false);
    expect(evaluate('true ? "a" : "b"')).toBe('a');
    expect(evaluate('"n=${1 + 1}, %{ if false }no%{ else }yes%{ endif }"')).toBe('n=2, yes');
    expect(evaluate('"%{ for k, v in { b = 2, a = 1 } }${k}${v};%{ endfor }"')).toBe('a1;b2;');
    expect(evaluate('"${true}"')).toBe(true);
    expect(evaluate('1 / 0')).toBe(UNKNOWN);
  });

  it('reads variables (defaults), locals, and keeps what it cannot know unknown', () => {
    const module = [
      'variable "cidr" {',
      '  default = "0.0.0.0/0"',
      '}',
      'variable "no_default" {}',
      'locals {',
      '  cidrs = [var.cidr, var.no_default]',
      '  name  = "${local.prefix}-app"',
      '  prefix = "acme"',
      '  loop  = local.loop',
      '}',
    ].join('\n');
    expect(evaluate('var.cidr', module)).toBe('0.0.0.0/0');
    expect(evaluate('var.no_default', module)).toBe(UNKNOWN);
    expect(evaluate('local.cidrs', module)).toEqual(['0.0.0.0/0', UNKNOWN]);
    expect(evaluate('local.name', module)).toBe('acme-app');
    expect(evaluate('local.loop', module)).toBe(UNKNOWN);
    expect(evaluate('"${var.no_default}-x"', module)).toBe(UNKNOWN);
    expect(evaluate('aws_s3_bucket.b.id')).toBe(UNKNOWN);
    expect(evaluate('each.value')).toBe(UNKNOWN);
    expect(evaluate('var.no_default ? "a" : "a"', module)).toBe('a');
    expect(evaluate('var.no_default ? "a" : "b"', module)).toBe(UNKNOWN);
    expect(evaluate('false && var.no_default', module)).toBe(false);
    expect(evaluate('var.no_default || true', module)).toBe(true);
    expect(evaluate('var.no_default && true', module)).toBe(UNKNOWN);
  });

  it('evaluates for expressions, splats, indexes and the known functions', () => {
    expect(evaluate('[for i, v in ["a", "b", "c"] : upper(v) if i != 1]')).toEqual(['A', 'C']);
    expect(plain(evaluate('{ for v in ["a", "b", "a"] : v => v... }'))).toEqual({ a: ['a', 'a'], b: ['b'] });
    expect(evaluate('{ for v in ["a", "a"] : v => 1 }')).toBe(UNKNOWN);
    expect(evaluate('[{ id = 1 }, { id = 2 }][*].id')).toEqual([1, 2]);
    expect(evaluate('{ id = 3 }.*.id')).toEqual([3]);
    expect(evaluate('null[*]')).toEqual([]);
    expect(evaluate('["a", "b"][1]')).toBe('b');
    expect(evaluate('["a", "b"].0')).toBe('a');
    expect(evaluate('["a"][5]')).toBe(UNKNOWN);
    expect(evaluate('jsonencode({ Statement = [{ Action = "*" }] })')).toBe('{"Statement":[{"Action":"*"}]}');
    expect(plain(evaluate('jsondecode("{\\"a\\": [1]}")'))).toEqual({ a: [1] });
    expect(evaluate('concat(["a"], [var.x])')).toEqual(['a', UNKNOWN]);
    expect(plain(evaluate('merge({ a = 1 }, { b = 2 }, null)'))).toEqual({ a: 1, b: 2 });
    expect(evaluate('lookup({ a = 1 }, "b", 0)')).toBe(0);
    expect(evaluate('format("%s:%d %%", "port", 22)')).toBe('port:22 %');
    expect(evaluate('join(",", flatten([["a"], ["b", ["c"]]]))')).toBe('a,b,c');
    expect(evaluate('element(["a", "b"], 3)')).toBe('b');
    expect(evaluate('coalesce("", null, "x")')).toBe('x');
    expect(evaluate('tostring(22)')).toBe('22');
    expect(evaluate('keys({ b = 1, a = 2 })')).toEqual(['a', 'b']);
    expect(evaluate('concat(["a"], var.x...)')).toBe(UNKNOWN);
    expect(evaluate('cidrsubnet("10.0.0.0/8", 8, 1)')).toBe(UNKNOWN);
    expect(evaluate('lower(var.x)')).toBe(UNKNOWN);
  });

  it('gives up (UNKNOWN) rather than exploding on hostile files', () => {
    const doubling = [
      'locals {',
      '  l0 = ["x", "x"]',
      ...Array.from({ length: 40 }, (_, i) => `  l${i + 1} = [local.l${i}, local.l${i}]`),
      '}',
    ].join('\n');
    const started = performance.now();
    expect(evaluate('jsonencode(local.l40)', doubling)).toBe(UNKNOWN);
    expect(evaluate('length(flatten(local.l40))', doubling)).toBe(UNKNOWN);
    const hundred = `locals {\n  big = [${Array.from({ length: 100 }, (_, i) => i).join(', ')}]\n}`;
    expect(evaluate('[for a in local.big : [for b in local.big : [for c in local.big : c]]]', hundred)).toBe(
      UNKNOWN,
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('never throws on any expression that parses', () => {
    const atoms = ['1', '"a"', 'true', 'null', 'var.x', 'local.y', '[1, 2]', '{ a = 1 }', 'x', '"${1}"'];
    const ops = ['+', '-', '*', '/', '%', '==', '!=', '<', '&&', '||'];
    const calls = [
      ...[
        'tostring',
        'jsonencode',
        'concat',
        'merge',
        'lookup',
        'element',
        'format',
        'join',
        'split',
        'keys',
        'length',
        'flatten',
        'coalesce',
      ].map((f) => `${f}(`),
      '[',
    ];
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(...atoms),
        fc.tuple(tie('e'), fc.constantFrom(...ops), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
        fc
          .tuple(fc.constantFrom(...calls), fc.array(tie('e'), { maxLength: 3 }))
          .map(([f, args]) => (f === '[' ? `[${args.join(', ')}]` : `${f}${args.join(', ')})`)),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
        tie('e').map((e) => `[for v in ${e} : v]`),
        tie('e').map((e) => `${e}[*]`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (text) => {
        evaluate(text, 'locals {\n  y = [1, "b"]\n}');
      }),
      { numRuns: 1500 },
    );
  });
});
