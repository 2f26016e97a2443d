import type { Frequency } from './dataset.js';
import { dayNumber, dayParts } from './date-parse.js';

/**
 * The regular calendar a dataset lives on. Every date maps to a period index (months since year
 * 0 for monthly data, weeks since the first date for weekly, ...), so two dates in one period are
 * duplicates and a missing index is a gap. Periods map back to one date each, in the file's own
 * convention: month ends stay month ends; weeks start on `weekStart` when given, else on the
 * weekday every date shares (a weekly file of Sundays stays on Sundays), else on Monday (ISO).
 */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export const weekdays: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** 0 for Monday ... 6 for Sunday (day 0, 1970-01-01, was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export interface PeriodGrid {
  frequency: Frequency;
  index(day: number): number;
  date(index: number): number;
  /** The first and last day a period covers, whatever day it is dated by. */
  bounds(index: number): [number, number];
}

/** The importer and the engine share one frequency rule (median gap): see src/forecasting/frequency.ts. */
export { frequencyFromGaps } from '../forecasting/index.js';

function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Builds the grid from the frequency and the days seen (all of them, or a large sample). */
export function periodGrid(frequency: Frequency, days: Iterable<number>, weekStart?: Weekday): PeriodGrid {
  let first = Infinity;
  let allMonthEnd = true;
  let count = 0;
  let weekday: number | null | undefined;
  const monthsPerPeriod = frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
  for (const day of days) {
    count++;
    if (day < first) first = day;
    const w = weekdayIndex(day);
    weekday = weekday === undefined ? w : weekday === w ? w : null;
    if (allMonthEnd) {
      const { y, m, d } = dayParts(day);
      if (d !== lastDayOfMonth(y, m) || (m % monthsPerPeriod !== 0 && monthsPerPeriod > 1)) allMonthEnd = false;
    }
  }
  if (count === 0) first = 0;
  if (frequency === 'daily') return { frequency, index: (day) => day, date: (i) => i, bounds: (i) => [i, i] };
  if (frequency === 'weekly') {
    const start = weekStart !== undefined ? weekdays.indexOf(weekStart) : weekday ?? 0;
    const anchor = first - ((weekdayIndex(first) - start + 7) % 7);
    return { frequency, index: (day) => Math.floor((day - anchor) / 7), date: (i) => anchor + 7 * i, bounds: (i) => [anchor + 7 * i, anchor + 7 * i + 6] };
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
    bounds: (i) => {
      const months = i * monthsPerPeriod;
      const y = Math.floor(months / 12);
      const m = (months % 12) + 1;
      const lastMonth = m + monthsPerPeriod - 1;
      return [dayNumber(y, m, 1)!, dayNumber(y, lastMonth, lastDayOfMonth(y, lastMonth))!];
    },
  };
}
