/**
 * The M3 convention for SES, Holt and the damped trend: seasonally adjust where a season is found,
 * reseasonalise forecasts and intervals. Without a period the models are R's ses()/holt() (the R
 * reference tests check estimateEs, the unadjusted fit, against R directly).
 */
import { describe, expect, it } from 'vitest';
import { classicalDecomposition } from '../decomposition.js';
import { shrunkDecomposition } from '../seasonal-shrinkage.js';
import { estimateEs } from '../es-estimation.js';
import { esFittedModel } from '../es-fitted-model.js';
import { defaultForecastSettings, runForecast } from '../index.js';
import { gridCandidates } from '../parameter-search.js';
import { simpleExponentialSmoothingModel } from './simple-exponential-smoothing.js';
import { dampedTrendModel } from './damped-trend.js';
import { doubleExponentialSmoothingModel } from './double-exponential-smoothing.js';

const SEASON = [0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.2, 1.0, 0.9, 0.8, 0.8, 0.8];
const dates = (n: number) => Array.from({ length: n }, (_, i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
// A level wandering deterministically (no random numbers) times a strong monthly season.
const seasonal = Array.from({ length: 72 }, (_, t) => (100 + 8 * Math.sin(t / 5) + 0.3 * t) * SEASON[t % 12]);

describe('seasonally adjusted exponential smoothing', () => {
  it('a constant level times a season: SES forecasts the season exactly', () => {
    const y = Array.from({ length: 48 }, (_, t) => 50 * SEASON[t % 12]);
    const fit = simpleExponentialSmoothingModel.fit({ y, period: 12, frequency: 'monthly' }, null);
    const { indices } = classicalDecomposition(y, 12, 'multiplicative');
    const f = fit.forecast(13, [95]);
    // The adjusted series is the constant 50 (the indices are SEASON renormalised), so f = 50 x index.
    f.mean.forEach((v, i) => expect(v).toBeCloseTo((y[i % 12] / SEASON[i % 12]) * indices[(48 + i) % 12], 6));
    expect(fit.parameters.seasonallyAdjusted).toBe(true);
  });

  for (const [def, shape] of [
    [simpleExponentialSmoothingModel, { error: 'A', trend: 'N', season: 'N', m: 1 }],
    [doubleExponentialSmoothingModel, { error: 'A', trend: 'A', season: 'N', m: 1 }],
    [dampedTrendModel, { error: 'A', trend: 'Ad', season: 'N', m: 1 }],
  ] as const) {
    it(`${def.info.id}: forecasts and both bounds are the adjusted fit's, times the seasonal indices`, () => {
      const { indices } = shrunkDecomposition(seasonal, 12, 'multiplicative');
      const adjusted = seasonal.map((v, t) => v / indices[t % 12]);
      const inner = esFittedModel(estimateEs(adjusted, shape, {}), {}).forecast(24, [80, 95]);
      const r = runForecast({ sku: 'S', values: seasonal, dates: dates(72), modelId: def.info.id, method: 'mle', settings: { ...defaultForecastSettings, horizon: 24, holdout: 0 } });
      expect(r.seasonalPeriod).toBe(12);
      expect(r.parameters.seasonallyAdjusted).toBe(true);
      // Said by the parameters, not as a note (the SKU panel lists notes).
      expect(r.warnings.join(' ')).not.toMatch(/seasonally adjusted/);
      expect(r.fit.aicc).toBeNull();
      for (let i = 0; i < 24; i++) {
        const s = indices[(72 + i) % 12];
        expect(r.forecast.mean[i]).toBeCloseTo(inner.mean[i] * s, 6);
        expect(r.forecast.intervals[1].lower[i]).toBeCloseTo(inner.intervals[1].lower[i] * s, 6);
        expect(r.forecast.intervals[1].upper[i]).toBeCloseTo(inner.intervals[1].upper[i] * s, 6);
      }
      // The season shows in the forecast: the peak month is forecast well above the trough.
      expect(Math.max(...r.forecast.mean.slice(0, 12)) / Math.min(...r.forecast.mean.slice(0, 12))).toBeGreaterThan(1.5);
    });
  }

  it('without a season found it is the unadjusted fit (R\'s ses), with the usual warning', () => {
    const y = Array.from({ length: 40 }, (_, t) => 100 + 10 * Math.sin(t * 1.7) + 0.5 * t);
    const r = runForecast({ sku: 'N', values: y, dates: dates(40), modelId: 'simple_exponential_smoothing', method: 'mle', settings: { ...defaultForecastSettings, horizon: 6, holdout: 0 } });
    expect(r.seasonalPeriod).toBeNull();
    expect(r.parameters.seasonallyAdjusted).toBeUndefined();
    const plain = esFittedModel(estimateEs(y, { error: 'A', trend: 'N', season: 'N', m: 1 }, {}), {}).forecast(6, []);
    r.forecast.mean.forEach((v, i) => expect(v).toBeCloseTo(plain.mean[i], 9));
    expect(r.fit.aicc).not.toBeNull();
  });

  it('a season in data that reach 0: additive adjustment keeps the season, and the warning says so', () => {
    const y = seasonal.map((v, t) => (t === 30 ? 0 : v - 40));
    const r = runForecast({ sku: 'Z', values: y, dates: dates(72), modelId: 'damped_trend', method: 'mle', settings: { ...defaultForecastSettings, horizon: 12, holdout: 0 } });
    expect(r.seasonalPeriod).toBe(12);
    expect(r.parameters.seasonallyAdjusted).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/additive decomposition/);
    expect(Math.max(...r.forecast.mean) - Math.min(...r.forecast.mean)).toBeGreaterThan(20);
  });

  it('grid candidates are fitted to the adjusted series too', () => {
    const fit = dampedTrendModel.fit({ y: seasonal, period: 12, frequency: 'monthly' }, { alpha: 0.3, beta: 0.05, phi: 0.9 });
    expect(fit.parameters).toMatchObject({ alpha: 0.3, beta: 0.05, phi: 0.9, seasonallyAdjusted: true, seasonalPeriod: 12 });
  });
});

// A grid candidate's forecast is computed without building the fitted model (seasonallyAdjustedEs).
const trended = Array.from({ length: 36 }, (_, t) => 100 + 2 * t + 15 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5));
const withZeros = trended.map((v, t) => (t % 9 === 4 ? 0 : v));
const negative = trended.map((v) => v - 160);

describe('a grid candidate\'s mean forecast, computed without building the model, is the built model\'s', () => {
  const models = [dampedTrendModel, simpleExponentialSmoothingModel, doubleExponentialSmoothingModel];
  it.each([
    ['adjusted (multiplicative)', trended, 12],
    ['adjusted (additive: zeros)', withZeros, 12],
    ['not adjusted (no period)', trended, null],
    ['negative values, too short a window for the period', negative.slice(0, 20), 12],
  ] as const)('%s: every candidate, bit for bit', (_name, y, period) => {
    for (const def of models) {
      const ctx = { y: [...y], period, frequency: 'monthly' as const };
      const candidates = gridCandidates(def, ctx);
      expect(candidates.length).toBeGreaterThan(4);
      for (const c of candidates) {
        const quick = def.fit(ctx, c).forecast(7, []).mean;
        const model = def.fit(ctx, c);
        expect(model.parameters.alpha).toBe(c.alpha); // reading builds the model
        const want = model.forecast(7, []).mean;
        expect(quick.length).toBe(want.length);
        quick.forEach((v, i) => expect(Object.is(v, want[i]), `${def.info.id} ${JSON.stringify(c)} step ${i}: ${v} vs ${want[i]}`).toBe(true));
        // The built model's bands are unaffected by an earlier quick forecast.
        const both = def.fit(ctx, c);
        void both.forecast(7, []);
        expect(both.forecast(7, [80]).mean).toEqual(want);
        expect(both.sigma).toBe(model.sigma);
      }
    }
  });
});
