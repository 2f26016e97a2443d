import { describe, expect, it } from 'vitest';
import { dynamicThetaFittedModel, dynamicThetaMean, fitDynamicTheta } from './dynamic-theta.js';

describe('dynamic optimised Theta', () => {
  it('the recursively updated line is the least-squares line of the whole history (times 1..n)', () => {
    const x = [12, 15, 11, 19, 22, 18, 25, 27, 24, 31, 30, 36];
    const n = x.length;
    const tMean = (n + 1) / 2;
    const yMean = x.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    x.forEach((v, i) => { sxy += (i + 1 - tMean) * (v - yMean); sxx += (i + 1 - tMean) ** 2; });
    const slope = sxy / sxx;
    const fit = fitDynamicTheta(x);
    expect(fit.final.b).toBeCloseTo(slope, 10);
    expect(fit.final.a).toBeCloseTo(yMean - slope * tMean, 10);
    expect(fit.final.meany).toBeCloseTo(yMean, 12);
  });

  it('forecasts a constant series as that constant, and follows a trend upwards', () => {
    const flat = dynamicThetaFittedModel(new Array(20).fill(7), null).forecast(5, [95]);
    flat.mean.forEach((v) => expect(v).toBeCloseTo(7, 6));
    const up = fitDynamicTheta(Array.from({ length: 30 }, (_, t) => 100 + 3 * t + (t % 3)));
    const f = dynamicThetaMean(up, 6);
    for (let i = 1; i < 6; i++) expect(f[i]).toBeGreaterThan(f[i - 1]);
    expect(f[0]).toBeGreaterThan(180);
    expect(up.alpha).toBeGreaterThanOrEqual(0.1);
    expect(up.theta).toBeGreaterThanOrEqual(1);
  });

  it('intervals contain the mean and widen with the horizon', () => {
    const y = Array.from({ length: 40 }, (_, t) => 50 + 5 * Math.sin(t) + t);
    const f = dynamicThetaFittedModel(y, null).forecast(8, [80, 95]);
    for (let i = 0; i < 8; i++) {
      expect(f.intervals[1].lower[i]).toBeLessThan(f.mean[i]);
      expect(f.intervals[1].upper[i]).toBeGreaterThan(f.intervals[0].upper[i]);
      if (i > 0) expect(f.intervals[1].upper[i] - f.mean[i]).toBeGreaterThanOrEqual(f.intervals[1].upper[i - 1] - f.mean[i - 1]);
    }
  });
});
