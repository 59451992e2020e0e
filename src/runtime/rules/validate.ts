import { DEFAULT_RULES_FILE } from './default-rules.js';
import { type LoadResult, loadRuleFiles } from './engine.js';
import type { Problem } from './problems.js';

/** The word that stands for Ringfence's default rules where rule files are named. */
export const DEFAULT_RULES_WORD = 'default';

/** Rule file arguments as written: `default` names Ringfence's default rules. */
export function ruleFilePaths(args: string[]): string[] {
  return args.map((a) => (a === DEFAULT_RULES_WORD ? DEFAULT_RULES_FILE : a));
}

export interface ValidationReport {
  files: string[];
  ok: boolean;
  counts: LoadResult['counts'];
  errors: number;
  warnings: number;
  problems: Problem[];
  /** What capture needs for these rules. */
  eventTypes: string[];
  anyTypeRules: string[];
}

/** Loads rule files together, in order, as `rules validate` reports them. */
export async function validateRuleFiles(paths: string[]): Promise<ValidationReport> {
  const result = await loadRuleFiles(paths);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const { types, anyTypeRules } = result.ruleset.eventTypes();
  return {
    files: paths,
    ok: errors === 0,
    counts: result.counts,
    errors,
    warnings: result.problems.length - errors,
    problems: result.problems,
    eventTypes: types,
    anyTypeRules,
  };
}

/** `file:line: severity: message (rule 'x')`, as compilers print, then a summary line. */
export function formatValidation(report: ValidationReport): string {
  const lines = report.problems.map(formatProblem);
  const c = report.counts;
  lines.push(
    `${report.files.length} file(s): ${c.rules} rules (${c.compiled} compiled, ${c.failed} failed, ${c.skipped} skipped), ` +
      `${c.macros} macros, ${c.lists} lists; ${report.errors} error(s), ${report.warnings} warning(s)`,
  );
  lines.push(`event types: ${report.eventTypes.join(' ') || 'none'}`);
  if (report.anyTypeRules.length > 0)
    lines.push(`rules that run on every event type: ${report.anyTypeRules.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function formatProblem(p: Problem): string {
  const item = p.item ? ` (${p.item.kind} '${p.item.name}')` : '';
  return `${p.file}:${p.line}: ${p.severity}: ${p.message}${item}`;
}
