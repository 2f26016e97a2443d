import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validation.js';
import { dynamicThetaModel } from './dynamic-theta.js';
import { fitEnsemble, type MemberId } from './ensemble.js';
import { autoEts } from './ets/ets-auto.js';
import { fitEtsForm } from './ets/ets-estimate.js';
import { formName } from './ets/ets-form.js';
import { ETS_FORMS, etsModel } from './ets/ets-model.js';
import { withFitMemo } from './fit-memo.js';
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
    expect(r.parameters).toEqual(shown.parameters);
    expect(r.forecast.mean).toEqual(shown.forecast(8, []).mean);
    // Else this test would pass with the flag ignored: one form (as a grid candidate) fitted to score.
    const form = { form: ETS_FORMS.findIndex((f) => formName(f) === r.parameters.form) };
    expect(etsModel.fit({ ...ctx, scoring: true }, form).parameters).not.toEqual(etsModel.fit(ctx, form).parameters);
  });
});

describe('the backtest', () => {
  it('where no cross-validation origin sits at the holdout, it is fitted as a scoring fit', () => {
    // 11 points: the backtest trains on 5 (dynamic Theta's least), the first CV origin is at 6.
    const values = [120, 135, 128, 150, 161, 149, 170, 182, 175, 190, 201];
    const r = runForecast({
      sku: 'S', values, frequency: 'monthly', modelId: 'dynamic_theta', method: 'mle',
      settings: { horizon: 4, holdout: 6, metric: 'mae', intervalLevels: [95] },
    });
    expect(r.cv!.origins[0]).toBe(6);
    const ctx: SeriesContext = { y: values.slice(0, 5), period: null, frequency: 'monthly' };
    const scoring = dynamicThetaModel.fit({ ...ctx, scoring: true }, null).forecast(6, []).mean;
    expect(r.holdout.forecast).toEqual(scoring);
    expect(dynamicThetaModel.fit(ctx, null).forecast(6, []).mean).not.toEqual(scoring);
  });
});

describe('the scoring tolerance of ETS', () => {
  const form = { error: 'M', trend: 'Ad', season: 'A' } as const;

  it('a scoring fit and a shown fit of the same data are two fits, within one runForecast too', () => {
    withFitMemo(() => {
      const shown = fitEtsForm(series, 12, form);
      const scoring = fitEtsForm(series, 12, form, { absoluteTolerance: 0.2 });
      expect(scoring.evaluations).toBeLessThan(shown.evaluations);
      expect(scoring.params).not.toEqual(shown.params);
      expect(fitEtsForm(series, 12, form)).toBe(shown);
    });
  });

  // One-form scoring fits (the grid's windows): automatic ETS (mle) refits its contenders at its own
  // relative tolerance and so depends on units as much as the shown fits do (scoring-tolerance.ts).
  it('a one-form scoring fit does not depend on the data\'s units: the grid\'s windows score the same history in thousands alike', () => {
    for (const method of ['grid'] as const) {
      const cvOf = (values: number[]) => runForecast({
        sku: 'S', values, frequency: 'monthly', modelId: 'ets', method,
        settings: { horizon: 8, holdout: 6, metric: 'mae', intervalLevels: [95] },
      }).cv!;
      const a = cvOf(series);
      const b = cvOf(series.map((v) => v * 1024)); // a power of two: the values scale exactly
      expect(b.metrics!.smape, method).toBeCloseTo(a.metrics!.smape, 6);
    }
  });

  // 30 months of M3's N1409 (its training data, validation cut): ANN and MNN nearly tie on AICc,
  // and the fits at 0.2 alone, or the screened best refitted alone, rank them the other way.
  const n1409 = [1950, 4650, 3900, 3600, 3150, 2850, 2700, 3300, 3150, 4050, 1350, 2550, 1350, 1200, 1650, 1800, 6900, 3150, 3000, 2100, 3150, 2100, 2100, 750, 2250, 5250, 2400, 2400, 300, 2250];

  it('automatic ETS picks the form its own fits would, after screening: every form within the band is refitted', () => {
    const own = autoEts(n1409, 12, { pruneSeasonal: false });
    expect(own.best.name).toBe('ANN');
    expect(autoEts(n1409, 12, { pruneSeasonal: false, absoluteTolerance: 0.2 }).best.name).toBe('MNN');
    expect(autoEts(n1409, 12, { pruneSeasonal: false, screen: { absoluteTolerance: 0.2, within: 0 } }).best.name).toBe('MNN');
    const screened = autoEts(n1409, 12, { pruneSeasonal: false, screen: { absoluteTolerance: 0.2, within: 8 } });
    expect(screened.best.name).toBe('ANN');
    expect(screened.best.aicc).toBe(own.best.aicc);
  });

  it('the ensemble\'s automatic ETS member screens too when the ensemble scores', () => {
    const recipe = { members: ['ets_r'] as MemberId[], combine: 'mean' as const, intervalScale: { a: 1, b: 0 } };
    const ctx: SeriesContext = { y: n1409, period: null, frequency: 'monthly', scoring: true };
    expect(fitEnsemble(ctx, recipe).parameters.etsForm).toBe('ANN');
  });
});

