import type { Event } from '../../../types.js';
import type { Memo } from '../fields/types.js';
import { foldForType } from './fold.js';
import type { Constant, IR } from './ir.js';

/**
 * Tests the rules of one event type against an event, writing the positions of those that
 * match into `hits` from `n` on; returns the new count.
 */
export type Evaluator = (e: Event, m: Memo, hits: Int32Array, n: number) => number;

/** Generated functions above this much source may be too big for V8 to optimize. */
const CHUNK_SOURCE_BUDGET = 12_000;

/**
 * Generates the code that tests `conditions` (in order) on events of `type`: evt.type checks
 * are folded away, logic becomes native `&&`/`||`/`!`, and each getter or test is called from
 * its own call site, so V8 sees monomorphic calls it can inline (a tree of shared closures
 * never gives it that). Macros in `memoized` are evaluated once per event (Memo.remember).
 * Rules are grouped into a few functions of bounded size; `first` stops at the first match.
 */
export function generateEvaluators(
  conditions: readonly IR[],
  type: string,
  memoized: ReadonlyMap<string, number>,
  first: boolean,
): Evaluator[] {
  const evaluators: Evaluator[] = [];
  let constants: unknown[] = [];
  let body = '';
  const constant: Constant = (value) => {
    constants.push(value);
    return `c[${constants.length - 1}]`;
  };
  const flush = () => {
    if (!body) return;
    const factory = new Function(
      'c',
      `"use strict"; return function rules_${identifier(type)}(e, m, h, n) { let v; ${body} return n; };`,
    );
    evaluators.push(factory(constants) as Evaluator);
    constants = [];
    body = '';
  };
  conditions.forEach((ir, index) => {
    const folded = foldForType(ir, type);
    if (folded === false) return;
    const test = folded === true ? 'true' : emit(folded, constant, memoized);
    body += `if (${test}) { h[n++] = ${index};${first ? ' return n;' : ''} }\n`;
    if (body.length > CHUNK_SOURCE_BUDGET) flush();
  });
  flush();
  return evaluators;
}

function identifier(s: string): string {
  return s.replace(/[^a-zA-Z0-9_]/g, '_');
}

function emit(ir: IR, constant: Constant, memoized: ReadonlyMap<string, number>): string {
  switch (ir.kind) {
    case 'and':
    case 'or':
      return `(${ir.children.map((c) => emit(c, constant, memoized)).join(ir.kind === 'and' ? ' && ' : ' || ')})`;
    case 'not':
      return `!${emit(ir.child, constant, memoized)}`;
    case 'check': {
      const test = ir.test.code ? `(${ir.test.code('v', constant)})` : `${constant(ir.test.fn)}(v)`;
      return `((v = ${constant(ir.get)}(e, m)) !== undefined && ${ir.negate ? '!' : ''}${test})`;
    }
    case 'some':
      return `(${constant(ir.some)}(e, m, ${constant(ir.test)}) === ${ir.none ? 'false' : 'true'})`;
    case 'call':
      return `${constant(ir.pred)}(e, m)`;
    case 'macro': {
      const slot = memoized.get(ir.name);
      const body = emit(ir.body, constant, memoized);
      return slot === undefined
        ? body
        : `(m.known(${slot}) ? m.recall(${slot}) : m.remember(${slot}, ${body}))`;
    }
  }
}

/** The macros a condition uses, by name, with their logic. */
export function macrosUsed(ir: IR, into: Map<string, IR> = new Map()): Map<string, IR> {
  switch (ir.kind) {
    case 'and':
    case 'or':
      for (const c of ir.children) macrosUsed(c, into);
      break;
    case 'not':
      macrosUsed(ir.child, into);
      break;
    case 'macro':
      into.set(ir.name, ir.body);
      macrosUsed(ir.body, into);
      break;
  }
  return into;
}
