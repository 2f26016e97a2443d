import type { JobReason } from '../queue/job-state.js';
import type { EnqueueResult } from '../queue/job.js';
import type { Store } from '../stores/store.js';
import type { DatasetSettings, ImportReport } from './dataset.js';
import { DatasetValidationError, type ValidationDetail } from './dataset-validation-error.js';
import { parseDateAuto } from './date-parse.js';
import { storeImport } from './import-dataset.js';
import { parseQuantity } from './quantity-parse.js';
import { SeriesAccumulator } from './series-accumulator.js';

/**
 * The seed's POST /api/jobs `data` form: rows of {sku, date, sales} become a dataset and its jobs
 * through the same cleaning and storing code as a CSV upload. A JSON client sent exactly these
 * values, so unlike a CSV (where bad rows are skipped and reported) one bad row refuses the
 * request, naming it: `data[3].sales`.
 */
export interface ImportRowsOptions {
  name?: string;
  models: string[];
  method?: string;
  reason: JobReason;
  settings?: Partial<DatasetSettings>;
  createJobs: boolean;
  /** The server's clock (ms; default Date.now()): rows dated after its period are warned about. */
  now?: number;
}

export interface ImportRowsResult {
  datasetId: string;
  report: ImportReport;
  enqueue: EnqueueResult | null;
  jobsSkipped: number;
  skusProcessed: number;
}

const MAX_DETAILS = 50;

export async function importRows(
  store: Store,
  rows: Array<{ sku: string; date: string; sales: number | string }>,
  options: ImportRowsOptions,
): Promise<ImportRowsResult> {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new DatasetValidationError('data must list at least one row', [{ path: 'data', message: 'no rows' }]);
  }
  const acc = new SeriesAccumulator({ fillGaps: options.settings?.fillGaps ?? 'zero', minLength: 0, now: options.now });
  const details: ValidationDetail[] = [];
  let problems = 0;
  const problem = (path: string, message: string): false => {
    problems++;
    if (details.length < MAX_DETAILS) details.push({ path, message });
    return false;
  };
  rows.forEach((row, i) => {
    const at = `data[${i}]`;
    if (row === null || typeof row !== 'object') {
      problem(at, 'must be an object {sku, date, sales}');
      return;
    }
    const { sku, date, sales } = row as Record<string, unknown>;
    let ok = true;
    if (typeof sku !== 'string' && typeof sku !== 'number') ok = problem(`${at}.sku`, 'must be a string');
    else if (String(sku).trim() === '') ok = problem(`${at}.sku`, 'SKU is empty');
    if (typeof date !== 'string' || date.trim() === '') ok = problem(`${at}.date`, 'date is empty');
    else if (parseDateAuto(date, 'dmy') === null && parseDateAuto(date, 'mdy') === null) ok = problem(`${at}.date`, `date '${date.slice(0, 40)}' does not parse`);
    let value: number | null = null;
    if (typeof sales === 'number') value = Number.isFinite(sales) ? sales : null;
    else if (typeof sales === 'string') value = parseQuantity(sales);
    if (value === null) ok = problem(`${at}.sales`, `quantity '${String(sales).slice(0, 40)}' is not a number`);
    else if (value < 0) ok = problem(`${at}.sales`, `quantity ${value} is negative`);
    if (!ok) return;
    acc.rowsRead++;
    acc.add(String(sku).trim(), date as string, value!, i + 1);
  });
  if (problems > 0) {
    throw new DatasetValidationError(`${problems} invalid value${problems === 1 ? '' : 's'} in data: ${details[0].path}: ${details[0].message}`, details);
  }
  const read = acc.finish('long');
  const outcome = await storeImport(store, read, {
    name: options.name,
    models: options.models,
    method: options.method,
    reason: options.reason,
    settings: options.settings,
    createJobs: options.createJobs,
  }).catch((error: unknown) => {
    // The shared import speaks of a file; here the rows came as `data`, and the holdout in `settings`.
    if (error instanceof DatasetValidationError) {
      // A line is a row (add's line is its index + 1): `line 3` is data[2].date, the one a line is refused by here.
      const row = (p: string) => p.replace(/^line (\d+)$/, (_, n: string) => `data[${Number(n) - 1}].date`);
      const path = (p: string) => (p === 'file' ? 'data' : p === 'holdout' ? 'settings.holdout' : row(p));
      const message = error.message.replace(/ on line (\d+)/, (_, n: string) => ` in data[${Number(n) - 1}].date`).replace('the file', 'data').replace(/^invalid holdout:/, 'invalid settings.holdout:').replace('this file', 'these rows');
      throw new DatasetValidationError(message, error.details.map((d) => ({ ...d, path: path(d.path), message: d.message.replace('this file', 'these rows') })), error.report);
    }
    throw error;
  });
  return {
    datasetId: outcome.datasetId!,
    report: outcome.report,
    enqueue: outcome.enqueue,
    jobsSkipped: outcome.jobsSkipped,
    skusProcessed: outcome.skusProcessed,
  };
}
