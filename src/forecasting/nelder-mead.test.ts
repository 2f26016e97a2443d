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
});
