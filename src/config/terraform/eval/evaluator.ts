import type { EntryLocation } from '../../engine/yaml.js';
import type { Locator } from '../../iac/locator.js';
import { asBool, containsUnknown, deepEqual, isUnknown, UNKNOWN } from '../../iac/unknown.js';
import type { Expr, TemplatePart } from '../hcl/ast.js';
import { FUNCTIONS, MAX_STRING } from './functions.js';

/**
 * Static evaluation of Terraform expressions: literals, `var.x` (tfvars, else the variable's
 * default), `local.x`, operators, conditionals, templates, `for`, splats and the functions in
 * functions.ts. Everything else (resource attributes, data sources, `each`, `count`, module
 * outputs) is UNKNOWN, and so is anything computed from it, except where the result does not
 * depend on it (`false && x`, `[x, "0.0.0.0/0"]` keeps its known element). Objects and lists
 * built from `{...}`/`[...]` remember where their entries were written (`entry`).
 */

export interface EvaluationInputs {
  /** Variable values: from a tfvars file, or the expression of the variable's default. */
  variables: ReadonlyMap<string, { value: unknown } | { expr: Expr }>;
  locals: ReadonlyMap<string, Expr>;
}

/** Expression nodes one top-level evaluation may visit (against files built to explode). */
const MAX_STEPS = 200_000;
const SPLAT_ITEM = '\u0000splat';

class BudgetExceeded extends Error {}

interface Scope {
  readonly names: ReadonlyMap<string, unknown>;
  readonly parent?: Scope;
}

export class Evaluator implements Locator {
  private readonly places = new WeakMap<object, Map<string | number, EntryLocation>>();
  private readonly localValues = new Map<string, unknown>();
  private readonly variableValues = new Map<string, unknown>();
  private readonly inProgress = new Set<string>();
  private steps = 0;

  constructor(private readonly inputs: EvaluationInputs) {}

  evaluate(expr: Expr): unknown {
    this.steps = 0;
    try {
      return this.eval(expr, undefined);
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      this.inProgress.clear();
      return UNKNOWN;
    }
  }

  entry(container: object, key: string | number): EntryLocation | undefined {
    return this.places.get(container)?.get(key);
  }

  private eval(e: Expr, scope: Scope | undefined): unknown {
    if (++this.steps > MAX_STEPS) throw new BudgetExceeded();
    switch (e.type) {
      case 'literal':
        return e.value;
      case 'template':
        return this.template(e.parts, scope);
      case 'variable':
        return lookup(scope, e.name);
      case 'tuple': {
        const out = e.items.map((item) => this.eval(item, scope));
        this.places.set(out, new Map(e.items.map((item, i) => [i, { key: item.range, value: item.range }])));
        return out;
      }
      case 'object':
        return this.object(e, scope);
      case 'call':
        return this.call(e, scope);
      case 'getattr':
        return this.getattr(e, scope);
      case 'index':
        return index(this.eval(e.target, scope), this.eval(e.key, scope));
      case 'splat':
        return this.splat(e, scope);
      case 'splat-item':
        return lookup(scope, SPLAT_ITEM);
      case 'unary':
        return unary(e.op, this.eval(e.operand, scope));
      case 'binary':
        return this.binary(e, scope);
      case 'conditional': {
        const condition = asBool(this.eval(e.condition, scope));
        if (condition === true) return this.eval(e.ifTrue, scope);
        if (condition === false) return this.eval(e.ifFalse, scope);
        const a = this.eval(e.ifTrue, scope);
        const b = this.eval(e.ifFalse, scope);
        return !containsUnknown(a) && deepEqual(a, b) ? a : UNKNOWN;
      }
      case 'for':
        return this.forExpr(e, scope);
    }
  }

  private getattr(e: Expr & { type: 'getattr' }, scope: Scope | undefined): unknown {
    const root = e.target;
    if (root.type === 'variable' && !isBound(scope, root.name)) {
      if (root.name === 'var') return this.variable(e.name);
      if (root.name === 'local') return this.local(e.name);
    }
    const target = this.eval(root, scope);
    if (isPlainObject(target) && Object.hasOwn(target, e.name)) return target[e.name];
    return UNKNOWN;
  }

  private variable(name: string): unknown {
    if (this.variableValues.has(name)) return this.variableValues.get(name);
    const input = this.inputs.variables.get(name);
    const value =
      input === undefined ? UNKNOWN : 'value' in input ? input.value : this.eval(input.expr, undefined);
    this.variableValues.set(name, value);
    return value;
  }

  private local(name: string): unknown {
    if (this.localValues.has(name)) return this.localValues.get(name);
    const expr = this.inputs.locals.get(name);
    if (expr === undefined || this.inProgress.has(name)) return UNKNOWN;
    this.inProgress.add(name);
    const value = this.eval(expr, undefined);
    this.inProgress.delete(name);
    this.localValues.set(name, value);
    return value;
  }

  private template(parts: readonly TemplatePart[], scope: Scope | undefined): unknown {
    if (parts.length === 1 && parts[0]!.type === 'interpolation') return this.eval(parts[0]!.expr, scope);
    let out = '';
    for (const part of parts) {
      const piece = this.templatePart(part, scope);
      if (piece === UNKNOWN) return UNKNOWN;
      out += piece;
      if (out.length > MAX_STRING) return UNKNOWN;
    }
    return out;
  }

  private templatePart(part: TemplatePart, scope: Scope | undefined): string | typeof UNKNOWN {
    switch (part.type) {
      case 'text':
        return part.value;
      case 'interpolation':
        return stringify(this.eval(part.expr, scope));
      case 'if': {
        const condition = asBool(this.eval(part.condition, scope));
        if (condition === UNKNOWN) return UNKNOWN;
        return stringify(this.template(condition ? part.ifTrue : part.ifFalse, scope));
      }
      case 'for': {
        const items = entries(this.eval(part.collection, scope));
        if (items === UNKNOWN) return UNKNOWN;
        let out = '';
        for (const [k, v] of items) {
          const s = stringify(this.template(part.body, bind(scope, part.keyVar, k, part.valueVar, v)));
          if (s === UNKNOWN) return UNKNOWN;
          out += s;
          if (out.length > MAX_STRING) return UNKNOWN;
        }
        return out;
      }
    }
  }

  private object(e: Expr & { type: 'object' }, scope: Scope | undefined): unknown {
    const out = Object.create(null) as Record<string, unknown>;
    const places = new Map<string | number, EntryLocation>();
    for (const item of e.items) {
      const key = keyString(this.eval(item.key, scope));
      if (key === undefined) return UNKNOWN;
      out[key] = this.eval(item.value, scope);
      places.set(key, { key: item.key.range, value: item.value.range });
    }
    this.places.set(out, places);
    return out;
  }

  private call(e: Expr & { type: 'call' }, scope: Scope | undefined): unknown {
    const fn = FUNCTIONS.get(e.name);
    if (!fn) return UNKNOWN;
    const args = e.args.map((a) => this.eval(a, scope));
    if (e.expandFinal) {
      const last = args.pop();
      if (!Array.isArray(last)) return UNKNOWN;
      this.steps += last.length;
      args.push(...last);
    }
    return fn(args);
  }

  private splat(e: Expr & { type: 'splat' }, scope: Scope | undefined): unknown {
    const source = this.eval(e.source, scope);
    if (source === UNKNOWN) return UNKNOWN;
    if (source === null) return [];
    const list = Array.isArray(source) ? source : [source];
    return list.map((item) => this.eval(e.each, { names: new Map([[SPLAT_ITEM, item]]), parent: scope }));
  }

  private binary(e: Expr & { type: 'binary' }, scope: Scope | undefined): unknown {
    const left = this.eval(e.left, scope);
    if (e.op === '&&' || e.op === '||') {
      const l = asBool(left);
      if (l === (e.op === '||')) return l;
      const r = asBool(this.eval(e.right, scope));
      if (r === (e.op === '||')) return r;
      return l === UNKNOWN || r === UNKNOWN ? UNKNOWN : r;
    }
    const right = this.eval(e.right, scope);
    if (containsUnknown(left) || containsUnknown(right)) return UNKNOWN;
    if (e.op === '==') return deepEqual(left, right);
    if (e.op === '!=') return !deepEqual(left, right);
    const a = toNumber(left);
    const b = toNumber(right);
    if (a === undefined || b === undefined) return UNKNOWN;
    switch (e.op) {
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '<=':
        return a <= b;
      case '>=':
        return a >= b;
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? UNKNOWN : a / b;
      case '%':
        return b === 0 ? UNKNOWN : a % b;
    }
  }

  private forExpr(e: Expr & { type: 'for' }, scope: Scope | undefined): unknown {
    const items = entries(this.eval(e.collection, scope));
    if (items === UNKNOWN) return UNKNOWN;
    const list: unknown[] = [];
    const object = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of items) {
      const inner = bind(scope, e.keyVar, k, e.valueVar, v);
      if (e.condition) {
        const keep = asBool(this.eval(e.condition, inner));
        if (keep === UNKNOWN) return UNKNOWN;
        if (!keep) continue;
      }
      const value = this.eval(e.valueExpr, inner);
      if (!e.keyExpr) {
        list.push(value);
        continue;
      }
      const key = keyString(this.eval(e.keyExpr, inner));
      if (key === undefined) return UNKNOWN;
      if (e.grouping) {
        const group = (object[key] as unknown[] | undefined) ?? [];
        group.push(value);
        object[key] = group;
      } else if (Object.hasOwn(object, key)) return UNKNOWN;
      else object[key] = value;
    }
    return e.keyExpr ? object : list;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function lookup(scope: Scope | undefined, name: string): unknown {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return s.names.get(name);
  return UNKNOWN;
}

function isBound(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function bind(
  parent: Scope | undefined,
  keyVar: string | undefined,
  key: unknown,
  valueVar: string,
  value: unknown,
): Scope {
  const names = new Map<string, unknown>();
  if (keyVar !== undefined) names.set(keyVar, key);
  names.set(valueVar, value);
  return { names, ...(parent ? { parent } : {}) };
}

/** Key/value pairs of a collection as `for` iterates it: lists by index, objects by sorted key. */
function entries(collection: unknown): [unknown, unknown][] | typeof UNKNOWN {
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isPlainObject(collection))
    return Object.keys(collection)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => [k, collection[k]]);
  return UNKNOWN;
}

function index(target: unknown, key: unknown): unknown {
  if (Array.isArray(target)) {
    const i = toNumber(key);
    return i !== undefined && Number.isInteger(i) && i >= 0 && i < target.length ? target[i] : UNKNOWN;
  }
  const k = keyString(key);
  if (isPlainObject(target) && k !== undefined && Object.hasOwn(target, k)) return target[k];
  return UNKNOWN;
}

function unary(op: '-' | '!', operand: unknown): unknown {
  if (op === '!') {
    const b = asBool(operand);
    return b === UNKNOWN ? UNKNOWN : !b;
  }
  const n = toNumber(operand);
  return n === undefined ? UNKNOWN : -n;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function keyString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A value interpolated into a string: primitives only (null and collections are errors in Terraform). */
function stringify(v: unknown): string | typeof UNKNOWN {
  if (isUnknown(v)) return UNKNOWN;
  return keyString(v) ?? UNKNOWN;
}
