import { describe, expect, it } from 'vitest';
import { calibrationFactors, crossValidate, cvOrigins, type CrossValidateOptions } from './cross-validation.js';
import { getModel } from './model-registry.js';
import { mae, naiveScale } from './metrics.js';
import type { CrossValidation, MethodId } from './forecast-types.js';

const series = Array.from({ length: 36 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12) + t + 3 * Math.sin(t * 1.7));

function options(y: number[], method: MethodId): CrossValidateOptions {
  return {
    y, frequency: 'monthly', calendarPeriod: 12, method, holdout: 6, horizon: 12, metric: 'mae', levels: [80, 95],
    periodFor: () => null, adjust: (xs) => xs,
  };
}

describe('rolling-origin cross-validation', () => {
  it('places origins by the history and the holdout only, more on short histories', () => {
    expect(cvOrigins(36, 6)).toEqual([21, 24, 27, 30]);
    expect(cvOrigins(12, 6)).toEqual([6, 7, 8, 9]); // 12 quarters: closer origins to fill the budget
    expect(cvOrigins(20, 6)).toEqual([8, 10, 12, 14]);
    expect(cvOrigins(100, 6)).toEqual([88, 91, 94]);
    expect(cvOrigins(400, 6)).toEqual([391, 394]);
    expect(cvOrigins(8, 6)).toEqual([]);
    expect(cvOrigins(36, 0)).toEqual([]);
  });

  for (const [modelId, method] of [['damped_trend', 'grid'], ['ets', 'grid'], ['ets', 'mle'], ['ensemble', 'mle']] as const) {
    it(`${modelId} (${method}) forecasts each origin from the data before it only`, () => {
      const def = getModel(modelId)!;
      const a = crossValidate(def, options(series, method))!;
      // Change everything after the first origin: that origin's forecast (tuning included) cannot move.
      const changed = series.map((v, t) => (t >= a.origins[0] ? v * 3 + 50 : v));
      const b = crossValidate(def, options(changed, method))!;
      expect(b.forecast[0]).toEqual(a.forecast[0]);
      expect(b.forecast[a.origins.length - 1]).not.toEqual(a.forecast[a.origins.length - 1]);
      expect(a.tuning).toBe(method);
      expect(a.actual.map((x) => x.length)).toEqual([12, 12, 9, 6]);
      expect(a.metrics?.mae).toBeGreaterThan(0);
    });
  }

  it('scales MASE with one lag at every origin (lag 1 where the earliest origin holds no season and a point)', () => {
    const y = series.slice(0, 20);
    const cv = crossValidate(getModel('naive')!, options(y, 'mle'))!;
    expect(cv.origins).toEqual([8, 10, 12, 14]); // 14 > 12: the calendar lag would apply there alone
    const expected = cv.origins.map((o, k) => mae(cv.actual[k], cv.forecast[k]!) / naiveScale(y.slice(0, o), 1)!);
    expect(cv.metrics!.mase).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / expected.length, 10);
    const long = crossValidate(getModel('naive')!, options(series, 'mle'))!;
    expect(long.origins[0]).toBe(21);
    const seasonal = long.origins.map((o, k) => mae(long.actual[k], long.forecast[k]!) / naiveScale(series.slice(0, o), 12)!);
    expect(long.metrics!.mase).toBeCloseTo(seasonal.reduce((a, b) => a + b, 0) / seasonal.length, 10);
  });
});

describe('interval calibration from the cross-validation errors', () => {
  const cvWith = (errorScale: number): CrossValidation => ({
    origins: [10, 20, 30], tuning: 'mle', metrics: null,
    actual: [0, 1, 2].map((k) => Array.from({ length: 8 }, (_, i) => 100 + errorScale * (((i + k) % 2) ? 1 : -1) * (1 + (i % 4) / 4))),
    forecast: [0, 1, 2].map(() => new Array<number>(8).fill(100)),
    bands: [0, 1, 2].map(() => [
      { level: 80, lower: new Array<number>(8).fill(99), upper: new Array<number>(8).fill(101) },
      { level: 95, lower: new Array<number>(8).fill(98), upper: new Array<number>(8).fill(102) },
    ]),
  });

  it('widens intervals the errors overrun, shrunk towards the model\'s own width', () => {
    const f = calibrationFactors(cvWith(4), [80, 95])!;
    expect(f[0]).toBeGreaterThan(2);
    expect(f[0]).toBeLessThan(7); // the raw quantile ratio is 7; 24 points pull it towards 1
    expect(f[1]).toBeGreaterThan(1);
  });

  it('counts an error outside a zero-width band as an exceedance instead of dropping it', () => {
    const base = cvWith(4);
    const zeroWidth = (k: number) => [
      { level: 80, lower: new Array<number>(8).fill(100), upper: new Array<number>(8).fill(100) },
      { level: 95, lower: new Array<number>(8).fill(100), upper: new Array<number>(8).fill(100) },
    ][k];
    // One origin more whose model had no spread (a flat history) and missed every point.
    const withFlat: CrossValidation = {
      ...base, origins: [...base.origins, 40],
      actual: [...base.actual, new Array<number>(8).fill(130)],
      forecast: [...base.forecast, new Array<number>(8).fill(100)],
      bands: [...base.bands!, [zeroWidth(0), zeroWidth(1)]],
    };
    const plain = calibrationFactors(base, [80, 95])!;
    const f = calibrationFactors(withFlat, [80, 95])!;
    expect(f.every(Number.isFinite)).toBe(true);
    expect(f[0]).toBeGreaterThan(plain[0]);
    expect(f[1]).toBeGreaterThanOrEqual(plain[1]);
  });

  it('reads a band whose width is rounding (an exact fit) as no spread, not as a ratio of millions', () => {
    const base = cvWith(4);
    const hairline = (level: number) => ({ level, lower: new Array<number>(8).fill(100 - 5e-4), upper: new Array<number>(8).fill(100 + 5e-4) });
    // One origin more whose model fitted its history exactly (half-width 5e-6 of the level, as seen) and missed by 40.
    const withExact: CrossValidation = {
      ...base, origins: [...base.origins, 40],
      actual: [...base.actual, new Array<number>(8).fill(140)],
      forecast: [...base.forecast, new Array<number>(8).fill(100)],
      bands: [...base.bands!, [hairline(80), hairline(95)]],
    };
    const f = calibrationFactors(withExact, [80, 95])!;
    // As exceedances, the largest finite ratio (the other origins', at most 7) stands in where the
    // rank falls on them; as ratios they were 80,000.
    expect(f[0]).toBeLessThan(10);
    expect(f[1]).toBeLessThan(10);
    expect(f[0]).toBeGreaterThan(calibrationFactors(base, [80, 95])![0]);
  });

  it('keeps the ratios of a narrow band on a high level (it is narrow against the level, not against the model\'s bands)', () => {
    // Level 50,000, 80% half-widths 3.8 (7.6e-5 of the level): misses of 8 must widen it.
    const high: CrossValidation = {
      origins: [10, 20, 30], tuning: 'mle', metrics: null,
      actual: [0, 1, 2].map((k) => Array.from({ length: 8 }, (_, i) => 50_000 + 8 * (((i + k) % 2) ? 1 : -1))),
      forecast: [0, 1, 2].map(() => new Array<number>(8).fill(50_000)),
      bands: [0, 1, 2].map(() => [{ level: 80, lower: new Array<number>(8).fill(50_000 - 3.8), upper: new Array<number>(8).fill(50_000 + 3.8) }]),
    };
    const [f] = calibrationFactors(high, [80])!;
    expect(f).toBeGreaterThan(1.5);
    expect(Number.isFinite(f)).toBe(true);
  });

  it('never narrows them, and needs a few points', () => {
    expect(calibrationFactors(cvWith(0.1), [80, 95])).toEqual([1, 1]);
    const few = { ...cvWith(4), forecast: [null, null, cvWith(4).forecast[2]] };
    few.actual[2] = few.actual[2].slice(0, 4);
    few.forecast[2] = few.forecast[2]!.slice(0, 4);
    expect(calibrationFactors(few, [80])).toBeNull();
  });
});
