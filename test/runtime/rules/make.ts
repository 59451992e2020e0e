import { type Alert, compileRules, type LoadResult } from '../../../src/runtime/rules/engine.js';
import type { Event } from '../../../src/types.js';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** A plausible event (an openat of a file by bash in a container), with parts replaced. */
export function event(parts: DeepPartial<Event> = {}): Event {
  const base: Event = {
    ts: 1_700_000_000_123.456,
    type: 'openat',
    proc: {
      pid: 4242,
      ppid: 4200,
      tid: 4242,
      name: 'bash',
      exe: '/bin/bash',
      exepath: '/usr/bin/bash',
      cmdline: 'bash -c cat /etc/hosts',
      args: ['-c', 'cat /etc/hosts'],
      uid: 0,
      gid: 0,
      user: 'root',
      group: 'root',
      ancestors: [
        {
          pid: 4200,
          name: 'containerd-shim',
          exe: 'containerd-shim',
          exepath: '/usr/bin/containerd-shim-runc-v2',
          cmdline: 'containerd-shim -namespace moby',
        },
        {
          pid: 1,
          name: 'systemd',
          exe: '/sbin/init',
          exepath: '/usr/lib/systemd/systemd',
          cmdline: 'systemd',
        },
      ],
    },
    fd: { num: 3, name: '/etc/hosts', type: 'file' },
    evt: { args: { flags: 'O_RDONLY|O_CLOEXEC' }, res: 3 },
    container: { id: 'c0ffee123456', name: 'web', image: 'docker.io/library/nginx:1.25' },
  };
  return merge(base, parts) as Event;
}

function merge(base: unknown, parts: unknown): unknown {
  if (parts === undefined) return base;
  if (
    parts === null ||
    typeof parts !== 'object' ||
    Array.isArray(parts) ||
    base === null ||
    typeof base !== 'object'
  )
    return parts;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(parts)) out[k] = v === undefined ? undefined : merge(out[k], v);
  return out;
}

/** A rules file with one rule around `condition` (plus any lists and macros given before it). */
export function oneRule(condition: string, preamble = '', extra = ''): string {
  return `${preamble}\n- rule: r\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: WARNING\n  warn_evttypes: false\n${extra}`;
}

export function compileOne(condition: string, preamble = ''): LoadResult {
  return compileRules([{ file: 'rules.yaml', text: oneRule(condition, preamble) }]);
}

/** Does `condition` hold for `e`? Throws if it does not compile. */
export function holds(condition: string, e: Event, preamble = ''): boolean {
  const r = compileOne(condition, preamble);
  const errors = r.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`${condition}: ${errors.map((p) => p.message).join('; ')}`);
  return r.ruleset.evaluate(e).length > 0;
}

/** The first error compiling `condition`, or undefined. */
export function compileError(condition: string, preamble = ''): string | undefined {
  return compileOne(condition, preamble).problems.find((p) => p.severity === 'error')?.message;
}

export function fired(result: LoadResult, e: Event): string[] {
  return result.ruleset.evaluate(e).map((a: Alert) => a.rule);
}
