import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from './backoff.js';

describe('exponentialBackoff', () => {
  it('doubles the ceiling with each attempt and scales it by the jitter', () => {
    const half = exponentialBackoff({ baseMs: 1_000, maxMs: 60_000, random: () => 0.5 });
    expect([1, 2, 3, 4].map(half)).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('never exceeds the cap, however many attempts', () => {
    const top = exponentialBackoff({ baseMs: 1_000, maxMs: 10_000, random: () => 0.999999 });
    expect(top(5)).toBe(9_999);
    expect(top(500)).toBe(9_999);
  });

  it('spreads retries over the whole window (full jitter), down to zero', () => {
    const none = exponentialBackoff({ baseMs: 1_000, random: () => 0 });
    expect(none(3)).toBe(0);
    const values = new Set(Array.from({ length: 50 }, () => exponentialBackoff({ baseMs: 1_000 })(4)));
    expect(values.size).toBeGreaterThan(10);
    for (const v of values) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThan(8_000);
  });
});
