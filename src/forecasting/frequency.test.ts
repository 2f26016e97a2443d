import { describe, expect, it } from 'vitest';
import { frequencyFromGaps, futureDates, inferFrequency, seasonalPeriodFor } from './frequency.js';

describe('inferFrequency', () => {
  it('recognises each spacing, by the median gap', () => {
    expect(inferFrequency(['2024-01-01', '2024-01-02', '2024-01-03'])).toBe('daily');
    expect(inferFrequency(['2024-01-01', '2024-01-08', '2024-01-15'])).toBe('weekly');
    expect(inferFrequency(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'])).toBe('monthly');
    expect(inferFrequency(['2024-01', '2024-02', '2024-04', '2024-05'])).toBe('monthly'); // a missing month
    expect(inferFrequency(['2023-01-01', '2023-04-01', '2023-07-01'])).toBe('quarterly');
    expect(inferFrequency(['2020', '2021', '2022'])).toBe('yearly');
  });
  it('returns null when it cannot tell', () => {
    expect(inferFrequency(['2024-01-01'])).toBeNull();
    expect(inferFrequency(['soon', 'later'])).toBeNull();
    expect(inferFrequency(['2024-01-01', '2024-01-01'])).toBeNull(); // no spacing at all
  });
  it("is the importer's rule: the same median gap gives the same frequency on both sides", () => {
    const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    for (const [gap, expected] of [[1, 'daily'], [3, 'daily'], [4, 'weekly'], [10, 'weekly'], [14, 'weekly'], [15, 'monthly'],
      [19, 'monthly'], [45, 'monthly'], [46, 'quarterly'], [135, 'quarterly'], [136, 'yearly']] as const) {
      const dates = [0, 1, 2, 3].map((k) => day(k * gap));
      expect(inferFrequency(dates), `gap ${gap}`).toBe(expected);
      expect(frequencyFromGaps([gap, gap, gap]), `gap ${gap}`).toBe(expected);
    }
  });
});

describe('seasonalPeriodFor', () => {
  it('maps frequencies to periods', () => {
    expect([seasonalPeriodFor('monthly'), seasonalPeriodFor('quarterly'), seasonalPeriodFor('weekly'), seasonalPeriodFor('daily'), seasonalPeriodFor('yearly')]).toEqual([12, 4, 52, 7, 1]);
  });
});

describe('futureDates', () => {
  it('keeps month ends on month ends and the input format', () => {
    expect(futureDates('2024-01-31', 'monthly', 3)).toEqual(['2024-02-29', '2024-03-31', '2024-04-30']);
    expect(futureDates('2024-01-15', 'monthly', 2)).toEqual(['2024-02-15', '2024-03-15']);
    expect(futureDates('2024-11', 'monthly', 3)).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(futureDates('2024-12-31', 'quarterly', 2)).toEqual(['2025-03-31', '2025-06-30']);
    expect(futureDates('2024-12-30', 'weekly', 2)).toEqual(['2025-01-06', '2025-01-13']);
    expect(futureDates('2024-02-28', 'daily', 2)).toEqual(['2024-02-29', '2024-03-01']);
    expect(futureDates('2022', 'yearly', 2)).toEqual(['2023', '2024']);
  });
  it('numbers the periods when there is no date', () => {
    expect(futureDates(undefined, 'monthly', 2)).toEqual(['t+1', 't+2']);
  });
});
