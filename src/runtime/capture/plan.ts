import type { Ruleset } from '../rules/ruleset.js';
import { type Formula, kernelFilter } from './narrow.js';
import { generateProgram, type Program } from './program.js';
import { PROCESS_TYPES, SCHEDULER_TYPES, SYSCALLS, SYSCALLS_BY_TYPE } from './syscalls.js';

/** What to capture for a ruleset: the event types, the kernel filter of each, the program. */
export interface CapturePlan extends Program {
  filters: ReadonlyMap<string, Formula>;
  /** Rules that do not name event types, so every supported type is captured for them. */
  anyTypeRules: string[];
}

export interface PlanOptions {
  token: string;
  /** Capture host processes too (default: only processes outside the host's mount namespace). */
  host: boolean;
  hostMountNamespace: number;
  /** The agent's own pid, never captured; it also opens the program's gate. */
  agentPid: number;
  tracepoints: ReadonlySet<string>;
}

export function planCapture(ruleset: Ruleset, o: PlanOptions): CapturePlan {
  const { types, anyTypeRules } = ruleset.eventTypes();
  const wanted = new Set<string>(anyTypeRules.length > 0 ? SYSCALLS.map((s) => s.type) : types);
  for (const t of PROCESS_TYPES) wanted.add(t);
  const filters = new Map<string, Formula>();
  for (const type of wanted) {
    const spec = SYSCALLS_BY_TYPE.get(type);
    if (!spec || (PROCESS_TYPES as readonly string[]).includes(type)) continue;
    filters.set(type, kernelFilter(ruleset.rules, type, { open: !!spec.open, family: !!spec.socket }));
  }
  const program = generateProgram({
    token: o.token,
    types: [...wanted].filter((t) => !(SCHEDULER_TYPES as readonly string[]).includes(t)),
    filters,
    ...(o.host ? { excludePid: o.agentPid } : { hostMountNamespace: o.hostMountNamespace }),
    tracepoints: o.tracepoints,
    gate: { controllerPid: o.agentPid },
  });
  return { ...program, filters, anyTypeRules };
}
