import { describe, expect, it } from 'vitest';
import { dailyWindowDays, initialXWindow, scoredWindowFrom } from './initial-x-window.js';

const DAY = 86_400;
const start = Date.parse('2023-01-01T00:00:00Z') / 1000;
const days = (n: number, from = start) => Array.from({ length: n }, (_, i) => from + i * DAY);

describe('initialXWindow', () => {
  it('opens two years of daily history on its last 180 days and the whole horizon', () => {
    const history = days(800);
    const horizon = days(28, history[799] + DAY);
    const window = initialXWindow('daily', [...history, ...horizon], history[799]);
    expect(window).toEqual({ min: history[800 - dailyWindowDays], max: horizon[27] });
    // Inferred from the dates when the dataset's frequency is not known yet.
    expect(initialXWindow(null, [...history, ...horizon], history[799])).toEqual(window);
  });

  it('opens whole a daily history that fits, and weekly or monthly data of any length', () => {
    expect(initialXWindow('daily', days(dailyWindowDays), start + (dailyWindowDays - 1) * DAY)).toBeNull();
    const weeks = Array.from({ length: 300 }, (_, i) => start + i * 7 * DAY);
    expect(initialXWindow('weekly', weeks, weeks[299])).toBeNull();
    expect(initialXWindow(null, weeks, weeks[299])).toBeNull();
    expect(initialXWindow('monthly', days(800), start + 799 * DAY)).toBeNull();
  });
});

describe('scoredWindowFrom', () => {
  const weekly = Array.from({ length: 152 }, (_, i) => new Date(Date.UTC(2024, 0, 7 + 7 * i)).toISOString().slice(0, 10));
  it("opens How did we do's chart on the 26 weeks up to the snapshot's history end (and what was scored after), not 3 years (review-planner finding 12)", () => {
    // The snapshot's history ends 2 weeks before the SKU's: those 2 are the scored periods.
    const end = weekly[149];
    expect(scoredWindowFrom('weekly', weekly, end)).toBe(weekly[149 - 25]);
    expect(scoredWindowFrom(null, weekly, end)).toBe(weekly[149 - 25]);
    const months = Array.from({ length: 40 }, (_, i) => `${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
    expect(scoredWindowFrom('monthly', months, months[37])).toBe(months[14]);
  });

  it('opens whole a history no longer than that, yearly data, or without a history end', () => {
    expect(scoredWindowFrom('weekly', weekly.slice(0, 26), weekly[25])).toBeNull();
    expect(scoredWindowFrom('weekly', weekly, null)).toBeNull();
    expect(scoredWindowFrom('yearly', ['2020-01-01', '2021-01-01', '2022-01-01'], '2021-01-01')).toBeNull();
    expect(scoredWindowFrom('weekly', [], weekly[3])).toBeNull();
  });
});
