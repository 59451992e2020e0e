import type { Collection, MacroDef } from '../collector.js';
import type { Expr, FieldRef, Operand } from '../condition/ast.js';
import { ConditionSyntaxError, parseCondition, unquote } from '../condition/parser.js';
import { printField, printOperand } from '../condition/print.js';
import type { FieldRegistry } from '../fields/registry.js';
import type { Extractor } from '../fields/types.js';
import type { Problem } from '../problems.js';
import { compareWithField, compareWithValues } from './compare.js';
import { ANY_TYPE, complement, except, intersect, only, type TypeSet, union } from './evttypes.js';
import type { IR } from './ir.js';
import { transform } from './transform.js';

type Location = { file: string; line: number };

/** A compiled piece of condition: its logic, the event types it can match, and whether those are exact. */
interface Node {
  ir: IR;
  types: TypeSet;
  /** The condition is true exactly for the types in `types` (a pure evt.type check). */
  exact: boolean;
}

/** What compiling one rule or macro found. */
class Scope {
  readonly errors: { location: Location; message: string }[] = [];
  /** Unknown fields, each with where it was first used. */
  readonly unknown = new Map<string, Location>();
  readonly fields = new Set<string>();

  constructor(readonly locate: (offset: number) => Location) {}

  error(offset: number, message: string): undefined {
    this.errors.push({ location: this.locate(offset), message });
    return undefined;
  }
}

interface MacroResult {
  node: Node | undefined;
  /** Compiled without errors (unknown fields aside). */
  ok: boolean;
  unknown: Map<string, Location>;
  fields: Set<string>;
}

export interface CompiledCondition {
  ir: IR;
  types: TypeSet;
  fields: string[];
}

export type ConditionOutcome =
  | { ok: true; condition: CompiledCondition }
  | { ok: false; unknown: Map<string, Location>; errors: { location: Location; message: string }[] };

/**
 * Compiler: condition syntax trees → predicates. Macros are compiled once and shared; list
 * names in `in (...)`/`pmatch (...)` expand to their items; cycles are reported, not followed.
 */
export class ConditionCompiler {
  readonly problems: Problem[] = [];
  private readonly macroResults = new Map<string, MacroResult>();
  private readonly macroStack: string[] = [];
  private readonly listItems = new Map<string, string[]>();
  private readonly listStack: string[] = [];

  constructor(
    private readonly collection: Collection,
    private readonly registry: FieldRegistry,
  ) {}

  /** Compiles a condition (plus extra pieces such as exceptions, located apart). */
  compile(
    condition: { text: string; locate: (offset: number) => Location },
    extra: { expr: Expr; location: Location }[] = [],
  ): ConditionOutcome {
    const scope = new Scope(condition.locate);
    let node: Node | undefined;
    try {
      node = this.node(parseCondition(condition.text), scope);
    } catch (err) {
      if (!(err instanceof ConditionSyntaxError)) throw err;
      scope.error(err.offset, `syntax error: ${err.message}`);
    }
    for (const { expr, location } of extra) {
      const local = new Scope(() => location);
      const part = this.node(expr, local);
      scope.errors.push(...local.errors);
      for (const [f, loc] of local.unknown) if (!scope.unknown.has(f)) scope.unknown.set(f, loc);
      for (const f of local.fields) scope.fields.add(f);
      node = node && part ? and([node, part]) : undefined;
    }
    if (!node || scope.errors.length > 0 || scope.unknown.size > 0) {
      return { ok: false, unknown: scope.unknown, errors: scope.errors };
    }
    return { ok: true, condition: { ir: node.ir, types: node.types, fields: [...scope.fields].sort() } };
  }

  /** Compiles the macros no rule used, so their problems show too (as warnings). */
  compileUnusedMacros(): void {
    for (const name of this.collection.macros.keys())
      if (!this.macroResults.has(name)) this.macro(name, false);
  }

  private node(expr: Expr, scope: Scope): Node | undefined {
    switch (expr.kind) {
      case 'and':
      case 'or': {
        const children = expr.children.map((c) => this.node(c, scope));
        if (children.some((c) => c === undefined)) return undefined;
        return expr.kind === 'and' ? and(children as Node[]) : or(children as Node[]);
      }
      case 'not': {
        const child = this.node(expr.child, scope);
        if (!child) return undefined;
        return {
          ir: { kind: 'not', child: child.ir },
          types: child.exact ? complement(child.types) : ANY_TYPE,
          exact: child.exact,
        };
      }
      case 'macro':
        return this.macroReference(expr.name, expr.offset, scope);
      case 'exists': {
        const x = this.operand(expr.operand, scope);
        if (!x) return undefined;
        const ir: IR = x.many
          ? { kind: 'some', some: x.some, test: () => true, none: false }
          : { kind: 'check', get: x.get, test: { fn: () => true, code: () => 'true' }, negate: false };
        return { ir, types: ANY_TYPE, exact: false };
      }
      case 'compare':
        return this.compare(expr, scope);
    }
  }

  private compare(expr: Extract<Expr, { kind: 'compare' }>, scope: Scope): Node | undefined {
    const left = this.operand(expr.operand, scope);
    const right = expr.right;
    let ir: IR | string;
    let values: string[] | undefined;
    if (right.kind === 'value' || right.kind === 'list') {
      const listOp = expr.op === 'in' || expr.op === 'intersects' || expr.op === 'pmatch';
      const written = right.kind === 'list' ? right.values : [right.value];
      values = listOp ? written.flatMap((v) => this.expandListReference(v)) : written;
      if (!left) return undefined;
      ir = compareWithValues(left, expr.op, values, right.kind === 'list');
      if (
        typeof ir !== 'string' &&
        (ir.kind === 'check' || ir.kind === 'some') &&
        expr.operand.kind === 'field'
      )
        ir.source = { field: printField(expr.operand), op: expr.op, values };
    } else {
      const other = right.kind === 'val' ? this.operand(right.field, scope) : this.operand(right, scope);
      if (!left || !other) return undefined;
      ir = compareWithField(left, expr.op, other);
    }
    if (typeof ir === 'string') return scope.error(expr.offset, `${printOperand(expr.operand)}: ${ir}`);
    const { types, exact } = eventTypesOf(expr.operand, expr.op, values);
    return { ir: exact && ir.kind === 'check' ? { ...ir, eventTypes: types } : ir, types, exact };
  }

  private operand(operand: Operand, scope: Scope): Extractor | undefined {
    if (operand.kind === 'transform') {
      const inner = this.operand(operand.operand, scope);
      if (!inner) return undefined;
      const x = transform(operand.fn, inner);
      return typeof x === 'string' ? scope.error(operand.offset, x) : x;
    }
    return this.field(operand, scope);
  }

  private field(ref: FieldRef, scope: Scope): Extractor | undefined {
    const written = printField(ref);
    scope.fields.add(written);
    const x = this.registry.resolve(ref.name, ref.arg);
    if (!('error' in x)) return x;
    if (x.unknown) {
      if (!scope.unknown.has(ref.name)) scope.unknown.set(ref.name, scope.locate(ref.offset));
      return undefined;
    }
    return scope.error(ref.offset, x.error);
  }

  private macroReference(name: string, offset: number, scope: Scope): Node | undefined {
    if (!this.collection.macros.has(name)) return scope.error(offset, `undefined macro '${name}'`);
    if (this.macroStack.includes(name)) {
      const cycle = [...this.macroStack.slice(this.macroStack.indexOf(name)), name].join(' → ');
      return scope.error(offset, `macros refer to each other in a cycle: ${cycle}`);
    }
    const result = this.macro(name, true);
    for (const [f, loc] of result.unknown) if (!scope.unknown.has(f)) scope.unknown.set(f, loc);
    for (const f of result.fields) scope.fields.add(f);
    if (!result.ok) return scope.error(offset, `macro '${name}' does not compile`);
    const node = result.node;
    return node && { ...node, ir: { kind: 'macro', name, body: node.ir } };
  }

  private macro(name: string, used: boolean): MacroResult {
    const known = this.macroResults.get(name);
    if (known) return known;
    const def = this.collection.macros.get(name) as MacroDef;
    const scope = new Scope((offset) => def.condition.locate(offset));
    this.macroStack.push(name);
    let node: Node | undefined;
    try {
      node = this.node(parseCondition(def.condition.text), scope);
    } catch (err) {
      if (!(err instanceof ConditionSyntaxError)) throw err;
      scope.error(err.offset, `syntax error: ${err.message}`);
    } finally {
      this.macroStack.pop();
    }
    const item = { kind: 'macro' as const, name };
    const severity = used ? 'error' : 'warning';
    for (const { location, message } of scope.errors) {
      this.problems.push({
        severity,
        ...location,
        message: used ? message : `${message} (unused macro)`,
        item,
      });
    }
    if (!used) {
      for (const [field, location] of scope.unknown) {
        this.problems.push({
          severity,
          ...location,
          message: `unknown field '${field}' (unused macro)`,
          item,
        });
      }
    }
    const ok = scope.errors.length === 0;
    const result: MacroResult = {
      node: ok && scope.unknown.size === 0 ? node : undefined,
      ok,
      unknown: scope.unknown,
      fields: scope.fields,
    };
    this.macroResults.set(name, result);
    return result;
  }

  /** A value in a list position: a list's items if it names a list, else itself. */
  private expandListReference(value: string): string[] {
    return this.collection.lists.has(value) ? this.list(value) : [value];
  }

  private list(name: string): string[] {
    const known = this.listItems.get(name);
    if (known) return known;
    const def = this.collection.lists.get(name)!;
    if (this.listStack.includes(name)) {
      const cycle = [...this.listStack.slice(this.listStack.indexOf(name)), name].join(' → ');
      this.problems.push({
        severity: 'error',
        file: def.file,
        line: def.line,
        message: `lists refer to each other in a cycle: ${cycle}`,
        item: { kind: 'list', name },
      });
      return [];
    }
    this.listStack.push(name);
    const items: string[] = [];
    for (const item of def.items) {
      if (this.collection.lists.has(item)) items.push(...this.list(item));
      else items.push(unquote(item) ?? item);
    }
    this.listStack.pop();
    this.listItems.set(name, items);
    return items;
  }
}

function and(nodes: Node[]): Node {
  return {
    ir: { kind: 'and', children: nodes.map((n) => n.ir) },
    types: nodes.map((n) => n.types).reduce(intersect),
    exact: nodes.every((n) => n.exact),
  };
}

function or(nodes: Node[]): Node {
  return {
    ir: { kind: 'or', children: nodes.map((n) => n.ir) },
    types: nodes.map((n) => n.types).reduce(union),
    exact: nodes.every((n) => n.exact),
  };
}

/** `evt.type = x`, `evt.type in (...)` and `evt.type != x` pin the event types; nothing else does. */
function eventTypesOf(
  operand: Operand,
  op: string,
  values: string[] | undefined,
): { types: TypeSet; exact: boolean } {
  const isType =
    operand.kind === 'field' &&
    operand.arg === undefined &&
    (operand.name === 'evt.type' || operand.name === 'syscall.type');
  if (!isType || values === undefined) return { types: ANY_TYPE, exact: false };
  if (op === '=' || op === 'in' || op === 'intersects') return { types: only(values), exact: true };
  if (op === '!=') return { types: except(values), exact: true };
  return { types: ANY_TYPE, exact: false };
}
