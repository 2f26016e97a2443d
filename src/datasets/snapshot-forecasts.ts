import type { Store } from '../stores/store.js';
import { forecastCsvRows, forecastsCsvHeader, type ForecastsCsvOptions, type ForecastStatus } from './forecast-status.js';
import type { ForecastsQuery } from './dataset-results.js';
import type { ForecastItem, Portfolio } from './dataset-forecasts.js';
import type { Dataset } from './dataset.js';
import type { Snapshot } from './planning-cycle-store.js';
import { snapshotItemsOf } from './snapshot-items.js';
import { forecastItemFromSnapshot, snapshotPortfolio } from './snapshots.js';

/**
 * A snapshot's item as the forecasts JSON shows it, plus the `status` its forecasts.csv says: the
 * one recorded when the snapshot was taken (migration 042). `inactive` stays null, as the snapshot
 * kept no run's figures to fill it with, so `status: 'inactive'` is what says the SKU read as
 * stopped. Null: nothing recorded (a snapshot taken before 042, or a SKU added after the snapshot).
 */
export type SnapshotForecastItem = ForecastItem & { status: ForecastStatus | null };

/**
 * The forecasts endpoints and exports read from a snapshot (`?snapshot=ID`): the same shapes as
 * the current forecasts, from what the snapshot kept. SKUs added after the snapshot have none.
 */
export async function snapshotForecasts(store: Store, dataset: Dataset, snapshot: Snapshot, query: ForecastsQuery): Promise<{ portfolio: Portfolio; total: number; items: SnapshotForecastItem[]; snapshot: Snapshot }> {
  let skus: string[];
  let total: number;
  if (query.sku !== undefined) {
    skus = [query.sku];
    total = 1;
  } else {
    const page = await store.listSkus(dataset.id, { sort: 'sku', order: 'asc', limit: query.limit, offset: query.offset });
    skus = page.items.map((i) => i.sku);
    total = page.total;
  }
  const rows = new Map((await snapshotItemsOf(store, snapshot, skus)).map((r) => [r.sku, r]));
  const items = skus.filter((sku) => query.sku === undefined || rows.has(sku)).map((sku) => {
    const row = rows.get(sku);
    // Unlike the CSV, a forecast-less item of a snapshot from before 042 is not called `none`: the
    // JSON's `forecast: null` already says it had none, and why (failed or not) was not recorded.
    return row
      ? { ...forecastItemFromSnapshot(row), status: row.status ?? null }
      : { sku, bestModel: null, selectedBy: null, selection: null, error: null, forecast: null, backtest: null, inactive: null, models: [], status: null };
  });
  return { portfolio: snapshotPortfolio(snapshot), total: query.sku !== undefined ? items.length : total, items, snapshot };
}

/**
 * forecasts.csv of a snapshot, in the same columns as the current one, `status` as it was when the
 * snapshot was taken (recorded with each item since migration 042: forecast, inactive, failed or
 * none). A snapshot taken before keeps no inactive reading, so its forecast rows' `status` is left
 * empty rather than asserting `forecast` (a stopped SKU's zeros would read as real demand to a
 * filter on it), and a SKU it has no forecast for says `none`. SKUs added after the snapshot get
 * no row. `csv`: the dataset's attribute columns and rounding (forecastsCsvOptions), the same as the
 * current file's.
 */
export async function* snapshotForecastsCsv(store: Store, snapshot: Snapshot, csv?: ForecastsCsvOptions, onSku?: (status: ForecastStatus | '') => void): AsyncGenerator<string> {
  yield forecastsCsvHeader(csv?.attributes);
  const rows = await snapshotItemsOf(store, snapshot);
  for (let i = 0; i < rows.length; i += 500) {
    let chunk = '';
    for (const row of rows.slice(i, i + 500)) {
      const item = forecastItemFromSnapshot(row);
      const status = row.status ?? (item.forecast ? '' : 'none');
      onSku?.(status);
      chunk += forecastCsvRows(item, status, csv);
    }
    yield chunk;
  }
}
