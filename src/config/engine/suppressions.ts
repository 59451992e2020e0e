import type { LineRange } from './check.js';

/**
 * Inline suppressions written in the scanned file itself:
 *   # ringfence:ignore:RF-DF-001 reason          (the next line, or this line when trailing)
 *   # ringfence:ignore:RF-DF-001,RF-DF-007 reason
 *   # ringfence:ignore-file:RF-DC-010 reason     (the whole file)
 * `//` comments work too, for file kinds that use them.
 */
export interface Suppression {
  ruleIds: readonly string[];
  reason: string;
  /** Line of the comment. */
  line: number;
  wholeFile: boolean;
}

const MARKER =
  /(?:#|\/\/)\s*ringfence:ignore(-file)?:\s*([A-Za-z0-9_.-]+(?:\s*,\s*[A-Za-z0-9_.-]+)*)(?:\s+(.*))?$/;
const COMMENT_ONLY = /^\s*(?:#|\/\/)/;

export function parseSuppressions(lines: readonly string[]): Suppression[] {
  const found: Suppression[] = [];
  lines.forEach((text, i) => {
    if (!text.includes('ringfence:ignore')) return;
    const m = MARKER.exec(text);
    if (!m) return;
    found.push({
      ruleIds: m[2]!.split(',').map((id) => id.trim().toUpperCase()),
      reason: (m[3] ?? '').trim(),
      line: i + 1,
      wholeFile: m[1] !== undefined,
    });
  });
  return found;
}

/** Lines whose suppression comments cover a finding starting at `line`: that line and the comment block right above it. */
function coveringLines(lines: readonly string[], line: number, into: Set<number>): void {
  into.add(line);
  for (let l = line - 1; l >= 1 && COMMENT_ONLY.test(lines[l - 1] ?? ''); l--) into.add(l);
}

export function findSuppression(
  suppressions: readonly Suppression[],
  lines: readonly string[],
  ruleId: string,
  where: LineRange,
  scope?: LineRange,
): Suppression | undefined {
  const id = ruleId.toUpperCase();
  const relevant = suppressions.filter((s) => s.ruleIds.includes(id));
  if (relevant.length === 0) return undefined;
  const fileWide = relevant.find((s) => s.wholeFile);
  if (fileWide) return fileWide;
  const covering = new Set<number>();
  coveringLines(lines, where.line, covering);
  if (scope) coveringLines(lines, scope.line, covering);
  return relevant.find((s) => covering.has(s.line));
}
