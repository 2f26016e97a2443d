import { describe, expect, it } from 'vitest';
import { classicalDecomposition } from '../decomposition.js';
import {
  calendarSlot, centredMovingAverage, contiguous, oneYearBefore, pooledSeasonalProfile, seriesSlotIndices, smoothCircular, yearlyStrength,
} from './seasonal-profile.js';
import { dailySeries, dailyYearly, RETAIL_SEASON, retailSku } from './seasonal-profile-fixtures.js';

describe('calendarSlot', () => {
  it('maps dates to the slot of the year at each frequency', () => {
    expect(calendarSlot('2024-03-01', 'monthly')).toBe(2);
    expect(calendarSlot('2024-03', 'monthly')).toBe(2);
    expect(calendarSlot('2024-12-31', 'quarterly')).toBe(3);
    expect(calendarSlot('2024-01-07', 'weekly')).toBe(0);
    expect(calendarSlot('2024-01-08', 'weekly')).toBe(1);
    expect(calendarSlot('2023-12-31', 'weekly')).toBe(51); // the 53rd block joins the 52nd
    expect(calendarSlot('2023-03-01', 'daily')).toBe(59);
    expect(calendarSlot('2024-02-29', 'daily')).toBe(58); // a leap day shares 28 February's slot
    expect(calendarSlot('2024-03-01', 'daily')).toBe(59);
    expect(calendarSlot('2024-12-31', 'daily')).toBe(364);
    expect(calendarSlot('2024', 'yearly')).toBe(-1);
    expect(calendarSlot('soon', 'monthly')).toBe(-1);
  });

  it('oneYearBefore keeps the format', () => {
    expect(oneYearBefore('2024-12-01')).toBe('2023-12-01');
    expect(oneYearBefore('2024-12')).toBe('2023-12');
  });
});

describe('centredMovingAverage', () => {
  it('is the trend of the classical decomposition, odd and even periods', () => {
    const y = Array.from({ length: 40 }, (_, i) => 50 + i + 10 * Math.sin(i) + (i % 3));
    for (const m of [7, 12]) {
      const ours = Array.from(centredMovingAverage(y, m));
      const theirs = classicalDecomposition(y, m, 'additive').trend;
      ours.forEach((v, i) => (Number.isNaN(theirs[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(theirs[i], 9)));
    }
  });
});

describe('smoothCircular', () => {
  it('keeps low harmonics and removes a weekly ripple from a day-of-year profile', () => {
    const x = Array.from({ length: 365 }, (_, d) => dailyYearly(d) + 0.2 * Math.sin((2 * Math.PI * d) / 7));
    const s = smoothCircular(x, 8);
    s.forEach((v, d) => expect(Math.abs(v - dailyYearly(d))).toBeLessThan(0.02));
  });
});

describe('pooledSeasonalProfile', () => {
  const long = Array.from({ length: 9 }, (_, k) => retailSku(36, 40 + 15 * k, 100 + k));

  it('recovers the season the SKUs share, by month, from the data up to the cut-off', () => {
    const p = pooledSeasonalProfile(long, 'monthly', '2023-12-31', 'dataset');
    expect(p).not.toBeNull();
    expect(p!.skus).toBe(9);
    expect(p!.through).toBe('2023-12-31');
    const mean = RETAIL_SEASON.reduce((a, b) => a + b, 0) / 12;
    p!.indices.forEach((v, m) => expect(Math.abs(v - RETAIL_SEASON[m] / mean)).toBeLessThan(0.08));
    expect(p!.indices.reduce((a, b) => a + b, 0) / 12).toBeCloseTo(1, 9);
  });

  it('leaves out what comes after the cut-off, and a SKU short of two years before it', () => {
    // The last year of these SKUs has the opposite season: a profile that saw it would be flat.
    const flipped = long.map((s) => ({ dates: s.dates, values: s.values.map((v, i) => (i >= 24 ? Math.round(v * (2 - RETAIL_SEASON[i % 12])) : v)) }));
    const p = pooledSeasonalProfile(flipped, 'monthly', '2023-12-31', 'dataset')!;
    expect(p.indices[11] / p.indices[0]).toBeGreaterThan(1.9);
    expect(pooledSeasonalProfile(long, 'monthly', '2023-06-30', 'dataset')).toBeNull(); // 18 months each
  });

  it('takes the median per slot: one odd SKU does not move it; fewer than three SKUs give none', () => {
    const odd = { dates: long[0].dates, values: long[0].values.map((v, i) => (i % 12 === 6 ? v * 8 : v)) };
    const p = pooledSeasonalProfile([...long.slice(0, 4), odd], 'monthly', '2024-12-31', 'dataset')!;
    expect(p.indices[6]).toBeLessThan(1.3);
    expect(pooledSeasonalProfile(long.slice(0, 2), 'monthly', '2024-12-31', 'dataset')).toBeNull();
    expect(pooledSeasonalProfile(long, 'yearly', '2024-12-31', 'dataset')).toBeNull();
  });
});

describe('a daily SKU\'s own yearly profile', () => {
  it('follows the yearly season, not the weekly one, and is strong only where there is one', () => {
    const s = dailySeries({ days: 1095, seed: 5 });
    const idx = seriesSlotIndices(s.values, s.dates, 'daily')!;
    expect(idx).toHaveLength(365);
    for (let d = 0; d < 365; d += 5) expect(Math.abs(idx[d] - dailyYearly(d))).toBeLessThan(0.06);
    expect(yearlyStrength(s.values, s.dates, idx)).toBeGreaterThan(0.8);
    const flat = dailySeries({ days: 1095, seed: 5, yearly: false });
    const flatIdx = seriesSlotIndices(flat.values, flat.dates, 'daily')!;
    expect(Math.max(...flatIdx.map((v) => Math.abs(v - 1)))).toBeLessThan(0.03);
    expect(yearlyStrength(flat.values, flat.dates, flatIdx)).toBeLessThan(0.1);
  });
});

describe('a history with gaps (fillGaps \'report\')', () => {
  it('gives no profile: the yearly moving average runs by position and would span more than a year', () => {
    const s = dailySeries({ days: 1095, seed: 3 });
    expect(contiguous(s.dates, 'daily')).toBe(true);
    expect(seriesSlotIndices(s.values, s.dates, 'daily')).not.toBeNull();
    // Thirty days missing in the middle, not filled with zeros
    const dates = [...s.dates.slice(0, 400), ...s.dates.slice(430)];
    const values = [...s.values.slice(0, 400), ...s.values.slice(430)];
    expect(contiguous(dates, 'daily')).toBe(false);
    expect(seriesSlotIndices(values, dates, 'daily')).toBeNull();
    const m = retailSku(36, 50, 1);
    expect(contiguous(m.dates, 'monthly')).toBe(true);
    expect(contiguous([...m.dates.slice(0, 10), ...m.dates.slice(11)], 'monthly')).toBe(false);
    expect(contiguous(['2023-01', '2023-04', '2023-07'], 'quarterly')).toBe(true);
    expect(contiguous(['2023-01-02', '2023-01-09', '2023-01-23'], 'weekly')).toBe(false);
  });
});
