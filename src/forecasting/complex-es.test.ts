import { describe, expect, it } from 'vitest';
import { cesFittedModel, cesForecast, fitCes } from './complex-es.js';

describe('complex exponential smoothing', () => {
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
