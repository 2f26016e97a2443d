import { describe, expect, it } from 'vitest';
import type { ForecastInput, ForecastResult } from './forecast-types.js';
import { fitEnsemble } from './ensemble.js';
import { runForecast } from './run-forecast.js';

/** Behaviour every advanced model (ets, theta, dynamic_theta, ensemble, arima) must show through the public engine. */

const monthly = Array.from({ length: 72 }, (_, t) => Math.round((200 + 3 * t) * (1 + 0.25 * Math.sin((2 * Math.PI * t) / 12)) + ((t * 37) % 11)));
const yearly = [940.66, 1084.86, 1244.98, 1445.02, 1683.17, 2038.15, 2342.52, 2602.45, 2927.87, 3103.96, 3360.27, 3807.63, 4387.88, 4936.99];

function run(modelId: string, values: number[], frequency: ForecastInput['frequency'], method: 'mle' | 'grid' = 'mle', horizon = 12): ForecastResult {
  return runForecast({ sku: 'S', values, frequency, modelId, method, settings: { horizon, holdout: 6, metric: 'smape', intervalLevels: [80, 95] } });
}

describe.each(['ets', 'theta', 'dynamic_theta', 'ensemble', 'arima'])('%s', (modelId) => {
  it('forecasts a constant series as that constant, with intervals that contain it', () => {
    const r = run(modelId, new Array(30).fill(42), 'monthly');
    for (const v of r.forecast.mean) expect(v).toBeCloseTo(42, 6);
    for (const band of r.forecast.intervals) {
      band.lower.forEach((lo, i) => { expect(lo).toBeLessThanOrEqual(42 + 1e-6); expect(band.upper[i]).toBeGreaterThanOrEqual(42 - 1e-6); });
    }
  });

  it.each([['monthly', monthly], ['yearly', yearly]] as const)('on a %s series: finite values, nested intervals that widen with the horizon', (frequency, values) => {
    const r = run(modelId, values as number[], frequency);
    expect(r.forecast.mean).toHaveLength(12);
    const [b80, b95] = r.forecast.intervals;
    for (let i = 0; i < 12; i++) {
      for (const v of [r.forecast.mean[i], b80.lower[i], b80.upper[i], b95.lower[i], b95.upper[i]]) expect(Number.isFinite(v)).toBe(true);
      expect(b95.lower[i]).toBeLessThanOrEqual(b80.lower[i] + 1e-9);
      expect(b80.lower[i]).toBeLessThanOrEqual(r.forecast.mean[i] + 1e-9);
      expect(r.forecast.mean[i]).toBeLessThanOrEqual(b80.upper[i] + 1e-9);
      expect(b80.upper[i]).toBeLessThanOrEqual(b95.upper[i] + 1e-9);
    }
    const width = (i: number) => (b95.upper[i] - b95.lower[i]) / Math.max(1e-9, Math.abs(r.forecast.mean[i]));
    expect(width(11)).toBeGreaterThan(width(0));
    expect(r.holdout.metrics).not.toBeNull();
  });

  it('is deterministic', () => {
    expect(run(modelId, monthly, 'monthly')).toEqual({ ...run(modelId, monthly, 'monthly'), search: expect.anything() });
  });
});

describe('model-specific behaviour', () => {
  it('ets picks a seasonal form for a clearly seasonal series and reports it', () => {
    const r = run('ets', monthly, 'monthly');
    expect(String(r.parameters.form)).toMatch(/^[AM](N|A|Ad)[AM]$/);
    expect(r.parameters.seasonalPeriod).toBe(12);
    expect(r.fit.aicc).not.toBeNull();
  });

  it('ets grid compares the forms on the holdout', () => {
    const r = run('ets', yearly, 'yearly', 'grid', 6);
    expect(r.search.candidatesEvaluated).toBe(6); // ANN AAN AAdN MNN MAN MAdN
    expect(typeof r.parameters.form).toBe('string');
  });

  it('the ensemble follows a trend and a season', () => {
    const r = run('ensemble', monthly, 'monthly');
    expect(r.parameters.members).toBe('ses+dotm+damped+ces+arima');
    expect(r.parameters.weights).toBe('1/2/1/1/1');
    const mean = r.forecast.mean;
    expect(Math.max(...mean) - Math.min(...mean)).toBeGreaterThan(50); // seasonal swing kept
    expect(mean.reduce((a, b) => a + b, 0) / 12).toBeGreaterThan(monthly.slice(-12).reduce((a, b) => a + b, 0) / 12);
  });
});

describe('ensemble weights', () => {
  const ctx = { y: monthly, period: 12, frequency: 'monthly' as const };
  const plain = { combine: 'mean' as const, intervalScale: { a: 1, b: 0 } };

  it('a zero weight drops its member and the weights are relative', () => {
    const alone = fitEnsemble(ctx, { ...plain, members: ['dotm'] }).forecast(6, [95]);
    const weighted = fitEnsemble(ctx, { ...plain, members: ['ses', 'dotm'], weights: [0, 3] }).forecast(6, [95]);
    weighted.mean.forEach((v, i) => expect(v).toBeCloseTo(alone.mean[i], 9));
    weighted.intervals[0].upper.forEach((v, i) => expect(v).toBeCloseTo(alone.intervals[0].upper[i], 9));
  });

  it('weight 2 counts a member twice', () => {
    const twice = fitEnsemble(ctx, { ...plain, members: ['ses', 'dotm', 'dotm'] }).forecast(6, [95]).mean;
    const weighted = fitEnsemble(ctx, { ...plain, members: ['ses', 'dotm'], weights: [1, 2] }).forecast(6, [95]).mean;
    weighted.forEach((v, i) => expect(v).toBeCloseTo(twice[i], 9));
  });

  it('rejects weights that do not match the members', () => {
    expect(() => fitEnsemble(ctx, { ...plain, members: ['ses', 'dotm'], weights: [1] })).toThrow(/weights/);
    expect(() => fitEnsemble(ctx, { ...plain, members: ['ses', 'dotm'], weights: [0, 0] })).toThrow(/weights/);
  });
});
