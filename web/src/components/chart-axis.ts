import type { Frequency } from '../api/types.js';
import { formatPeriod } from '../format.js';

/**
 * The chart's time axis on the dataset's own calendar: one tick per period (or per several periods
 * when they would crowd: months by 2, 3, 6, 12 ... on the calendar, weeks by 2, 4, 8, 13, 26, 52
 * counted from the first week shown), placed where the data dates its periods and labelled with the
 * period's name ("Aug 2024", "Q3 2024", "2024", a week by its first day). uPlot's own time ticks
 * count days: for a short monthly history they fell every 15 days ("Jul 16", "Jul 31") and put
 * the August point at "Jul 31".
 *
 * Periods follow the data's convention as the API's period grid does (src/datasets/period-grid.ts):
 * monthly and quarterly data dated by month ends keep their ticks on the month ends (the July point,
 * dated Jul 31, is labelled "Jul 2024"), weeks keep the weekday the dates share.
 */

const DAY = 86_400;
const dayOf = (epochSeconds: number) => Math.round(epochSeconds / DAY);
const parts = (day: number) => {
  const d = new Date(day * DAY * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
};
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The frequency of the dates by their median gap, as the API infers it (src/forecasting/frequency.ts). */
export function inferFrequency(times: number[]): Frequency {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) if (times[i] > times[i - 1]) gaps.push((times[i] - times[i - 1]) / DAY);
  if (gaps.length === 0) return 'monthly';
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor((gaps.length - 1) / 2)];
  if (median <= 3) return 'daily';
  if (median <= 14) return 'weekly';
  if (median <= 45) return 'monthly';
  if (median <= 135) return 'quarterly';
  return 'yearly';
}

export interface PeriodCalendar {
  frequency: Frequency;
  /** The period a day (days since 1970-01-01) falls in. */
  index(day: number): number;
  /** The day the data dates period `index` by. */
  day(index: number): number;
  /**
   * Steps (in periods) a tick may take, smallest first, kept where index % step is 0: on the
   * calendar for months, quarters and years; from 1970-01-01 for days; from the first date for weeks.
   */
  steps: number[];
}

/** The calendar of the chart's dates (epoch seconds, UTC midnights). */
export function periodCalendar(frequency: Frequency, times: number[]): PeriodCalendar {
  const days = times.map(dayOf);
  if (frequency === 'daily') return { frequency, index: (d) => d, day: (i) => i, steps: [1, 2, 7, 14, 28, 91, 182, 364] };
  if (frequency === 'weekly') {
    const anchor = days.length > 0 ? days[0] : 4; // day 4 (1970-01-05) was a Monday
    return {
      frequency,
      index: (d) => Math.floor((d - anchor) / 7),
      day: (i) => anchor + 7 * i,
      steps: [1, 2, 4, 8, 13, 26, 52, 104],
    };
  }
  const months = frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
  const monthEnds =
    days.length > 0 &&
    days.every((day) => {
      const { y, m, d } = parts(day);
      return d === lastDayOfMonth(y, m) && (months === 1 || m % months === 0);
    });
  return {
    frequency,
    index: (d) => {
      const { y, m } = parts(d);
      return Math.floor((y * 12 + m - 1) / months);
    },
    day: (i) => {
      const first = i * months; // months since year 0 of the period's first month
      const y = Math.floor(first / 12);
      const m = (first % 12) + 1;
      if (!monthEnds) return Date.UTC(y, m - 1, 1) / 1000 / DAY;
      const last = m + months - 1;
      return Date.UTC(y, last - 1, lastDayOfMonth(y, last)) / 1000 / DAY;
    },
    steps: frequency === 'monthly' ? [1, 2, 3, 6, 12, 24, 60, 120] : frequency === 'quarterly' ? [1, 2, 4, 8, 20, 40] : [1, 2, 5, 10, 20, 50, 100],
  };
}

/**
 * The ticks between min and max (epoch seconds): every `step` periods, the smallest step whose
 * ticks are at least `space` px apart on a plot `width` px wide.
 */
export function periodTicks(calendar: PeriodCalendar, min: number, max: number, width: number, space: number): { ticks: number[]; step: number } {
  const first = calendar.index(dayOf(min));
  const last = calendar.index(dayOf(max));
  const periods = Math.max(1, last - first);
  const perPeriod = (width * (calendar.day(first + 1) - calendar.day(first)) * DAY) / Math.max(DAY, max - min);
  const step = calendar.steps.find((s) => s * perPeriod >= space) ?? Math.ceil(periods / Math.max(1, Math.floor(width / space)));
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) {
    if (((i % step) + step) % step !== 0) continue;
    const at = calendar.day(i) * DAY;
    if (at >= min - 1 && at <= max + 1) ticks.push(at);
  }
  return { ticks, step };
}

/**
 * The ticks' labels: the name of the period each marks. Weeks and days are named by their date,
 * with the year on the first tick and where the year changes.
 */
export function periodLabels(calendar: PeriodCalendar, ticks: number[], step: number): string[] {
  const yearOnly = calendar.frequency === 'monthly' ? step >= 12 : calendar.frequency === 'quarterly' ? step >= 4 : false;
  const year = (t: number) => new Date(t * 1000).getUTCFullYear();
  return ticks.map((t, i) => formatPeriod(calendar.frequency, t, { yearOnly, withYear: i === 0 || year(t) !== year(ticks[i - 1]) }));
}
