import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReorderWindow } from '../../../src/runtime/capture/reorder.js';

describe('ReorderWindow', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('releases events in time order once they are older than the window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -80, max: 0 }), { maxLength: 10 }), { maxLength: 10 }),
        (batches) => {
          vi.setSystemTime(1_000_000);
          const out: { ts: number; n: number }[] = [];
          const w = new ReorderWindow<{ ts: number; n: number }>(100, (items) => out.push(...items));
          let n = 0;
          for (const batch of batches) {
            // Events arrive up to 80 ms after they happened, in any order.
            w.add(batch.map((d) => ({ ts: Date.now() + d, n: n++ })));
            vi.advanceTimersByTime(10);
          }
          vi.advanceTimersByTime(1000);
          expect(out).toHaveLength(n);
          for (let i = 1; i < out.length; i++) expect(out[i]!.ts).toBeGreaterThanOrEqual(out[i - 1]!.ts);
        },
      ),
    );
  });

  it('holds an event for the window, then releases it; a late one goes at the next release', () => {
    const out: number[] = [];
    const w = new ReorderWindow<{ ts: number }>(100, (items) => out.push(...items.map((i) => i.ts)));
    w.add([{ ts: 1_000_000 }]);
    vi.advanceTimersByTime(50);
    w.add([{ ts: 999_990 }]);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(60);
    expect(out).toEqual([999_990, 1_000_000]);
    // Far older than the window: not lost, released at the next tick.
    w.add([{ ts: 1 }]);
    vi.advanceTimersByTime(100);
    expect(out).toEqual([999_990, 1_000_000, 1]);
  });

  it('keeps a newer event back while releasing the older ones', () => {
    const out: number[] = [];
    const w = new ReorderWindow<{ ts: number }>(100, (items) => out.push(...items.map((i) => i.ts)));
    w.add([{ ts: 1_000_000 }, { ts: 1_000_090 }]);
    vi.advanceTimersByTime(100);
    expect(out).toEqual([1_000_000]);
    vi.advanceTimersByTime(100);
    expect(out).toEqual([1_000_000, 1_000_090]);
  });

  it('flush releases everything in order; too many held releases at once', () => {
    const out: number[][] = [];
    const w = new ReorderWindow<{ ts: number }>(100, (items) => out.push(items.map((i) => i.ts)), 3);
    w.add([{ ts: 5 }, { ts: 3 }]);
    expect(out).toEqual([]);
    w.add([{ ts: 4 }, { ts: 1 }]);
    expect(out).toEqual([[1, 3, 4, 5]]);
    w.add([{ ts: 9 }, { ts: 8 }]);
    w.flush();
    expect(out).toEqual([
      [1, 3, 4, 5],
      [8, 9],
    ]);
    w.flush();
    expect(out).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(out).toHaveLength(2);
  });
});
