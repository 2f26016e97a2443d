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
