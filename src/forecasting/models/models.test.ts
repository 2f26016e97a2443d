/**
 * Hand-checked small cases for every model in src/forecasting/models. Each expected number is
 * worked out in the comment above it.
 */
import { describe, expect, it } from 'vitest';
import type { ModelDefinition, ParameterValues } from '../model-definition.js';
import { naiveModel } from './naive.js';
import { seasonalNaiveModel } from './seasonal-naive.js';
import { meanModel } from './mean.js';
import { movingAverageModel } from './moving-average.js';
import { seasonalMovingAverageModel } from './seasonal-moving-average.js';
import { linearTrendModel } from './linear-trend.js';
import { simpleExponentialSmoothingModel } from './simple-exponential-smoothing.js';
import { doubleExponentialSmoothingModel } from './double-exponential-smoothing.js';
import { dampedTrendModel } from './damped-trend.js';
import { holtWintersModel } from './holt-winters.js';
import { crostonModel } from './croston.js';
import { sbaModel } from './sba.js';
import { tsbModel } from './tsb.js';

const Z80 = 1.2815515655446004; // qnorm(0.9); our quantile is accurate to ~1e-9, hence 7 digits below

function run(def: ModelDefinition, y: number[], params: ParameterValues | null, h: number, period: number | null = null) {
  const fit = def.fit({ y, period, frequency: 'monthly' }, params);
  return { fit, ...fit.forecast(h, [80]) };
}

describe('naive', () => {
  it('repeats the last value; variance h * mean squared change', () => {
    // y = 1 3 2 6: changes 2, -1, 4 -> sigma^2 = (4 + 1 + 16) / 3 = 7.
    const r = run(naiveModel, [1, 3, 2, 6], null, 2);
    expect(r.mean).toEqual([6, 6]);
    expect(r.intervals[0].upper[0]).toBeCloseTo(6 + Z80 * Math.sqrt(7), 7);
    expect(r.intervals[0].lower[1]).toBeCloseTo(6 - Z80 * Math.sqrt(14), 7);
  });
});

describe('seasonal_naive', () => {
  it('repeats the last season; variance grows per whole season', () => {
    // m = 3, last season 2 4 5; seasonal changes 1, 2, 2 -> sigma^2 = 9 / 3 = 3; h = 4 is in season 2 -> 2 sigma^2.
    const r = run(seasonalNaiveModel, [1, 2, 3, 2, 4, 5], null, 4, 3);
    expect(r.mean).toEqual([2, 4, 5, 2]);
    expect(r.intervals[0].upper[0] - 2).toBeCloseTo(Z80 * Math.sqrt(3), 7);
    expect(r.intervals[0].upper[3] - 2).toBeCloseTo(Z80 * Math.sqrt(6), 7);
  });
});

describe('mean', () => {
  it('forecasts the mean with a t(n-1) interval of s sqrt(1 + 1/n)', () => {
    // y = 2 4 6 8: mean 5, s^2 = (9 + 1 + 1 + 9) / 3 = 20/3, se = sqrt(20/3 * 5/4) = 2.88675; qt(0.9, 3) = 1.637744.
    const r = run(meanModel, [2, 4, 6, 8], null, 3);
    expect(r.mean).toEqual([5, 5, 5]);
    expect(r.intervals[0].lower[2]).toBeCloseTo(5 - 1.637744 * 2.886751, 4);
  });
});

describe('moving_average', () => {
  it('averages the last `window` points; residual sigma', () => {
    // window 2 on 1 2 3 4: forecast (3 + 4) / 2 = 3.5; fits at t=2,3 are 1.5 and 2.5, residuals 1.5, 1.5 -> sigma 1.5.
    const r = run(movingAverageModel, [1, 2, 3, 4], { window: 2 }, 2);
    expect(r.mean).toEqual([3.5, 3.5]);
    expect(r.fit.sigma).toBeCloseTo(1.5, 12);
  });
  it('mle picks window 1 on a random walk-like step series', () => {
    // A level shift: the shortest window tracks it with the smallest one-step error.
    const r = run(movingAverageModel, [1, 1, 1, 1, 9, 9, 9, 9, 20, 20, 20, 20], null, 1);
    expect(r.fit.parameters.window).toBe(1);
    expect(r.mean).toEqual([20]);
  });
});

describe('seasonal_moving_average', () => {
  it('averages the same season over the last `window` seasons', () => {
    // m = 2, window 2 on 1 5 3 7 5 9: next even position (5 + 3) / 2 = 4, next odd (9 + 7) / 2 = 8.
    const r = run(seasonalMovingAverageModel, [1, 5, 3, 7, 5, 9], { window: 2 }, 3, 2);
    expect(r.mean).toEqual([4, 8, 4]);
  });
});

describe('linear_trend', () => {
  it('is the least-squares line with a t(n-2) interval', () => {
    // x = 1..4, y = 1 3 2 4: slope Sxy/Sxx = 4/5 = 0.8, intercept 2.5 - 0.8 * 2.5 = 0.5; x=5 -> 4.5, x=6 -> 5.3.
    // Residuals -0.3 0.9 -0.9 0.3 -> SSE 1.8, s = sqrt(0.9); se(x=5) = s sqrt(1 + 1/4 + 2.5^2/5) = s sqrt(2.5); qt(0.9, 2) = 1.885618.
    const r = run(linearTrendModel, [1, 3, 2, 4], null, 2);
    expect(r.mean[0]).toBeCloseTo(4.5, 12);
    expect(r.mean[1]).toBeCloseTo(5.3, 12);
    expect(r.intervals[0].upper[0]).toBeCloseTo(4.5 + 1.885618 * Math.sqrt(0.9 * 2.5), 4);
  });
});

describe('simple_exponential_smoothing', () => {
  it('with alpha given, chooses the initial level by least squares', () => {
    // alpha 0.5 on 10 12 11: errors 10 - l0, 7 - l0/2, 2.5 - l0/4; SSE minimal at l0 = 14.125 / 1.3125 = 10.7619.
    // l1 = 5 + l0/2 = 10.38095, l2 = 6 + l1/2 = 11.19048, l3 = 5.5 + l2/2 = 11.09524.
    const r = run(simpleExponentialSmoothingModel, [10, 12, 11], { alpha: 0.5 }, 2);
    expect(r.fit.parameters.initialLevel).toBeCloseTo(10.7619048, 6);
    expect(r.mean[0]).toBeCloseTo(11.0952381, 6);
    expect(r.mean[1]).toBeCloseTo(11.0952381, 6);
  });
  it('mle: a constant series has zero error at any alpha and forecasts the constant', () => {
    const r = run(simpleExponentialSmoothingModel, [4, 4, 4, 4, 4, 4], null, 3);
    r.mean.forEach((v) => expect(v).toBeCloseTo(4, 8));
  });
});

describe('double_exponential_smoothing', () => {
  it('continues an exact straight line (initial states by least squares make every error zero)', () => {
    // y_t = 3 + 2t (t = 1..10): l0 = 3, b0 = 2 fit exactly for any alpha, beta; forecasts 25, 27, 29.
    const y = Array.from({ length: 10 }, (_, i) => 3 + 2 * (i + 1));
    for (const params of [{ alpha: 0.3, beta: 0.1 }, null]) {
      const r = run(doubleExponentialSmoothingModel, y, params, 3);
      r.mean.forEach((v, i) => expect(v).toBeCloseTo(25 + 2 * i, 6));
    }
  });
});

describe('damped_trend', () => {
  it('forecast increments shrink by phi each step: f(h+1) - f(h) = phi^(h+1) b', () => {
    const y = [10, 12, 15, 15, 18, 21, 20, 24, 26, 27, 30, 31];
    const r = run(dampedTrendModel, y, { alpha: 0.5, beta: 0.2, phi: 0.9 }, 4);
    const d = [r.mean[1] - r.mean[0], r.mean[2] - r.mean[1], r.mean[3] - r.mean[2]];
    expect(d[1] / d[0]).toBeCloseTo(0.9, 10);
    expect(d[2] / d[1]).toBeCloseTo(0.9, 10);
  });
});

describe('holt_winters', () => {
  const season = [3, -1, -2, 0];
  const additive = Array.from({ length: 24 }, (_, t) => 10 + (t + 1) + season[t % 4]);
  it('additive: continues trend + fixed seasonal offsets exactly', () => {
    // y_t = 10 + t + s[t mod 4]: forecast for t = 25.. is 35 + 3, 36 - 1, 37 - 2, 38 + 0.
    const r = run(holtWintersModel, additive, { alpha: 0.3, beta: 0.05, gamma: 0.1, seasonality: 0 }, 4, 4);
    expect(r.mean.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([38, 35, 35, 38]);
  });
  it('multiplicative (mle): continues trend x seasonal ratios within 0.5%', () => {
    // y_t = (10 + t) * r[t mod 4]: forecasts (35) 1.2, (36) 0.8, (37) 0.9, (38) 1.1.
    const ratio = [1.2, 0.8, 0.9, 1.1];
    const y = Array.from({ length: 24 }, (_, t) => (10 + (t + 1)) * ratio[t % 4]);
    const r = run(holtWintersModel, y, null, 4, 4);
    const expected = [35 * 1.2, 36 * 0.8, 37 * 0.9, 38 * 1.1];
    r.mean.forEach((v, i) => expect(Math.abs(v - expected[i]) / expected[i]).toBeLessThan(0.005));
  });
  it('without a seasonal period it is Holt', () => {
    const r = run(holtWintersModel, additive, null, 2, null);
    expect(r.fit.parameters.seasonality).toBe('none');
    expect(r.fit.parameters.form).toBe('AAN');
  });
});

describe('croston / sba / tsb', () => {
  const y = [0, 0, 3, 0, 5, 0];
  it('croston smooths sizes and intervals separately', () => {
    // Demands 3 (period 3) and 5 (period 5): sizes 3 -> 3 + 0.1 (5 - 3) = 3.2; intervals 3 -> 3 + 0.1 (2 - 3) = 2.9.
    expect(run(crostonModel, y, { alpha: 0.1 }, 2).mean[0]).toBeCloseTo(3.2 / 2.9, 12);
  });
  it('sba scales Croston by 1 - alpha/2', () => {
    expect(run(sbaModel, y, { alpha: 0.1 }, 1).mean[0]).toBeCloseTo((3.2 / 2.9) * 0.95, 12);
  });
  it('tsb updates the probability every period', () => {
    // y = 0 2 0 4, alpha 0.1, beta 0.2; z0 = 2, p0 = 2/4 = 0.5.
    // t0 zero: p 0.4; t1 demand 2: z 2, p 0.52; t2 zero: p 0.416; t3 demand 4: z 2.2, p 0.5328 -> 1.17216.
    expect(run(tsbModel, [0, 2, 0, 4], { alpha: 0.1, beta: 0.2 }, 1).mean[0]).toBeCloseTo(1.17216, 10);
  });
  it('all-zero history forecasts zero', () => {
    for (const def of [crostonModel, sbaModel, tsbModel]) expect(run(def, [0, 0, 0, 0], null, 2).mean).toEqual([0, 0]);
  });
});
