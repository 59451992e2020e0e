import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BpftraceSupervisor, type Outage } from '../../../src/runtime/capture/bpftrace.js';
import { decodeRecord, type ExecRecord, type KernelRecord } from '../../../src/runtime/capture/decode.js';
import type { RawRecord } from '../../../src/runtime/capture/lines.js';
import { type CapturePlan, planCapture } from '../../../src/runtime/capture/plan.js';
import { type CaptureHost, preflight } from '../../../src/runtime/capture/preflight.js';
import { loadRuleFiles } from '../../../src/runtime/rules/engine.js';

/**
 * Real kernel capture for tests: the program Ringfence generates for some rule files, run by
 * the supervisor, every record decoded and kept. Workloads run in a mount namespace of their
 * own (`unshare -m`), so the default scope (everything outside the host's namespace) sees them
 * and each workload's records can be told apart by its namespace.
 */
export class Capture {
  readonly records: KernelRecord[] = [];
  readonly undecoded: RawRecord[] = [];
  readonly outages: Outage[] = [];
  lost = 0;
  failure: Error | undefined;
  /** Kernel monotonic clock (what bpftrace's nsecs reads) to epoch milliseconds. */
  readonly epochOffsetMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;

  private constructor(
    readonly host: CaptureHost,
    readonly plan: CapturePlan,
    readonly supervisor: BpftraceSupervisor,
  ) {}

  static async start(ruleFiles: string[]): Promise<Capture> {
    const host = preflight();
    const { ruleset } = await loadRuleFiles(ruleFiles);
    const token = `T${randomBytes(8).toString('hex')}`;
    const options = {
      token,
      host: false,
      hostMountNamespace: host.hostMountNamespace,
      agentPid: process.pid,
      tracepoints: host.tracepoints,
    };
    const plan = planCapture(ruleset, options);
    let capture: Capture | undefined;
    const pending: RawRecord[] = [];
    const supervisor = new BpftraceSupervisor(
      { bpftrace: host.bpftrace, program: programText(plan), token },
      {
        records: (raws) => {
          if (capture) capture.take(raws);
          else pending.push(...raws);
        },
        lost: (n) => {
          if (capture) capture.lost += n;
        },
        recovered: (o) => capture?.outages.push(o),
        failed: (e) => {
          if (capture) capture.failure = e;
        },
      },
    );
    capture = new Capture(host, plan, supervisor);
    capture.take(pending);
    await supervisor.start();
    return capture;
  }

  private take(raws: RawRecord[]): void {
    for (const r of raws) {
      const k = decodeRecord(r, this.epochOffsetMs);
      if (k) this.records.push(k);
      else this.undecoded.push(r);
    }
  }

  /** The exec record whose argv includes `marker`, once it has arrived. */
  async execWith(marker: string, timeoutMs = 5000): Promise<ExecRecord> {
    return (await this.waitFor(
      (r) => r.kind === 'exec' && r.argv.some((a) => a.includes(marker)),
      timeoutMs,
    )) as ExecRecord;
  }

  async waitFor(test: (r: KernelRecord) => boolean, timeoutMs = 5000): Promise<KernelRecord> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.records.find(test);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no such record within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Records of one mount namespace (one workload), after a moment for stragglers. */
  async inNamespace(mntns: number, settleMs = 600): Promise<KernelRecord[]> {
    await new Promise((r) => setTimeout(r, settleMs));
    return this.records.filter((r) => r.mntns === mntns);
  }

  stop(): Promise<void> {
    return this.supervisor.stop();
  }
}

/** The plan's program text: one program, or (when the plan splits capture) all of its shards. */
export function programText(plan: CapturePlan): string {
  const p = plan as unknown as { text?: string; shards?: { text: string }[] };
  return p.text ?? (p.shards ?? []).map((s) => s.text).join('');
}

/** Runs a shell script in a new mount namespace; resolves with its stdout. */
export function inNewMountNamespace(script: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'unshare',
      ['-m', 'sh', '-c', script],
      { env: { ...process.env, ...env }, timeout: 30_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * A python3 script run in a new mount namespace (after `prelude`, shell commands run there
 * first); its last stdout line parsed as JSON.
 */
export async function python(
  script: string,
  args: string[] = [],
  prelude = '',
): Promise<Record<string, unknown>> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = await inNewMountNamespace(`${prelude}exec /usr/bin/python3 -c "$RF_SCRIPT" ${quoted}`, {
    RF_SCRIPT: script,
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}

export const marker = (what: string) => `rf-${what}-${randomBytes(4).toString('hex')}`;
