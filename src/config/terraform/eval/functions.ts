import { containsUnknown, deepEqual, isUnknown, UNKNOWN } from '../../iac/unknown.js';

/**
 * The Terraform functions the evaluator knows: those that shape the values policies look at
 * (strings, lists, maps, JSON). Any other function, and any call whose inputs are not fully
 * known where it needs them, gives UNKNOWN. Results keep Terraform's semantics where it matters
 * (`tostring(1)` is "1", `keys` are sorted, `element` wraps around).
 */

type TfFunction = (args: unknown[]) => unknown;

/** Strings longer than this are not built (a budget against hostile files). */
export const MAX_STRING = 1 << 20;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function capped(s: string): unknown {
  return s.length > MAX_STRING ? UNKNOWN : s;
}

/** Arguments must all be fully known. */
function strict(fn: TfFunction): TfFunction {
  return (args) => (args.some((a) => containsUnknown(a)) ? UNKNOWN : fn(args));
}

/** Arguments must be known at the top (list elements may still be unknown). */
function shallow(fn: TfFunction): TfFunction {
  return (args) => (args.some(isUnknown) ? UNKNOWN : fn(args));
}

function onString(fn: (s: string) => string): TfFunction {
  return strict(([s]) => {
    const v = str(s);
    return v === undefined ? UNKNOWN : capped(fn(v));
  });
}

function newObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Distinct values in first-seen order, compared by a canonical form (object keys sorted). */
function distinct(list: unknown[]): unknown[] {
  const seen = new Set<string>();
  return list.filter((v) => {
    const key = canonical(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${sortedKeys(v)
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function format(args: unknown[]): unknown {
  const [fmt, ...rest] = args;
  if (typeof fmt !== 'string') return UNKNOWN;
  let i = 0;
  let failed = false;
  const out = fmt.replace(/%([%sdvq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const v = rest[i++];
    const s = verb === 'd' ? (Number.isInteger(num(v)) ? String(num(v)) : undefined) : str(v);
    if (s === undefined) failed = true;
    return verb === 'q' ? JSON.stringify(s ?? '') : (s ?? '');
  });
  if (failed || /%[^%sdvq]/.test(fmt.replace(/%%/g, ''))) return UNKNOWN;
  return capped(out);
}

export const FUNCTIONS: ReadonlyMap<string, TfFunction> = new Map<string, TfFunction>([
  ['tostring', strict(([v]) => (v === null ? null : (str(v) ?? UNKNOWN)))],
  ['tonumber', strict(([v]) => (v === null ? null : (num(v) ?? UNKNOWN)))],
  [
    'tobool',
    strict(([v]) =>
      v === null || typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : UNKNOWN,
    ),
  ],
  ['tolist', shallow(([v]) => (Array.isArray(v) ? v : UNKNOWN))],
  ['toset', strict(([v]) => (Array.isArray(v) ? distinct(v) : UNKNOWN))],
  ['tomap', shallow(([v]) => (isObject(v) ? v : UNKNOWN))],
  ['lower', onString((s) => s.toLowerCase())],
  ['upper', onString((s) => s.toUpperCase())],
  ['trimspace', onString((s) => s.trim())],
  ['jsonencode', strict(([v]) => capped(JSON.stringify(v) ?? 'null'))],
  [
    'jsondecode',
    strict(([v]) => {
      if (typeof v !== 'string') return UNKNOWN;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return UNKNOWN;
      }
    }),
  ],
  [
    'concat',
    shallow((args) => {
      if (!args.every(Array.isArray)) return UNKNOWN;
      return (args as unknown[][]).flat();
    }),
  ],
  [
    'merge',
    shallow((args) => {
      const out = newObject();
      for (const a of args) {
        if (a === null) continue;
        if (!isObject(a)) return UNKNOWN;
        for (const k of Object.keys(a)) out[k] = a[k];
      }
      return out;
    }),
  ],
  [
    'flatten',
    strict(([v]) => {
      if (!Array.isArray(v)) return UNKNOWN;
      const out: unknown[] = [];
      const walk = (list: unknown[], depth: number): void => {
        for (const x of list) {
          if (Array.isArray(x) && depth < 64) walk(x, depth + 1);
          else out.push(x);
        }
      };
      walk(v, 0);
      return out;
    }),
  ],
  ['distinct', strict(([v]) => (Array.isArray(v) ? distinct(v) : UNKNOWN))],
  ['compact', strict(([v]) => (Array.isArray(v) ? v.filter((x) => x !== null && x !== '') : UNKNOWN))],
  [
    'join',
    strict(([sep, list]) => {
      if (typeof sep !== 'string' || !Array.isArray(list)) return UNKNOWN;
      const parts = list.map(str);
      return parts.every((p) => p !== undefined) ? capped(parts.join(sep)) : UNKNOWN;
    }),
  ],
  [
    'split',
    strict(([sep, s]) =>
      typeof sep === 'string' && typeof s === 'string' && sep !== '' ? s.split(sep) : UNKNOWN,
    ),
  ],
  [
    'length',
    shallow(([v]) => {
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      if (typeof v === 'string') return [...v].length;
      return UNKNOWN;
    }),
  ],
  ['contains', strict(([list, v]) => (Array.isArray(list) ? list.some((x) => deepEqual(x, v)) : UNKNOWN))],
  [
    'lookup',
    shallow(([map, key, ...fallback]) => {
      const k = str(key);
      if (!isObject(map) || k === undefined) return UNKNOWN;
      if (Object.hasOwn(map, k)) return map[k];
      return fallback.length > 0 ? fallback[0] : UNKNOWN;
    }),
  ],
  [
    'element',
    shallow(([list, index]) => {
      const i = num(index);
      if (!Array.isArray(list) || list.length === 0 || i === undefined || !Number.isInteger(i) || i < 0)
        return UNKNOWN;
      return list[i % list.length];
    }),
  ],
  [
    'coalesce',
    (args) => {
      for (const a of args) {
        if (isUnknown(a)) return UNKNOWN;
        if (a !== null && a !== '') return a;
      }
      return UNKNOWN;
    },
  ],
  [
    'coalescelist',
    (args) => {
      for (const a of args) {
        if (!Array.isArray(a)) return UNKNOWN;
        if (a.length > 0) return a;
      }
      return UNKNOWN;
    },
  ],
  ['format', strict(format)],
  [
    'replace',
    strict(([s, from, to]) => {
      if (typeof s !== 'string' || typeof from !== 'string' || typeof to !== 'string') return UNKNOWN;
      if (from === '' || (from.length > 1 && from.startsWith('/') && from.endsWith('/'))) return UNKNOWN;
      return capped(s.split(from).join(to));
    }),
  ],
  ['keys', shallow(([o]) => (isObject(o) ? sortedKeys(o) : UNKNOWN))],
  ['values', shallow(([o]) => (isObject(o) ? sortedKeys(o).map((k) => o[k]) : UNKNOWN))],
  [
    'startswith',
    strict(([s, p]) => (typeof s === 'string' && typeof p === 'string' ? s.startsWith(p) : UNKNOWN)),
  ],
  [
    'endswith',
    strict(([s, p]) => (typeof s === 'string' && typeof p === 'string' ? s.endsWith(p) : UNKNOWN)),
  ],
  [
    'trimprefix',
    strict(([s, p]) =>
      typeof s === 'string' && typeof p === 'string' ? (s.startsWith(p) ? s.slice(p.length) : s) : UNKNOWN,
    ),
  ],
  [
    'trimsuffix',
    strict(([s, p]) =>
      typeof s === 'string' && typeof p === 'string' && p !== ''
        ? s.endsWith(p)
          ? s.slice(0, -p.length)
          : s
        : UNKNOWN,
    ),
  ],
  [
    'min',
    strict((args) =>
      args.length > 0 && args.every((a) => typeof a === 'number') ? Math.min(...(args as number[])) : UNKNOWN,
    ),
  ],
  [
    'max',
    strict((args) =>
      args.length > 0 && args.every((a) => typeof a === 'number') ? Math.max(...(args as number[])) : UNKNOWN,
    ),
  ],
]);
