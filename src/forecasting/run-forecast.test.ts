import { describe, expect, it } from 'vitest';
import { runForecast, InputDataError, listModels, defaultForecastSettings } from './index.js';
import type { ForecastInput } from './index.js';

const monthly = (n: number, f: (i: number) => number) => ({
  values: Array.from({ length: n }, (_, i) => f(i)),
  dates: Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`),
});

function input(over: Partial<ForecastInput>): ForecastInput {
  return { sku: 'A1', values: [1, 2, 3], modelId: 'naive', method: 'grid', settings: { ...defaultForecastSettings }, ...over };
}

describe('runForecast', () => {
  it('forecasts the last value with naive and dates the forecast monthly', () => {
    const s = monthly(24, (i) => 10 + (i % 3));
    const r = runForecast(input({ ...s, settings: { horizon: 3, holdout: 2, metric: 'mae', intervalLevels: [80, 95] } }));
    expect(r.frequency).toBe('monthly');
    expect(r.forecast.mean).toEqual([12, 12, 12]); // y[23] = 10 + 23 % 3 = 12
    expect(r.forecast.dates).toEqual(['2022-01-01', '2022-02-01', '2022-03-01']);
    expect(r.holdout.actual).toEqual([11, 12]);
    expect(r.holdout.forecast).toEqual([10, 10]); // last training value y[21] = 10 + 0
    // The metrics are the mean over the rolling origins (24 points: origins 19..22 one apart, each forecasting 3 points or what is left).
    expect(r.cv?.origins).toEqual([19, 20, 21, 22]);
    const maes = r.cv!.actual.map((a, k) => a.reduce((s, v, i) => s + Math.abs(v - r.cv!.forecast[k]![i]), 0) / a.length);
    expect(r.holdout.metrics?.mae).toBeCloseTo(maes.reduce((a, b) => a + b, 0) / maes.length, 12);
    expect(r.forecast.intervals.map((b) => b.level)).toEqual([80, 95]);
  });

  it('rejects non-finite values and unknown models with InputDataError', () => {
    expect(() => runForecast(input({ values: [1, Number.NaN, 3] }))).toThrow(InputDataError);
    expect(() => runForecast(input({ modelId: 'nope' }))).toThrow(/unknown model/);
  });

  it('names the SKU and the needed length when the history is too short', () => {
    expect(() => runForecast(input({ values: [5] }))).toThrow("SKU 'A1' has 1 point; naive needs at least 2");
  });

  it('warns when the frequency is neither given nor inferable, and assumes monthly', () => {
    const r = runForecast(input({ values: [1, 2, 3, 4, 5, 6, 7, 8] }));
    expect(r.frequency).toBe('monthly');
    expect(r.warnings.join(' ')).toMatch(/assumed monthly/);
  });

  it('words a season left out the same for every model, so the SKU panel says it once for all of them', () => {
    const { values, dates } = monthly(60, (i) => 100 + ((i * 7919) % 13)); // no 12-month pattern
    const notes = ['ets', 'damped_trend', 'ensemble'].map((modelId) =>
      runForecast(input({ values, dates, modelId, method: 'mle' })).warnings.filter((w) => /seasonality/.test(w)));
    expect(notes[0]).toEqual(['no significant seasonality at lag 12 (90% autocorrelation test and seasonal strength of the detrended series); fitted without seasonality']);
    expect(notes[1]).toEqual(notes[0]);
    expect(notes[2]).toEqual(notes[0]);
    const short = runForecast(input({ ...monthly(20, (i) => 10 + i), modelId: 'damped_trend', method: 'mle' }));
    expect(short.warnings).toContain('history of 20 points is shorter than two seasons (24); fitted without seasonality');
  });

  it('lists every registered model with unique ids', () => {
    const ids = listModels().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('naive');
  });

  it('returns exactly the ForecastResult fields', () => {
    const s = monthly(30, (i) => 20 + i);
    const r = runForecast(input({ ...s, modelId: 'damped_trend', method: 'mle' }));
    expect(Object.keys(r).sort()).toEqual(['cv', 'engineVersion', 'fit', 'forecast', 'frequency', 'holdout', 'method', 'model', 'parameters', 'search', 'seasonalPeriod', 'sku', 'warnings'].sort());
    expect(Object.keys(r.holdout).sort()).toEqual(['actual', 'dates', 'forecast', 'length', 'metrics']);
    expect(r.fit.n).toBe(30);
    expect(r.fit.aicc).not.toBeNull();
    expect(r.holdout.dates).toEqual(s.dates.slice(24));
    // The per-origin intervals only calibrate: the stored cross-validation keeps forecasts and actuals.
    expect(Object.keys(r.cv!).sort()).toEqual(expect.arrayContaining(['actual', 'forecast', 'metrics', 'origins', 'tuning']));
    expect(r.cv).not.toHaveProperty('bands');
  });

  it('reduces the holdout when the history cannot spare it, and skips it when it cannot spare any', () => {
    const reduced = runForecast(input({ values: [5, 6, 7, 8, 9], modelId: 'simple_exponential_smoothing', settings: { ...defaultForecastSettings, holdout: 4 } }));
    expect(reduced.holdout.length).toBe(2); // SES needs 3 points to fit: 5 - 3 = 2
    expect(reduced.warnings.join(' ')).toMatch(/held out 2/);
    const skipped = runForecast(input({ values: [5, 6, 7], modelId: 'simple_exponential_smoothing' }));
    expect(skipped.holdout).toEqual({ length: 0, dates: [], actual: [], forecast: [], metrics: null });
    expect(skipped.warnings.join(' ')).toMatch(/holdout skipped/);
    expect(skipped.warnings.join(' ')).toMatch(/no holdout to score the grid on/);
  });

  it('re-estimates on the training part for the holdout (mle)', () => {
    // Naive-like data: a level shift inside the holdout shows the holdout forecast comes from the training part only.
    const values = [10, 10, 10, 10, 10, 10, 10, 10, 50, 50];
    const r = runForecast(input({ values, modelId: 'simple_exponential_smoothing', method: 'mle', settings: { ...defaultForecastSettings, holdout: 2 } }));
    r.holdout.forecast.forEach((v) => expect(v).toBeCloseTo(10, 6));
    // The holdout origin's own error is 40; the metrics average it with the other origins'.
    const k = r.cv!.origins.indexOf(8);
    r.cv!.forecast[k]!.forEach((v) => expect(v).toBeCloseTo(10, 6));
    expect(r.holdout.metrics).toEqual(r.cv!.metrics);
  });

  it('uses a season only when the test finds one, and says so otherwise', () => {
    const seasonal = monthly(60, (i) => 100 + 30 * Math.sin((2 * Math.PI * i) / 12) + i);
    const hw = runForecast(input({ ...seasonal, modelId: 'holt_winters', method: 'mle' }));
    expect(hw.seasonalPeriod).toBe(12);
    const flat = monthly(60, (i) => 100 + ((i * 7919) % 13)); // no 12-month pattern
    const hw2 = runForecast(input({ ...flat, modelId: 'holt_winters', method: 'mle' }));
    expect(hw2.seasonalPeriod).toBeNull();
    expect(hw2.warnings.join(' ')).toMatch(/no significant seasonality at lag 12/);
    const short = runForecast(input({ ...monthly(20, (i) => i), modelId: 'holt_winters' }));
    expect(short.warnings.join(' ')).toMatch(/shorter than two seasons/);
  });

  it('warns about intermittent demand for a non-intermittent model only', () => {
    const values = [0, 3, 0, 0, 5, 0, 2, 0, 0, 4, 0, 1];
    expect(runForecast(input({ values, modelId: 'naive' })).warnings.join(' ')).toMatch(/58% of the history is zero/);
    expect(runForecast(input({ values, modelId: 'croston' })).warnings.join(' ')).not.toMatch(/intermittent/);
  });

  it('clips negative forecasts of a non-negative history, with a warning', () => {
    const values = [50, 40, 30, 20, 10, 5, 2, 1];
    const r = runForecast(input({ values, modelId: 'linear_trend', settings: { ...defaultForecastSettings, horizon: 6 } }));
    expect(Math.min(...r.forecast.mean)).toBe(0);
    expect(r.warnings.join(' ')).toMatch(/negative forecasts clipped/);
  });

  it('grid: scores every candidate, reports progress up to 1, and keeps the best by the metric', () => {
    // A step series: window 1 of the moving average forecasts the holdout exactly, every other window lags.
    const values = [...new Array(12).fill(10), ...new Array(12).fill(30)];
    const progress: number[] = [];
    const r = runForecast(input({ values, modelId: 'moving_average', settings: { ...defaultForecastSettings, holdout: 3 } }), (f) => progress.push(f));
    expect(r.search.candidatesEvaluated).toBe(6);
    expect(progress.length).toBeGreaterThanOrEqual(6);
    expect(progress[progress.length - 1]).toBe(1);
    progress.forEach((p, i) => i > 0 && expect(p).toBeGreaterThanOrEqual(progress[i - 1]));
    expect(r.parameters.window).toBe(2); // the smallest grid window
    expect(r.holdout.metrics!.mae).toBe(0);
  });

  it('falls back to MAE when the chosen metric is undefined on the holdout', () => {
    const values = [3, 0, 2, 4, 0, 3, 5, 0, 2, 4, 0, 0];
    const r = runForecast(input({ values, modelId: 'croston', settings: { ...defaultForecastSettings, metric: 'mape', holdout: 3 } }));
    expect(r.warnings.join(' ')).toMatch(/ranked by MAE/);
    expect(r.holdout.metrics!.mape).toBeNull();
  });

  it('numbers periods when no dates are given', () => {
    const r = runForecast(input({ values: [1, 2, 3, 4, 5], settings: { ...defaultForecastSettings, horizon: 2, holdout: 1 } }));
    expect(r.forecast.dates).toEqual(['6', '7']);
    expect(r.holdout.dates).toEqual(['5']);
  });
});

describe('interval calibration on a model that fits some origins exactly', () => {
  // 30 months repeating 10, 11, 12, then 6 at 40, 41, 42: at three origins of four the model's
  // bands are rounding, its misses of 30 ratios of hundreds of thousands. Scaled by those, the
  // ensemble's 80% upper bound was 530,430; the errors themselves say the band needs about 30.
  const y = [...Array.from({ length: 30 }, (_, t) => 10 + (t % 3)), ...Array.from({ length: 6 }, (_, t) => 40 + (t % 3))];
  it.each(['ensemble', 'arima', 'ets'])('%s keeps its bands on the scale of its errors', (modelId) => {
    const r = runForecast({ sku: 'x', values: y, frequency: 'monthly', modelId, method: 'mle', settings: { ...defaultForecastSettings, holdout: 6, horizon: 12 } });
    for (const band of r.forecast.intervals) {
      for (const v of band.upper) expect(v).toBeLessThan(5 * 42);
    }
  });
});
