import type { Frequency } from './dataset.js';

/**
 * How many days the period dated `iso` has: 7 for a week, 28 to 31 for a month, 90 to 92 for a
 * quarter. A series dates its periods by a day inside them (a month's first or last, a quarter's),
 * so the calendar period holding that day is the one meant. Said beside a provisional value
 * ("December 1-5, 5 of 31 days"), so a reader of the HTTP answer need not know the calendar.
 */
export function periodDays(frequency: Frequency, iso: string): number {
  if (frequency === 'daily') return 1;
  if (frequency === 'weekly') return 7;
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1;
  const months = frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
  const first = m - (m % months);
  return (Date.UTC(y, first + months, 1) - Date.UTC(y, first, 1)) / 86_400_000;
}
