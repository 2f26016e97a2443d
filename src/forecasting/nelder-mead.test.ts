import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead.js';

describe('nelderMead', () => {
  it('finds the minimum of a bowl', () => {
    const r = nelderMead((x) => (x[0] - 0.3) ** 2 + (x[1] + 2) ** 2, [0, 0], { lower: [-5, -5], upper: [5, 5] });
    expect(r.x[0]).toBeCloseTo(0.3, 4);
    expect(r.x[1]).toBeCloseTo(-2, 4);
  });
  it('stays inside the bounds when the minimum lies outside', () => {
    const r = nelderMead((x) => (x[0] - 3) ** 2, [0.5], { lower: [0], upper: [1] });
    expect(r.x[0]).toBeCloseTo(1, 6);
  });
  it('clamps a half-bounded coordinate and leaves an unbounded one free (ETS: smoothing parameters and initial states)', () => {
    // Minimum at (-2, 1e6): the first coordinate is held at its lower bound, the second goes far.
    const r = nelderMead((x) => (x[0] + 2) ** 2 + ((x[1] - 1e6) / 1e5) ** 2, [0.5, 0], {
      lower: [0, Number.NEGATIVE_INFINITY], upper: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], tolerance: 1e-12, maxIterations: 2000,
    });
    expect(r.x[0]).toBe(0);
    expect(r.x[1]).toBeCloseTo(1e6, -1);
  });
  it('treats a NaN or missing bound as before: the coordinate becomes NaN and the fit reports no finite value', () => {
    // complex-es and dynamic-theta derive bounds from the data (a NaN level gives NaN bounds) and fall
    // back to their start when the value is not finite; only a (-Infinity, +Infinity) pair is free.
    const f = (x: number[]) => (x[0] - 3) ** 2 + (x[1] - 1) ** 2;
    for (const bounds of [{ lower: [Number.NaN, -5], upper: [Number.NaN, 5] }, { lower: [-5], upper: [5] }]) {
      const r = nelderMead(f, [0.5, 0.5], bounds);
      expect(r.x[bounds.lower.length === 1 ? 1 : 0]).toBeNaN();
      expect(Number.isFinite(r.value)).toBe(false);
    }
  });
});
