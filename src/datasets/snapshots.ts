import type { Store } from '../stores/store.js';
import { forecastPages, pageFates, type PortfolioSummary } from './dataset-results.js';
import { forecastStatus, type ForecastStatus } from './forecast-status.js';
import { storedHistoryEnd } from './history-end.js';
import { PortfolioAccumulator, type ForecastItem } from './dataset-forecasts.js';
import type { DatasetProgress, NewSnapshot, Snapshot, SnapshotCause, SnapshotItemRow } from './planning-cycle-store.js';
import { decodeSnapshotValues, encodeSnapshotValues } from './snapshot-values.js';

/**
 * Snapshots keep the forecasts the app showed once a dataset's forecasts were final after a
 * change: the verb `takeSnapshot`. Who takes it: the worker that settles a dataset's last open
 * job (src/worker/snapshot-trigger.ts), the actuals verb just before it changes anything, and the
 * API when snapshots or accuracy are read (for a change whose jobs all completed at once from
 * cached results, which no worker sees). All of them may race; the store keeps one snapshot per
 * (dataset, mark) and checks, in the transaction that stores it, that the mark is still the
 * dataset's (its newest job id, or its latest retry's) and none of its jobs is open
 * (planning-cycle-store.ts). A retry of cancelled or failed jobs moves the mark, so their
 * completion is kept in a snapshot of its own, its cause read from the dataset's newest job.
 *
 * Overrides move no mark: a planner's override is kept by the next snapshot, not one of its own.
 */
export function causeOf(progress: Pick<DatasetProgress, 'lastJobReason'>, isActualsBatch: boolean): SnapshotCause {
  switch (progress.lastJobReason) {
    case 'actuals_append': return 'actuals';
    // An append's jobs were queued as dataset_upload before they had a reason of their own: told by their batch.
    case 'dataset_upload': return isActualsBatch ? 'actuals' : 'import';
    case 'manual_edit_data_cleaning':
    case 'csv_upload_data_cleaning': return 'edits';
    case 'settings_change': return 'settings';
    default: return 'manual';
  }
}

/** True when the dataset's forecasts are final and not yet kept; cheap (two index probes). */
export function snapshotDue(progress: DatasetProgress): boolean {
  return !progress.open && progress.mark !== null && (progress.snapshotMark === null || progress.snapshotMark < progress.mark);
}

export function snapshotItemRow(item: ForecastItem, status: ForecastStatus): SnapshotItemRow {
  const f = item.forecast;
  return {
    sku: item.sku,
    modelId: item.bestModel,
    selectedBy: item.selectedBy,
    error: item.error,
    dates: f?.dates ?? [],
    values: encodeSnapshotValues(f ?? { mean: [], lower80: null, upper80: null, lower95: null, upper95: null }),
    status,
  };
}

/** Takes the snapshot if one is due; returns it, or null when none was due or another process took it. */
export async function takeSnapshot(store: Store, datasetId: string): Promise<Snapshot | null> {
  const progress = await store.datasetProgress(datasetId);
  if (!snapshotDue(progress)) return null;
  const dataset = await store.getDataset(datasetId);
  if (!dataset) return null;
  const isActuals = progress.lastBatchId !== null && (await store.actualsByBatch(progress.lastBatchId)) !== null;
  const items: SnapshotItemRow[] = [];
  const acc = new PortfolioAccumulator();
  for await (const page of forecastPages(store, dataset)) {
    // The status forecasts.csv gives each SKU now, kept with it: `inactive` is read from the
    // results, which a snapshot does not keep; failed or none from the jobs, as the live CSV reads
    // them (only for the page's SKUs without a forecast). None is pending: saveSnapshot refuses
    // while a job of the dataset is open.
    const fates = await pageFates(store, dataset, page.filter((i) => !i.forecast).map((i) => i.sku));
    for (const item of page) {
      acc.add(item);
      items.push(snapshotItemRow(item, forecastStatus(item, fates)));
    }
  }
  const historyEnd = await storedHistoryEnd(store, dataset, items.flatMap((item) => item.dates.slice(0, 1)));
  let start: string | null = null;
  let end: string | null = null;
  for (const { dates } of items) {
    if (dates.length === 0) continue;
    // "Forecasts from" the first period after the history: a SKU that stopped selling long ago
    // keeps a forecast from then, which would date every snapshot by it (Jul 31, 2025 in a
    // dataset running to Sep 2026). Forecast vs actual scores the same periods (accuracy.ts).
    const first = dates.find((d) => historyEnd.isAfter(d));
    if (first !== undefined && (start === null || first < start)) start = first;
    if (end === null || dates[dates.length - 1] > end) end = dates[dates.length - 1];
  }
  const portfolio = acc.result();
  const snapshot: NewSnapshot = {
    datasetId,
    mark: progress.mark!,
    cause: causeOf(progress, isActuals),
    historyEnd: historyEnd.end,
    forecastStart: start,
    forecastEnd: end,
    skuCount: portfolio.skus,
    skusWithForecast: portfolio.skusWithForecast,
    portfolio: { wape: portfolio.wape, bias: portfolio.bias },
  };
  return store.saveSnapshot(snapshot, items);
}

/** A snapshot item as the forecasts endpoints show an item (no backtest, no model comparison: a snapshot keeps what was shown). */
export function forecastItemFromSnapshot(row: SnapshotItemRow): ForecastItem {
  const v = decodeSnapshotValues(row.values);
  const has = row.dates.length > 0 && v.mean.length === row.dates.length;
  const intervals: NonNullable<ForecastItem['forecast']>['intervals'] = [];
  if (v.lower80 && v.upper80) intervals.push({ level: 80, lower: v.lower80, upper: v.upper80 });
  if (v.lower95 && v.upper95) intervals.push({ level: 95, lower: v.lower95, upper: v.upper95 });
  return {
    sku: row.sku,
    bestModel: row.modelId,
    selectedBy: row.selectedBy,
    // A snapshot keeps the label shown (a combination reads "a+b+c"), not how it was chosen.
    selection: null,
    error: row.error,
    forecast: has ? { dates: row.dates, mean: v.mean, lower80: v.lower80, upper80: v.upper80, lower95: v.lower95, upper95: v.upper95, intervals } : null,
    backtest: null,
    // Nor the run that read it as stopped (its selection sentence said so): whether it was is
    // row.status, which the forecasts JSON of a snapshot shows beside (snapshot-forecasts.ts).
    inactive: null,
    models: [],
  };
}

/** The snapshot's portfolio in the shape of PortfolioSummary's (a snapshot keeps no count of the SKUs with a backtest). */
export function snapshotPortfolio(snapshot: Snapshot): PortfolioSummary['portfolio'] {
  return { wape: snapshot.portfolio.wape, bias: snapshot.portfolio.bias, skus: snapshot.skuCount, skusWithForecast: snapshot.skusWithForecast, skusWithBacktest: null };
}

/**
 * Why deleteSnapshot refuses a dataset's newest snapshot (the API's 409, the CLI's error): the
 * dataset's snapshot mark is its newest snapshot's (datasetProgress), so without that snapshot the
 * forecasts it kept would be due again and the next read or settle would take them again.
 */
export function newestSnapshotRefusal(datasetId: string, id: number): string {
  return `snapshot ${id} is the newest of dataset '${datasetId}' and is kept: it carries the dataset's snapshot mark, and without it `
    + 'the same forecasts would be taken again as a new snapshot; delete older snapshots (this one can go once a newer one is kept)';
}
