import type { Store } from '../stores/store.js';
import { csvField } from './csv-field.js';
import type { Dataset } from './dataset.js';
import { forecastCsvRows, forecastsCsvAttributes, forecastsCsvHeader, forecastStatus, skuFates, type ForecastsCsvOptions, type ForecastStatus, type SkuFates } from './forecast-status.js';
import { planJobs } from './job-planner.js';
import { forecastItems, PortfolioAccumulator, type ForecastItem, type ForecastItemWithCv, type Portfolio } from './dataset-forecasts.js';

/**
 * Reading a dataset's results page by page of SKUs (sorted by SKU), so exports and the portfolio
 * of a 10,000-SKU dataset never hold every result at once.
 */
const PAGE = 500;

/** `withCv`: each item with its forecast's cross-validation (ForecastItemWithCv), for totals. */
export async function* forecastPages(store: Store, dataset: Dataset, pageSize = PAGE, withCv = false): AsyncGenerator<ForecastItemWithCv[]> {
  const overrides = await store.getOverrides(dataset.id);
  for (let offset = 0; ; offset += pageSize) {
    const page = await store.listSkus(dataset.id, { sort: 'sku', order: 'asc', limit: pageSize, offset });
    if (page.items.length === 0) return;
    const skus = page.items.map((i) => i.sku);
    const results = await store.latestResults(dataset.id, skus);
    yield forecastItems(skus, dataset, results, overrides, withCv);
    if (page.items.length < pageSize) return;
  }
}

export interface PortfolioSummary {
  portfolio: Portfolio;
  bestModels: Record<string, number>;
}

export async function portfolioSummary(store: Store, dataset: Dataset): Promise<PortfolioSummary> {
  const acc = new PortfolioAccumulator();
  const bestModels: Record<string, number> = {};
  for await (const items of forecastPages(store, dataset)) {
    for (const item of items) {
      acc.add(item);
      if (item.bestModel && item.forecast) bestModels[item.bestModel] = (bestModels[item.bestModel] ?? 0) + 1;
    }
  }
  return { portfolio: acc.result(), bestModels };
}

export interface ForecastsQuery {
  sku?: string;
  limit: number;
  offset: number;
}

export async function datasetForecasts(
  store: Store,
  dataset: Dataset,
  query: ForecastsQuery,
  summarize: (store: Store, dataset: Dataset) => Promise<PortfolioSummary> = portfolioSummary,
): Promise<{ portfolio: Portfolio; total: number; items: Array<ForecastItem & { status: ForecastStatus }> }> {
  const { portfolio } = await summarize(store, dataset);
  let skus: string[];
  let total: number;
  if (query.sku !== undefined) {
    skus = (await store.missingSkus(dataset.id, [query.sku])).length === 0 ? [query.sku] : [];
    total = skus.length;
  } else {
    const page = await store.listSkus(dataset.id, { sort: 'sku', order: 'asc', limit: query.limit, offset: query.offset });
    skus = page.items.map((i) => i.sku);
    total = page.total;
  }
  const [results, overrides] = await Promise.all([store.latestResults(dataset.id, skus), store.getOverrides(dataset.id)]);
  const items = forecastItems(skus, dataset, results, overrides);
  // The same status as forecasts.csv's: without it a SKU with no forecast read alike whether its
  // jobs were still to run, had failed, or none was planned (too short).
  const fates = await pageFates(store, dataset, items.filter((i) => !i.forecast).map((i) => i.sku));
  return { portfolio, total, items: items.map((item) => ({ ...item, status: forecastStatus(item, fates) })) };
}

/**
 * forecasts.csv: the selected model's forecast per SKU, one row per period, and its `status`
 * (forecast-status.ts); a SKU without a forecast is one row saying why (pending, failed, none).
 * Why is read per page for those SKUs only (jobFates: no settings, no results), and the page's
 * series only for the SKUs with a failure of a current model (is it still planned, at which
 * input?): a page where every SKU has a forecast reads no job. After `sku`, the dataset's
 * attribute columns (forecastsCsvHeader); `decimals` rounds the values (default: 6, as every export).
 */
/** `onSku` is told each SKU's status as its rows are written (`skucast export` counts the SKUs without a forecast by it). */
export async function* forecastsCsv(store: Store, dataset: Dataset, options: { decimals?: number; onSku?: (status: ForecastStatus) => void } = {}): AsyncGenerator<string> {
  const csv = await forecastsCsvOptions(store, dataset, options.decimals);
  yield forecastsCsvHeader(csv.attributes);
  for await (const items of forecastPages(store, dataset)) {
    const fates = await pageFates(store, dataset, items.filter((i) => !i.forecast).map((i) => i.sku));
    let chunk = '';
    for (const item of items) {
      const status = forecastStatus(item, fates);
      options.onSku?.(status);
      chunk += forecastCsvRows(item, status, csv);
    }
    yield chunk;
  }
}

/** The attribute columns of the dataset's forecasts.csv (current or a snapshot's), and its rounding. */
export async function forecastsCsvOptions(store: Store, dataset: Dataset, decimals?: number): Promise<ForecastsCsvOptions> {
  const attributesBySku = await store.skuAttributes(dataset.id);
  return { attributes: forecastsCsvAttributes(attributesBySku, dataset.report.mapping?.attributes), attributesBySku, decimals };
}

/** Why these SKUs of a page have no forecast (forecast-status.ts); undefined for none. Also takeSnapshot's, to record each SKU's status. */
export async function pageFates(store: Store, dataset: Dataset, skus: string[]): Promise<SkuFates | undefined> {
  if (skus.length === 0) return undefined;
  const { models, method } = dataset.settings;
  const fates = await store.jobFates(dataset.id, skus);
  // Every SKU with a failure of a current model is planned, a failure without a hash too: the
  // plan says whether that model still gets a job for the SKU (none: too short now, not `failed`).
  const failing = new Set(fates.filter((f) => f.status === 'failed' && f.method === method && models.includes(f.modelId)).map((f) => f.sku));
  const planned = new Map<string, string | null>();
  if (failing.size > 0) {
    const series = await store.getSeriesMany(dataset.id, [...failing]);
    for (const job of planJobs({ dataset, series, models, method, reason: 'manual_trigger' }).jobs) {
      planned.set(JSON.stringify([job.sku, job.modelId]), job.inputHash ?? null);
    }
  }
  return skuFates(fates, { models, method }, (sku, modelId) => planned.get(JSON.stringify([sku, modelId])));
}

/** metrics.csv: every model's cross-validation metrics per SKU, and which are selected (every member of a chosen combination). */
export async function* metricsCsv(store: Store, dataset: Dataset): AsyncGenerator<string> {
  yield 'sku,model,mae,rmse,mape,smape,mase,wape,bias,selected\n';
  for await (const items of forecastPages(store, dataset)) {
    let chunk = '';
    for (const item of items) {
      for (const m of item.models) {
        const x = m.metrics;
        chunk += [item.sku, m.modelId, x?.mae, x?.rmse, x?.mape, x?.smape, x?.mase, x?.wape, x?.bias, (item.selection?.members.includes(m.modelId) ?? m.modelId === item.bestModel) ? 'true' : 'false'].map(csvField).join(',') + '\n';
      }
    }
    yield chunk;
  }
}
