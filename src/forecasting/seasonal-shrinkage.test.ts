import { describe, expect, it } from 'vitest';
import { classicalDecomposition } from './decomposition.js';
import { defaultForecastSettings, runForecast } from './index.js';
import { getModel } from './model-registry.js';
import { seasonalPeriod } from './run-forecast.js';
import { SHRUNK_SEASON_STRENGTH_THRESHOLD, shrinkable } from './season-gate.js';
import { seasonalStrength } from './decomposition.js';
import { SHRINKAGE_NOTED_FROM, shrinkageNote, shrunkDecomposition } from './seasonal-shrinkage.js';
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

  it('under three seasons, where one or two ratios per position cannot measure the noise, keeps a season whole or drops it by the usual gate', () => {
    for (const n of [24, 25, 30, 35]) {
      const flat = noise(n, 9).map((v) => 100 + 5 * v);
      expect(multiplicativeAdjustment(flat, 12).kept).toBe(0);
      const y = noise(n, 9).map((v, t) => 100 * SEASON[t % 12] + 5 * v);
      const adj = multiplicativeAdjustment(y, 12);
      expect(adj.kept).toBe(1);
      const { indices } = classicalDecomposition(y, 12, 'multiplicative');
      expect(Array.from({ length: 12 }, (_, i) => adj.index(i))).toEqual(indices);
    }
    expect(shrunkDecomposition(noise(36, 9).map((v) => 100 + 5 * v), 12, 'multiplicative').kept).toBeLessThan(1);
  });

  it('needs 12 degrees of freedom to measure the noise: 36 months, 20 quarters, 156 weeks', () => {
    expect([shrinkable(35, 12), shrinkable(36, 12)]).toEqual([false, true]);
    expect([shrinkable(12, 4), shrinkable(19, 4), shrinkable(20, 4)]).toEqual([false, false, true]);
    expect([shrinkable(155, 52), shrinkable(156, 52)]).toEqual([false, true]);
    expect([shrinkable(24, 7), shrinkable(25, 7)]).toEqual([false, true]);
    // 12 quarters with a weak season (strength 0.35): no shrinkage on 4 degrees of freedom, so no
    // lowered gate either; the season is all or nothing by the usual gate (here: nothing).
    const q = noise(12, 2).map((v, t) => 100 + 2 * [1, -1, 2, -2][t % 4] + 5 * v);
    expect(seasonalStrength(q, 4)).toBeGreaterThan(SHRUNK_SEASON_STRENGTH_THRESHOLD);
    expect(seasonalStrength(q, 4)).toBeLessThan(0.5);
    expect(seasonalPeriod(getModel('ensemble')!, q, 4).period).toBeNull();
    expect(multiplicativeAdjustment(q, 4).kept).toBe(0);
    const strong = q.map((v, t) => v + 10 * [1, -1, 2, -2][t % 4]);
    expect(multiplicativeAdjustment(strong, 4).kept).toBe(1);
  });

  it("never fits whole, on a shorter window, a weak season the lowered gate admitted on the whole history", () => {
    // The grid search and cross-validation refit on windows too short to shrink: the usual gate decides there.
    const y = noise(40, 5).map((v, t) => 100 * (1 + 0.1 * (SEASON[t % 12] - 1)) + 4 * v + 0.2 * t);
    expect(seasonalPeriod(getModel('damped_trend')!, y, 12).period).toBe(12);
    const kept = shrunkDecomposition(y, 12, 'multiplicative').kept;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1);
    const window = y.slice(0, 34);
    expect(seasonalStrength(window, 12)).toBeLessThan(0.5);
    expect(multiplicativeAdjustment(window, 12).kept).toBe(0);
    expect(multiplicativeAdjustment(window, 12).adjusted).toBe(false);
  });

  it('shrinks quarterly indices and, where the history reaches 0, the additive ones', () => {
    const q = noise(20, 4).map((v, t) => 100 + 3 * [1, -1, 2, -2][t % 4] + 6 * v);
    const kq = shrunkDecomposition(q, 4, 'multiplicative').kept;
    expect(kq).toBeGreaterThan(0);
    expect(kq).toBeLessThan(1);
    // Zeros in the history: the additive adjustment, shrunk the same way.
    const z = noise(48, 8).map((v, t) => (t % 7 === 3 ? 0 : 10 + 3 * (SEASON[t % 12] - 1) / 0.3 + 4 * v));
    expect(z).toContain(0);
    const adj = multiplicativeAdjustment(z, 12);
    const d = shrunkDecomposition(z, 12, 'additive');
    expect(adj.kind).toBe(d.kept > 0 ? 'additive' : 'none');
    expect(d.kept).toBeLessThan(1);
    if (d.kept > 0) expect(adj.index(5)).toBeCloseTo(d.indices[5], 12);
  });

  it('shrink = false is the classical decomposition (thetaf, R)', () => {
    const y = noise(60, 11).map((v) => 100 + 5 * v);
    expect(Array.from({ length: 12 }, (_, i) => multiplicativeAdjustment(y, 12, false).index(i))).toEqual(classicalDecomposition(y, 12, 'multiplicative').indices);
    expect(multiplicativeAdjustment(y, 12, false).adjusted).toBe(true);
    expect(multiplicativeAdjustment(y, 12).adjusted).toBe(false);
    expect(multiplicativeAdjustment(y, 12).kept).toBe(0);
  });
});

describe('a weak season from three seasons (the shrinking models)', () => {
  // Five years: a season of 3% against noise of 4% (strength 0.35, the autocorrelation test blind).
  const y = noise(60, 6).map((v, t) => 100 * (1 + 0.1 * (SEASON[t % 12] - 1)) + 4 * v + 0.2 * t);
  const settings = { ...defaultForecastSettings, horizon: 12, holdout: 0 };
  // One month at half the level in noise of 35%: shrinking the season moves that month's forecast most.
  const trough = noise(60, 6).map((v, t) => 100 * (t % 12 === 6 ? 0.5 : 1 + 0.5 / 11) + 35 * v + 0.2 * t);

  it('is admitted for the models that shrink it, not for the others', () => {
    const strength = seasonalStrength(y, 12);
    expect(strength).toBeGreaterThanOrEqual(SHRUNK_SEASON_STRENGTH_THRESHOLD + 0.1);
    expect(strength).toBeLessThan(0.45);
    for (const id of ['ensemble', 'damped_trend', 'simple_exponential_smoothing', 'double_exponential_smoothing', 'dynamic_theta']) {
      expect(seasonalPeriod(getModel(id)!, y, 12).period).toBe(12);
    }
    for (const id of ['holt_winters', 'theta']) expect(seasonalPeriod(getModel(id)!, y, 12).period).toBeNull();
    // Below three seasons the noise cannot be measured: the usual threshold (0.5) there.
    const short = y.slice(0, 30);
    expect(seasonalStrength(short, 12)).toBeGreaterThan(SHRUNK_SEASON_STRENGTH_THRESHOLD);
    expect(seasonalStrength(short, 12)).toBeLessThan(0.5);
    expect(seasonalPeriod(getModel('ensemble')!, short, 12).period).toBeNull();
  });

  it("gives the ensemble's ARIMA no season it would fit whole", () => {
    const r = runForecast({ sku: 'W', values: y, dates: dates(60), modelId: 'ensemble', method: 'mle', settings });
    expect(r.seasonalPeriod).toBe(12);
    expect(String(r.parameters.arimaOrder)).not.toMatch(/\[12\]/);
  });

  it('notes a shrinkage where it moves a period\'s forecast by a tenth or more, whatever share it keeps', () => {
    expect(shrinkageNote(12, 1, 0)).toBeNull();
    expect(shrinkageNote(12, 0.5, 0.05)).toBeNull();
    expect(shrinkageNote(12, 0.5, SHRINKAGE_NOTED_FROM)).toMatch(/reduced to 50% /);
    expect(shrinkageNote(12, 0.95, 0.12)).toBe('seasonal pattern (every 12 periods) reduced to 95% of its estimated size: the rest is estimated to be noise');
    expect(shrinkageNote(12, 0.001, 1)).toMatch(/reduced to 1% /);
    // Kept at 99.6%, a trough index of 0.03 still moves by 13%: noted, never as "100%".
    expect(shrinkageNote(12, 0.996, 0.13)).toMatch(/reduced to 99% /);
    expect(shrinkageNote(4, 0, 0.3)).toMatch(/every 4 periods\) is too weak against the noise to use/);
    expect(shrinkageNote(4, 0, 0.05)).toBeNull();
  });

  it('measures the shrinkage by the largest relative change to a period\'s forecast', () => {
    const raw = classicalDecomposition(trough, 12, 'multiplicative').indices;
    const d = shrunkDecomposition(trough, 12, 'multiplicative');
    expect(d.kept).toBeGreaterThan(0);
    expect(d.kept).toBeLessThan(1);
    const expected = Math.max(...raw.map((s, i) => Math.abs(d.indices[i] - s) / s));
    expect(d.shift).toBeCloseTo(expected, 12);
    // The trough's index moves most, relative to itself.
    expect(Math.abs(d.indices[6] - raw[6]) / raw[6]).toBeCloseTo(d.shift, 12);
    expect(shrunkDecomposition(Array.from({ length: 48 }, (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 12)), 12, 'multiplicative').shift).toBeLessThan(1e-9);
  });

  it('says how much of the season the shown forecast keeps', () => {
    // The weak season above moves no month by a tenth: no note, the share kept in the parameters.
    const weak = shrunkDecomposition(y, 12, 'multiplicative');
    expect(weak.shift).toBeLessThan(SHRINKAGE_NOTED_FROM);
    const quiet = runForecast({ sku: 'W', values: y, dates: dates(60), modelId: 'damped_trend', method: 'mle', settings });
    expect(quiet.warnings.join(' ')).not.toMatch(/seasonal pattern/);
    expect(quiet.parameters.seasonKept).toBeCloseTo(weak.kept, 12);
    const { kept, shift } = shrunkDecomposition(trough, 12, 'multiplicative');
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1);
    expect(shift).toBeGreaterThanOrEqual(SHRINKAGE_NOTED_FROM);
    const said = `reduced to ${Math.round(100 * kept)}% of its estimated size`;
    for (const id of ['damped_trend', 'dynamic_theta', 'ensemble']) {
      const r = runForecast({ sku: 'T', values: trough, dates: dates(60), modelId: id, method: 'mle', settings });
      expect(r.warnings.join(' ')).toContain(said);
      // The share kept is a parameter too, noted or not.
      expect(r.parameters.seasonKept).toBeCloseTo(kept, 12);
    }
    const flat = noise(60, 33).map((v) => 100 + 5 * v);
    const r = runForecast({ sku: 'F', values: flat, dates: dates(60), modelId: 'simple_exponential_smoothing', method: 'mle', settings });
    expect(r.seasonalPeriod).toBe(12);
    // Its noise's "season" shrunk away moves no month by a tenth: no note, seasonKept 0.
    expect(r.parameters.seasonKept).toBe(0);
    expect(r.warnings.join(' ')).not.toMatch(/season/);
  });
});
