/** Narrowing for parsed JSON/TOML/YAML documents, whose shape is never trusted. */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value if it is a non-empty string. */
export function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Own entries of a record (never inherited ones such as `constructor`), or none. */
export function entriesOf(v: unknown): [string, unknown][] {
  return isRecord(v) ? Object.entries(v) : [];
}
