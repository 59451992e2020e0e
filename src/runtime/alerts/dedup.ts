import { createHash } from 'node:crypto';

/** Longer keys are hashed: a remembered key costs at most about 1 KiB. */
const MAX_PLAIN_KEY = 512;

/**
 * Remembers what was sent for `windowMs`: the same rule, container and output text again
 * within the window is a duplicate. At most `maxKeys` are kept (the oldest are forgotten
 * first). Short keys are kept as they are because hashing costs more than the comparison.
 */
export class Deduplicator {
  private readonly remembered = new Set<string>();
  /** The remembered keys, oldest first, in a ring: as every window is as long, also soonest to expire first. */
  private readonly keys: string[];
  private readonly until: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly windowMs: number,
    readonly maxKeys = 10_000,
  ) {
    this.keys = new Array(maxKeys);
    this.until = new Float64Array(maxKeys);
  }

  /** True when an identical alert was sent less than `windowMs` ago; otherwise remembers this one. */
  isDuplicate(rule: string, containerId: string, output: string, now: number): boolean {
    while (this.size > 0 && this.until[this.head]! <= now) this.forgetOldest();
    const text = `${rule.length}:${rule}${containerId.length}:${containerId}${output}`;
    const key = text.length <= MAX_PLAIN_KEY ? text : createHash('sha256').update(text).digest('base64');
    if (this.remembered.has(key)) return true;
    if (this.size === this.maxKeys) this.forgetOldest();
    const slot = (this.head + this.size) % this.maxKeys;
    this.keys[slot] = key;
    this.until[slot] = now + this.windowMs;
    this.size++;
    this.remembered.add(key);
    return false;
  }

  private forgetOldest(): void {
    this.remembered.delete(this.keys[this.head]!);
    this.head = (this.head + 1) % this.maxKeys;
    this.size--;
  }
}
