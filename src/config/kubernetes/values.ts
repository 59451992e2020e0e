/**
 * Reading manifest values whose shape is never trusted, with the API server's meaning: a field
 * is set when it is present and not null (Go decodes `null` to a nil pointer). Checks read the
 * type the API expects and pass over values of another type: the API server would refuse such
 * an object before anything ran.
 */

export type Fields = Record<string, unknown>;

export function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own property only: `constructor` or `__proto__` in a manifest are data, never inherited values. */
export function field(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Present and not null: a pointer field Go would decode to non-nil. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function recordAt(obj: unknown, ...keys: string[]): Fields | undefined {
  let v: unknown = obj;
  for (const key of keys) v = field(v, key);
  return isRecord(v) ? v : undefined;
}

export function listOf(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
