/**
 * Seasonality on the histories planners have: two or three seasons, a trend, zeros (issue 10).
 */
import { describe, expect, it } from 'vitest';
import { listModels, runForecast } from './index.js';
import { seasonalStrength } from './decomposition.js';
import type { ForecastInput } from './index.js';

const dates = (n: number) => Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const trendedSine = Array.from({ length: 36 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12) + t);

function run(modelId: string, values: number[], over: Partial<ForecastInput> = {}) {
  return runForecast({
    sku: 'S', values, dates: dates(values.length), modelId, method: 'grid',
    settings: { horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80, 95] }, ...over,
  });
}

/** Correlation of the forecast's month-to-month changes with the true season's (a level or a trend does not count). */
function seasonCorrelation(mean: number[], n: number): number {
  const d = mean.slice(1).map((v, i) => v - mean[i]);
  const truth = d.map((_, i) => Math.sin((2 * Math.PI * (n + i + 1)) / 12) - Math.sin((2 * Math.PI * (n + i)) / 12));
  const md = d.reduce((a, b) => a + b, 0) / d.length;
  const mt = truth.reduce((a, b) => a + b, 0) / truth.length;
  const dot = d.reduce((a, v, i) => a + (v - md) * (truth[i] - mt), 0);
  const norm = Math.sqrt(d.reduce((a, v) => a + (v - md) ** 2, 0) * truth.reduce((a, t) => a + (t - mt) ** 2, 0));
  return norm > 0 ? dot / norm : 0;
}

/** Deterministic noise in [-1, 1). */
const noiseAt = (t: number) => 2 * ((Math.sin(t * 12.9898 + 1) * 43758.5453) % 1);

describe('seasonality on short, trended histories', () => {
  it('finds the season of a trended 36-month sine that the autocorrelation test misses', () => {
    expect(seasonalStrength(trendedSine, 12)).toBeGreaterThan(0.9);
    const noise = Array.from({ length: 36 }, (_, t) => 100 + t + 5 * noiseAt(t));
    expect(seasonalStrength(noise, 12)).toBeLessThan(0.5);
  });

  it('finds the season of exactly two seasons (24 months, 8 quarters, 104 weeks), where a moving average leaves one point per month', () => {
    const pattern = [0, 20, 35, 40, 35, 20, 0, -20, -35, -40, -35, -20];
    const monthly = Array.from({ length: 24 }, (_, t) => 100 + pattern[t % 12] + 0.3 * ((t * 37) % 7));
    expect(seasonalStrength(monthly, 12)).toBeGreaterThan(0.9);
    const quarterly = Array.from({ length: 8 }, (_, t) => 100 + [0, 40, 0, -40][t % 4] + 0.5 * t + 0.3 * ((t * 37) % 7));
    expect(seasonalStrength(quarterly, 4)).toBeGreaterThan(0.9);
    const weekly = Array.from({ length: 104 }, (_, t) => 200 + 40 * Math.sin((2 * Math.PI * t) / 52) + 0.5 * t + 3 * noiseAt(t));
    expect(seasonalStrength(weekly, 52)).toBeGreaterThan(0.9);
    for (const id of ['ensemble', 'ets', 'damped_trend']) {
      const r = run(id, monthly);
      expect(r.seasonalPeriod, id).toBe(12);
    }
  });

  it('between two and three seasons, neither noise nor a level shift at the turn of a season reads as a season', () => {
    // With the moving average, 26 months of noise kept a handful of points and passed 0.5 about a
    // third of the time; a year at 100 then a year at 150 is a ramp season seen through a trend.
    let passed = 0;
    for (let k = 0; k < 40; k++) {
      const noise = Array.from({ length: 26 }, (_, t) => 100 + 0.5 * t + 10 * noiseAt(t + 100 * k));
      if (seasonalStrength(noise, 12) >= 0.5) passed++;
    }
    expect(passed).toBeLessThanOrEqual(4);
    for (const n of [24, 26, 30]) {
      const shift = Array.from({ length: n }, (_, t) => (t < 12 ? 100 : 150) + 2 * noiseAt(t));
      expect(seasonalStrength(shift, 12), `n=${n}`).toBeLessThan(0.5);
    }
  });

  it('a constant history has no season, and noise far from zero is still noise', () => {
    for (const [m, n] of [[12, 24], [4, 8], [52, 104], [7, 14]]) {
      for (const level of [5, 0.1, 1234.5]) expect(seasonalStrength(new Array<number>(n).fill(level), m), `${level} x ${n}`).toBe(0);
    }
    // White noise of sd ~1 on a level of 1e8: the raw normal equations rounded it into a season.
    let passed = 0;
    for (let k = 0; k < 20; k++) {
      if (seasonalStrength(Array.from({ length: 24 }, (_, t) => 1e8 + noiseAt(t + 50 * k)), 12) >= 0.5) passed++;
    }
    expect(passed).toBeLessThanOrEqual(2);
  });

  it('every seasonal model keeps the season of the trended sine', () => {
    const seasonal = listModels().filter((m) => m.seasonal).map((m) => m.id);
    expect(seasonal).toEqual(expect.arrayContaining(['ets', 'ensemble', 'seasonal_naive', 'holt_winters', 'damped_trend', 'theta', 'dynamic_theta', 'arima']));
    for (const id of seasonal) {
      const r = run(id, trendedSine);
      expect(r.seasonalPeriod, id).toBe(12);
      expect(seasonCorrelation(r.forecast.mean, 36), id).toBeGreaterThan(0.9);
    }
  });

  it('the seasonal naive is seasonal once one full season (and a point) exists', () => {
    const values = Array.from({ length: 14 }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 12));
    const r = run('seasonal_naive', values, { settings: { horizon: 12, holdout: 0, metric: 'mae', intervalLevels: [80] } });
    expect(r.seasonalPeriod).toBe(12);
    expect(r.forecast.mean).toEqual([...values.slice(2, 12), ...values.slice(12, 14)]);
  });

  it('weekly data get a 52-week season from two years of history', () => {
    const values = Array.from({ length: 110 }, (_, t) => 200 + 40 * Math.sin((2 * Math.PI * t) / 52) + 0.5 * t);
    const weekDates = values.map((_, i) => new Date(Date.UTC(2022, 0, 3 + 7 * i)).toISOString().slice(0, 10));
    const r = runForecast({ sku: 'W', values, dates: weekDates, modelId: 'ensemble', method: 'mle', settings: { horizon: 26, holdout: 0, metric: 'mae', intervalLevels: [80] } });
    expect(r.frequency).toBe('weekly');
    expect(r.seasonalPeriod).toBe(52);
  });

  it('one zero in a seasonal series does not remove the ensemble\'s season (additive adjustment)', () => {
    const base = Array.from({ length: 36 }, (_, t) => 60 + 50 * Math.sin((2 * Math.PI * t) / 12) + 0.5 * t);
    const withZero = base.map((v, t) => (t === 20 ? 0 : v));
    const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    const a = run('ensemble', base);
    const b = run('ensemble', withZero);
    expect(b.seasonalPeriod).toBe(12);
    expect(range(b.forecast.mean)).toBeGreaterThan(0.6 * range(a.forecast.mean));
  });
});
