import { SEVERITIES, type Severity } from '../types.js';
import { UserError } from '../util/errors.js';

const RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

/** Parses `--severity CRITICAL,HIGH` (case-insensitive); every name must be known. */
export function parseSeverityList(value: string, flag = '--severity'): Severity[] {
  const names = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new UserError(`${flag}: expected a list such as CRITICAL,HIGH`);
  for (const n of names) {
    if (!(SEVERITIES as readonly string[]).includes(n))
      throw new UserError(`${flag}: unknown severity '${n}' (expected ${SEVERITIES.join(', ')})`);
  }
  return [...new Set(names as Severity[])];
}
