import { describe, expect, it } from 'vitest';
import { combinationFactors } from './combination-factors.js';

describe('combinationFactors', () => {
  // 40 errors 0.1, 0.2, ..., 4.0 (alternating sign) about a forecast of 0, one step ahead each, against a band of +-h.
  const errors = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1) * 0.1 * (i + 1));
  const actual = errors.map((e) => [e]);
  const forecast = errors.map(() => [0]);
  const band = (level: number, h: number) => ({ level, lower: [-h], upper: [h] });

  it('narrows a band the errors fall well inside, where enough errors lie beyond the conformal rank', () => {
    // 80%: rank ceil(41 * 0.8) = 33, ratio 3.3 / 10 = 0.33, 7 errors beyond it; shrunk with weight 40 / 60.
    const [f80] = combinationFactors(actual, forecast, [0], [band(80, 10)])!;
    expect(f80).toBeCloseTo(Math.exp((40 / 60) * Math.log(0.33)), 10);
    expect(f80).toBeLessThan(1);
  });

  it('never narrows a tail level whose quantile rests on the few largest errors', () => {
    // 95%: rank ceil(41 * 0.95) = 39, one error beyond it: the factor would be 0.39, it stays 1.
    expect(combinationFactors(actual, forecast, [0], [band(95, 10)])).toEqual([1]);
  });

  it('widens a band the errors leave, at every level', () => {
    const [f80, f95] = combinationFactors(actual, forecast, [0], [band(80, 1), band(95, 1)])!;
    expect(f80).toBeCloseTo(Math.exp((40 / 60) * Math.log(3.3)), 10);
    expect(f95).toBeCloseTo(Math.exp((40 / 60) * Math.log(3.9)), 10);
  });

  it('counts an error outside a zero-width band as an exceedance, and needs 6 errors', () => {
    const [f] = combinationFactors([[1, 1, 1, 1, 1, 1]], [[0, 0, 0, 0, 0, 0]], [0], [band(80, 0)])!;
    // Every ratio infinite: the largest finite one does not exist, 1 stands in.
    expect(f).toBe(1);
    expect(combinationFactors([[1, 1]], [[0, 0]], [0], [band(80, 1)])).toBeNull();
  });

  it('reads a side cut off at the floor by its other half, so errors there cannot blow up the band', () => {
    // A combined forecast clipped to 0 (non-negative history): its lower half is 0, not the spread.
    // 20 origins forecast 1: 16 saw 0 (below the mean), 3 saw 2 and one 9 (above).
    const cvActual = [[...Array<number>(16).fill(0), 2, 2, 2, 9]];
    const cvForecast = [Array<number>(20).fill(1)];
    const floored = { level: 80, lower: [0], upper: [2] };
    // The lower bound stays on the floor, so the lower-side errors are inside the band at any
    // factor (ratios 0): the quantile (rank 17 of 20) is the upper side's 0.5, and with 3 errors
    // beyond it the band may not narrow.
    expect(combinationFactors(cvActual, cvForecast, [0], [floored], 0)).toEqual([1]);
    // Without a floor the zero half is a band with no spread below the mean: 16 exceedances, and
    // the largest finite ratio (8 / 2) stands in: 4^(20/40).
    expect(combinationFactors(cvActual, cvForecast, [0], [floored])![0]).toBeCloseTo(2, 10);
  });

  it('leaves out errors that are not finite numbers', () => {
    const [f] = combinationFactors([[1, Number.NaN, 1, 1, 1, 1, 1]], [[0, 0, 0, 0, 0, 0, 0]], [0], [band(80, 2)])!;
    // Six errors of 1 against a half-width of 2: ratio 0.5 at rank 6 of 6, which may not narrow.
    expect(f).toBe(1);
    expect(combinationFactors([[1, Number.NaN, 1, 1, 1, 1]], [[0, 0, 0, 0, 0, 0]], [0], [band(80, 2)])).toBeNull();
  });
});
