import { describe, expect, it } from 'vitest';
import { holdoutSd, memberBand, memberSd } from './aggregates.js';

const Z95 = 1.959963984540054;

describe('memberSd (the scale a member brings to the band of a sum)', () => {
  it('reads a symmetric band as mean +- z sd', () => {
    expect(memberSd(100, 100 - Z95 * 7, 100 + Z95 * 7, Z95)).toBeCloseTo(7, 9);
  });

  it('reads a band whose lower bound the engine cut at zero from its upper half, not its shrunken width', () => {
    // A slow mover: mean 2, sd 3; the 95% band 2 +- 5.88 is shown as [0, 7.88].
    const sd = memberSd(2, 0, 2 + Z95 * 3, Z95);
    expect(sd).toBeCloseTo(3, 9);
    expect((2 + Z95 * 3) / (2 * Z95)).toBeLessThan(2.1); // what the width alone would have said
  });

  it('symmetrizes an asymmetric band that is not cut (a multiplicative model), and gives 0 for a missing one', () => {
    expect(memberSd(10, 6, 16, Z95)).toBeCloseTo(10 / (2 * Z95), 9);
    expect(memberSd(10, Number.NaN, 16, Z95)).toBe(0);
    expect(memberSd(10, 10, 10, Z95)).toBe(0);
  });
});

describe('memberBand (which band a member\'s sd is read from)', () => {
  // z of a central level, two-sided: the half-width of a normal band with sd 1.
  const zOf: Record<number, number> = { 50: 0.6744897501960817, 60: 0.8416212335729143, 90: 1.6448536269514722, 99: 2.5758293035489004 };
  const forecast = (bands: Array<[level: number, sd: number]>) => ({
    dates: ['2024-01-01'], mean: [100], lower80: null, upper80: null, lower95: null, upper95: null,
    intervals: bands.map(([level, sd]) => ({ level, lower: [100 - zOf[level] * sd], upper: [100 + zOf[level] * sd] })),
  }) as unknown as Parameters<typeof memberBand>[0];
  const sdOf = (bands: Array<[number, number]>) => {
    const band = memberBand(forecast(bands))!;
    return memberSd(100, band.lower[0], band.upper[0], band.z);
  };

  it('without 80% or 95%, reads the sd of a normal band at the level kept, with that level\'s z', () => {
    for (const level of [50, 60, 90, 99]) expect(sdOf([[level, 10]]), `level ${level}`).toBeCloseTo(10, 6);
  });

  it('of several, the level nearest 95%: not the widest, a short history\'s 99% band being its largest error', () => {
    expect(sdOf([[60, 30], [90, 10]])).toBeCloseTo(10, 6);
    expect(sdOf([[90, 10], [50, 30]])).toBeCloseTo(10, 6);
    expect(sdOf([[99, 10], [50, 30]])).toBeCloseTo(10, 6);
    expect(memberBand(forecast([]))).toBeNull();
  });
});

describe('holdoutSd (the scale of a member without a band)', () => {
  const backtest = (actual: number[], fitted: number[]) => ({ dates: actual.map((_, i) => `2024-0${i + 1}-01`), actual, fitted });

  it('is the RMS of the holdout errors, from two of them on', () => {
    expect(holdoutSd(backtest([10, 20, 30], [13, 16, 30]))).toBeCloseTo(Math.sqrt((9 + 16 + 0) / 3), 12);
    expect(holdoutSd(backtest([10, 20], [10, 20]))).toBe(0);
  });

  it('is unknown with no holdout or a single error: one point is no spread', () => {
    expect(holdoutSd(null)).toBeNull();
    expect(holdoutSd(backtest([], []))).toBeNull();
    expect(holdoutSd(backtest([10], [4]))).toBeNull();
    expect(holdoutSd(backtest([10, Number.NaN], [4, 1]))).toBeNull();
  });
});
