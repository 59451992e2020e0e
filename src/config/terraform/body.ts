import { isUnknown } from '../iac/unknown.js';
import type { Evaluator } from './eval/evaluator.js';
import type { Attribute, Block, Body, Expr } from './hcl/ast.js';

/** Reading blocks the way Terraform does: attributes by name, nested blocks by type (dynamic ones too). */

export interface Resource {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  block: Block;
}

/** `resource "T" "N"` and `data "T" "N"` blocks. */
export function resourcesOf(blocks: readonly Block[]): Resource[] {
  const out: Resource[] = [];
  for (const b of blocks) {
    if ((b.type === 'resource' || b.type === 'data') && b.labels.length === 2) {
      out.push({
        mode: b.type === 'resource' ? 'managed' : 'data',
        type: b.labels[0]!,
        name: b.labels[1]!,
        block: b,
      });
    }
  }
  return out;
}

export function attribute(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/**
 * Nested blocks of a type, including the content of `dynamic "type"` blocks (unless their
 * for_each is known to be empty). Values inside dynamic content that use the iterator are
 * unknown to the evaluator, as they should be.
 */
export function blocksOf(body: Body, type: string, evaluator: Evaluator): Block[] {
  const out: Block[] = [];
  for (const b of body.blocks) {
    if (b.type === type && b.labels.length === 0) out.push(b);
    else if (b.type === 'dynamic' && b.labels[0] === type) {
      const content = b.body.blocks.find((c) => c.type === 'content');
      const forEach = attribute(b.body, 'for_each');
      if (!content || (forEach && isEmptyCollection(evaluator.evaluate(forEach.expr)))) continue;
      out.push({ type, labels: [], body: content.body, range: b.range });
    }
  }
  return out;
}

/** False for a resource that is known never to exist: `count = 0`, or a `for_each` known to be empty. */
export function mayExist(r: Resource, evaluator: Evaluator): boolean {
  const count = attribute(r.block.body, 'count');
  if (count && evaluator.evaluate(count.expr) === 0) return false;
  const forEach = attribute(r.block.body, 'for_each');
  return !(forEach && isEmptyCollection(evaluator.evaluate(forEach.expr)));
}

function isEmptyCollection(v: unknown): boolean {
  if (isUnknown(v)) return false;
  if (Array.isArray(v)) return v.length === 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

/** `aws_s3_bucket.logs` for an expression that refers to that resource (`aws_s3_bucket.logs.id`, `"${...}"`). */
export function referencedAddress(expr: Expr): string | undefined {
  let e = expr;
  if (e.type === 'template' && e.parts.length === 1 && e.parts[0]!.type === 'interpolation')
    e = e.parts[0]!.expr;
  const steps: string[] = [];
  for (;;) {
    if (e.type === 'getattr') {
      steps.unshift(e.name);
      e = e.target;
    } else if (e.type === 'index' || e.type === 'splat') {
      steps.length = 0;
      e = e.type === 'index' ? e.target : e.source;
    } else break;
  }
  if (e.type !== 'variable' || NOT_RESOURCES.has(e.name)) return undefined;
  return steps.length > 0 ? `${e.name}.${steps[0]}` : undefined;
}

const NOT_RESOURCES = new Set([
  'var',
  'local',
  'data',
  'module',
  'each',
  'count',
  'path',
  'terraform',
  'self',
]);
