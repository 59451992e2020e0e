// Timing helpers shared by the benches.
import { spawnSync } from 'node:child_process';

/** The shortest of `rounds` runs of `fn` in milliseconds, each after a GC (when --expose-gc gave one). */
export async function bestOf(rounds, fn) {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    const t = process.hrtime.bigint();
    await fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return min;
}

/** Runs a command to completion: its wall time in milliseconds and its stdout; failing is an error. */
export function timed(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed (${r.status})`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: r.stdout.toString() };
}
