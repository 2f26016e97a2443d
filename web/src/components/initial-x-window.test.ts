import { describe, expect, it } from 'vitest';
import { dailyWindowDays, initialXWindow } from './initial-x-window.js';

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
