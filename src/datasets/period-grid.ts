import type { Frequency } from './dataset.js';
import { dayNumber, dayParts } from './date-parse.js';

/**
 * The regular calendar a dataset lives on. Every date maps to a period index (months since year
 * 0 for monthly data, weeks since the first date for weekly, ...), so two dates in one period are
 * duplicates and a missing index is a gap. Periods map back to one date each, in the file's own
 * convention: month ends stay month ends, weeks keep the weekday of the first date.
 */
export interface PeriodGrid {
  frequency: Frequency;
  index(day: number): number;
  date(index: number): number;
}

/** The importer and the engine share one frequency rule (median gap): see src/forecasting/frequency.ts. */
export { frequencyFromGaps } from '../forecasting/index.js';

function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Builds the grid from the frequency and the days seen (all of them, or a large sample). */
export function periodGrid(frequency: Frequency, days: Iterable<number>): PeriodGrid {
  let first = Infinity;
  let allMonthEnd = true;
  let count = 0;
  const monthsPerPeriod = frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
  for (const day of days) {
    count++;
    if (day < first) first = day;
    if (allMonthEnd) {
      const { y, m, d } = dayParts(day);
      if (d !== lastDayOfMonth(y, m) || (m % monthsPerPeriod !== 0 && monthsPerPeriod > 1)) allMonthEnd = false;
    }
  }
  if (count === 0) first = 0;
  if (frequency === 'daily') return { frequency, index: (day) => day, date: (i) => i };
  if (frequency === 'weekly') {
    const anchor = first;
    return { frequency, index: (day) => Math.floor((day - anchor) / 7), date: (i) => anchor + 7 * i };
  }
  const end = allMonthEnd && count > 0;
  return {
    frequency,
    index: (day) => {
      const { y, m } = dayParts(day);
      return Math.floor((y * 12 + (m - 1)) / monthsPerPeriod);
    },
    date: (i) => {
      const months = i * monthsPerPeriod;
      const y = Math.floor(months / 12);
      const m = (months % 12) + 1;
      if (!end) return dayNumber(y, m, 1)!;
      const lastMonth = m + monthsPerPeriod - 1;
      return dayNumber(y, lastMonth, lastDayOfMonth(y, lastMonth))!;
    },
  };
}
