import { readFile, stat } from 'node:fs/promises';
import type { Event } from '../../types.js';
import { inputError, UserError } from '../../util/errors.js';
import { collect, type RuleDef } from './collector.js';
import { macrosUsed } from './compile/codegen.js';
import { ConditionCompiler } from './compile/compiler.js';
import { exceptionCondition } from './compile/exceptions.js';
import type { IR } from './compile/ir.js';
import type { Expr } from './condition/ast.js';
import { FieldRegistry } from './fields/registry.js';
import { type FieldValue, Memo } from './fields/types.js';
import { compileOutput } from './formatter.js';
import { loadRulesText } from './loader.js';
import { atLeast, type Priority, severityOf } from './priority.js';
import type { Problem } from './problems.js';
import { type CompiledRule, Ruleset, type RulesetOptions } from './ruleset.js';

/**
 * The rule engine's entry point: Falco rule files → a compiled, indexed ruleset, with every
 * problem found on the way. Stages: loader (YAML → items) → collector (append/override) →
 * compiler (conditions → predicates) → ruleset (indexed by event type) → formatter (outputs).
 */

export interface RulesText {
  /** Shown in problems: usually the path. */
  file: string;
  text: string;
}

export interface EngineOptions extends RulesetOptions {
  /** What evt.hostname reports (default: this host's name). */
  hostname?: string;
  /** Rules below this priority stay disabled (Falco's `priority` setting). */
  minPriority?: Priority;
  /** Appended to every rule's output, as Falco's append_output (`container=%container.name`). */
  appendOutput?: string;
}

export interface LoadResult {
  ruleset: Ruleset;
  /** Sorted by file (in load order) and line. */
  problems: Problem[];
  counts: {
    rules: number;
    macros: number;
    lists: number;
    /** Rules that compiled (enabled or not). */
    compiled: number;
    /** Rules not loaded because of an error. */
    failed: number;
    /** Rules left out on purpose: skip-if-unknown-filter, or another event source. */
    skipped: number;
  };
  requiredPlugins: { name: string; version: string; file: string }[];
}

/** Rule files larger than this are refused rather than read into memory. */
const MAX_RULES_FILE_BYTES = 32 * 1024 * 1024;

/** Reads and compiles rule files, in order (later files append to and override earlier ones). */
export async function loadRuleFiles(paths: string[], options: EngineOptions = {}): Promise<LoadResult> {
  const texts: RulesText[] = [];
  for (const path of paths) texts.push({ file: path, text: await readRulesFile(path) });
  return compileRules(texts, options);
}

async function readRulesFile(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw inputError(path, 'not a file');
    if (info.size > MAX_RULES_FILE_BYTES)
      throw inputError(path, `larger than ${MAX_RULES_FILE_BYTES >> 20} MiB; not a rules file?`);
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw inputError(path, `cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, err);
  }
}

/** Compiles rules from text (see loadRuleFiles). */
export function compileRules(texts: RulesText[], options: EngineOptions = {}): LoadResult {
  const collection = collect(texts.map(({ file, text }) => ({ file, loaded: loadRulesText(file, text) })));
  const registry = new FieldRegistry(options.hostname === undefined ? {} : { hostname: options.hostname });
  const compiler = new ConditionCompiler(collection, registry);
  const problems: Problem[] = [...collection.problems];
  const rules: CompiledRule[] = [];
  let failed = 0;
  let skipped = 0;

  for (const def of collection.rules.values()) {
    const item = { kind: 'rule' as const, name: def.name };
    const problem = (
      severity: Problem['severity'],
      message: string,
      at: { file: string; line: number } = def,
    ) => problems.push({ severity, file: at.file, line: at.line, message, item });
    if (def.source !== 'syscall') {
      skipped++;
      problem('warning', `source '${def.source}' is not supported (only syscall); rule skipped`);
      continue;
    }
    const extra = exceptionParts(def, problem);
    if (!extra) {
      failed++;
      continue;
    }
    const outcome = compiler.compile(
      { text: def.condition.text, locate: (o) => def.condition.locate(o) },
      extra,
    );
    if (!outcome.ok) {
      const unknown = [...outcome.unknown];
      if (unknown.length > 0 && outcome.errors.length === 0 && def.skipIfUnknownFilter) {
        skipped++;
        problem(
          'warning',
          `skipped (skip-if-unknown-filter): unknown field(s) ${unknown.map(([f]) => f).join(', ')}`,
        );
        continue;
      }
      failed++;
      for (const [field, at] of unknown) problem('error', `unknown field '${field}'`, at);
      for (const { location, message } of outcome.errors) problem('error', message, location);
      continue;
    }
    const { condition } = outcome;
    const outputText = options.appendOutput
      ? `${def.output.text.trim()} ${options.appendOutput}`
      : def.output.text.trim();
    const output = compileOutput(outputText, registry);
    for (const token of output.unknown) {
      problem(
        'warning',
        `output field '%${token}' is unknown or misused; it prints as <NA>`,
        def.output.locate(0),
      );
    }
    if (
      def.enabled &&
      def.warnEvttypes &&
      condition.types.kind === 'except' &&
      condition.types.types.size === 0
    ) {
      problem('warning', 'the condition does not restrict evt.type, so the rule runs on every event (slow)');
    }
    rules.push({
      name: def.name,
      desc: def.desc,
      priority: def.priority,
      severity: severityOf(def.priority),
      tags: def.tags,
      enabled:
        def.enabled && (options.minPriority === undefined || atLeast(def.priority, options.minPriority)),
      file: def.file,
      line: def.line,
      ...(def.remediation !== undefined ? { remediation: def.remediation } : {}),
      ...(def.references !== undefined ? { references: def.references } : {}),
      eventTypes: condition.types,
      fields: condition.fields,
      output,
      condition: condition.ir,
    });
  }
  compiler.compileUnusedMacros();
  problems.push(...compiler.problems);

  const order = new Map(texts.map((t, i) => [t.file, i]));
  problems.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
  return {
    ruleset: new Ruleset(rules, options, sharedMacros(rules.map((r) => r.condition))),
    problems,
    counts: {
      rules: collection.rules.size,
      macros: collection.macros.size,
      lists: collection.lists.size,
      compiled: rules.length,
      failed,
      skipped,
    },
    requiredPlugins: collection.requiredPlugins,
  };
}

/** Macros with real logic that several rules use: worth evaluating once per event. Name → memo slot. */
function sharedMacros(conditions: IR[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const c of conditions) {
    for (const [name, body] of macrosUsed(c)) {
      const leaf = body.kind === 'check' || body.kind === 'some' || body.kind === 'call';
      if (!leaf) uses.set(name, (uses.get(name) ?? 0) + 1);
    }
  }
  const slots = new Map<string, number>();
  for (const [name, count] of uses) if (count >= 2) slots.set(name, slots.size);
  return slots;
}

/** The rule's exceptions as extra condition parts; undefined (after reporting) when one is malformed. */
function exceptionParts(
  def: RuleDef,
  problem: (severity: Problem['severity'], message: string, at?: { file: string; line: number }) => void,
): { expr: Expr; location: { file: string; line: number } }[] | undefined {
  const parts: { expr: Expr; location: { file: string; line: number } }[] = [];
  let ok = true;
  for (const ex of def.exceptions) {
    const expr = exceptionCondition(ex);
    const location = { file: ex.file, line: ex.line };
    if (typeof expr === 'string') {
      problem('error', expr, location);
      ok = false;
    } else if (expr) parts.push({ expr, location });
  }
  return ok ? parts : undefined;
}

export type { Priority } from './priority.js';
export type { Problem } from './problems.js';
/**
 * An output template (`%proc.name read %fd.name`) compiled for use outside any rule, e.g. an
 * alert channel's own message format. Unknown fields print as `<NA>` and are listed.
 */
export function outputFormat(
  template: string,
  options: { hostname?: string } = {},
): {
  render(e: Event): string;
  values(e: Event): Record<string, FieldValue | null>;
  unknown: readonly string[];
} {
  const format = compileOutput(template, new FieldRegistry(options));
  const memo = new Memo();
  return {
    render: (e) => format.render(e, memo),
    values: (e) => format.values(e, memo),
    unknown: format.unknown,
  };
}

export type { Alert, CompiledRule } from './ruleset.js';
export { Ruleset } from './ruleset.js';
