import type { Store } from '../stores/store.js';
import type { SeriesRecord } from './dataset.js';
import { weekdayIndex, weekdays, type Weekday } from './period-grid.js';

/**
 * The dates of one of the dataset's series, which new SKUs are dated like (month ends stay month
 * ends, weeks keep their weekday): one the file revises when there is one, else the dataset's
 * first.
 */
export async function datasetCalendar(store: Store, datasetId: string, read: Map<string, SeriesRecord> = new Map()): Promise<string[]> {
  for (const series of read.values()) if (series.dates.length > 0) return series.dates;
  const first = (await store.listSkus(datasetId, { limit: 1, offset: 0 })).items[0];
  return (first && (await store.getSeries(datasetId, first.sku))?.dates) ?? [];
}

/**
 * The weekday every one of these dates falls on, the week start of a weekly series; undefined
 * when they disagree (or there are none), which leaves the choice to the caller.
 */
export function weekStartOf(dates: string[]): Weekday | undefined {
  let found: number | undefined;
  for (const date of dates) {
    const w = weekdayIndex(Math.round(Date.parse(date) / 86_400_000));
    if (found !== undefined && found !== w) return undefined;
    found = w;
  }
  return found === undefined ? undefined : weekdays[found];
}
