import { describe, expect, it } from 'vitest';
import { fitTheta, thetaMean, multiplicativeAdjustment } from './theta.js';
import { runForecast } from './run-forecast.js';

describe('Theta', () => {
  it('forecasts l_n + b/2 ((h - 1) + (1 - (1 - alpha)^n) / alpha) with b the linear trend slope', () => {
    const x = [10, 12, 13, 15, 16, 18, 21, 22, 23, 26];
    const fit = fitTheta(x, 2);
    // slope of lsfit(0:9, x), by hand: sum (t - 4.5)(x - 17.6) / sum (t - 4.5)^2
    const xbar = x.reduce((a, b) => a + b, 0) / x.length;
    let num = 0;
    let den = 0;
    x.forEach((v, t) => { num += (t - 4.5) * (v - xbar); den += (t - 4.5) ** 2; });
    expect(fit.drift).toBeCloseTo(num / den / 2, 12);
    const mean = thetaMean(fit, 3);
    const c = (1 - (1 - fit.alpha) ** x.length) / fit.alpha;
    expect(mean[0]).toBeCloseTo(fit.level + fit.drift * c, 10);
    expect(mean[2] - mean[1]).toBeCloseTo(fit.drift, 10);
  });

  it('theta = 1 is plain SES (no drift)', () => {
    const fit = fitTheta([5, 7, 6, 8, 9, 8, 10], 1);
    expect(fit.drift).toBe(0);
  });

  it('adjusts positive series by multiplicative indices averaging 1, others by additive ones', () => {
    const y = Array.from({ length: 48 }, (_, t) => (100 + t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)));
    const adj = multiplicativeAdjustment(y, 12);
    expect(adj.adjusted).toBe(true);
    let s = 0;
    for (let k = 0; k < 12; k++) s += adj.index(k);
    expect(s / 12).toBeCloseTo(1, 10);
    // Values reaching 0 or below: the additive decomposition keeps the season (indices sum to 0).
    const additive = multiplicativeAdjustment(y.map((v) => v - 200), 12);
    expect(additive.kind).toBe('additive');
    let a = 0;
    for (let k = 0; k < 12; k++) a += additive.index(k);
    expect(a).toBeCloseTo(0, 8);
    expect(multiplicativeAdjustment(y, null).adjusted).toBe(false);
  });

  it('runs through runForecast with mle and with a grid over theta', () => {
    const values = Array.from({ length: 40 }, (_, t) => 50 + 2 * t + ((t * 7) % 5));
    const base = { sku: 'T', values, frequency: 'yearly' as const, modelId: 'theta', settings: { horizon: 5, holdout: 5, metric: 'mae' as const, intervalLevels: [80, 95] } };
    const mle = runForecast({ ...base, method: 'mle' });
    expect(mle.parameters.theta).toBe(2);
    const grid = runForecast({ ...base, method: 'grid' });
    expect(grid.search.candidatesEvaluated).toBe(5);
    expect([1, 1.5, 2, 2.5, 3]).toContain(grid.parameters.theta);
    expect(grid.forecast.mean[4]).toBeGreaterThan(grid.forecast.mean[0]);
  });
});
