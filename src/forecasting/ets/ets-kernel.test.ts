import { describe, expect, it } from 'vitest';
import { etsFilter, etsLikelihood, SEASON_ADD, SEASON_NONE } from './ets-kernel.js';
import { fitEtsForm } from './ets-estimate.js';
import { etsForecast } from './ets-forecast.js';

describe('ETS recursions', () => {
  it('ANN with alpha 0.5 from level 10, by hand', () => {
    // f1 = 10, e1 = 2, l1 = 11; f2 = 11, e2 = -1, l2 = 10.5; f3 = 10.5, e3 = 1.5, l3 = 11.25
    const y = Float64Array.from([12, 10, 12]);
    const spec = { multError: false, trend: false, season: SEASON_NONE, m: 1 };
    const p = { alpha: 0.5, beta: 0, gamma: 0, phi: 1 };
    const run = etsFilter(y, spec, p, 10, 0, new Float64Array(0));
    expect(Array.from(run.fitted)).toEqual([10, 11, 10.5]);
    expect(run.final.l).toBeCloseTo(11.25, 12);
    expect(run.lik).toBeCloseTo(3 * Math.log(4 + 1 + 2.25), 12);
    expect(etsLikelihood(y, spec, p, 10, 0, new Float64Array(0), new Float64Array(1))).toBeCloseTo(run.lik, 12);
  });

  it('ANA rotates the seasonal states and updates the one just used', () => {
    const y = Float64Array.from([11, 9, 11]);
    const spec = { multError: false, trend: false, season: SEASON_ADD, m: 2 };
    const p = { alpha: 0.1, beta: 0, gamma: 0.2, phi: 1 };
    const run = etsFilter(y, spec, p, 10, 0, Float64Array.from([1, -1]));
    // t1: f = 10 + 1 = 11, e = 0 -> l = 10, s = 1; t2: f = 10 - 1 = 9, e = 0; t3: f = 11 again.
    expect(Array.from(run.fitted)).toEqual([11, 9, 11]);
    expect(Array.from(run.residuals)).toEqual([0, 0, 0]);
  });

  it('a multiplicative-error model refuses a non-positive one-step forecast', () => {
    const y = Float64Array.from([1, 2, 3]);
    const spec = { multError: true, trend: false, season: SEASON_NONE, m: 1 };
    expect(etsLikelihood(y, spec, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, -1, 0, new Float64Array(0), new Float64Array(1))).toBe(Infinity);
  });
});

describe('ETS forecast variance', () => {
  it('AAN: sigma^2 (1 + sum (alpha + beta j)^2), the class 1 formula', () => {
    const y = [3, 5, 4, 6, 8, 7, 9, 11, 10, 12, 14, 13];
    const fit = fitEtsForm(y, 1, { error: 'A', trend: 'A', season: 'N' });
    const f = etsForecast(fit, 4, [95]);
    const { alpha, beta } = fit.params;
    let acc = 0;
    for (let h = 1; h <= 4; h++) {
      if (h > 1) acc += (alpha + beta * (h - 1)) ** 2;
      expect(f.variance[h - 1]).toBeCloseTo(fit.sigma2 * (1 + acc), 9);
      expect(f.mean[h - 1]).toBeCloseTo(fit.run.final.l + h * fit.run.final.b, 9);
    }
    const half = f.intervals[0].upper[0] - f.mean[0];
    expect(half).toBeCloseTo(1.959964 * Math.sqrt(fit.sigma2), 4);
  });
});
