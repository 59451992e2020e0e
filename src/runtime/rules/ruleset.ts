import type { Event, Severity } from '../../types.js';
import { type Evaluator, generateEvaluators } from './compile/codegen.js';
import { includesType, type TypeSet } from './compile/evttypes.js';
import type { IR } from './compile/ir.js';
import { isoTime } from './fields/event.js';
import { type FieldValue, Memo } from './fields/types.js';
import type { OutputFormat } from './formatter.js';
import type { Priority } from './priority.js';

/** A rule that fired on an event. */
export interface Alert {
  rule: string;
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
  source: 'syscall';
  /** ISO 8601 with nanoseconds, UTC. */
  time: string;
  output: string;
  /** The fields the output names, with their values (null for `<NA>`). */
  outputFields: Record<string, FieldValue | null>;
  remediation?: string;
  event: Event;
}

/** A compiled rule, ready to evaluate. */
export interface CompiledRule {
  name: string;
  desc: string;
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
  enabled: boolean;
  file: string;
  line: number;
  remediation?: string;
  references?: readonly string[];
  /** The event types the rule can match. */
  eventTypes: TypeSet;
  /** Fields the condition reads (as written, `proc.aname[2]`). */
  fields: readonly string[];
  output: OutputFormat;
  /** The compiled condition, before code generation. */
  condition: IR;
}

export interface RulesetOptions {
  /** `all` (default): every matching rule alerts; `first`: only the first in load order, as Falco's default. */
  ruleMatching?: 'all' | 'first';
}

const NO_ALERTS: readonly Alert[] = Object.freeze([]);

/** The enabled rules that can match one event type, and the code that tests them. */
interface TypeIndex {
  rules: CompiledRule[];
  evaluators: Evaluator[];
}

/**
 * The enabled rules indexed by event type: an event is tested only against the rules that can
 * match its type, in load order, by code generated for that type. Evaluating an event
 * allocates nothing unless a rule fires.
 */
export class Ruleset {
  private readonly memo: Memo;
  private readonly hits: Int32Array;
  private byType = new Map<string, TypeIndex>();
  /** Every type some enabled rule names; all other types share one index (and its code). */
  private mentioned = new Set<string>();
  private other: TypeIndex | undefined;
  private active: CompiledRule[] = [];

  /** `memoized`: macros several rules share, evaluated once per event (name → memo slot). */
  constructor(
    readonly rules: readonly CompiledRule[],
    private readonly options: RulesetOptions = {},
    private readonly memoized: ReadonlyMap<string, number> = new Map(),
  ) {
    this.memo = new Memo(memoized.size);
    this.hits = new Int32Array(rules.length);
    this.reindex();
  }

  /** Enables or disables rules by name or tag; returns how many changed. */
  setEnabled(select: { name?: string; tag?: string }, enabled: boolean): number {
    let changed = 0;
    for (const r of this.rules) {
      if (
        (select.name !== undefined && r.name !== select.name) ||
        (select.tag !== undefined && !r.tags.includes(select.tag))
      )
        continue;
      if (r.enabled !== enabled) {
        r.enabled = enabled;
        changed++;
      }
    }
    if (changed > 0) this.reindex();
    return changed;
  }

  /**
   * The event types the enabled rules need, so capture can be narrowed to them; and the rules
   * that do not pin evt.type (they need every event type, defeating the narrowing).
   */
  eventTypes(): { types: string[]; anyTypeRules: string[] } {
    const types = new Set<string>();
    const anyTypeRules: string[] = [];
    for (const r of this.active) {
      if (r.eventTypes.kind === 'only') for (const t of r.eventTypes.types) types.add(t);
      else anyTypeRules.push(r.name);
    }
    return { types: [...types].sort(), anyTypeRules };
  }

  /** The fields the enabled rules read in conditions and outputs. */
  fields(): string[] {
    const fields = new Set<string>();
    for (const r of this.active) for (const f of [...r.fields, ...r.output.fields]) fields.add(f);
    return [...fields].sort();
  }

  /** The alerts of the rules `e` matches (all of them, or the first with ruleMatching `first`). */
  evaluate(e: Event): readonly Alert[] {
    const index = this.indexFor(e.type);
    const m = this.memo.use(e);
    const hits = this.hits;
    let n = 0;
    const evaluators = index.evaluators;
    for (let i = 0; i < evaluators.length; i++) {
      n = evaluators[i]!(e, m, hits, n);
      if (n > 0 && this.options.ruleMatching === 'first') break;
    }
    if (n === 0) return NO_ALERTS;
    const alerts: Alert[] = [];
    for (let i = 0; i < n; i++) alerts.push(alertOf(index.rules[hits[i]!]!, e, m));
    return alerts;
  }

  private indexFor(type: string): TypeIndex {
    const known = this.byType.get(type);
    if (known) return known;
    // A type no rule names folds like any other such type: one index serves them all, so
    // replaying odd or hostile type names never generates code per name.
    if (!this.mentioned.has(type)) {
      this.other ??= this.build(type);
      return this.other;
    }
    const index = this.build(type);
    this.byType.set(type, index);
    return index;
  }

  private build(type: string): TypeIndex {
    const rules = this.active.filter((r) => includesType(r.eventTypes, type));
    const first = this.options.ruleMatching === 'first';
    return {
      rules,
      evaluators: generateEvaluators(
        rules.map((r) => r.condition),
        type,
        this.memoized,
        first,
      ),
    };
  }

  private reindex(): void {
    this.active = this.rules.filter((r) => r.enabled);
    this.byType = new Map();
    this.other = undefined;
    this.mentioned = new Set(this.active.flatMap((r) => [...r.eventTypes.types]));
    for (const r of this.active) {
      if (r.eventTypes.kind === 'only') for (const t of r.eventTypes.types) this.indexFor(t);
    }
  }
}

function alertOf(r: CompiledRule, e: Event, m: Memo): Alert {
  return {
    rule: r.name,
    priority: r.priority,
    severity: r.severity,
    tags: r.tags,
    source: 'syscall',
    time: isoTime(e.ts),
    output: r.output.render(e, m),
    outputFields: r.output.values(e, m),
    ...(r.remediation !== undefined ? { remediation: r.remediation } : {}),
    event: e,
  };
}
