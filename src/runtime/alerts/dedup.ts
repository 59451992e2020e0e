import { createHash } from 'node:crypto';

/**
 * Remembers what was sent for `windowMs`: the same rule, container and output text again
 * within the window is a duplicate. Keys are hashed, so an entry's size does not depend on the
 * output's length, and at most `maxKeys` are kept (the oldest are forgotten first).
 */
export class Deduplicator {
  /** Key → when its window ends; insertion order is expiry order, as every window is as long. */
  private readonly until = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    readonly maxKeys = 10_000,
  ) {}

  /** True when an identical alert was sent less than `windowMs` ago; otherwise remembers this one. */
  isDuplicate(rule: string, containerId: string, output: string, now: number): boolean {
    this.forgetExpired(now);
    const key = createHash('sha256')
      .update(`${rule.length}:${rule}${containerId.length}:${containerId}`)
      .update(output)
      .digest('base64');
    if (this.until.has(key)) return true;
    if (this.until.size >= this.maxKeys) this.until.delete(this.until.keys().next().value!);
    this.until.set(key, now + this.windowMs);
    return false;
  }

  private forgetExpired(now: number): void {
    for (const [key, until] of this.until) {
      if (until > now) return;
      this.until.delete(key);
    }
  }
}
