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
    expect(r.holdout.metrics?.mae).toBeCloseTo(1.5, 12);
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

  it('lists every registered model with unique ids', () => {
    const ids = listModels().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('naive');
  });
});
