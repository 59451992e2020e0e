import type { BinaryOperator } from '../condition/ast.js';
import type { Extractor, FieldType, FieldValue } from '../fields/types.js';
import { globToRegExp, hasGlobMagic } from '../glob.js';
import { canonicalIp, inAnyNetwork, type Network, parseNetwork } from '../ip.js';
import type { IR, Test, ValueTest } from './ir.js';

const LIST_OPS = new Set<BinaryOperator>(['in', 'intersects', 'pmatch']);

const ALLOWED: Record<FieldType, ReadonlySet<BinaryOperator>> = {
  string: new Set<BinaryOperator>([
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
    'in',
    'intersects',
    'pmatch',
  ]),
  bytes: new Set<BinaryOperator>(['=', '!=', 'contains', 'bcontains', 'startswith', 'bstartswith']),
  number: new Set<BinaryOperator>(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  bool: new Set<BinaryOperator>(['=', '!=']),
  ipaddr: new Set<BinaryOperator>(['=', '!=', 'in', 'intersects']),
  ipnet: new Set<BinaryOperator>(['=', '!=', 'in', 'intersects']),
  dynamic: new Set<BinaryOperator>([
    '=',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    'contains',
    'startswith',
    'endswith',
    'glob',
    'in',
    'intersects',
    'pmatch',
  ]),
};

/**
 * Compiles `field OP literal(s)`. `values` are the literals after list expansion. Returns the
 * check or an error message. A field without a value (`<NA>`) makes every comparison false.
 */
export function compareWithValues(
  left: Extractor,
  op: BinaryOperator,
  values: string[],
  listGiven: boolean,
): IR | string {
  if (!ALLOWED[left.type].has(op)) return `operator '${op}' does not apply to a ${left.type} field`;
  if (!LIST_OPS.has(op) && (listGiven || values.length !== 1))
    return `operator '${op}' takes one value, not a list`;
  // Multi-valued fields: `!=` means no value is equal, other operators that some value passes.
  const negate = op === '!=';
  const test = valueTest(left.type, negate ? '=' : op, values);
  if (typeof test === 'string') return test;
  if (left.many) return { kind: 'some', some: left.some, test: test.fn, none: negate };
  return { kind: 'check', get: left.get, test, negate };
}

/** Compiles `field OP val(other)` (or a transformed field): both sides read from the event. */
export function compareWithField(left: Extractor, op: BinaryOperator, right: Extractor): IR | string {
  if (left.many || right.many) return `operator '${op}' with val() needs single-valued fields on both sides`;
  const l = left.get;
  const r = right.get;
  const both = (test: (a: FieldValue, b: FieldValue) => boolean): IR => ({
    kind: 'call',
    pred: (e, m) => {
      const a = l(e, m);
      if (a === undefined) return false;
      const b = r(e, m);
      return b !== undefined && test(a, b);
    },
  });
  switch (op) {
    case '=':
      return both((a, b) => a === b || String(a) === String(b));
    case '!=':
      return both((a, b) => a !== b && String(a) !== String(b));
    case '<':
      return both((a, b) => typeof a === 'number' && typeof b === 'number' && a < b);
    case '<=':
      return both((a, b) => typeof a === 'number' && typeof b === 'number' && a <= b);
    case '>':
      return both((a, b) => typeof a === 'number' && typeof b === 'number' && a > b);
    case '>=':
      return both((a, b) => typeof a === 'number' && typeof b === 'number' && a >= b);
    case 'contains':
      return both((a, b) => String(a).includes(String(b)));
    case 'icontains':
      return both((a, b) => String(a).toLowerCase().includes(String(b).toLowerCase()));
    case 'startswith':
      return both((a, b) => String(a).startsWith(String(b)));
    case 'endswith':
      return both((a, b) => String(a).endsWith(String(b)));
    default:
      return `operator '${op}' cannot compare with val() or a transformer`;
  }
}

function valueTest(type: FieldType, op: BinaryOperator, values: string[]): ValueTest | string {
  switch (type) {
    case 'string':
    case 'bytes':
      return stringTest(op, values);
    case 'number':
      return numberTest(op, values);
    case 'bool':
      return boolTest(values[0]!);
    case 'ipaddr':
      return addressTest(values);
    case 'ipnet':
      return networkTest(values);
    case 'dynamic': {
      const fn = dynamicTest(op, values);
      return typeof fn === 'string' ? fn : { fn };
    }
  }
}

const json = JSON.stringify;
const INLINE_SET_SIZE = 6;

/** A test with the same test as inline source code. */
function inline(fn: Test, code: (v: string, constant: (x: unknown) => string) => string): ValueTest {
  return { fn, code };
}

function stringTest(op: BinaryOperator, values: string[]): ValueTest | string {
  const lit = values[0]!;
  switch (op) {
    case '=':
      return inline(
        (v) => v === lit,
        (v) => `${v} === ${json(lit)}`,
      );
    case 'contains':
      return inline(
        (v) => typeof v === 'string' && v.includes(lit),
        (v) => `typeof ${v} === 'string' && ${v}.includes(${json(lit)})`,
      );
    case 'startswith':
      return inline(
        (v) => typeof v === 'string' && v.startsWith(lit),
        (v) => `typeof ${v} === 'string' && ${v}.startsWith(${json(lit)})`,
      );
    case 'endswith':
      return inline(
        (v) => typeof v === 'string' && v.endsWith(lit),
        (v) => `typeof ${v} === 'string' && ${v}.endsWith(${json(lit)})`,
      );
    case 'icontains': {
      const re = new RegExp(escapeRegExp(lit), 'i');
      return { fn: (v) => typeof v === 'string' && re.test(v) };
    }
    case 'bcontains':
    case 'bstartswith': {
      const bytes = hexBytes(lit);
      if (bytes === undefined) return `'${lit}' is not a hexadecimal byte string`;
      return {
        fn:
          op === 'bcontains'
            ? (v) => typeof v === 'string' && v.includes(bytes)
            : (v) => typeof v === 'string' && v.startsWith(bytes),
      };
    }
    case 'glob':
    case 'iglob': {
      const re = globToRegExp(lit, { ignoreCase: op === 'iglob' });
      return { fn: (v) => typeof v === 'string' && re.test(v) };
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${lit})$`);
      } catch (err) {
        return `invalid regular expression '${lit}': ${(err as Error).message}`;
      }
      return { fn: (v) => typeof v === 'string' && re.test(v) };
    }
    case 'in':
    case 'intersects':
      return setTest(new Set(values));
    case 'pmatch':
      return { fn: pathPrefixTest(values) };
    default:
      return `operator '${op}' does not apply to a string field`;
  }
}

/** Membership; a handful of values compare inline, faster than hashing. */
function setTest(set: ReadonlySet<FieldValue>): ValueTest {
  const few = set.size > 0 && set.size <= INLINE_SET_SIZE;
  return inline(
    (v) => set.has(v),
    (v, constant) =>
      few ? [...set].map((x) => `${v} === ${json(x)}`).join(' || ') : `${constant(set)}.has(${v})`,
  );
}

/** pmatch: is the path one of the paths, or below one (glob wildcards within components)? */
function pathPrefixTest(paths: string[]): Test {
  const literal: string[] = [];
  const patterns: RegExp[] = [];
  for (const raw of paths) {
    const p = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
    if (hasGlobMagic(p)) patterns.push(globToRegExp(p, { pathPrefix: true }));
    else literal.push(p);
  }
  return (v) => {
    if (typeof v !== 'string') return false;
    for (let i = 0; i < literal.length; i++) {
      const p = literal[i]!;
      if (v.startsWith(p) && (v.length === p.length || p === '/' || v.charCodeAt(p.length) === 47))
        return true;
    }
    for (let i = 0; i < patterns.length; i++) if (patterns[i]!.test(v)) return true;
    return false;
  };
}

function parseNumber(text: string): number | undefined {
  if (!/^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?)$/.test(text)) return undefined;
  const sign = text.startsWith('-') ? -1 : 1;
  const n = sign * Number(text.replace(/^[+-]/, ''));
  return Number.isFinite(n) ? n : undefined;
}

const NUMBER_COMPARISONS: Partial<Record<BinaryOperator, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numberTest(op: BinaryOperator, values: string[]): ValueTest | string {
  const numbers: number[] = [];
  for (const v of values) {
    const n = parseNumber(v);
    if (n === undefined) return `'${v}' is not a number`;
    numbers.push(n);
  }
  const n = numbers[0]!;
  if (op === '=') {
    return inline(
      (v) => v === n,
      (v) => `${v} === ${n}`,
    );
  }
  const compare = NUMBER_COMPARISONS[op];
  if (compare) {
    return inline(
      (v) => typeof v === 'number' && compare(v, n),
      (v) => `typeof ${v} === 'number' && ${v} ${op} ${n}`,
    );
  }
  return setTest(new Set(numbers));
}

function boolTest(literal: string): ValueTest | string {
  const lower = literal.toLowerCase();
  if (lower !== 'true' && lower !== 'false') return `'${literal}' is not true or false`;
  const b = lower === 'true';
  return inline(
    (v) => v === b,
    (v) => `${v} === ${b}`,
  );
}

function addressTest(values: string[]): ValueTest | string {
  const canonical = new Set<string>();
  for (const v of values) {
    const ip = canonicalIp(v);
    if (ip === undefined) return `'${v}' is not an IP address`;
    canonical.add(ip);
  }
  return setTest(canonical);
}

function networkTest(values: string[]): ValueTest | string {
  const networks: Network[] = [];
  for (const v of values) {
    const net = parseNetwork(v);
    if (!net) return `'${v}' is not an IP network`;
    networks.push(net);
  }
  return { fn: (v) => typeof v === 'string' && inAnyNetwork(v, networks) };
}

/** Raw syscall arguments: numbers compare as numbers, anything else as its text. */
function dynamicTest(op: BinaryOperator, values: string[]): Test | string {
  const numeric = NUMBER_COMPARISONS[op] !== undefined;
  const asText = stringTest(numeric ? '=' : op, values);
  if (typeof asText === 'string') return asText;
  const asNumber = values.every((v) => parseNumber(v) !== undefined) ? numberTest(op, values) : undefined;
  if (numeric && (asNumber === undefined || typeof asNumber === 'string'))
    return `operator '${op}' needs a number`;
  const numberPasses = asNumber !== undefined && typeof asNumber !== 'string' ? asNumber.fn : () => false;
  const textPasses = asText.fn;
  return (v) => (typeof v === 'number' ? numberPasses(v) : !numeric && textPasses(String(v)));
}

function hexBytes(hex: string): string | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  let out = '';
  for (let i = 0; i < hex.length; i += 2)
    out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
