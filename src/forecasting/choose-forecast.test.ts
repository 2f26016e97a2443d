import { describe, expect, it } from 'vitest';
import { chooseForecast, type ChoiceCandidate } from './choose-forecast.js';
import { combinationFactors } from './combination-factors.js';
import type { ForecastResult } from './forecast-types.js';
import { runForecast } from './run-forecast.js';
import { defaultForecastSettings, defaultModels, forecastSku } from './index.js';

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
  it('under the rule `anchor3inv` forecasts the ensemble and the three other models with the lowest cross-validation error, each weighted by the inverse of its CV error, the ensemble\'s counted 3 times', () => {
    // CV errors: ensemble 9, b 1, c 2, d 3 (a, 5, is left out); weights 3/9 : 1/1 : 1/2 : 1/3.
    const choice = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)], 'mae', 'anchor3inv')!;
    expect(choice.members).toEqual(['ensemble', 'b', 'c', 'd']);
    const w = [3 / 9, 1, 1 / 2, 1 / 3];
    const z = w.reduce((a, b) => a + b, 0);
    const mean = (w[0] * 30 + w[1] * 12 + w[2] * 14 + w[3] * 16) / z;
    expect(choice.forecast.mean[0]).toBeCloseTo(mean, 10);
    expect(choice.forecast.mean[1]).toBeCloseTo(mean, 10);
    expect(choice.how).toMatch(/^weighted mean of ensemble \(kept for every SKU\) and the 3 other models with the lowest error in rolling-origin cross-validation \(2 origins, [^)]*\), weighted by the inverse of that error \(ensemble's counted 3 times\): ensemble 15\.4%, b 46\.2%, c 23\.1%, d 15\.4%/);
    // Where the ensemble did best in CV, its share grows past anchor3w's fixed 60%.
    const good = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 1), cand('b', 12, 2), cand('c', 14, 3), cand('d', 16, 4)], 'mae', 'anchor3inv')!;
    const wg = [3, 1 / 2, 1 / 3, 1 / 4];
    expect(good.forecast.mean[0]).toBeCloseTo((wg[0] * 30 + wg[1] * 12 + wg[2] * 14 + wg[3] * 16) / wg.reduce((a, b) => a + b, 0), 10);
    expect(good.how).toMatch(/ensemble 73\.5%/);
  });

  it('under `anchor3inv` gives every member its inverse-error share where all enabled models are in the mean, and a perfect CV score no division by zero', () => {
    const all = chooseForecast([cand('a', 20, 2), cand('ensemble', 30, 3), cand('b', 12, 1)], 'mae', 'anchor3inv')!;
    expect(all.members).toEqual(['a', 'ensemble', 'b']);
    // a 1/2, ensemble 3/3, b 1/1: 20%, 40%, 40%.
    expect(all.forecast.mean[0]).toBeCloseTo(0.2 * 20 + 0.4 * 30 + 0.4 * 12, 10);
    expect(all.how).toMatch(/^weighted mean of all 3 models \(a, ensemble, b\), each scored by rolling-origin cross-validation \(2 origins, [^)]*\), weighted by the inverse of that error \(ensemble's counted 3 times\): a 20%, ensemble 40%, b 40%/);
    const perfect = chooseForecast([cand('ensemble', 30, 3), cand('b', 12, 0)], 'mae', 'anchor3inv')!;
    expect(perfect.forecast.mean.every(Number.isFinite)).toBe(true);
    expect(perfect.forecast.mean[0]).toBeCloseTo(12, 6);
  });

  it('by default forecasts the ensemble weighted 0.6 and the three other models with the lowest cross-validation error sharing 0.4', () => {
    // The ensemble has the largest CV error of all here, and still stays in with its weight: the robust default.
    const choice = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)], 'mae')!;
    expect(choice.members).toEqual(['ensemble', 'b', 'c', 'd']);
    expect(choice.label).toBe('ensemble+b+c+d');
    // 0.6 * 30 + 0.4 * (12 + 14 + 16) / 3
    expect(choice.forecast.mean[0]).toBeCloseTo(23.6, 10);
    expect(choice.forecast.mean[1]).toBeCloseTo(23.6, 10);
    expect(choice.how).toMatch(/^weighted mean of ensemble \(kept for every SKU, weight 60%\) and the 3 other models \(13\.3% each\) with the lowest error in rolling-origin cross-validation \(2 origins/);
    // The averaged bounds are weighted alike (before the combination's own calibration widens them about the mean).
    expect(choice.forecast.intervals[0].lower[0]).toBeLessThan(23.6);
    expect(choice.forecast.intervals[0].upper[0]).toBeGreaterThan(23.6);
  });

  it('under `anchor3wq` weights the ensemble 0.8 on quarterly histories of 20 points or more, 0.6 on shorter quarterly and on other ones; the default `anchor3w` stays 0.6', () => {
    const at = (c: ChoiceCandidate, frequency: ForecastResult['frequency'], n: number): ChoiceCandidate => ({ ...c, result: { ...c.result, frequency, fit: { ...c.result.fit, n } } });
    const five = (frequency: ForecastResult['frequency'], n: number) => [cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)].map((c) => at(c, frequency, n));
    const long = chooseForecast(five('quarterly', 20), 'mae', 'anchor3wq')!;
    // 0.8 * 30 + 0.2 * (12 + 14 + 16) / 3
    expect(long.forecast.mean[0]).toBeCloseTo(26.8, 10);
    expect(long.how).toMatch(/kept for every SKU, weight 80%\) and the 3 other models \(6\.7% each\)/);
    const byDefault = chooseForecast(five('quarterly', 20), 'mae')!;
    expect(byDefault.forecast.mean[0]).toBeCloseTo(23.6, 10);
    expect(byDefault.how).toMatch(/weight 60%\) and the 3 other models \(13\.3% each\)/);
    expect(chooseForecast(five('quarterly', 19), 'mae', 'anchor3wq')!.forecast.mean[0]).toBeCloseTo(23.6, 10);
    expect(chooseForecast(five('monthly', 48), 'mae', 'anchor3wq')!.forecast.mean[0]).toBeCloseTo(23.6, 10);
    expect(chooseForecast(five('yearly', 40), 'mae', 'anchor3wq')!.forecast.mean[0]).toBeCloseTo(23.6, 10);
    // Every enabled model in the mean, and a pair: the sentence names the shares it used.
    const all = chooseForecast(five('quarterly', 24).slice(1, 4), 'mae', 'anchor3wq')!;
    expect(all.forecast.mean[0]).toBeCloseTo(0.8 * 30 + 0.1 * 12 + 0.1 * 14, 10);
    expect(all.how).toMatch(/^weighted mean of all 3 models \(ensemble, b, c: ensemble 80%, the others 10% each\)/);
    const pair = chooseForecast(five('quarterly', 24).slice(1, 3), 'mae', 'anchor3wq')!;
    expect(pair.how).toMatch(/ensemble 80%, the other 20%/);
    // A stored result without its fit block (an older or foreign writer) counts as short, and does not throw.
    const bare = five('quarterly', 24).map((c) => ({ ...c, result: { ...c.result, fit: undefined as unknown as ForecastResult['fit'] } }));
    expect(chooseForecast(bare, 'mae', 'anchor3wq')!.forecast.mean[0]).toBeCloseTo(23.6, 10);
  });

  it('weights the bounds and the cross-validation forecasts its bands are calibrated on as it weights the means', () => {
    // Half-widths 1 (ensemble) and 5 (the others): the weighted bound lies 0.6 * 1 + 0.4 * 5 = 2.6
    // from the mean (3.67 unweighted); the calibration sees the weighted CV mean, 10 +- (0.6 * 9 +
    // 0.4 * 2) = 10 +- 6.2 (10 +- 3.75 unweighted).
    const wide = (c: ChoiceCandidate, half: number): ChoiceCandidate => {
      const m = c.result.forecast.mean;
      return { ...c, result: { ...c.result, forecast: { ...c.result.forecast, intervals: [{ level: 80, lower: m.map((v) => v - half), upper: m.map((v) => v + half) }] } } };
    };
    const choice = chooseForecast([wide(cand('ensemble', 30, 9), 1), wide(cand('b', 12, 1), 5), wide(cand('c', 14, 2), 5), wide(cand('d', 16, 3), 5)], 'mae')!;
    const mean = 0.6 * 30 + 0.4 * 14;
    const cv = [[16.2, 16.2, 16.2], [3.8, 3.8, 3.8]];
    const before = [{ level: 80, lower: [mean - 2.6, mean - 2.6], upper: [mean + 2.6, mean + 2.6] }];
    const f = combinationFactors([[10, 10, 10], [10, 10, 10]], cv, [mean, mean], before, 0)![0];
    expect(choice.intervalScale![0]).toBeCloseTo(f, 3);
    expect(choice.forecast.intervals[0].lower[0]).toBeCloseTo(mean - f * 2.6, 6);
    expect(choice.forecast.intervals[0].upper[0]).toBeCloseTo(mean + f * 2.6, 6);
  });

  it('forecasts the equal-weight mean of the ensemble and the three other models with the lowest cross-validation error under the rule `anchor3`', () => {
    const choice = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)], 'mae', 'anchor3')!;
    expect(choice.members).toEqual(['ensemble', 'b', 'c', 'd']);
    expect(choice.label).toBe('ensemble+b+c+d');
    expect(choice.forecast.mean).toEqual([18, 18]);
    expect(choice.how).toMatch(/^mean of ensemble \(kept for every SKU\) and the 3 other models with the lowest error in rolling-origin cross-validation \(2 origins/);
    // Errors of 6 and 8 against half-widths of 1: the bands widen, and the sentence says so.
    expect(choice.intervalScale![0]).toBeGreaterThan(1);
    expect(choice.how).toMatch(/; its intervals widened to cover this mean's own cross-validation errors$/);
  });

  it('says what the mean is in words that hold for any number of models', () => {
    const one = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1)], 'mae')!;
    // Three enabled, all in the mean: no ranking to claim; the weights follow the members into the enabled order.
    expect(one.members).toEqual(['a', 'ensemble', 'b']);
    expect(one.forecast.mean[0]).toBeCloseTo(0.2 * 20 + 0.6 * 30 + 0.2 * 12, 10);
    expect(one.how).toMatch(/^weighted mean of all 3 models \(a, ensemble, b: ensemble 60%, the others 20% each\), each scored by rolling-origin cross-validation \(2 origins/);
    const equal = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1)], 'mae', 'anchor3')!;
    expect(equal.how).toMatch(/^mean of all 3 models \(a, ensemble, b\), each scored by rolling-origin cross-validation \(2 origins/);
    const twoOthers = chooseForecast([cand('a', 20, 5), cand('ensemble', 30, 9), cand('b', 12, 1), cand('c', 14, 2)], 'mae', 'anchor3')!;
    expect(twoOthers.how).toMatch(/^mean of all 4 models/);
    const solo = chooseForecast([cand('ensemble', 30, 9)], 'mae')!;
    expect(solo.how).toMatch(/^the only model with rolling-origin cross-validation \(2 origins/);
    expect(solo.how).not.toMatch(/1 models/);
  });

  it('says nothing of the intervals where the combination\'s errors left them as they were', () => {
    // Six errors of +-1 about the combined forecast against half-widths of 1: the quantile is 1.
    const choice = chooseForecast([cand('a', 10, 1), cand('b', 10, 1), cand('c', 10, 1), cand('d', 10, 1), cand('e', 10, 1)], 'mae')!;
    expect(choice.intervalScale).toEqual([1]);
    expect(choice.how).not.toMatch(/intervals/);
  });

  it('without the ensemble enabled, the mean of the four best by cross-validation', () => {
    const choice = chooseForecast([cand('a', 20, 5), cand('e', 30, 9), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)], 'mae')!;
    expect(choice.members).toEqual(['a', 'b', 'c', 'd']);
    expect(choice.how).toMatch(/^mean of the 4 models with the lowest error/);
  });

  it('says the bands were calibrated only where the combination had enough errors to calibrate them', () => {
    const few = (c: ChoiceCandidate) => {
      c.result.cv = { ...c.result.cv!, origins: [17], actual: [[10, 10, 10]], forecast: [c.result.cv!.forecast[0]] };
      return c;
    };
    const choice = chooseForecast([few(cand('a', 20, 5)), few(cand('b', 12, 1))], 'mae')!;
    expect(choice.members).toEqual(['a', 'b']);
    expect(choice.intervalScale).toBeNull();
    expect(choice.forecast.intervals[0]).toEqual({ level: 80, lower: [15, 15], upper: [17, 17] });
    expect(choice.how).not.toMatch(/calibrated/);
  });

  it('forecasts the mean of the three models with the lowest cross-validation error under the rule `top3`', () => {
    const choice = chooseForecast([cand('a', 20, 5), cand('b', 12, 1), cand('c', 14, 2), cand('d', 16, 3)], 'mae', 'top3')!;
    expect(choice.members).toEqual(['b', 'c', 'd']);
    expect(choice.label).toBe('b+c+d');
    expect(choice.forecast.mean).toEqual([14, 14]);
    // The CV errors (+-2 about the combined forecast, 6 of them) against half-widths of 1: the
    // combination's 80% band widens to cover them (conformal rank 6 of 6: the factor only widens),
    // shrunk towards 1 with weight 6 / 26: 2^(6/26).
    const f = 2 ** (6 / 26);
    expect(choice.intervalScale).toEqual([Math.round(f * 1000) / 1000]);
    expect(choice.forecast.intervals[0].lower[0]).toBeCloseTo(14 - f, 10);
    expect(choice.forecast.intervals[0].upper[0]).toBeCloseTo(14 + f, 10);
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
    expect(choice.how).toBe('lowest error among the 2 models scored on the last 3 points held out (the error it was chosen on; no cross-validation to compare them by)');
    expect(chooseForecast([], 'mae')).toBeNull();
  });

  it('without cross-validation compares only models scored on the same, longest holdout', () => {
    // b's error (0.5) is on one point held out (its minimum length shortened its holdout): not comparable.
    const short = cand('b', 12, null, 0.5);
    short.result.holdout = { ...short.result.holdout, length: 1, dates: ['d3'], actual: [10], forecast: [12] };
    const choice = chooseForecast([cand('a', 20, null, 3), short, cand('c', 14, null, 2)], 'mae')!;
    expect(choice.label).toBe('c');
    expect(choice.error).toBe(2);
    expect(choice.how).toMatch(/^lowest error among the 2 models scored on the last 3 points held out/);
  });

  it('says no model was scored where none held out a point (holdout 0), and shows the first enabled', () => {
    const none = (id: string, level: number) => {
      const c = cand(id, level, null);
      c.result.holdout = { length: 0, dates: [], actual: [], forecast: [], metrics: null };
      return c;
    };
    const choice = chooseForecast([none('a', 20), none('b', 12)], 'mae')!;
    expect(choice.label).toBe('a');
    expect(choice.error).toBeNull();
    expect(choice.how).toBe('the first enabled model: none was scored (no points were held out, so no cross-validation)');
  });

  it('a single model keeps its own (already calibrated) band', () => {
    const choice = chooseForecast([cand('a', 20, 5), cand('b', 12, 0), cand('c', 14, 2)], 'mae', 'best')!;
    expect(choice.forecast.intervals[0]).toEqual({ level: 80, lower: [11, 11], upper: [13, 13] });
    expect(choice.intervalScale).toBeNull();
  });

  it('leaves out a model that could not forecast every origin', () => {
    const broken = cand('x', 10, 0);
    broken.result.cv!.forecast[1] = null;
    const choice = chooseForecast([broken, cand('a', 20, 5), cand('b', 12, 1)], 'mae')!;
    expect(choice.members).toEqual(['a', 'b']);
  });
});

describe('chooseForecast on an intermittent SKU whose members\' bands start at 0', () => {
  // 5 sales of 1-3 units in 36 months. Every member's 80% band starts at 0; the combination's
  // calibration narrows the upper bound (most origins saw 0) but must not lift the lower one off
  // 0, where most of the demand is (it did: [0.097, 0.640] around 0.177, no month of the history inside).
  const y = Array.from({ length: 36 }, (_, i) => ([3, 9, 14, 22, 30].includes(i) ? (i % 3) + 1 : 0));
  const settings = { horizon: 18, holdout: 6, metric: 'mae' as const, intervalLevels: [80, 95] };
  const candidates = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'].map((modelId) => ({
    modelId,
    result: runForecast({ sku: 'Z', values: y, dates: y.map((_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`), modelId, method: 'grid', settings }),
  }));

  it('keeps the lower bound on 0 where the members\' is', () => {
    const choice = chooseForecast(candidates, 'mae')!;
    expect(choice.members.length).toBeGreaterThan(1);
    const [b80] = choice.forecast.intervals;
    let onFloor = 0;
    for (let i = 0; i < 18; i++) {
      if (!choice.members.every((id) => candidates.find((c) => c.modelId === id)!.result.forecast.intervals[0].lower[i] === 0)) continue;
      onFloor++;
      expect(b80.lower[i]).toBe(0);
    }
    expect(onFloor).toBeGreaterThan(0);
    // Most of the history (31 zeros of 36) lies inside the first step's 80% band.
    expect(y.filter((v) => v >= b80.lower[0] && v <= b80.upper[0]).length).toBeGreaterThanOrEqual(29);
  });
});

describe('chooseForecast on real model results', () => {
  // 36 months of intermittent demand (0 to 5): the combination's mean is 0 at the first steps,
  // its lower bound on the floor; the errors of origins that forecast ~1 where 0 came must not
  // widen the upper bound to many times the largest demand ever seen.
  const y = [0, 3, 0, 0, 0, 0, 0, 5, 1, 0, 2, 1, 0, 0, 0, 0, 4, 0, 5, 5, 1, 0, 0, 0, 0, 0, 0, 2, 4, 0, 4, 0, 0, 0, 3, 0];
  const settings = { horizon: 18, holdout: 6, metric: 'mae' as const, intervalLevels: [80, 95] };
  const candidates = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'].map((modelId) => ({
    modelId,
    result: runForecast({ sku: 'I', values: y, dates: y.map((_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`), modelId, method: 'grid', settings }),
  }));

  it('keeps an intermittent SKU\'s bands on the scale of its history, non-negative and nested', () => {
    const choice = chooseForecast(candidates, 'mae')!;
    expect(choice.members.length).toBeGreaterThan(1);
    const [b80, b95] = choice.forecast.intervals;
    for (let i = 0; i < 18; i++) {
      expect(b80.lower[i]).toBeGreaterThanOrEqual(0);
      expect(b80.lower[i]).toBeLessThanOrEqual(choice.forecast.mean[i]);
      expect(b80.upper[i]).toBeGreaterThanOrEqual(choice.forecast.mean[i]);
      expect(b95.lower[i]).toBeLessThanOrEqual(b80.lower[i]);
      expect(b95.upper[i]).toBeGreaterThanOrEqual(b80.upper[i]);
      // The largest demand in 36 months is 5; the members' own 95% bounds stay under 6 here.
      expect(b80.upper[i]).toBeLessThanOrEqual(10);
      expect(b95.upper[i]).toBeLessThanOrEqual(15);
    }
  });
});

describe('a combination\'s backtest where its members held out different lengths', () => {
  // 12 quarters, holdout 6: the seasonal ensemble needs 8 points for its season and holds out 4,
  // the others 6. The mix had no backtest (and its SKU no place in the portfolio's WAPE): 23 of
  // 51 sampled 12-quarter M3 histories. Now: the last 4 points, every member's forecast from the
  // same origin (8), which each made from the data before it.
  const values = [10, 20, 30, 15, 12, 22, 33, 16, 13, 24, 35, 18];
  const dates = values.map((_, i) => `${2020 + Math.floor(i / 4)}-${String((i % 4) * 3 + 1).padStart(2, '0')}-01`);
  const candidates = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'].map((modelId) => ({
    modelId,
    result: runForecast({ sku: 'Q', values, dates, frequency: 'quarterly', modelId, method: 'grid', settings: { horizon: 8, holdout: 6, metric: 'mae', intervalLevels: [80, 95] } }),
  }));

  it('scores the mix on the shortest holdout, from that origin for every member', () => {
    const byId = new Map(candidates.map((c) => [c.modelId, c.result]));
    expect(byId.get('ensemble')!.holdout.length).toBe(4);
    expect(byId.get('ets')!.holdout.length).toBe(6);
    const choice = chooseForecast(candidates, 'mae')!;
    expect(choice.backtest).not.toBeNull();
    expect(choice.backtest!.dates).toEqual(dates.slice(8));
    expect(choice.backtest!.actual).toEqual(values.slice(8));
    // anchor3w: the ensemble 0.6, the three others 0.4 / 3 each; each from origin 8.
    const fromOrigin8 = (id: string) => {
      const r = byId.get(id)!;
      return id === 'ensemble' ? r.holdout.forecast : r.cv!.forecast[r.cv!.origins.indexOf(8)]!.slice(0, 4);
    };
    const want = [0, 1, 2, 3].map((i) => choice.members.reduce((s, id) => s + (id === 'ensemble' ? 0.6 : 0.4 / 3) * fromOrigin8(id)[i], 0));
    expect(choice.members).toContain('ensemble');
    expect(choice.members).toHaveLength(4);
    choice.backtest!.forecast.forEach((v, i) => expect(v).toBeCloseTo(want[i], 9));
  });
});

describe('without cross-validation, on 1 or 2 points held out (review finding 3: a 5-point SKU forecast its spike)', () => {
  it('shows the equal-weight mean of every model that fitted, not the one with the lowest error on the last point', () => {
    // The dataset's short-history fallback: 5 periods, a holdout of 5 - 4 = 1, no cross-validation origin.
    const values = [12, 15, 9, 14, 30];
    const dates = values.map((_, i) => `2025-${String(i + 1).padStart(2, '0')}-01`);
    const candidates = defaultModels.filter((m) => m !== 'ensemble').map((modelId) => ({
      modelId, result: forecastSku({ sku: 'N', values, dates, frequency: 'monthly', modelId, method: 'grid', settings: { ...defaultForecastSettings, holdout: 1 } }),
    }));
    expect(candidates.every((c) => c.result.cv === null || c.result.cv === undefined)).toBe(true);
    const choice = chooseForecast(candidates, 'mae')!;
    // Picked on that one point, the seasonal naive forecast 30 (the spike) flat.
    expect(choice.label).not.toBe('seasonal_naive');
    expect(choice.members).toEqual(candidates.map((c) => c.modelId));
    const mean = (i: number) => candidates.reduce((a, c) => a + c.result.forecast.mean[i], 0) / candidates.length;
    choice.forecast.mean.forEach((v, i) => expect(v).toBeCloseTo(mean(i), 9));
    expect(choice.forecast.mean[0]).toBeLessThan(25);
    // Bands: the members' bounds averaged (as every combination's), not recalibrated.
    const lower = candidates.reduce((a, c) => a + c.result.forecast.intervals[0].lower[0], 0) / candidates.length;
    expect(choice.forecast.intervals[0].lower[0]).toBeCloseTo(Math.min(lower, mean(0)), 9);
    expect(choice.intervalScale).toBeNull();
    expect(choice.error).toBeNull();
    // damped_trend (5 points at the least) fitted but held out none: the mean has no backtest and says why.
    expect(choice.backtest).toBeNull();
    expect(choice.how).toBe('mean of the 4 models that fitted (ets, damped_trend, seasonal_naive, croston): too few points held out (1) to rank them; it has no backtest: damped_trend (0) held out fewer points');
  });

  it('on 2 points its backtest is the members\' mean over them; from 3 points, and at holdout 0, the choice stays as it was', () => {
    const held = (id: string, level: number, mae: number, length: number) => {
      const c = cand(id, level, null, mae);
      const h = c.result.holdout;
      c.result.holdout = { ...h, length, dates: h.dates.slice(3 - length), actual: h.actual.slice(3 - length), forecast: h.forecast.slice(3 - length) };
      return c;
    };
    const two = chooseForecast([held('a', 20, 3, 2), held('b', 12, 2, 2), held('c', 13, 1, 2)], 'mae')!;
    expect(two.members).toEqual(['a', 'b', 'c']);
    expect(two.forecast.mean).toEqual([15, 15]);
    expect(two.backtest).toEqual({ dates: ['d2', 'd3'], actual: [10, 10], forecast: [15, 15] });
    expect(two.how).toBe('mean of the 3 models that fitted (a, b, c): too few points held out (2) to rank them');
    const three = chooseForecast([held('a', 20, 3, 3), held('b', 12, 2, 3), held('c', 13, 1, 3)], 'mae')!;
    expect(three.label).toBe('c');
    expect(three.how).toMatch(/^lowest error among the 3 models scored on the last 3 points held out/);
    const none = chooseForecast([held('a', 20, 3, 0), held('b', 12, 2, 0)], 'mae')!;
    expect(none.label).toBe('a');
  });
});
