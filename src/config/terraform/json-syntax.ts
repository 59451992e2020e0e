import { ConfigParseError, type LineRange } from '../engine/check.js';
import { parseJsonWithLines } from '../engine/json.js';
import type { Locator } from '../iac/locator.js';
import type { Block, Body, Expr } from './hcl/ast.js';
import { parseTemplateString } from './hcl/parser.js';

/**
 * Terraform's JSON syntax (`*.tf.json`) as the same blocks the native syntax gives. Block
 * types at the top level take their labels from nested object keys (`resource` two, `variable`
 * one...); strings are templates (`"${var.x}"`). Without provider schemas a property holding
 * objects may be an attribute or nested blocks, so it is offered as both, and each reader asks
 * for what it expects. `"//"` properties are comments.
 */

const TOP_LEVEL_LABELS: Readonly<Record<string, number>> = {
  resource: 2,
  data: 2,
  module: 1,
  variable: 1,
  output: 1,
  provider: 1,
  check: 1,
};
const NESTED_LABELS: Readonly<Record<string, number>> = { dynamic: 1, provisioner: 1 };

export function parseTerraformJson(text: string): Block[] {
  const { value, locations } = parseJsonWithLines(text);
  if (!isObject(value)) throw new ConfigParseError('Terraform JSON must be an object at the top level', 1);
  const reader = new Reader(locations);
  const blocks: Block[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key === '//') continue;
    blocks.push(...reader.blocks(key, v, TOP_LEVEL_LABELS[key] ?? 0, [], reader.range(value, key)));
  }
  return blocks;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

class Reader {
  constructor(private readonly locations: Locator) {}

  range(container: object, key: string | number): LineRange {
    const at = this.locations.entry(container, key);
    return at ? { line: at.key.line, endLine: at.value.endLine } : { line: 1, endLine: 1 };
  }

  private valueRange(container: object, key: string | number): LineRange {
    return this.locations.entry(container, key)?.value ?? { line: 1, endLine: 1 };
  }

  blocks(type: string, value: unknown, labelsLeft: number, labels: string[], range: LineRange): Block[] {
    if (Array.isArray(value))
      return value.flatMap((item, i) =>
        this.blocks(type, item, labelsLeft, labels, this.valueRange(value, i)),
      );
    if (!isObject(value)) return [];
    if (labelsLeft === 0) return [{ type, labels, body: this.body(value), range }];
    return Object.entries(value).flatMap(([label, inner]) =>
      label === '//'
        ? []
        : this.blocks(type, inner, labelsLeft - 1, [...labels, label], this.range(value, label)),
    );
  }

  private body(obj: Record<string, unknown>): Body {
    const body: Body = { attributes: [], blocks: [] };
    for (const [name, v] of Object.entries(obj)) {
      if (name === '//') continue;
      const range = this.range(obj, name);
      body.attributes.push({ name, expr: this.expr(v, this.valueRange(obj, name)), range });
      if (isObject(v) || (Array.isArray(v) && v.length > 0 && v.every(isObject)))
        body.blocks.push(...this.blocks(name, v, NESTED_LABELS[name] ?? 0, [], range));
    }
    return body;
  }

  private expr(v: unknown, range: LineRange): Expr {
    if (typeof v === 'string') return { ...parseTemplateString(v, range.line), range };
    if (Array.isArray(v))
      return { type: 'tuple', items: v.map((item, i) => this.expr(item, this.valueRange(v, i))), range };
    if (isObject(v)) {
      const items = Object.entries(v).map(([k, item]) => ({
        key: { type: 'literal', value: k, range: this.range(v, k) } as Expr,
        value: this.expr(item, this.valueRange(v, k)),
      }));
      return { type: 'object', items, range };
    }
    return { type: 'literal', value: v as number | boolean | null, range };
  }
}
