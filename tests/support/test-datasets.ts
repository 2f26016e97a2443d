/** Datasets written straight into a store, for tests and benchmarks that need series to forecast. */
import type { NewSeries } from '../../src/datasets/dataset.js';
import { defaultDatasetSettings } from '../../src/datasets/dataset-settings.js';
import type { Store } from '../../src/stores/store.js';

/** `skus` daily series of `length` points with a weekly pattern, deterministic (no Math.random). */
export async function createDailyDataset(store: Store, id: string, skus: string[], length: number): Promise<void> {
  const dates = Array.from({ length }, (_, i) => new Date(Date.UTC(2015, 0, 1 + i)).toISOString().slice(0, 10));
  const series: NewSeries[] = skus.map((sku, s) => {
    const original = dates.map((_, i) => Math.round(100 + s + 20 * Math.sin((2 * Math.PI * i) / 7) + ((i * 7919 + s * 104729) % 13)));
    return { sku, dates, original, edits: {}, length, volume: original.reduce((a, b) => a + b, 0), demandClass: 'smooth' };
  });
  await store.createDataset(
    {
      id, name: id, frequency: 'daily', settings: defaultDatasetSettings('daily'),
      report: {
        rows: length * skus.length, skus: skus.length, dateRange: { start: dates[0], end: dates[length - 1] }, frequency: 'daily',
        format: 'long', rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
      },
    },
    series, null, null,
  );
}
