import { describe, expect, it } from 'vitest';
import { type GridFits, gridSearch, type GridSearchOptions } from './parameter-search.js';
import { getModel } from './model-registry.js';
import type { ModelDefinition } from './model-definition.js';
import { runForecast, seasonalPeriod } from './run-forecast.js';

const y = Array.from({ length: 36 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12) + t + 3 * Math.sin(t * 1.7));

/** damped_trend, counting its fits. */
function counted(): { def: ModelDefinition; fits: () => number } {
  const base = getModel('damped_trend')!;
  let k = 0;
  return { def: { ...base, fit: (ctx, p) => { k++; return base.fit(ctx, p); } }, fits: () => k };
}

describe('gridSearch with shared fits', () => {
  const opts = (fits?: GridFits): GridSearchOptions => ({
    y, ctx: { period: null, frequency: 'monthly' }, holdout: 6, metric: 'mae', adjust: (xs) => xs, fits,
  });

  it('reuses a fit of the same data, period, holdout and candidate, and chooses the same parameters', () => {
    const plain = counted();
    const alone = gridSearch(plain.def, opts());
    const shared: GridFits = new Map();
    const first = counted();
    gridSearch(first.def, opts(shared));
    // The latest CV origin's inner search (training data y[0..30], one origin at 24) is the full search's earliest origin.
    const inner = counted();
    const innerResult = gridSearch(inner.def, { ...opts(shared), y: y.slice(0, 30), origins: 1 });
    const innerAlone = gridSearch(counted().def, { ...opts(), y: y.slice(0, 30), origins: 1 });
    expect(first.fits()).toBe(plain.fits());
    expect(inner.fits()).toBe(0);
    expect(innerResult.params).toEqual(innerAlone.params);
    expect(gridSearch(counted().def, opts(shared)).params).toEqual(alone.params);
  });

  it('a different period is a different fit', () => {
    const shared: GridFits = new Map();
    gridSearch(counted().def, opts(shared));
    const seasonal = counted();
    gridSearch(seasonal.def, { ...opts(shared), ctx: { period: 12, frequency: 'monthly' } });
    expect(seasonal.fits()).toBeGreaterThan(0);
  });

  it('runForecast gives the same result as before the sharing (the cv and the forecast)', () => {
    const r = runForecast({ sku: 'S', values: y, modelId: 'damped_trend', method: 'grid', frequency: 'monthly', settings: { horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80, 95] } });
    const cv = r.cv!;
    // Recompute the latest origin without any sharing: the same tuned forecast.
    const last = cv.origins.length - 1;
    const train = y.slice(0, cv.origins[last]);
    const def = getModel('damped_trend')!;
    const period = seasonalPeriod(def, train, 12).period;
    expect(period).toBe(12);
    const params = gridSearch(def, { ...opts(), y: train, ctx: { period, frequency: 'monthly' }, origins: 1 }).params;
    expect(cv.forecast[last]).toEqual(def.fit({ y: train, period, frequency: 'monthly' }, params).forecast(cv.actual[last].length, []).mean.map((v) => Math.max(0, v)));
  });
});
