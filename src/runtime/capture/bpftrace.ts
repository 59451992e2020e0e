import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../../util/log.js';
import { type RawRecord, RecordReader } from './lines.js';
import { STRING_BYTES } from './program.js';

/**
 * bpftrace as a supervised child: started with the generated program (in a file only root
 * can read, so the program's token stays secret), its output read into records, restarted
 * when it dies, with a backoff that grows only while it keeps failing.
 */

export interface Outage {
  /** When the previous bpftrace stopped delivering events (ms since the epoch). */
  from: number;
  /** When its replacement had its probes attached. */
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
  /** A replacement is attached after an unexpected exit: events in between were not seen. */
  recovered(outage: Outage): void;
  /** bpftrace keeps failing to start; the supervisor has stopped trying. */
  failed(error: Error): void;
}

export interface SupervisorOptions {
  bpftrace: string;
  program: string;
  token: string;
  /** First restart delay; doubles after each failed start up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Starts that fail in a row (exit before ready) before giving up. */
  maxFailedStarts?: number;
}

const STDERR_LINES = 20;
/** Per-CPU perf buffer pages: 1 MiB per CPU absorbs bursts better than bpftrace's default 256 KiB. */
const PERF_BUFFER_PAGES = 256;

export class BpftraceSupervisor {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ringfence-bpf-'));
  private readonly programFile = join(this.dir, 'capture.bt');
  private stopping = false;
  private failedStarts = 0;
  private backoff: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private outage: { from: number; reason: string; stderr: string } | undefined;

  constructor(
    private readonly o: SupervisorOptions,
    private readonly on: SupervisorHandlers,
  ) {
    writeFileSync(this.programFile, o.program, { mode: 0o600 });
    this.backoff = o.initialBackoffMs ?? 250;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts bpftrace; resolves once its probes are attached, rejects if it exits first. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.launch(resolve, reject));
  }

  /** Stops bpftrace (SIGTERM, then SIGKILL after `graceMs`) and removes the program file. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('close', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private launch(ready: () => void, notReady: (err: Error) => void): void {
    const reader = new RecordReader(this.o.token);
    const stderr: string[] = [];
    let attached = false;
    let lost = 0;
    const child = spawn(this.o.bpftrace, [this.programFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPFTRACE_STRLEN: String(STRING_BYTES),
        BPFTRACE_PERF_RB_PAGES: String(PERF_BUFFER_PAGES),
      },
    });
    this.child = child;
    child.stdout!.setEncoding('latin1');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      const records = reader.push(chunk);
      if (!attached && reader.ready) {
        attached = true;
        this.failedStarts = 0;
        this.backoff = this.o.initialBackoffMs ?? 250;
        if (this.outage) {
          const { from, reason, stderr: text } = this.outage;
          this.outage = undefined;
          this.on.recovered({ from, to: Date.now(), reason, stderr: text });
        }
        ready();
      }
      if (reader.lost > lost) {
        this.on.lost(reader.lost - lost);
        lost = reader.lost;
      }
      if (records.length > 0) this.on.records(records);
    });
    child.stderr!.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '' || line.includes('RLIMIT_MEMLOCK')) continue;
        stderr.push(line);
        if (stderr.length > STDERR_LINES) stderr.shift();
      }
    });
    child.once('error', (err) => {
      if (!attached) notReady(new Error(`cannot run ${this.o.bpftrace}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      if (this.stopping) return;
      const reason = signal ? `signal ${signal}` : `exit code ${code}`;
      const text = stderr.join('\n');
      if (!attached) {
        this.failedStarts++;
        const err = new Error(
          `bpftrace stopped before its probes were attached (${reason})${text ? `: ${text}` : ''}`,
        );
        if (this.outage === undefined) {
          notReady(err);
          return;
        }
        if (this.failedStarts >= (this.o.maxFailedStarts ?? 5)) {
          this.on.failed(err);
          return;
        }
      } else {
        this.outage = { from: Date.now(), reason, stderr: text };
        log.warn(`bpftrace stopped (${reason}); restarting it${text ? `: ${text.split('\n').pop()}` : ''}`);
      }
      // The first restart after a run is immediate; failed starts back off.
      const delay = attached ? 0 : this.backoff;
      if (!attached) this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs ?? 5000);
      this.restartTimer = setTimeout(
        () =>
          this.launch(
            () => {},
            () => {},
          ),
        delay,
      );
    });
  }
}
