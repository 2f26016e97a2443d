import type { Frequency } from './forecast-types.js';

/**
 * Calendar helpers: infer a series' frequency from its dates, map a frequency to its seasonal
 * period, and date the forecast. All arithmetic is in UTC so a result never depends on the
 * machine's time zone.
 */

const PERIODS: Record<Frequency, number> = { daily: 7, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 };

export function seasonalPeriodFor(frequency: Frequency): number {
  return PERIODS[frequency];
}

export function isFrequency(value: unknown): value is Frequency {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PERIODS, value);
}

interface ParsedDate {
  time: number; // ms since epoch, UTC midnight
  format: 'year' | 'month' | 'day';
}

function parseDate(s: string): ParsedDate | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(s.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { time: Date.UTC(year, month - 1, day), format: m[3] ? 'day' : m[2] ? 'month' : 'year' };
}

const DAY = 86_400_000;

/**
 * The one rule for a frequency from spacing, used by the engine (a series' dates) and the
 * importer (gaps between consecutive distinct dates over many SKUs): the median gap in days, up
 * to 3 daily, 14 weekly, 45 monthly, 135 quarterly, else yearly. The median is robust to a missing
 * period or two; null when there is no gap to judge by.
 */
export function frequencyFromGaps(gaps: number[]): Frequency | null {
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median <= 0) return null;
  if (median <= 3) return 'daily';
  if (median <= 14) return 'weekly';
  if (median <= 45) return 'monthly';
  if (median <= 135) return 'quarterly';
  return 'yearly';
}

/** The frequency of a series' dates (frequencyFromGaps); null with fewer than two parseable dates. */
export function inferFrequency(dates: string[]): Frequency | null {
  const times: number[] = [];
  for (const d of dates) {
    const p = parseDate(d);
    if (!p) return null;
    times.push(p.time);
  }
  if (times.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] - times[i - 1]) / DAY);
  return frequencyFromGaps(gaps);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function format(time: number, fmt: ParsedDate['format']): string {
  const d = new Date(time);
  const y = pad(d.getUTCFullYear(), 4);
  if (fmt === 'year') return y;
  if (fmt === 'month') return `${y}-${pad(d.getUTCMonth() + 1)}`;
  return `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function addMonths(time: number, months: number, monthEnd: boolean): number {
  const d = new Date(time);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = monthEnd ? lastDay : Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(y, m, day);
}

/**
 * The `h` dates after `lastDate`, in the same format (YYYY, YYYY-MM or YYYY-MM-DD). A month-end
 * date stays on month ends (2024-01-31 -> 2024-02-29 -> 2024-03-31), and a day-of-month is kept
 * from the anchor, not drifted through short months. Without a parseable date, periods are
 * numbered after the history ("t+1", "t+2", ...).
 */
export function futureDates(lastDate: string | undefined, frequency: Frequency, h: number): string[] {
  const parsed = lastDate === undefined ? null : parseDate(lastDate);
  const out: string[] = [];
  if (!parsed) {
    for (let i = 1; i <= h; i++) out.push(`t+${i}`);
    return out;
  }
  const monthEnd = parsed.format === 'day' && addMonths(parsed.time, 0, true) === parsed.time;
  for (let i = 1; i <= h; i++) {
    let t: number;
    switch (frequency) {
      case 'daily': t = parsed.time + i * DAY; break;
      case 'weekly': t = parsed.time + 7 * i * DAY; break;
      case 'monthly': t = addMonths(parsed.time, i, monthEnd); break;
      case 'quarterly': t = addMonths(parsed.time, 3 * i, monthEnd); break;
      case 'yearly': t = addMonths(parsed.time, 12 * i, monthEnd); break;
    }
    // A date-only input at daily/weekly spacing needs day precision even if given as YYYY-MM.
    const fmt = (frequency === 'daily' || frequency === 'weekly') ? 'day' : parsed.format;
    out.push(format(t, fmt));
  }
  return out;
}
