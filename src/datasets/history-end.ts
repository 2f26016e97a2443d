import type { Store } from '../stores/store.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import type { Dataset, Frequency } from './dataset.js';
import { periodGrid, type Weekday } from './period-grid.js';

/**
 * The date of a dataset's last stored period, as its series and forecasts date it. The report's
 * `dateRange.end` is the last day a row of the import had (2024-12-15 in a monthly file dated
 * mid-month) while the series keep the period's date (2024-12-01; 2024-12-31 for month ends, the
 * week's first day for weekly data): a snapshot's `historyEnd` is the latter, the period just
 * before its forecasts start.
 *
 * The day is put on the grid of one series' dates: they carry the dataset's convention (month
 * starts or ends, the weekday a week starts on), which is the import's own period grid
 * (periodGrid), not a copy of it. One series is read, not every one: the longest, whose dates
 * are the most to read a convention from (a SKU of one date cannot tell a month end from a start).
 */
export async function storedHistoryEnd(store: Store, dataset: Pick<Dataset, 'id' | 'frequency' | 'report'>): Promise<string | null> {
  const end = dataset.report.dateRange?.end ?? null;
  if (end === null || dataset.frequency === 'daily') return end;
  const first = (await store.listSkus(dataset.id, { sort: 'length', order: 'desc', limit: 1, offset: 0 })).items[0];
  const series = first ? await store.getSeries(dataset.id, first.sku) : null;
  return periodDateOf(dataset.frequency, end, series?.dates ?? [], dataset.report.weekStart as Weekday | undefined);
}

/** The date of the period `day` falls in, on the grid `seriesDates` are dated by; `day` itself with no dates to read it from. */
export function periodDateOf(frequency: Frequency, day: string, seriesDates: string[], weekStart?: Weekday): string {
  if (seriesDates.length === 0) return day;
  const grid = periodGrid(frequency, seriesDates.map(dayFromIso), weekStart);
  return isoFromDay(grid.date(grid.index(dayFromIso(day))));
}
