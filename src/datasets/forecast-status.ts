import { csvField } from './csv-field.js';
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

export const forecastsCsvHeader = 'sku,date,model,forecast,lo80,hi80,lo95,hi95,status\n';

/** An item's rows of forecasts.csv: one per forecast date, or one with the forecast's columns empty. */
/** `status` '': not known (a forecast row of a snapshot taken before migration 042, which recorded no status). */
export function forecastCsvRows(item: Pick<ForecastItem, 'sku' | 'bestModel' | 'forecast'>, status: ForecastStatus | ''): string {
  const f = item.forecast;
  if (!f) return `${[item.sku, '', '', '', '', '', '', '', status].map(csvField).join(',')}\n`;
  let out = '';
  for (let i = 0; i < f.dates.length; i++) {
    out += `${[item.sku, f.dates[i], item.bestModel, f.mean[i], f.lower80?.[i], f.upper80?.[i], f.lower95?.[i], f.upper95?.[i], status].map(csvField).join(',')}\n`;
  }
  return out;
}
