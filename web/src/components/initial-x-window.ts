import type { Frequency } from '../api/types.js';
import { inferFrequency } from './chart-axis.js';

/** The days of daily history a chart opens on: two years and more of days drew as a solid band. */
export const dailyWindowDays = 180;

const DAY = 86_400;

/**
 * The x range (uPlot seconds) a chart opens on, or null for all of it. Daily data longer than
 * `dailyWindowDays` opens on its last `dailyWindowDays` days of history and the whole horizon
 * after them; "Reset zoom" shows all. Other frequencies (a few dozen weeks or months) open whole.
 * `times`: every date on the axis, sorted; `historyEnd`: the last history date's time.
 */
export function initialXWindow(frequency: Frequency | null | undefined, times: number[], historyEnd: number | null): { min: number; max: number } | null {
  if (times.length < 2 || historyEnd === null) return null;
  if ((frequency ?? inferFrequency(times)) !== 'daily') return null;
  const min = historyEnd - (dailyWindowDays - 1) * DAY;
  if (min <= times[0]) return null;
  return { min, max: times[times.length - 1] };
}

/**
 * The history periods before a snapshot's history end that "How did we do" opens a SKU's chart on
 * (with the scored periods and the forecast after it): about half a year of weeks, two seasons of
 * months or quarters, eight weeks of days. A score of one or two weeks beside three years of history
 * was a sliver at the chart's right edge (review-planner finding 12). Years: all of it.
 */
export const scoredContextPeriods: Record<Frequency, number | null> = { daily: 56, weekly: 26, monthly: 24, quarterly: 8, yearly: null };

/**
 * The date the chart of a snapshot's forecast over the actuals opens from: the history date
 * `scoredContextPeriods` periods back from the snapshot's history end (that end included), or null
 * to open whole (a history no longer than that, an unknown end). Counted in the SKU's own dates, so
 * a gap or the frequency's calendar needs no arithmetic; "Reset zoom" shows all.
 */
export function scoredWindowFrom(frequency: Frequency | null | undefined, historyDates: readonly string[], snapshotHistoryEnd: string | null | undefined): string | null {
  if (!snapshotHistoryEnd || historyDates.length === 0) return null;
  const periods = frequency ? scoredContextPeriods[frequency] : scoredContextPeriods.weekly;
  if (periods === null) return null;
  let end = historyDates.length - 1;
  while (end >= 0 && historyDates[end] > snapshotHistoryEnd) end--;
  const from = end - periods + 1;
  return from <= 0 ? null : historyDates[from];
}
