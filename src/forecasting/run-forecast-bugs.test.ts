/**
 * Regressions: each test failed before its fix (issue 10).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultForecastSettings, runForecast } from './index.js';
import { naiveModel } from './models/naive.js';
import { ensembleModel } from './ensemble.js';
import { arimaModel } from './arima.js';
import { dynamicThetaModel } from './dynamic-theta.js';
import type { FittedModel } from './model-definition.js';

afterEach(() => { vi.restoreAllMocks(); });

describe('runForecast never turns a model\'s NaN into a forecast', () => {
  it('fails the forecast, naming the model, when a model returns NaN', () => {
    const broken: FittedModel = {
      parameters: {}, aicc: null, sigma: 1, fitted: [],
      forecast: (h, levels) => ({
        mean: Array.from({ length: h }, () => Number.NaN),
        intervals: levels.map((level) => ({ level, lower: new Array<number>(h).fill(0), upper: new Array<number>(h).fill(1) })),
      }),
    };
    vi.spyOn(naiveModel, 'fit').mockReturnValue(broken);
    expect(() => runForecast({
      sku: 'N1', values: [5, 6, 7, 8, 9, 10], frequency: 'monthly', modelId: 'naive', method: 'mle',
      settings: { horizon: 3, holdout: 0, metric: 'mae', intervalLevels: [80] },
    })).toThrow(/naive produced a non-finite forecast/);
  });

  it('fails on an infinite interval bound too', () => {
    vi.spyOn(naiveModel, 'fit').mockReturnValue({
      parameters: {}, aicc: null, sigma: 1, fitted: [],
      forecast: (h, levels) => ({
        mean: new Array<number>(h).fill(3),
        intervals: levels.map((level) => ({ level, lower: new Array<number>(h).fill(0), upper: new Array<number>(h).fill(Number.POSITIVE_INFINITY) })),
      }),
    });
    expect(() => runForecast({
      sku: 'N1', values: [5, 6, 7, 8, 9, 10], frequency: 'monthly', modelId: 'naive', method: 'mle',
      settings: { horizon: 2, holdout: 0, metric: 'mae', intervalLevels: [80] },
    })).toThrow(/non-finite 80% upper bound/);
  });
});

describe('the ensemble\'s minimum history', () => {
  it('is never below any member\'s', () => {
    for (const period of [null, 4, 12]) {
      expect(ensembleModel.minLength(period)).toBeGreaterThanOrEqual(arimaModel.minLength(period));
      expect(ensembleModel.minLength(period)).toBeGreaterThanOrEqual(dynamicThetaModel.minLength(period));
    }
  });
});

describe('MASE has one scale', () => {
  it('the grid ranks by the same MASE the result reports (calendar period), falling back to MAE together', () => {
    // Two identical seasons: the lag-12 naive has zero in-sample error, so MASE is undefined at
    // the calendar period; the series is too short for the model to use seasonality (period null).
    const season = [5, 9, 4, 7, 12, 3, 8, 6, 10, 2, 11, 5];
    const values = [...season, ...season, ...season.slice(0, 6)];
    const r = runForecast({
      sku: 'M1', values, frequency: 'monthly', modelId: 'simple_exponential_smoothing', method: 'grid',
      settings: { horizon: 3, holdout: 3, metric: 'mase', intervalLevels: [80] },
    });
    expect(r.holdout.metrics?.mase).toBeNull();
    expect(r.warnings.join('\n')).toMatch(/mase is undefined on the holdout/);
  });
});

describe('a seasonal history of exactly two seasons (walkthrough item 1)', () => {
  // SKU-011 of the walkthrough's s24.csv: 24 months of a strong yearly season, holdout 6. The
  // ensemble fits the season on the whole history and needs 24 points for it, so nothing before
  // the holdout can fit the forecast shown: it has no backtest. The warning said "history too
  // short to hold out any points", which read as a bug for a history more than twice the app's
  // 10-period minimum; it now names the season.
  const values = [83, 111, 134, 232, 264, 332, 320, 305, 332, 206, 149, 121, 104, 121, 181, 253, 293, 404, 360, 432, 317, 223, 164, 137];
  const dates = values.map((_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

  it('says the season is what leaves the ensemble without a backtest, and still cross-validates it', () => {
    const r = runForecast({ sku: 'SKU-011', values, dates, frequency: 'monthly', modelId: 'ensemble', method: 'grid', settings: { ...defaultForecastSettings } });
    expect(r.seasonalPeriod).toBe(12);
    expect(r.holdout.length).toBe(0);
    expect(r.cv?.metrics?.mae).toBeGreaterThan(0);
    const text = r.warnings.join('\n');
    expect(text).toMatch(/the 18 points before the holdout of 6 are too few for the model's season of 12 \(it needs 24\): no backtest of this forecast/);
    expect(text).not.toMatch(/history too short to hold out any points/);
  });
});
