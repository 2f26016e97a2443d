import { describe, expect, it } from 'vitest';
import { classicalDecomposition, seasonalityTest } from './decomposition.js';

const season = [5, -3, 2, -4];

describe('classicalDecomposition', () => {
  it('recovers additive seasonal offsets around a linear trend', () => {
    // The centred 2x4 moving average of a linear trend plus a zero-sum season is the trend itself.
    const y = Array.from({ length: 16 }, (_, t) => 100 + 2 * t + season[t % 4]);
    const d = classicalDecomposition(y, 4, 'additive');
    d.indices.forEach((v, i) => expect(v).toBeCloseTo(season[i], 10));
    expect(Number.isNaN(d.trend[0])).toBe(true);
    expect(d.trend[2]).toBeCloseTo(104, 10);
  });
  it('recovers multiplicative ratios averaging 1', () => {
    const ratio = [1.2, 0.8, 1.1, 0.9];
    const y = Array.from({ length: 24 }, (_, t) => 50 * ratio[t % 4]);
    const d = classicalDecomposition(y, 4, 'multiplicative');
    d.indices.forEach((v, i) => expect(v).toBeCloseTo(ratio[i], 10));
  });
});

describe('seasonalityTest', () => {
  it('finds a clear season', () => {
    // Pure sine, n = 60: r_12 = 48/60 = 0.8; Bartlett band 1.645 sqrt(1 + 2 sum r_k^2) / sqrt(60) ~ 0.6.
    const y = Array.from({ length: 60 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12));
    expect(seasonalityTest(y, 12)).toBe(true);
  });
  it('is conservative for smooth series: the same sine over only 36 points is not significant', () => {
    // r_12 = 24/36 = 0.67 < band ~ 1.645 sqrt(8) / 6 = 0.78 (the smooth ACF inflates the band), as in R's thetaf.
    const y = Array.from({ length: 36 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12));
    expect(seasonalityTest(y, 12)).toBe(false);
  });
  it('rejects short, constant and trend-only series', () => {
    expect(seasonalityTest(Array.from({ length: 30 }, (_, t) => Math.sin(t)), 12)).toBe(false); // < 3 seasons
    expect(seasonalityTest(new Array(48).fill(7), 12)).toBe(false);
    // Period-5 cycle tested at lag 12: the autocorrelation at 12 stays inside the band.
    expect(seasonalityTest(Array.from({ length: 60 }, (_, t) => ((t * 7) % 5) - 2 + (t % 2 ? 0.5 : -0.5)), 12)).toBe(false);
  });
});
