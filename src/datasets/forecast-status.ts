import { csvField } from './csv-field.js';
import { isNumericCsvColumn } from './csv-dialect.js';
import type { ForecastItem } from './dataset-forecasts.js';
import type { JobFate } from './dataset.js';

/**
 * What forecasts.csv says of a SKU in its `status` column, so a SKU without a forecast is told
 * apart from one read as stopped, and why it has none:
 * - `forecast`: the chosen forecast;
 * - `inactive`: the forecast is 0 because the SKU reads as stopped (no sale for a long run);
 * - `pending`: no forecast yet, a job of one of the current models is pending or running;
 * - `failed`: no forecast, the newest job of one of the current models under the current method
 *   failed at the SKU's current input, and none is open;
 * - `none`: no forecast and no job coming (none queued: too short a history; or cancelled).
 */
export type ForecastStatus = 'forecast' | 'inactive' | 'pending' | 'failed' | 'none';

export interface SkuFates {
  open: Set<string>;
  failed: Set<string>;
}

/**
 * Which SKUs have an open job and which a failure that still stands, from jobFates (the newest job
 * per (sku, model, method), whatever its status, and the open ones), counting only the current
 * models: a model since removed from settings.models says nothing of the SKU now. An open job of a
 * current model counts whatever its method. A failure counts only under the current method, as
 * unmet-work keys failures (a newer job under another method does not hide it), and stands when it
 * is the newest job of its (sku, model, method), so a later cancelled or completed one hides it,
 * and, where both input hashes are known, when it was asked for the input the SKU has now (as
 * unmet-work's `failed`): `currentHash` answers undefined for a model the SKU gets no job for now
 * (too short), null when the current job would have no hash.
 */
export function skuFates(
  fates: readonly JobFate[], settings: { models: readonly string[]; method: string },
  currentHash: (sku: string, modelId: string) => string | null | undefined,
): SkuFates {
  const current = new Set(settings.models);
  const open = new Set<string>();
  const failed = new Set<string>();
  for (const fate of fates) {
    if (!current.has(fate.modelId)) continue;
    if (fate.status === 'pending' || fate.status === 'running') open.add(fate.sku);
    else if (fate.status === 'failed' && fate.method === settings.method) {
      const hash = currentHash(fate.sku, fate.modelId);
      if (hash === undefined) continue;
      if (hash === null || fate.inputHash === null || hash === fate.inputHash) failed.add(fate.sku);
    }
  }
  return { open, failed };
}

export function forecastStatus(item: Pick<ForecastItem, 'sku' | 'forecast' | 'inactive'>, fates?: SkuFates): ForecastStatus {
  if (item.forecast) return item.inactive ? 'inactive' : 'forecast';
  if (fates?.open.has(item.sku)) return 'pending';
  if (fates?.failed.has(item.sku)) return 'failed';
  return 'none';
}

const forecastsCsvColumns = ['sku', 'date', 'model', 'forecast', 'lo80', 'hi80', 'lo95', 'hi95', 'status'];

/**
 * forecasts.csv's header: `sku`, then the dataset's attribute columns (store, category, ... as
 * imported, so the file pivots by them; none for a dataset without attributes, whose header stays
 * the one it always was), then the forecast's columns. An attribute named like a column of the file
 * or like a numeric column of any export is prefixed `by_`, as accuracy.csv's (csv-dialect.ts reads
 * numeric columns by header).
 */
export function forecastsCsvHeader(attributes: readonly string[] = []): string {
  const named = attributes.map((name) => {
    const lower = name.toLowerCase();
    return forecastsCsvColumns.includes(lower) || isNumericCsvColumn(lower) ? `by_${name}` : name;
  });
  return `${[forecastsCsvColumns[0], ...named.map(csvField), ...forecastsCsvColumns.slice(1)].join(',')}\n`;
}

/**
 * What forecasts.csv adds per SKU: the dataset's attribute names (the columns as imported, in the
 * import's order; others the SKUs carry after them, sorted) and each SKU's values; `decimals`
 * rounds the forecast and its bands (undefined: as every export, to 6 decimals).
 */
export interface ForecastsCsvOptions {
  attributes: readonly string[];
  attributesBySku: Record<string, Record<string, string>>;
  decimals?: number;
}

/** The attribute names of forecasts.csv (ForecastsCsvOptions.attributes), from the SKUs' attributes and the import's mapping. */
export function forecastsCsvAttributes(attributesBySku: Record<string, Record<string, string>>, imported: readonly string[] = []): string[] {
  const names = new Set<string>();
  for (const a of Object.values(attributesBySku)) for (const name of Object.keys(a)) names.add(name);
  return [...imported.filter((n) => names.has(n)), ...[...names].filter((n) => !imported.includes(n)).sort()];
}

const rounded = (value: number | undefined, decimals: number | undefined): number | undefined =>
  value === undefined || decimals === undefined || !Number.isFinite(value) ? value : Number(value.toFixed(decimals));

/** An item's rows of forecasts.csv: one per forecast date, or one with the forecast's columns empty. */
/** `status` '': not known (a forecast row of a snapshot taken before migration 042, which recorded no status). */
export function forecastCsvRows(item: Pick<ForecastItem, 'sku' | 'bestModel' | 'forecast'>, status: ForecastStatus | '', options?: ForecastsCsvOptions): string {
  const f = item.forecast;
  const own = options?.attributesBySku[item.sku];
  const attributes = (options?.attributes ?? []).map((name) => own?.[name] ?? null);
  const d = options?.decimals;
  if (!f) return `${[item.sku, ...attributes, '', '', '', '', '', '', '', status].map(csvField).join(',')}\n`;
  let out = '';
  for (let i = 0; i < f.dates.length; i++) {
    const values = [f.mean[i], f.lower80?.[i], f.upper80?.[i], f.lower95?.[i], f.upper95?.[i]].map((v) => rounded(v, d));
    out += `${[item.sku, ...attributes, f.dates[i], item.bestModel, ...values, status].map(csvField).join(',')}\n`;
  }
  return out;
}
