/**
 * Puts events back in time order. bpftrace reads one buffer per CPU, so a thread that moved
 * between CPUs can have a later event printed before an earlier one (an open before the exec
 * that started the program). Events are held for `windowMs` and released sorted; one that
 * arrives later than that is released at once (late, but not lost).
 */
export class ReorderWindow<T extends { ts: number }> {
  private held: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly release: (items: T[]) => void,
    /** Beyond this many held items, everything is released at once. */
    private readonly maxHeld = 100_000,
  ) {}

  add(items: readonly T[]): void {
    for (const item of items) this.held.push(item);
    if (this.held.length > this.maxHeld) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.due(), this.windowMs);
  }

  /** Releases everything held, in order. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.held.sort(byTime);
    this.held = [];
    if (items.length > 0) this.release(items);
  }

  private due(): void {
    this.timer = undefined;
    const cutoff = Date.now() - this.windowMs;
    this.held.sort(byTime);
    let n = 0;
    while (n < this.held.length && this.held[n]!.ts <= cutoff) n++;
    const ready = this.held.slice(0, n);
    this.held = this.held.slice(n);
    if (this.held.length > 0) this.timer = setTimeout(() => this.due(), this.windowMs);
    if (ready.length > 0) this.release(ready);
  }
}

const byTime = (a: { ts: number }, b: { ts: number }) => a.ts - b.ts;
