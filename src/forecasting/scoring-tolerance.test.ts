import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validation.js';
import { etsModel } from './ets/ets-model.js';
import type { ModelDefinition, SeriesContext } from './model-definition.js';
import { gridSearch } from './parameter-search.js';
import { runForecast } from './run-forecast.js';

const series = Array.from({ length: 36 }, (_, t) => 200 + 40 * Math.sin((2 * Math.PI * t) / 12) + 3 * t + 9 * Math.sin(t * 1.7));

/** A model with a two-value grid that records the context of every fit. */
function recorder(seen: SeriesContext[]): ModelDefinition {
  return {
    info: {
      id: 'recorder', name: 'recorder', description: '', family: 'test', seasonal: false, intermittent: false,
      parameters: [{ name: 'k', description: '', grid: [1, 2], min: 1, max: 2, integer: true }],
    },
    minLength: () => 2,
    fit(ctx) {
      seen.push(ctx);
      const last = ctx.y[ctx.y.length - 1];
      return { parameters: {}, aicc: null, sigma: 1, fitted: ctx.y.slice(), forecast: (h) => ({ mean: Array(h).fill(last), intervals: [] }) };
    },
  };
}

describe('fits that only score are marked, the fit that is shown is not', () => {
  it('every cross-validation origin and every window of its inner grid search is a scoring fit', () => {
    const seen: SeriesContext[] = [];
    const cv = crossValidate(recorder(seen), {
      y: series, frequency: 'monthly', calendarPeriod: 12, method: 'grid', holdout: 6, horizon: 12, metric: 'mae', levels: [],
      periodFor: () => null, adjust: (xs) => xs,
    });
    expect(cv?.origins.length).toBe(4);
    expect(seen.length).toBeGreaterThan(4); // each origin's fit and its grid's windows
    expect(seen.every((ctx) => ctx.scoring === true)).toBe(true);
  });

  it('a grid search scores its windows with scoring fits and passes no context of its own on', () => {
    const seen: SeriesContext[] = [];
    const base = { period: null, frequency: 'monthly' as const };
    gridSearch(recorder(seen), { y: series, ctx: base, holdout: 6, metric: 'mae', adjust: (xs) => xs });
    expect(seen.length).toBe(2 * 3); // 2 candidates x 3 origins
    expect(seen.every((ctx) => ctx.scoring === true)).toBe(true);
    expect(base).toEqual({ period: null, frequency: 'monthly' });
  });

  it('runForecast shows the fit at the model\'s own tolerance, and the scoring tolerance does change a fit', () => {
    const r = runForecast({
      sku: 'S', values: series, frequency: 'monthly', modelId: 'ets', method: 'mle',
      settings: { horizon: 8, holdout: 6, metric: 'mae', intervalLevels: [95] },
    });
    const ctx: SeriesContext = { y: series, period: r.seasonalPeriod, frequency: 'monthly' };
    const shown = etsModel.fit(ctx, null);
    const scoring = etsModel.fit({ ...ctx, scoring: true }, null);
    expect(r.parameters).toEqual(shown.parameters);
    // Else this test would pass with the flag ignored.
    expect(scoring.parameters).not.toEqual(shown.parameters);
    expect(r.forecast.mean).toEqual(shown.forecast(8, []).mean);
  });
});
