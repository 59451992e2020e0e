import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../src/runtime/alerts/bounded-queue.js';

describe('BoundedQueue', () => {
  it('property: behaves as an array that drops its oldest items beyond capacity', () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer() }),
      fc.record({ take: fc.integer({ min: 0, max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        const q = new BoundedQueue<number>(capacity);
        const model: number[] = [];
        for (const o of ops) {
          if ('push' in o) {
            model.push(o.push);
            const evicted = model.length > capacity;
            if (evicted) model.shift();
            expect(q.push(o.push)).toBe(evicted);
          } else {
            expect(q.take(o.take)).toEqual(model.splice(0, o.take));
          }
          expect(q.length).toBe(model.length);
        }
      }),
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow(RangeError);
  });
});
