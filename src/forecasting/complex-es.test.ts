import { describe, expect, it } from 'vitest';
import { cesFittedModel, cesForecast, fitCes } from './complex-es.js';

describe('complex exponential smoothing', () => {
  it('never fits a forecast that swings with a growing amplitude', () => {
    // 14 months of a season: the discount matrix's stability alone let a0 = 2.30, a1 = 1.10 through
    // (transition eigenvalues 1.04 and -1.34), a 40-month forecast reaching -264,165.
    const y = [105, 125, 137, 142, 142, 121, 104, 86, 74, 64, 66, 82, 107, 126];
    const fit = fitCes(y);
    const mean = cesForecast(fit, 40).mean;
    expect(Math.max(...mean.map(Math.abs))).toBeLessThan(3 * 142);
    const trace = 2 - fit.a0;
    const det = 2 - fit.a0 - fit.a1;
    if (trace * trace < 4 * det) expect(det).toBeLessThanOrEqual(1 + 1e-9);
    else expect(1 + trace + det).toBeGreaterThanOrEqual(-1e-9);
  });

  it('a constant series forecasts that constant', () => {
    const f = cesFittedModel(new Array(24).fill(40), null).forecast(6, [95]);
    f.mean.forEach((v) => expect(v).toBeCloseTo(40, 4));
  });

  it('estimates inside the stable region, and the error multipliers are 1, 1 + (a0 - a1)^2, ...', () => {
    const y = Array.from({ length: 48 }, (_, t) => 200 + 2 * t + 10 * Math.sin(t / 2));
    const fit = fitCes(y);
    const t = 2 - 2 * fit.a0 + fit.a1;
    const det = (1 - fit.a0 + fit.a1) * (1 - fit.a0) - (fit.a1 - 1) * (1 - fit.a0 - fit.a1);
    expect(Math.abs(det)).toBeLessThan(1);
    expect(Math.abs(t)).toBeLessThan(1 + det);
    const f = cesForecast(fit, 3);
    expect(f.multiplier[0]).toBe(1);
    expect(f.multiplier[1]).toBeCloseTo(1 + (fit.a0 - fit.a1) ** 2, 12);
    // One step ahead is the final level; the next applies the state transition with zero error.
    expect(f.mean[0]).toBe(fit.l);
    expect(f.mean[1]).toBeCloseTo(fit.l - (1 - fit.a1) * fit.c, 9);
    // It follows the trend: better than the last value alone.
    expect(f.mean[2]).toBeGreaterThan(y[40]);
  });
});
