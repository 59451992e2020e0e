import type { SinkRecord } from './record.js';

/** One alert output. `send` never throws and never waits: failures are counted and logged. */
export interface Sink {
  readonly name: string;
  send(record: SinkRecord): void;
  /** Resolves when everything sent so far is delivered or dropped. */
  flush(): Promise<void>;
  /** Flushes, within the sink's deadline, and releases what it holds. */
  close(): Promise<void>;
}
