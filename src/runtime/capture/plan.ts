import type { Ruleset } from '../rules/ruleset.js';
import { type Formula, kernelFilter } from './narrow.js';
import { generateProgram, type Program } from './program.js';
import { PROCESS_TYPES, SCHEDULER_TYPES, SYSCALLS, SYSCALLS_BY_TYPE } from './syscalls.js';

/**
 * What to capture for a ruleset: the event types, the kernel filter of each, and the
 * programs. Capture can be split over several bpftrace processes (`shards`): each compiles
 * in parallel and, when one dies, only its share is recompiled, so capture is back sooner.
 */
export interface CapturePlan {
  /** One program per bpftrace process; the first also follows exec, fork and exit. */
  shards: Program[];
  /** Types that have probes, over every shard. */
  captured: string[];
  /** Types asked for that this kernel or Ringfence cannot capture. */
  unavailable: string[];
  filters: ReadonlyMap<string, Formula>;
  /** Rules that do not name event types, so every supported type is captured for them. */
  anyTypeRules: string[];
}

export interface PlanOptions {
  token: string;
  /** Capture host processes too (default: only processes outside the host's mount namespace). */
  host: boolean;
  hostMountNamespace: number;
  /** The agent's own pid, never captured. */
  agentPid: number;
  tracepoints: ReadonlySet<string>;
  /** bpftrace processes to split capture over (default 1). */
  shards?: number;
}

/** The exec, fork and exit probes cost about as much to compile as this many syscall types. */
const LIFECYCLE_WEIGHT = 4;

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
  const syscallTypes = [...wanted].filter((t) => !(SCHEDULER_TYPES as readonly string[]).includes(t)).sort();
  const shards = split(syscallTypes, Math.max(1, o.shards ?? 1)).map((shardTypes, i) =>
    generateProgram({
      token: o.token,
      types: shardTypes,
      filters,
      ...(o.host ? { excludePid: o.agentPid } : { hostMountNamespace: o.hostMountNamespace }),
      tracepoints: o.tracepoints,
      lifecycle: i === 0,
    }),
  );
  return {
    shards,
    captured: shards.flatMap((s) => s.captured),
    unavailable: shards.flatMap((s) => s.unavailable),
    filters,
    anyTypeRules,
  };
}

/** Types dealt over `n` shards, the first carrying the lifecycle probes as extra weight. */
function split(types: string[], n: number): string[][] {
  const shards: string[][] = Array.from({ length: n }, () => []);
  const load: number[] = shards.map((_, i) => (i === 0 && n > 1 ? LIFECYCLE_WEIGHT : 0));
  for (const t of types) {
    const i = load.indexOf(Math.min(...load));
    shards[i]!.push(t);
    load[i]!++;
  }
  return shards.filter((s, i) => i === 0 || s.length > 0);
}
