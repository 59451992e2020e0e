/** A FIFO of at most `capacity` items in a ring buffer; pushing onto a full queue evicts the oldest. */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`queue capacity ${capacity}`);
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends `item`; returns true when the oldest item was evicted to make room. */
  push(item: T): boolean {
    const evicted = this.size === this.capacity;
    this.items[(this.head + this.size) % this.capacity] = item;
    if (evicted) this.head = (this.head + 1) % this.capacity;
    else this.size++;
    return evicted;
  }

  /** Removes and returns up to `n` items, oldest first. */
  take(n: number): T[] {
    const out: T[] = [];
    while (out.length < n && this.size > 0) {
      out.push(this.items[this.head] as T);
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
    return out;
  }
}
