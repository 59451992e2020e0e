/**
 * A value an IaC file does not determine statically: a variable without a default, a resource
 * attribute known only after apply, a function we do not evaluate. Checks never report a
 * problem from an unknown value, so a finding always rests on something written in the files.
 */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;
export type Maybe<T> = T | Unknown;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** Values a deep inspection visits at most; a larger value (a hostile file's doubling locals) counts as unknown. */
const MAX_NODES = 100_000;

/** Whether an unknown value hides anywhere inside (a value too large or deep to inspect counts as unknown). */
export function containsUnknown(value: unknown): boolean {
  let budget = MAX_NODES;
  const visit = (v: unknown, depth: number): boolean => {
    if (v === UNKNOWN || --budget < 0 || depth > 64) return true;
    if (Array.isArray(v)) return v.some((x) => visit(x, depth + 1));
    if (v !== null && typeof v === 'object') return Object.values(v).some((x) => visit(x, depth + 1));
    return false;
  };
  return visit(value, 0);
}

/** A boolean, also from the strings "true"/"false" that both Terraform and CloudFormation accept. */
export function asBool(value: unknown): Maybe<boolean> {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return UNKNOWN;
}

export function asNumber(value: unknown): Maybe<number> {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return UNKNOWN;
}

export function asString(value: unknown): Maybe<string> {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return UNKNOWN;
}

/** A plain object (a mapping), or UNKNOWN. */
export function asObject(value: unknown): Maybe<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : UNKNOWN;
}

/** Structural equality of plain values (same types, same members). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
