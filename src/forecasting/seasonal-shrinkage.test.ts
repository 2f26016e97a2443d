import { describe, expect, it } from 'vitest';
import { classicalDecomposition } from './decomposition.js';
import { defaultForecastSettings, runForecast } from './index.js';
import { getModel } from './model-registry.js';
import { SHRUNK_SEASON_STRENGTH_THRESHOLD, seasonalPeriod } from './run-forecast.js';
import { seasonalStrength } from './decomposition.js';
import { shrunkDecomposition } from './seasonal-shrinkage.js';
import { multiplicativeAdjustment } from './theta.js';

// Deterministic noise (no random numbers in tests): a fixed linear congruential sequence in [-1, 1).
function noise(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (2 * s) / 2147483648 - 1;
  });
}
const SEASON = [0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.2, 1.0, 0.9, 0.8, 0.8, 0.8];
const dates = (n: number) => Array.from({ length: n }, (_, i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

describe('shrunkDecomposition', () => {
  it('keeps a clear season nearly whole', () => {
    const e = noise(60, 7);
    const y = SEASON.concat(SEASON, SEASON, SEASON, SEASON).map((s, t) => 100 * s + e[t]);
    const d = shrunkDecomposition(y, 12, 'multiplicative');
    expect(d.kept).toBeGreaterThan(0.95);
    const raw = classicalDecomposition(y, 12, 'multiplicative');
    d.indices.forEach((s, i) => expect(s).toBeCloseTo(1 + d.kept * (raw.indices[i] - 1), 12));
  });

  it('shrinks noise without a season away, and a weak season part of the way', () => {
    const flat = noise(60, 11).map((v) => 100 + 5 * v);
    expect(shrunkDecomposition(flat, 12, 'multiplicative').kept).toBe(0);
    // A season as large as the noise: some of it is kept, less than all.
    const weak = noise(60, 3).map((v, t) => 100 * (1 + 0.04 * (SEASON[t % 12] - 1) / 0.3) + 4 * v);
    const kept = shrunkDecomposition(weak, 12, 'multiplicative').kept;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1);
  });

  it('keeps the indices mean 1 (multiplicative) or sum 0 (additive)', () => {
    const y = noise(48, 5).map((v, t) => 50 * SEASON[t % 12] + 6 * v);
    const m = shrunkDecomposition(y, 12, 'multiplicative');
    expect(m.kept).toBeLessThan(1);
    expect(m.indices.reduce((a, b) => a + b, 0) / 12).toBeCloseTo(1, 12);
    const a = shrunkDecomposition(y.map((v) => v - 50), 12, 'additive');
    expect(a.indices.reduce((p, q) => p + q, 0)).toBeCloseTo(0, 9);
  });

  it('leaves exactly two seasons unshrunk: one ratio per position measures no noise', () => {
    const y = noise(24, 9).map((v) => 100 + 5 * v);
    const d = shrunkDecomposition(y, 12, 'multiplicative');
    expect(d.kept).toBe(1);
    expect(d.indices).toEqual(classicalDecomposition(y, 12, 'multiplicative').indices);
  });

  it('shrink = false is the classical decomposition (thetaf, R)', () => {
    const y = noise(60, 11).map((v) => 100 + 5 * v);
    expect(shrunkDecomposition(y, 12, 'multiplicative', false).indices).toEqual(classicalDecomposition(y, 12, 'multiplicative').indices);
    expect(multiplicativeAdjustment(y, 12, false).adjusted).toBe(true);
    expect(multiplicativeAdjustment(y, 12).adjusted).toBe(false);
    expect(multiplicativeAdjustment(y, 12).kept).toBe(0);
  });
});

describe('a weak season from three seasons (the shrinking models)', () => {
  // Five years: a season of 3% against noise of 4%, seasonal strength between the two thresholds.
  const y = noise(60, 21).map((v, t) => 100 * (1 + 0.1 * (SEASON[t % 12] - 1)) + 4 * v + 0.2 * t);

  it('is admitted for the models that shrink it, not for the others', () => {
    const strength = seasonalStrength(y, 12);
    expect(strength).toBeGreaterThanOrEqual(SHRUNK_SEASON_STRENGTH_THRESHOLD);
    expect(strength).toBeLessThan(0.5);
    for (const id of ['ensemble', 'damped_trend', 'simple_exponential_smoothing', 'dynamic_theta']) expect(seasonalPeriod(getModel(id)!, y, 12).period).toBe(12);
    for (const id of ['holt_winters', 'theta']) expect(seasonalPeriod(getModel(id)!, y, 12).period).toBeNull();
    // Below three seasons the noise cannot be measured: the usual threshold.
    expect(seasonalPeriod(getModel('ensemble')!, y.slice(0, 35), 12).period).toBe(seasonalStrength(y.slice(0, 35), 12) >= 0.5 ? 12 : null);
  });

  it('says how much of the season the shown forecast keeps', () => {
    const r = runForecast({ sku: 'W', values: y, dates: dates(60), modelId: 'damped_trend', method: 'mle', settings: { ...defaultForecastSettings, horizon: 12, holdout: 0 } });
    expect(r.seasonalPeriod).toBe(12);
    const text = r.warnings.join(' ');
    expect(text).toMatch(/shrunk to \d+% of their estimate for noise|shrunk away/);
  });
});
