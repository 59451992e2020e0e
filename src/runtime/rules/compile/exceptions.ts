import type { ExceptionDef } from '../collector.js';
import {
  type BinaryOperator,
  type Expr,
  type FieldRef,
  LIST_OPERATORS,
  NUMERIC_OPERATORS,
  STRING_OPERATORS,
} from '../condition/ast.js';

const OPERATORS = new Set<string>([...STRING_OPERATORS, '==', ...NUMERIC_OPERATORS, ...LIST_OPERATORS]);
const LIST_OPS = new Set<string>(LIST_OPERATORS);
const FIELD = /^([a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+)(?:\[(.+)\])?$/;

/**
 * A rule exception as the condition it stands for: `not ((f1 c1 v1 and f2 c2 v2) or ...)`.
 * Returns undefined when it has no values yet, or an error message.
 */
export function exceptionCondition(ex: ExceptionDef): Expr | undefined | string {
  if (ex.fields === undefined) return `exception '${ex.name}' has no fields`;
  const single = typeof ex.fields === 'string';
  const fields = single ? [ex.fields as string] : (ex.fields as string[]);
  if (fields.length === 0) return `exception '${ex.name}' has an empty list of fields`;
  const comps =
    ex.comps === undefined
      ? fields.map(() => (single ? 'in' : '='))
      : typeof ex.comps === 'string'
        ? [ex.comps]
        : ex.comps;
  if (comps.length !== fields.length) return `exception '${ex.name}': fields and comps differ in length`;
  const refs: FieldRef[] = [];
  for (const f of fields) {
    const m = FIELD.exec(f);
    if (!m) return `exception '${ex.name}': '${f}' is not a field`;
    refs.push(
      m[2] === undefined
        ? { kind: 'field', name: m[1]!, offset: 0 }
        : { kind: 'field', name: m[1]!, arg: m[2], offset: 0 },
    );
  }
  const ops: BinaryOperator[] = [];
  for (const c of comps) {
    if (!OPERATORS.has(c)) return `exception '${ex.name}': '${c}' is not a comparison operator`;
    ops.push(c === '==' ? '=' : (c as BinaryOperator));
  }
  const values = ex.values ?? [];
  if (values.length === 0) return undefined;

  let alternatives: Expr[];
  if (single) {
    if (!LIST_OPS.has(ops[0]!))
      return `exception '${ex.name}': with a single field, comps must be in, pmatch or intersects`;
    const items = values.map(scalar);
    if (items.some((v) => v === undefined)) return `exception '${ex.name}': values must be plain values`;
    alternatives = [
      {
        kind: 'compare',
        operand: refs[0]!,
        op: ops[0]!,
        right: { kind: 'list', values: items as string[], offset: 0 },
        offset: 0,
      },
    ];
  } else {
    alternatives = [];
    for (const tuple of values) {
      if (!Array.isArray(tuple) || tuple.length !== fields.length) {
        return `exception '${ex.name}': each value must be a list of ${fields.length} item(s), one per field`;
      }
      const checks: Expr[] = [];
      for (let i = 0; i < tuple.length; i++) {
        const check = checkFor(refs[i]!, ops[i]!, tuple[i]);
        if (typeof check === 'string') return `exception '${ex.name}': ${check}`;
        checks.push(check);
      }
      alternatives.push(checks.length === 1 ? checks[0]! : { kind: 'and', children: checks, offset: 0 });
    }
  }
  const any: Expr =
    alternatives.length === 1 ? alternatives[0]! : { kind: 'or', children: alternatives, offset: 0 };
  return { kind: 'not', child: any, offset: 0 };
}

function checkFor(operand: FieldRef, op: BinaryOperator, value: unknown): Expr | string {
  if (Array.isArray(value)) {
    if (!LIST_OPS.has(op)) return `operator '${op}' takes one value, not a list`;
    const items = value.map(scalar);
    if (items.some((v) => v === undefined)) return 'list values must be plain values';
    return {
      kind: 'compare',
      operand,
      op,
      right: { kind: 'list', values: items as string[], offset: 0 },
      offset: 0,
    };
  }
  const v = scalar(value);
  if (v === undefined) return 'values must be plain values';
  return { kind: 'compare', operand, op, right: { kind: 'value', value: v, offset: 0 }, offset: 0 };
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
