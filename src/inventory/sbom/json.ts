/**
 * Typed reads of untrusted JSON (an SBOM someone else wrote): a field of the wrong type reads
 * as absent, never as a value of the wrong type.
 */

export type JsonObject = { readonly [key: string]: unknown };

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, trimmed. */
export function asString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  return s === '' ? undefined : s;
}

/** Own property only: a document's "__proto__" or "constructor" keys are data. */
export function field(object: JsonObject | undefined, key: string): unknown {
  return object && Object.hasOwn(object, key) ? object[key] : undefined;
}
