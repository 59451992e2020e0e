import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { inputError } from '../../util/errors.js';
import { log } from '../../util/log.js';
import type { AlertMetrics, DropReason } from './alert-metrics.js';
import { withinDeadline } from './deadline.js';
import type { Sink } from './sink.js';

/** Bytes the stream may hold unwritten before records are dropped rather than buffered. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Opens FILE for appending (created 0600: alerts name processes and files) or fails with a UserError now. */
export function openAppend(path: string): Writable {
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
  } catch (err) {
    throw inputError(path, `cannot open alert output (${(err as NodeJS.ErrnoException).code ?? err})`, err);
  }
  return createWriteStream('', { fd });
}

/**
 * One JSON object per line on a stream: stdout, or a file opened by `openAppend`. A stream
 * that cannot keep up or fails costs the records it cannot take (counted), never the agent.
 */
export class JsonLinesSink implements Sink {
  private failed = false;
  private readonly delivered;
  private readonly droppedBackpressure;
  private readonly droppedWriteError;

  constructor(
    readonly name: 'stdout' | 'file',
    private readonly stream: Writable,
    private readonly ownsStream: boolean,
    private readonly metrics: AlertMetrics,
    private readonly limits: { closeTimeoutMs: number; maxBufferedBytes?: number },
  ) {
    this.delivered = metrics.delivered.labels({ sink: name });
    this.droppedBackpressure = this.dropCounter('backpressure');
    this.droppedWriteError = this.dropCounter('write_error');
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.failed)
        log.error(`alert output ${name}: ${err.code ?? err.message}; further alerts are dropped`);
      this.failed = true;
    });
  }

  send(json: string): void {
    if (this.failed || this.stream.destroyed) {
      this.droppedWriteError.inc();
      return;
    }
    if (this.stream.writableLength > (this.limits.maxBufferedBytes ?? MAX_BUFFERED_BYTES)) {
      this.droppedBackpressure.inc();
      return;
    }
    this.stream.write(`${json}\n`, (err) => (err ? this.droppedWriteError.inc() : this.delivered.inc()));
  }

  /** An empty write completes after every write before it. */
  flush(): Promise<void> {
    if (this.failed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }

  /** Waits at most `closeTimeoutMs` for the stream to take what it holds; a file is then closed. */
  async close(): Promise<void> {
    const done = this.ownsStream ? this.end() : this.flush();
    if (await withinDeadline(done, this.limits.closeTimeoutMs)) return;
    log.warn(`alert output ${this.name}: ${this.stream.writableLength} bytes still unwritten at close`);
    if (this.ownsStream) this.stream.destroy();
  }

  private end(): Promise<void> {
    if (this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.once('error', () => resolve());
      this.stream.end(() => resolve());
    });
  }

  private dropCounter(reason: DropReason) {
    return this.metrics.dropped.labels({ sink: this.name, reason });
  }
}
