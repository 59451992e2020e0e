import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../../util/log.js';
import { type RawRecord, RecordReader } from './lines.js';
import { GATE_KEY_BASE, STRING_BYTES } from './program.js';

/**
 * bpftrace as a supervised child: started with the generated program (in a file only root
 * can read, so the program's token stays secret), its output read into records, replaced when
 * it dies. Compiling a program takes bpftrace seconds, so a standby copy is kept attached
 * with its gate closed (see program.ts): when the running one dies the standby's gate is
 * opened and capture goes on at once, while a new standby compiles.
 */

export interface Outage {
  /** When the previous bpftrace stopped delivering events (ms since the epoch). */
  from: number;
  /** When its replacement was delivering. */
  to: number;
  /** How it ended: `exit code 1`, `signal SIGKILL`. */
  reason: string;
  /** The last lines it wrote to stderr. */
  stderr: string;
}

export interface SupervisorHandlers {
  records(records: RawRecord[]): void;
  /** bpftrace reported events it could not deliver (its buffers were full). */
  lost(count: number): void;
  /** A replacement took over after an unexpected exit: events in between were not seen. */
  recovered(outage: Outage): void;
  /** bpftrace keeps failing to start; the supervisor has stopped trying. */
  failed(error: Error): void;
}

export interface SupervisorOptions {
  bpftrace: string;
  /** The program; its gate key is passed as the first positional parameter. */
  program: string;
  token: string;
  /** Keep a standby copy attached (default true). */
  standby?: boolean;
  /** First delay before starting again after a failed start; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Starts that fail in a row (exit before ready) before giving up. */
  maxFailedStarts?: number;
}

interface Child {
  proc: ChildProcess;
  /** The number that opens this child's gate. */
  key: number;
  attached: boolean;
  open: boolean;
  stderr: string[];
}

const STDERR_LINES = 20;
/** Per-CPU perf buffer pages: 1 MiB per CPU absorbs bursts better than bpftrace's default 256 KiB. */
const PERF_BUFFER_PAGES = 256;

export class BpftraceSupervisor {
  private active: Child | undefined;
  private standby: Child | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ringfence-bpf-'));
  private readonly programFile = join(this.dir, 'capture.bt');
  private keys = 0;
  private stopping = false;
  private failedStarts = 0;
  private backoff: number;
  private timer: NodeJS.Timeout | undefined;
  private outage: { from: number; reason: string; stderr: string } | undefined;
  private starting: { ready: () => void; notReady: (err: Error) => void } | undefined;

  constructor(
    private readonly o: SupervisorOptions,
    private readonly on: SupervisorHandlers,
  ) {
    writeFileSync(this.programFile, o.program, { mode: 0o600 });
    this.backoff = o.initialBackoffMs ?? 250;
  }

  /** Starts bpftrace; resolves once its probes deliver, rejects if it exits first. */
  start(): Promise<void> {
    return new Promise((ready, notReady) => {
      this.starting = { ready, notReady };
      this.active = this.launch();
    });
  }

  /** Stops every bpftrace (SIGTERM, then SIGKILL after `graceMs`) and removes the program file. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await Promise.all([this.active, this.standby].map((c) => c && terminate(c.proc, graceMs)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private launch(): Child {
    const key = GATE_KEY_BASE + this.keys++;
    const proc = spawn(this.o.bpftrace, [this.programFile, String(key)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPFTRACE_STRLEN: String(STRING_BYTES),
        BPFTRACE_PERF_RB_PAGES: String(PERF_BUFFER_PAGES),
      },
    });
    const child: Child = { proc, key, attached: false, open: false, stderr: [] };
    const reader = new RecordReader(this.o.token);
    let lost = 0;
    proc.stdout!.setEncoding('latin1');
    proc.stderr!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      const records = reader.push(chunk);
      if (!child.attached && reader.ready) {
        child.attached = true;
        this.attached(child);
      }
      if (reader.lost > lost) {
        this.on.lost(reader.lost - lost);
        lost = reader.lost;
      }
      if (records.length > 0) this.on.records(records);
    });
    proc.stderr!.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line.trim() === '' || line.includes('RLIMIT_MEMLOCK')) continue;
        child.stderr.push(line);
        if (child.stderr.length > STDERR_LINES) child.stderr.shift();
      }
    });
    proc.once('error', (err) => {
      child.stderr.push(`cannot run ${this.o.bpftrace}: ${err.message}`);
    });
    proc.once('close', (code, signal) =>
      this.closed(child, signal ? `signal ${signal}` : `exit code ${code}`),
    );
    return child;
  }

  private attached(child: Child): void {
    this.failedStarts = 0;
    this.backoff = this.o.initialBackoffMs ?? 250;
    if (child === this.active) this.takeOver(child);
  }

  /** Opens the gate of `child` (attached, now the active one) and starts a standby behind it. */
  private takeOver(child: Child): void {
    try {
      process.kill(child.key, 0);
    } catch {
      // ESRCH, as intended: no process has that number
    }
    child.open = true;
    if (this.outage) {
      const { from, reason, stderr } = this.outage;
      this.outage = undefined;
      this.on.recovered({ from, to: Date.now(), reason, stderr });
    }
    this.starting?.ready();
    this.starting = undefined;
    if ((this.o.standby ?? true) && !this.standby && !this.stopping) this.standby = this.launch();
  }

  private closed(child: Child, reason: string): void {
    if (this.stopping) return;
    const text = child.stderr.join('\n');
    if (child === this.standby) {
      this.standby = undefined;
      if (!child.attached)
        this.failedStart(new Error(startError(reason, text)), () => this.relaunchStandby());
      else this.relaunchStandby();
      return;
    }
    if (child !== this.active) return;
    this.active = undefined;
    if (!child.attached) {
      const err = new Error(startError(reason, text));
      if (this.starting) {
        this.starting.notReady(err);
        this.starting = undefined;
        return;
      }
      this.failedStart(err, () => {
        this.active = this.launch();
      });
      return;
    }
    this.outage ??= { from: Date.now(), reason, stderr: text };
    log.warn(`bpftrace stopped (${reason}); ${this.standby ? 'its standby takes over' : 'restarting it'}`);
    const next = this.standby;
    this.standby = undefined;
    this.active = next ?? this.launch();
    if (next?.attached) this.takeOver(next);
  }

  private relaunchStandby(): void {
    if (!this.stopping && !this.standby && this.active?.open) this.standby = this.launch();
  }

  /** Tries again after a growing delay, or gives up after too many failed starts in a row. */
  private failedStart(err: Error, retry: () => void): void {
    this.failedStarts++;
    if (this.failedStarts >= (this.o.maxFailedStarts ?? 5)) {
      this.on.failed(err);
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(retry, this.backoff);
    this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs ?? 5000);
  }
}

function startError(reason: string, stderr: string): string {
  return `bpftrace stopped before its probes were attached (${reason})${stderr ? `: ${stderr}` : ''}`;
}

async function terminate(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('close', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
