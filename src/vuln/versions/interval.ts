/**
 * Interval notation shared by Maven and NuGet ranges: `[1.0,2.0)`, `(,1.0]`, `[1.2,)`, `[1.0]`.
 * Bounds are version strings, compared with the scheme's own compare.
 */
export interface Interval {
  lower?: string;
  lowerInclusive: boolean;
  upper?: string;
  upperInclusive: boolean;
}

/** One bracketed interval, or undefined when it is malformed (the tools' own rules). */
export function parseInterval(text: string, compare: (a: string, b: string) => number): Interval | undefined {
  const open = text[0];
  const close = text[text.length - 1];
  if ((open !== '[' && open !== '(') || (close !== ']' && close !== ')') || text.length < 2) return undefined;
  const lowerInclusive = open === '[';
  const upperInclusive = close === ']';
  const inner = text.slice(1, -1).trim();
  const comma = inner.indexOf(',');
  if (comma < 0) {
    if (!lowerInclusive || !upperInclusive || inner === '') return undefined;
    return { lower: inner, lowerInclusive, upper: inner, upperInclusive };
  }
  const lower = inner.slice(0, comma).trim();
  const upper = inner.slice(comma + 1).trim();
  if (upper.includes(',') || /\s/.test(lower) || /\s/.test(upper)) return undefined;
  if (lower !== '' && upper !== '' && compare(upper, lower) < 0) return undefined;
  return {
    lower: lower === '' ? undefined : lower,
    lowerInclusive,
    upper: upper === '' ? undefined : upper,
    upperInclusive,
  };
}

export function inInterval(version: string, i: Interval, compare: (a: string, b: string) => number): boolean {
  if (i.lower !== undefined) {
    const r = compare(version, i.lower);
    if (r < 0 || (r === 0 && !i.lowerInclusive)) return false;
  }
  if (i.upper !== undefined) {
    const r = compare(version, i.upper);
    if (r > 0 || (r === 0 && !i.upperInclusive)) return false;
  }
  return true;
}
