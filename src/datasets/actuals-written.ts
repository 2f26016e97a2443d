import type { NewSeries, SeriesRecord } from './dataset.js';

/** The periods of a merged series whose value the append changed or added. */
export function writtenPeriods(merged: NewSeries, had: SeriesRecord | undefined): { sku: string; dates: string[]; original: number[] } {
  if (!had) return merged;
  const before = new Map(had.dates.map((d, i) => [d, had.original[i]]));
  const dates: string[] = [];
  const original: number[] = [];
  merged.dates.forEach((d, i) => {
    if (before.get(d) === merged.original[i]) return;
    dates.push(d);
    original.push(merged.original[i]);
  });
  return { sku: merged.sku, dates, original };
}

/** A new SKU's history before the merge: none. */
export function emptySeries(datasetId: string, sku: string): SeriesRecord {
  return { datasetId, sku, attributes: {}, dates: [], original: [], edits: {}, length: 0, volume: 0, demandClass: 'smooth', updatedAt: 0 };
}
