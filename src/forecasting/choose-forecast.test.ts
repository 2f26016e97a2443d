import { describe, expect, it } from 'vitest';
import { chooseForecast, type ChoiceCandidate } from './choose-forecast.js';
import type { ForecastResult } from './forecast-types.js';

function result(model: string, level: number, cvForecasts: number[][] | null, holdoutMae = 1): ForecastResult {
  const actual = [[10, 10, 10], [10, 10, 10]];
  return {
    sku: 'A', model, method: 'mle', engineVersion: 'x', frequency: 'monthly', seasonalPeriod: null, parameters: {},
    search: { candidatesEvaluated: 1, milliseconds: 0 },
    holdout: { length: 3, dates: ['d1', 'd2', 'd3'], actual: [10, 10, 10], forecast: [level, level, level], metrics: { mae: holdoutMae, rmse: 1, mape: 1, smape: 1, mase: 1, wape: 1, bias: 0 } },
    fit: { aicc: null, sigma: 1, n: 20 },
    forecast: { dates: ['f1', 'f2'], mean: [level, level], intervals: [{ level: 80, lower: [level - 1, level - 1], upper: [level + 1, level + 1] }] },
    warnings: [],
    cv: cvForecasts ? { origins: [14, 17], actual, forecast: cvForecasts, bands: [null, null], tuning: 'mle', metrics: null } : null,
  };
}

const cand = (modelId: string, level: number, cvError: number | null, holdoutMae = 1): ChoiceCandidate => ({
  modelId, result: result(modelId, level, cvError === null ? null : [[10 + cvError, 10 + cvError, 10 + cvError], [10 - cvError, 10 - cvError, 10 - cvError]], holdoutMae),
});

describe('chooseForecast', () => {
  it('forecasts the mean of the three models with the lowest cross-validation error', () => {
    const choice = chooseForecast([cand('a', 20, 5), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)], 'mae')!;
    expect(choice.members).toEqual(['b', 'c', 'd']);
    expect(choice.label).toBe('b+c+d');
    expect(choice.forecast.mean).toEqual([14, 14]);
    expect(choice.forecast.intervals[0].lower).toEqual([13, 13]);
    expect(choice.backtest?.forecast).toEqual([14, 14, 14]);
    expect(choice.how).toMatch(/mean of the 3 models with the lowest error in rolling-origin cross-validation \(2 origins/);
    expect(choice.error).toBeCloseTo(2, 10); // errors +-1, +-2, +-3 cancel to a mean of 2 per origin
  });

  it('the best single model or a top-2/3 mean under the rule `best`', () => {
    const choice = chooseForecast([cand('a', 20, 5), cand('b', 12, 0), cand('c', 14, 2)], 'mae', 'best')!;
    expect(choice.label).toBe('b');
    expect(choice.how).toMatch(/lowest error in rolling-origin cross-validation/);
  });

  it('falls back to the lowest holdout error where results have no cross-validation', () => {
    const choice = chooseForecast([cand('a', 20, null, 3), cand('b', 12, null, 2)], 'mae')!;
    expect(choice.label).toBe('b');
    expect(choice.how).toMatch(/lowest holdout error/);
    expect(chooseForecast([], 'mae')).toBeNull();
  });

  it('leaves out a model that could not forecast every origin', () => {
    const broken = cand('x', 10, 0);
    broken.result.cv!.forecast[1] = null;
    const choice = chooseForecast([broken, cand('a', 20, 5), cand('b', 12, 1)], 'mae')!;
    expect(choice.members).toEqual(['a', 'b']);
  });
});
