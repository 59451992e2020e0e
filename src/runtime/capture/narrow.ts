import { includesType } from '../rules/compile/evttypes.js';
import { foldForType } from '../rules/compile/fold.js';
import type { IR } from '../rules/compile/ir.js';
import { resultName } from '../rules/fields/errno.js';
import { hasGlobMagic } from '../rules/glob.js';
import type { CompiledRule } from '../rules/ruleset.js';

/**
 * Which events of a type the loaded rules can match, as a formula the kernel can test before
 * an event is ever printed. It is derived from the rules' conditions by over-approximation:
 * a comparison the kernel can make (result, open mode, path, socket family) stays; anything
 * else counts as "could be true". So the formula is true for every event some rule matches,
 * and dropping the events it is false for never loses an alert.
 */

export type NumberOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

export type Atom =
  /** The syscall's result. */
  | { kind: 'res'; op: NumberOp; value: number }
  /** The path an open was given, compared as written when it is clean and absolute. */
  | { kind: 'path'; op: 'eq' | 'prefix' | 'contains'; value: string }
  /** The open flags: opened for reading, for writing, or creating. */
  | { kind: 'access'; mode: 'read' | 'write' | 'create' }
  /** The socket family of the descriptor the event concerns (0: not a socket). */
  | { kind: 'family'; families: number[] };

export type Formula =
  | boolean
  | Atom
  | { kind: 'and' | 'or'; children: Formula[] }
  | { kind: 'not'; child: Formula };

/** What the kernel knows about events of a type, beyond the result. */
export interface Dimensions {
  /** An open: path and flags. */
  open?: boolean;
  /** The event's descriptor may be a socket (fd.type, fd.typechar, fd.sockfamily). */
  family?: boolean;
}

/** The formula an event of `type` must pass for any of `rules` (the enabled ones) to match it. */
export function kernelFilter(rules: readonly CompiledRule[], type: string, dims: Dimensions): Formula {
  const parts: Formula[] = [];
  for (const r of rules) {
    if (!r.enabled || !includesType(r.eventTypes, type)) continue;
    const folded = foldForType(r.condition, type);
    if (folded === false) continue;
    if (folded === true) return true;
    parts.push(approximate(folded, type, dims, true));
  }
  return simplify({ kind: 'or', children: parts });
}

/**
 * `over`: a formula implied by the condition (true where unsure); otherwise one that implies
 * it (false where unsure). Negation swaps the two.
 */
function approximate(ir: IR, type: string, dims: Dimensions, over: boolean): Formula {
  switch (ir.kind) {
    case 'and':
    case 'or':
      return simplify({ kind: ir.kind, children: ir.children.map((c) => approximate(c, type, dims, over)) });
    case 'not':
      return simplify({ kind: 'not', child: approximate(ir.child, type, dims, !over) });
    case 'macro':
      return approximate(ir.body, type, dims, over);
    case 'check':
    case 'some': {
      const atoms = ir.source
        ? atomsOf(ir.source.field, ir.source.op, ir.source.values, type, dims)
        : undefined;
      if (!atoms) return over;
      if (!over && !atoms.exact) return false;
      return atoms.formula;
    }
    default:
      return over;
  }
}

/** A comparison as atoms; `exact` when equivalent (else only implied by the comparison). */
interface Translation {
  formula: Formula;
  exact: boolean;
}

const OPEN_TYPES = new Set(['open', 'openat', 'openat2', 'creat']);

function atomsOf(
  field: string,
  op: string,
  values: readonly string[],
  type: string,
  dims: Dimensions,
): Translation | undefined {
  if (field === 'evt.rawres') return numeric(op, values, (o, v) => ({ kind: 'res', op: o, value: v }));
  if (field === 'evt.res') return resultNames(op, values);
  if (field === 'evt.failed') return boolean(op, values, { kind: 'res', op: '<', value: 0 });
  if (dims.open && OPEN_TYPES.has(type)) {
    if (field === 'fd.num') return numeric(op, values, descriptorOfOpen);
    if (field === 'evt.is_open_read') return boolean(op, values, { kind: 'access', mode: 'read' });
    if (field === 'evt.is_open_write') return boolean(op, values, { kind: 'access', mode: 'write' });
    if (field === 'evt.is_open_create') return boolean(op, values, { kind: 'access', mode: 'create' });
    if (field === 'fd.name') return pathName(op, values);
    if (field === 'fd.directory') return directory(op, values);
    if (field === 'fd.filename') return fileName(op, values);
  }
  if (dims.family && (field === 'fd.type' || field === 'fd.typechar' || field === 'fd.sockfamily')) {
    return family(field, op, values);
  }
  return undefined;
}

const NUMBER_OPS = new Set(['<', '<=', '>', '>=', '=', '!=']);

function numeric(
  op: string,
  values: readonly string[],
  atom: (op: NumberOp, value: number) => Formula,
): Translation | undefined {
  const numbers = values.map((v) => (/^-?[0-9]+$/.test(v) ? Number(v) : Number.NaN));
  if (numbers.some((n) => !Number.isSafeInteger(n))) return undefined;
  if (op === 'in' || op === 'intersects')
    return { formula: simplify({ kind: 'or', children: numbers.map((n) => atom('=', n)) }), exact: true };
  if (!NUMBER_OPS.has(op) || numbers.length !== 1) return undefined;
  return { formula: atom(op as NumberOp, numbers[0]!), exact: true };
}

const COMPARE: Record<NumberOp, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** fd.num of an open is the result when it succeeded and -1 when it failed. */
function descriptorOfOpen(op: NumberOp, value: number): Formula {
  const failedPasses = COMPARE[op](-1, value);
  return simplify({
    kind: 'or',
    children: [
      {
        kind: 'and',
        children: [
          { kind: 'res', op: '>=', value: 0 },
          { kind: 'res', op, value },
        ],
      },
      { kind: 'and', children: [{ kind: 'res', op: '<', value: 0 }, failedPasses] },
    ],
  });
}

function boolean(op: string, values: readonly string[], atom: Atom): Translation | undefined {
  const v = values[0]?.toLowerCase();
  if (values.length !== 1 || (v !== 'true' && v !== 'false') || (op !== '=' && op !== '!=')) return undefined;
  const positive = (v === 'true') === (op === '=');
  return { formula: positive ? atom : { kind: 'not', child: atom }, exact: true };
}

/** Errno names back to numbers, as evt.res renders them. */
const ERRNO = new Map<string, number>();
for (let e = 1; e < 4096; e++) {
  const name = resultName(-e);
  if (name !== String(-e) && !ERRNO.has(name)) ERRNO.set(name, -e);
}

function resultNames(op: string, values: readonly string[]): Translation | undefined {
  const one = (name: string): Formula | undefined => {
    if (name === 'SUCCESS') return { kind: 'res', op: '>=', value: 0 };
    const n = ERRNO.get(name) ?? (/^-[0-9]+$/.test(name) ? Number(name) : undefined);
    return n === undefined ? undefined : { kind: 'res', op: '=', value: n };
  };
  const atoms = values.map(one);
  if (atoms.some((a) => a === undefined)) return undefined;
  if (op === 'in' || op === 'intersects')
    return { formula: simplify({ kind: 'or', children: atoms as Formula[] }), exact: true };
  if (values.length !== 1 || (op !== '=' && op !== '!=')) return undefined;
  return { formula: op === '=' ? atoms[0]! : { kind: 'not', child: atoms[0]! }, exact: true };
}

const eq = (value: string): Atom => ({ kind: 'path', op: 'eq', value });
const prefix = (value: string): Atom => ({ kind: 'path', op: 'prefix', value });
const contains = (value: string): Atom => ({ kind: 'path', op: 'contains', value });

/** Literals the kernel can compare: printable ASCII without quotes or backslashes, short enough. */
const KERNEL_LITERAL = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,180}$/;

function pathName(op: string, values: readonly string[]): Translation | undefined {
  if (!values.every((v) => KERNEL_LITERAL.test(v))) return undefined;
  const v = values[0]!;
  switch (op) {
    case '=':
      return { formula: eq(v), exact: true };
    case '!=':
      return { formula: { kind: 'not', child: eq(v) }, exact: true };
    case 'in':
    case 'intersects':
      return { formula: simplify({ kind: 'or', children: values.map(eq) }), exact: true };
    case 'startswith':
      return { formula: prefix(v), exact: true };
    case 'contains':
      return { formula: contains(v), exact: true };
    case 'pmatch': {
      const parts = values.map(pathOrBelow);
      return {
        formula: simplify({ kind: 'or', children: parts.map((p) => p.formula) }),
        exact: parts.every((p) => p.exact),
      };
    }
    case 'glob':
      return { formula: globNecessary(v), exact: false };
    default:
      return undefined;
  }
}

/** pmatch's test for one path: the path itself or anything below it. */
function pathOrBelow(raw: string): Translation {
  const p = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  if (hasGlobMagic(p)) return { formula: literalHead(p) ? prefix(literalHead(p)) : true, exact: false };
  if (p === '/') return { formula: prefix('/'), exact: true };
  return { formula: { kind: 'or', children: [eq(p), prefix(`${p}/`)] }, exact: true };
}

/** The characters before a glob's first wildcard or escape. */
function literalHead(glob: string): string {
  const m = /[*?[\\]/.exec(glob);
  return m ? glob.slice(0, m.index) : glob;
}

/** What a glob needs: its literal head as a prefix, and its longest literal run somewhere. */
function globNecessary(glob: string): Formula {
  if (glob.includes('\\')) return true;
  const head = literalHead(glob);
  const runs = glob
    .slice(head.length)
    .split(/[*?]|\[[^\]]*\]/)
    .filter((r) => r.length >= 2)
    .sort((a, b) => b.length - a.length);
  const parts: Formula[] = [];
  if (head) parts.push(prefix(head));
  if (runs[0]) parts.push(contains(runs[0]));
  return simplify({ kind: 'and', children: parts });
}

/** fd.directory D holds for paths starting with D/ (implied, not equivalent). */
function directory(op: string, values: readonly string[]): Translation | undefined {
  if (!values.every((v) => KERNEL_LITERAL.test(v))) return undefined;
  const below = (d: string): Formula => prefix(d === '/' ? '/' : `${d.replace(/\/+$/, '')}/`);
  switch (op) {
    case '=':
      return { formula: below(values[0]!), exact: false };
    case 'in':
    case 'intersects':
    case 'pmatch':
      return { formula: simplify({ kind: 'or', children: values.map(below) }), exact: false };
    case 'startswith':
      return { formula: prefix(values[0]!), exact: false };
    default:
      return undefined;
  }
}

/** fd.filename F holds for paths containing /F (implied, not equivalent). */
function fileName(op: string, values: readonly string[]): Translation | undefined {
  if (!values.every((v) => KERNEL_LITERAL.test(v))) return undefined;
  switch (op) {
    case '=':
    case 'startswith':
      return { formula: contains(`/${values[0]!}`), exact: false };
    case 'in':
    case 'intersects':
      return {
        formula: simplify({ kind: 'or', children: values.map((f) => contains(`/${f}`)) }),
        exact: false,
      };
    default:
      return undefined;
  }
}

/** Socket families (AF_INET, AF_INET6, AF_UNIX) by the names each field uses for them. */
const FAMILIES: Record<string, Record<string, number[]>> = {
  'fd.type': { ipv4: [2], ipv6: [10], unix: [1] },
  'fd.typechar': { '4': [2], '6': [10], u: [1] },
  'fd.sockfamily': { ip: [2, 10], unix: [1] },
};

function family(field: string, op: string, values: readonly string[]): Translation | undefined {
  const names = FAMILIES[field]!;
  const sets: number[][] = [];
  for (const v of values) {
    const f = Object.hasOwn(names, v) ? names[v] : undefined;
    if (!f) return undefined;
    sets.push(f);
  }
  const atom: Atom = { kind: 'family', families: [...new Set(sets.flat())].sort((a, b) => a - b) };
  if (op === '=' || op === 'in' || op === 'intersects') return { formula: atom, exact: true };
  if (op === '!=' && values.length === 1) return { formula: { kind: 'not', child: atom }, exact: true };
  return undefined;
}

/** Folds constants and flattens nested and/or; keeps the formula's meaning. */
export function simplify(f: Formula): Formula {
  if (typeof f === 'boolean' || (f.kind !== 'and' && f.kind !== 'or' && f.kind !== 'not')) return f;
  if (f.kind === 'not') {
    const c = simplify(f.child);
    if (typeof c === 'boolean') return !c;
    if (typeof c === 'object' && c.kind === 'not') return c.child;
    return { kind: 'not', child: c };
  }
  const absorbing = f.kind === 'or';
  const out: Formula[] = [];
  const seen = new Set<string>();
  for (const child of f.children) {
    const c = simplify(child);
    if (c === absorbing) return absorbing;
    if (c === !absorbing) continue;
    const flat = typeof c === 'object' && c.kind === f.kind ? (c as { children: Formula[] }).children : [c];
    for (const x of flat) {
      const key = JSON.stringify(x);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(x);
      }
    }
  }
  if (out.length === 0) return !absorbing;
  return out.length === 1 ? out[0]! : { kind: f.kind, children: out };
}

/** Does the formula test the path (so the kernel must read it)? */
export function usesPath(f: Formula): boolean {
  if (typeof f === 'boolean') return false;
  if (f.kind === 'and' || f.kind === 'or') return f.children.some(usesPath);
  if (f.kind === 'not') return usesPath(f.child);
  return f.kind === 'path';
}

/** What an open is judged on in user space, once its path is absolute. */
export interface OpenFacts {
  path: string;
  /** The access mode bits and O_CREAT (what the kernel test reads). */
  flags: number;
  res: number;
}

/**
 * The formula on an open the kernel could not judge (a path relative to a directory
 * descriptor), now that its path is absolute: the same test, so the rules see the same events.
 */
export function openPasses(f: Formula, x: OpenFacts): boolean {
  if (typeof f === 'boolean') return f;
  switch (f.kind) {
    case 'and':
      return f.children.every((c) => openPasses(c, x));
    case 'or':
      return f.children.some((c) => openPasses(c, x));
    case 'not':
      return !openPasses(f.child, x);
    case 'res':
      return compareNumber(x.res, f.op, f.value);
    case 'access':
      return f.mode === 'read'
        ? (x.flags & 3) !== 1
        : f.mode === 'write'
          ? (x.flags & 3) !== 0
          : (x.flags & 64) !== 0;
    case 'path':
      return f.op === 'eq'
        ? x.path === f.value
        : f.op === 'prefix'
          ? x.path.startsWith(f.value)
          : x.path.includes(f.value);
    case 'family':
      return true;
  }
}

function compareNumber(a: number, op: NumberOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}
