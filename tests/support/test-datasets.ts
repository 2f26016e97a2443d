/** Datasets written straight into a store, for tests and benchmarks that need series to forecast. */
import type { Dataset, NewSeries } from '../../src/datasets/dataset.js';
import { importCsv } from '../../src/datasets/import-dataset.js';
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

/**
 * Two monthly SKUs, A and B, of 24 months each, imported as a file is (no jobs; models ets and
 * naive): the dataset the tests of writes racing other writes plan from.
 */
export async function importTwoSkuDataset(store: Store): Promise<Dataset> {
  let file = 'sku,month,units\n';
  for (const sku of ['A', 'B']) for (let m = 0; m < 24; m++) file += `${sku},${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01,${100 + m + (sku === 'B' ? 50 : 0)}\n`;
  const imported = await importCsv(store, [file], { createJobs: false, settings: { models: ['ets', 'naive'] } });
  return (await store.getDataset(imported.datasetId!))!;
}
