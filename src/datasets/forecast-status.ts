import { csvField } from './csv-field.js';
import type { ForecastItem } from './dataset-forecasts.js';
import type { WorkInput } from './dataset.js';

/**
 * What forecasts.csv says of a SKU in its `status` column, so a SKU without a forecast is told
 * apart from one read as stopped, and why it has none:
 * - `forecast`: the chosen forecast;
 * - `inactive`: the forecast is 0 because the SKU reads as stopped (no sale for a long run);
 * - `pending`: no forecast yet, a job for it is pending or running;
 * - `failed`: no forecast, its jobs failed and none is open;
 * - `none`: no forecast and no job coming (none queued: too short a history; or cancelled), or
 *   from a snapshot, which keeps no jobs.
 */
export type ForecastStatus = 'forecast' | 'inactive' | 'pending' | 'failed' | 'none';

/** The SKUs with an open job and those with a failed one, from the dataset's workInputs. */
export function jobFates(inputs: WorkInput[]): { open: Set<string>; failed: Set<string> } {
  const open = new Set<string>();
  const failed = new Set<string>();
  for (const input of inputs) {
    if (input.status === 'pending' || input.status === 'running') open.add(input.sku);
    else if (input.status === 'failed') failed.add(input.sku);
  }
  return { open, failed };
}

export function forecastStatus(item: Pick<ForecastItem, 'sku' | 'forecast' | 'inactive'>, fates?: { open: Set<string>; failed: Set<string> }): ForecastStatus {
  if (item.forecast) return item.inactive ? 'inactive' : 'forecast';
  if (fates?.open.has(item.sku)) return 'pending';
  if (fates?.failed.has(item.sku)) return 'failed';
  return 'none';
}

export const forecastsCsvHeader = 'sku,date,model,forecast,lo80,hi80,lo95,hi95,status\n';

/** An item's rows of forecasts.csv: one per forecast date, or one with the forecast's columns empty. */
export function forecastCsvRows(item: Pick<ForecastItem, 'sku' | 'bestModel' | 'forecast'>, status: ForecastStatus): string {
  const f = item.forecast;
  if (!f) return `${[item.sku, '', '', '', '', '', '', '', status].map(csvField).join(',')}\n`;
  let out = '';
  for (let i = 0; i < f.dates.length; i++) {
    out += `${[item.sku, f.dates[i], item.bestModel, f.mean[i], f.lower80?.[i], f.upper80?.[i], f.lower95?.[i], f.upper95?.[i], status].map(csvField).join(',')}\n`;
  }
  return out;
}
