import { describe, expect, it } from 'vitest';
import type { ForecastInput } from '../forecast-types.js';
import { InputDataError } from '../forecast-types.js';
import { runForecast } from '../run-forecast.js';
import { forecastSku } from './forecast-sku.js';
import { pooledSeasonalProfile } from './seasonal-profile.js';
import { correlation, dailySeries, RETAIL_SEASON, retailSku, weeklySeries } from './seasonal-profile-fixtures.js';

const settings = (horizon: number) => ({ horizon, holdout: 6, metric: 'mae' as const, intervalLevels: [80, 95] });

describe('forecastSku on daily data: the weekly season in the models, the yearly one from the SKU\'s own two years', () => {
  // Three years of daily sales: weekly pattern x yearly season x trend, 10% noise.
  const s = dailySeries({ days: 1095, seed: 3 });
  const truthAhead = (h: number) => Array.from({ length: h }, (_, i) => s.truth(1095 + i));
  const mae = (f: number[], t: number[]) => f.reduce((acc, v, i) => acc + Math.abs(v - t[i]), 0) / f.length;

  it.each(['ets', 'damped_trend', 'seasonal_naive', 'ensemble'])('%s: period 7 in the model, the 365-day profile laid over it, a closer 60-day forecast', (modelId) => {
    const input: ForecastInput = { sku: 'D', values: s.values, dates: s.dates, modelId, method: 'grid', settings: settings(60) };
    const plain = runForecast(input);
    const r = forecastSku(input);
    expect(r.seasonalPeriod).toBe(7);
    expect(r.seasonalProfile).toMatchObject({ source: 'own', period: 365, skus: 1, decidedBy: 'seasonal strength' });
    expect(r.seasonalProfile!.strength).toBeGreaterThan(0.8);
    // Estimated before the earliest cross-validation origin only.
    expect(r.seasonalProfile!.through < s.dates[r.cv!.origins[0]]).toBe(true);
    expect(r.warnings.join('\n')).toContain("yearly season (365 days) estimated from this SKU's history");
    const truth = truthAhead(60);
    expect(mae(r.forecast.mean, truth)).toBeLessThan(0.6 * mae(plain.forecast.mean, truth));
    // The weekly pattern survives the adjustment: the Friday peak stands above the Saturday after it.
    const dayOf = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    const fri = r.forecast.dates.findIndex((d) => dayOf(d) === 5);
    expect(r.forecast.mean[fri]).toBeGreaterThan(1.4 * r.forecast.mean[fri + 1]);
    // Intervals and cross-validation are on the sales' scale: actuals are the history's values.
    r.forecast.intervals.forEach((b) => b.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(r.forecast.mean[i])));
    expect(r.cv!.actual[0]).toEqual(s.values.slice(r.cv!.origins[0], r.cv!.origins[0] + r.cv!.actual[0].length));
    expect(r.holdout.actual).toEqual(s.values.slice(-6));
  });

  it('no yearly season, or less than two years before the earliest origin: runForecast unchanged', () => {
    const flat = dailySeries({ days: 1095, seed: 3, yearly: false });
    const input: ForecastInput = { sku: 'D', values: flat.values, dates: flat.dates, modelId: 'ets', method: 'grid', settings: settings(14) };
    const r = forecastSku(input);
    expect(r.seasonalProfile).toBeUndefined();
    expect(r.forecast.mean).toEqual(runForecast(input).forecast.mean);
    const short = dailySeries({ days: 735, seed: 3 });
    expect(forecastSku({ ...input, values: short.values, dates: short.dates }).seasonalProfile).toBeUndefined();
  });

  it('a non-seasonal or intermittent model is left alone', () => {
    for (const modelId of ['naive', 'croston', 'moving_average']) {
      const r = forecastSku({ sku: 'D', values: s.values, dates: s.dates, modelId, method: 'grid', settings: settings(14) });
      expect(r.seasonalProfile).toBeUndefined();
    }
  });
});

describe('forecastSku on a short SKU with a profile pooled across its dataset', () => {
  const long = Array.from({ length: 12 }, (_, k) => retailSku(36, 50 + 10 * k, 100 + k));
  const profile = pooledSeasonalProfile(long, 'monthly', '2023-12-31', 'dataset')!;

  it.each(['ets', 'damped_trend', 'seasonal_naive', 'ensemble', 'theta'])('%s: 10 months of a seasonal SKU borrow the season; cross-validation says why', (modelId) => {
    const short = retailSku(10, 80, 1);
    const input: ForecastInput = { sku: 'S', values: short.values, dates: short.dates, frequency: 'monthly', modelId, method: 'grid', settings: settings(12), seasonalProfile: profile };
    const r = forecastSku(input);
    expect(r.seasonalProfile).toMatchObject({ source: 'pooled', period: 12, skus: 12, scope: 'dataset', decidedBy: 'cross-validation' });
    expect(r.seasonalProfile!.cvWith!).toBeLessThan(r.seasonalProfile!.cvWithout!);
    expect(r.warnings.join('\n')).toContain('seasonal profile borrowed from 12 SKUs of this dataset');
    // The SKU panel lists these notes beside a seasonal forecast: "fitted without seasonality" alone
    // read as "this forecast has no season". The reason stays; the note says where the season came from.
    expect(r.warnings.filter((w) => /fitted without seasonality$/.test(w))).toEqual([]);
    expect(r.warnings.filter((w) => /^history of 10 points is (shorter than two seasons \(24\)|not longer than one season \(12\)); the model fitted no season of its own: a seasonal profile borrowed from the dataset is laid over its forecast$/.test(w))).toHaveLength(1);
    // The forecast for 2025 carries the retail year: December the peak, January-February the trough.
    expect(r.forecast.dates[0]).toBe('2025-01-01');
    expect(correlation(r.forecast.mean, RETAIL_SEASON)).toBeGreaterThan(0.95);
    expect(r.forecast.mean[11]).toBeGreaterThan(1.8 * r.forecast.mean[0]);
    // Without the profile the same SKU gets no such season.
    const plain = runForecast({ ...input, seasonalProfile: undefined });
    expect(correlation(plain.forecast.mean, RETAIL_SEASON)).toBeLessThan(0.9);
    expect(r.holdout.metrics!.mae).toBeCloseTo(r.seasonalProfile!.cvWith!, 2);
  });

  it('a short SKU without that season keeps its own forecast: cross-validation rejects the profile', () => {
    const flat = retailSku(10, 80, 1, RETAIL_SEASON.map(() => 1));
    for (const modelId of ['ets', 'ensemble']) {
      const input: ForecastInput = { sku: 'F', values: flat.values, dates: flat.dates, frequency: 'monthly', modelId, method: 'grid', settings: settings(12), seasonalProfile: profile };
      const r = forecastSku(input);
      expect(r.seasonalProfile).toBeUndefined();
      expect(r.forecast.mean).toEqual(runForecast({ ...input, seasonalProfile: undefined }).forecast.mean);
    }
  });

  it('judged only on origins after the profile\'s last date: earlier ones were scored on months the pool had seen', () => {
    // 23 months to 2024-12: the first origins lie before 2023-12, the pool's cut-off.
    const short = retailSku(23, 80, 1);
    const input: ForecastInput = { sku: 'S', values: short.values, dates: short.dates, frequency: 'monthly', modelId: 'ets', method: 'grid', settings: settings(12), seasonalProfile: profile };
    const r = forecastSku(input);
    expect(r.seasonalProfile).toMatchObject({ source: 'pooled', decidedBy: 'cross-validation' });
    const cv = r.cv!;
    const unseen = cv.origins.map((o, k) => ({ o, k })).filter(({ o }) => short.dates[o] > profile.through);
    expect(unseen.length).toBeGreaterThan(0);
    expect(unseen.length).toBeLessThan(cv.origins.length);
    const maeAt = (k: number) => cv.actual[k].reduce((acc, v, i) => acc + Math.abs(v - cv.forecast[k]![i]), 0) / cv.actual[k].length;
    expect(r.seasonalProfile!.cvWith!).toBeCloseTo(unseen.reduce((acc, { k }) => acc + maeAt(k), 0) / unseen.length, 2);
    // At the origins the pool had seen, the stored cross-validation (what the per-SKU choice reads)
    // holds the forecast without the profile; after the cut-off, with it.
    const plain = runForecast({ ...input, seasonalProfile: undefined });
    cv.origins.forEach((o, k) => {
      if (short.dates[o] > profile.through) expect(cv.forecast[k]).not.toEqual(plain.cv!.forecast[k]);
      else expect(cv.forecast[k]).toEqual(plain.cv!.forecast[k]);
    });
    expect(r.cv!.metrics!.mae).toBeCloseTo(cv.origins.reduce((acc, _, k) => acc + maeAt(k), 0) / cv.origins.length, 6);
    // A SKU whose every origin precedes the cut-off cannot show the profile helps: it is not kept.
    const late = { ...profile, through: '2025-06-30' };
    expect(forecastSku({ ...input, seasonalProfile: late }).seasonalProfile).toBeUndefined();
  });

  it('a SKU with two years or more ignores a pooled profile; a malformed one is refused by name', () => {
    const own = retailSku(30, 80, 1);
    const r = forecastSku({ sku: 'L', values: own.values, dates: own.dates, frequency: 'monthly', modelId: 'ets', method: 'grid', settings: settings(12), seasonalProfile: profile });
    expect(r.seasonalProfile).toBeUndefined();
    const short = retailSku(10, 80, 1);
    expect(() => forecastSku({ sku: 'S', values: short.values, dates: short.dates, frequency: 'monthly', modelId: 'ets', method: 'grid', settings: settings(12), seasonalProfile: { ...profile, indices: [1, 2] } }))
      .toThrow(InputDataError);
    expect(() => forecastSku({ sku: 'S', values: short.values, dates: short.dates, frequency: 'monthly', modelId: 'ets', method: 'grid', settings: settings(12), seasonalProfile: { ...profile, indices: [1, 2] } }))
      .toThrow('seasonalProfile.indices must be 12 positive numbers');
  });
});

describe('forecastSku on weekly data: ETS, which fits no season past 24, gets the SKU\'s own 52 weeks', () => {
  it('three years of a retail year by week: ets carries the season; the other seasonal models fit 52 themselves', () => {
    const s = weeklySeries(156);
    const input: ForecastInput = { sku: 'W', values: s.values, dates: s.dates, modelId: 'ets', method: 'grid', settings: settings(52) };
    const plain = runForecast(input);
    const r = forecastSku(input);
    expect(r.seasonalProfile).toMatchObject({ source: 'own', period: 52, decidedBy: 'seasonal strength' });
    expect(r.warnings.join('\n')).toContain('ets fits no season longer than 24 periods itself');
    const truth = Array.from({ length: 52 }, (_, i) => s.truth(156 + i));
    const mae = (f: number[]) => f.reduce((acc, v, i) => acc + Math.abs(v - truth[i]), 0) / f.length;
    console.info(`[weekly ets] 52-week MAE against the truth: ${mae(plain.forecast.mean).toFixed(1)} without the profile, ${mae(r.forecast.mean).toFixed(1)} with`);
    expect(correlation(r.forecast.mean, truth)).toBeGreaterThan(0.9);
    expect(mae(r.forecast.mean)).toBeLessThan(0.5 * mae(plain.forecast.mean));
    for (const modelId of ['ensemble', 'damped_trend', 'seasonal_naive']) {
      expect(forecastSku({ ...input, modelId }).seasonalProfile).toBeUndefined();
    }
  });

  it('no season at 52, or under two years before the earliest origin: ets as runForecast fits it', () => {
    const flat = weeklySeries(156, 11, false);
    const input: ForecastInput = { sku: 'W', values: flat.values, dates: flat.dates, modelId: 'ets', method: 'grid', settings: settings(13) };
    expect(forecastSku(input).seasonalProfile).toBeUndefined();
    const young = weeklySeries(100);
    expect(forecastSku({ ...input, values: young.values, dates: young.dates }).seasonalProfile).toBeUndefined();
  });
});
