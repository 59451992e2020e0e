import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from '../../../src/runtime/alerts/retry.js';

describe('backoffDelay', () => {
  it('property: between half and all of min(max, base × 2^(attempt-1))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, max, r) => {
          const ceiling = Math.min(max, base * 2 ** (attempt - 1));
          const d = backoffDelay(attempt, base, max, () => r);
          expect(d).toBeGreaterThanOrEqual(ceiling / 2);
          expect(d).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });

  it('doubles per attempt until the cap', () => {
    const top = (attempt: number): number => backoffDelay(attempt, 500, 30_000, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 01 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const bad of [undefined, '', '-5', '1.5', 'soon', '2025-01-01', 'Wed, 01 Jan 2025 99:00:00 GMT'])
      expect(retryAfterMs(bad, now)).toBeUndefined();
  });
});
