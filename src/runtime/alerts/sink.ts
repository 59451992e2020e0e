/**
 * One alert output. It is given each record as JSON text (one line, serialised once for every
 * output). `send` never throws and never waits: failures are counted and logged.
 */
export interface Sink {
  readonly name: string;
  send(json: string): void;
  /** Resolves when everything sent so far is delivered or dropped. */
  flush(): Promise<void>;
  /** Flushes, within the sink's deadline, and releases what it holds. */
  close(): Promise<void>;
}
