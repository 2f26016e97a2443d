import { describe, expect, it } from 'vitest';
import { admissible } from './arima.js';

/** Roots of 1 + t1 z + t2 z^2 all outside the unit circle: the MA(2) factor is invertible. */
function invertibleByRoots(t1: number, t2: number): boolean {
  const disc = t1 * t1 - 4 * t2;
  if (disc >= 0) {
    const r1 = (-t1 + Math.sqrt(disc)) / (2 * t2);
    const r2 = (-t1 - Math.sqrt(disc)) / (2 * t2);
    return Math.abs(r1) > 1 && Math.abs(r2) > 1;
  }
  return Math.sqrt(1 / t2) > 1; // complex pair: |z|^2 = 1 / t2
}

describe('ARIMA admissibility', () => {
  it('MA(2) invertibility is the region of 1 + theta1 B + theta2 B^2, not its mirror', () => {
    expect(admissible([0.6, 0.5], 0, 2, 1)).toBe(true);
    expect(admissible([-0.9, -0.5], 0, 2, 1)).toBe(false);
    // The AR(2) triangle for 1 - phi1 B - phi2 B^2 is unchanged.
    expect(admissible([0.6, 0.3], 0, 2, -1)).toBe(true);
    expect(admissible([0.6, 0.5], 0, 2, -1)).toBe(false);
  });

  it('agrees with the roots of the MA polynomial on a grid away from the 0.99 margin', () => {
    for (let a = -1.9; a <= 1.9; a += 0.1) {
      for (let b = -0.9; b <= 0.9; b += 0.1) {
        if (Math.abs(b) < 1e-9) continue;
        // Points within the 0.99 safety margin of the boundary are rejected on purpose.
        if (Math.abs(Math.abs(b) - 1) < 0.02 || Math.abs(-a - b - 1) < 0.02 || Math.abs(a - b - 1) < 0.02) continue;
        expect(admissible([a, b], 0, 2, 1), `theta = (${a.toFixed(1)}, ${b.toFixed(1)})`).toBe(invertibleByRoots(a, b));
      }
    }
  });
});
