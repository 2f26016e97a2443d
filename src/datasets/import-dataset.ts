import { randomUUID } from 'node:crypto';
import { counted } from './counted.js';
import { listModels } from '../forecasting/index.js';
import type { JobReason } from '../queue/job-state.js';
import type { EnqueueResult } from '../queue/job.js';
import type { Store } from '../stores/store.js';
import type { MappingRequest } from './column-mapping.js';
import { readCsvDataset } from './csv-dataset-reader.js';
import { offeringSheets } from './sheet-choice.js';
import type { Dataset, DatasetSettings, Frequency, ImportReport } from './dataset.js';
import type { DayOrder } from './date-parse.js';
import { defaultDatasetSettings, mergeSettings, minimumHistory, settingsProblems } from './dataset-settings.js';
import { DatasetValidationError, type ValidationDetail } from './dataset-validation-error.js';
import { holdoutZeroWarning } from './holdout-warning.js';
import { planJobs, shortestForecastable, shortHistory } from './job-planner.js';
import { refuseBeyondModels } from './models-bound.js';
import { refuseBeyondYear9999 } from './year-9999-bound.js';
import type { Weekday } from './period-grid.js';
import { provisionalOf } from './partial-periods.js';
import { modelHistory } from './model-history.js';
import { singleDateWarning, type AccumulatedDataset } from './series-accumulator.js';
import type { Charset } from './text-charset.js';
import { unforecastableSettings } from './unforecastable-settings.js';

/**
 * The one way data becomes a dataset, whatever it came from (an uploaded CSV, the CLI, the JSON
 * rows of POST /api/jobs, the sample generator): read and clean, settle the settings, plan one job
 * per SKU x model, and store the dataset, its series and its jobs in one transaction. A refusal
 * (DatasetValidationError) or any failure before the commit leaves nothing behind.
 */
export interface ImportOptions {
  name?: string;
  models?: string[];
  method?: string;
  reason?: JobReason; // default dataset_upload
  settings?: Partial<DatasetSettings>;
  createJobs?: boolean; // default true
  dryRun?: boolean; // read and report, store nothing
  /**
   * Strict mode (CSV and .xlsx files, imports and actuals): more rejected lines than this refuse
   * the file, nothing stored (tooManyRejected). Absent: any number is reported and skipped.
   */
  maxRejected?: number;
  /** The server's clock (ms since the epoch; default Date.now()): rows dated after its period are warned about. */
  now?: number;
}

/** How a file lays out its rows: `auto` decides by its header (datasets.md, Wide format). */
export const csvFormats = ['long', 'wide', 'auto'] as const;

export interface CsvImportOptions extends ImportOptions {
  mapping?: MappingRequest;
  /** Without `mapping`: columns to read by when the file has them (CsvReadOptions). */
  preferredMapping?: MappingRequest;
  dateFormat?: string;
  format?: (typeof csvFormats)[number];
  delimiter?: string;
  /** The text's encoding when it has no byte order mark (default UTF-8). */
  charset?: Charset;
  frequency?: Frequency;
  weekStart?: Weekday;
  /** Actuals: their dataset's day order, for dates the file cannot settle (AccumulatorOptions). */
  dayOrder?: DayOrder | 'unrecorded';
  /** An .xlsx upload: the sheet to read (default: the first). */
  sheet?: string;
  /** The header's line, 1-based (default: found, header-row.ts). */
  headerRow?: number;
  /** Actuals: partial periods between the file's ends are named too (AccumulatorOptions). */
  partialInside?: boolean;
  /** Actuals: the day of their period the dataset's history dated its periods by (AccumulatorOptions). */
  periodsDatedLike?: string;
  /** Actuals: the SKUs among these the dataset already has, never dropped as a total (CsvReadOptions). */
  knownSkus?: (skus: string[]) => Promise<Iterable<string>>;
}

export interface ImportOutcome {
  datasetId: string | null; // null on a dry run
  dataset: Dataset | null;
  report: ImportReport;
  enqueue: EnqueueResult | null;
  jobsCreated: number;
  jobsSkipped: number;
  skusProcessed: number;
  /** The CSV's header row, for a mapping UI (CSV imports only). */
  columns?: string[];
}

/** Refuses bad options before reading a byte, each detail naming the field. */
export function importOptionProblems(options: ImportOptions): ValidationDetail[] {
  const details = settingsProblems(options.settings ?? {});
  if (options.models !== undefined) details.push(...settingsProblems({ models: options.models }, ''));
  if (options.method !== undefined) details.push(...settingsProblems({ method: options.method }, ''));
  return details;
}

function assertOptions(options: ImportOptions): void {
  const details = importOptionProblems(options);
  if (details.length > 0) throw new DatasetValidationError(`invalid ${details[0].path}: ${details[0].message}`, details);
}

/**
 * `apply` is what becomes of what was read: a new dataset (storeImport, the default), or new
 * actuals of an existing one (actuals.ts), so both read a file exactly the same way.
 */
export async function importCsv<T extends object = ImportOutcome>(
  store: Store,
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: CsvImportOptions = {},
  apply: (store: Store, read: AccumulatedDataset, options: ImportOptions) => Promise<T> = storeImport as never,
): Promise<T & { columns: string[] }> {
  assertOptions(options);
  const fillGaps = options.settings?.fillGaps ?? 'zero';
  const read = await readCsvDataset(source, {
    mapping: options.mapping,
    preferredMapping: options.preferredMapping,
    dateFormat: options.dateFormat,
    format: options.format,
    delimiter: options.delimiter,
    charset: options.charset,
    frequency: options.frequency,
    weekStart: options.weekStart,
    dayOrder: options.dayOrder,
    sheet: options.sheet,
    headerRow: options.headerRow,
    fillGaps,
    minLength: 0,
    now: options.now,
    partialInside: options.partialInside,
    periodsDatedLike: options.periodsDatedLike,
    knownSkus: options.knownSkus,
  });
  // Before anything is stored: the import and actuals write only in `apply`.
  if (options.maxRejected !== undefined && read.report.rejectedCount > options.maxRejected) throw tooManyRejected(read.report, options.maxRejected);
  try {
    return { ...(await apply(store, read, options)), columns: read.columns };
  } catch (error) {
    // Nothing usable in the first sheet of a workbook of several: say which others there are. Not
    // when that sheet gave series: a refusal then is of the settings, or of what the sheet holds.
    throw read.book && read.series.length === 0 ? offeringSheets(error, read.book, undefined) : error;
  }
}

/**
 * The strict mode's refusal (maxRejected): the count against the limit and the first rejected
 * lines, each a detail of its own after the one naming maxRejected.
 */
export function tooManyRejected(report: ImportReport, maxRejected: number): DatasetValidationError {
  const n = report.rejectedCount;
  // By line: the reader rejects a date that does not parse only once the whole file is read.
  const lines = [...report.rejected].sort((a, b) => a.line - b.line);
  const first = lines.slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
  return new DatasetValidationError(
    `too many rejected lines: ${counted(n, 'line')} ${n === 1 ? 'was' : 'were'} rejected, maxRejected allows ${maxRejected}; nothing was imported (${first}${n > 3 ? '; ...' : ''})`,
    [
      { path: 'maxRejected', message: `${n} rejected line${n === 1 ? '' : 's'}, more than the ${maxRejected} allowed` },
      ...lines.slice(0, 20).map((r) => ({ path: `line ${r.line}`, message: r.reason })),
    ],
    report,
  );
}

/**
 * The refusal of a file with no usable row. It names the dominant reason with an example and its
 * line (the one thing to fix first); its details list every reason group with its count.
 */
export function nothingUsable(report: ImportReport): DatasetValidationError {
  const junk = report.setAsideCount ? ` (${counted(report.setAsideCount, 'line')} set aside as not data)` : '';
  if (report.rows === 0) {
    return new DatasetValidationError(`nothing usable: the file has a header but no rows${junk}`, [{ path: 'file', message: 'no rows' }], report);
  }
  // Rows read, none refused, no series: a wide file whose every cell is empty (a missing period).
  if (report.rejectedCount === 0 && report.format === 'wide') {
    return new DatasetValidationError(`nothing usable: ${report.rows === 1 ? 'the one row has' : `the ${report.rows} rows have`} no quantities (every period cell is empty)${junk}`, [{ path: 'file', message: 'no quantities' }], report);
  }
  const groups = report.rejectedReasons ?? [];
  const top = groups[0];
  const why = top
    ? `; ${top.count === report.rejectedCount ? (top.count === 1 ? '' : 'all ') : `most (${top.count}) `}because ${top.reason}, e.g. line ${top.lines[0]}: ${top.example}`
    : '';
  const details = groups.length > 0
    ? groups.map((g) => ({ path: `line ${g.lines[0]}`, message: `${g.reason}: ${g.count} line${g.count === 1 ? '' : 's'} (e.g. ${g.example}; lines ${g.lines.join(', ')})` }))
    : report.rejected.slice(0, 20).map((r) => ({ path: `line ${r.line}`, message: r.reason }));
  return new DatasetValidationError(
    `nothing usable: ${report.rows === 1 ? 'the one row was' : `all ${report.rows} rows were`} rejected${why}${junk}`,
    details.length > 0 ? details : [{ path: 'file', message: 'no rows' }],
    report,
  );
}

/**
 * A holdout or models the caller gave that leave no SKU forecastable are refused, as a settings
 * change is (unforecastableSettings): stored, the dataset would queue nothing now or after any
 * actuals, and only a warning would say so. Refused only when another value of what the caller
 * gave would reach a SKU (a holdout of 0, any model), so the refusal names the field to change;
 * a file too short whatever they give, or too short under the defaults with nothing given,
 * still imports with its tooShort as before.
 */
function refuseUnforecastable(series: AccumulatedDataset['series'], settings: DatasetSettings, options: ImportOptions): void {
  const holdoutGiven = options.settings?.holdout !== undefined;
  const modelsGiven = options.models !== undefined || options.settings?.models !== undefined;
  if (!holdoutGiven && !modelsGiven) return;
  const loosest: DatasetSettings = {
    ...settings,
    ...(holdoutGiven ? { holdout: 0 } : {}),
    ...(modelsGiven ? { models: listModels().map((m) => m.id) } : {}),
  };
  const lengths = series.map((s) => modelHistory(s).values.length);
  const details = unforecastableSettings(lengths, loosest, settings, { subject: 'this file', outcome: 'nothing was imported' });
  if (details.length > 0) throw new DatasetValidationError(`invalid ${details[0].path}: ${details[0].message}`, details);
}

/** Settles settings, plans jobs and stores everything at once; shared by every import path. */
export async function storeImport(store: Store, read: AccumulatedDataset, options: ImportOptions): Promise<ImportOutcome> {
  assertOptions(options);
  const { frequency } = read;
  // A partial last period (an export taken mid-month) is stored as provisional: actuals with more
  // of it replace it, where they would keep a complete value. Not a partial first one (provisionalOf).
  const series = read.report.partialPeriods ? read.series.map((s) => {
    const provisional = provisionalOf(read.report.partialPeriods, s.dates, s.original);
    return provisional ? { ...s, provisional } : s;
  }) : read.series;
  const settings = mergeSettings(defaultDatasetSettings(frequency), {
    ...options.settings,
    ...(options.models ? { models: options.models } : {}),
    ...(options.method ? { method: options.method } : {}),
  });
  const needed = shortestForecastable(settings.models);
  const lengths = series.map((s) => modelHistory(s).values.length);
  const report: ImportReport = {
    ...read.report,
    // By the history the models train on (a partial last month left out), as planJobs skips them.
    tooShort: series.flatMap((s, i) => (lengths[i] < needed ? [{ sku: s.sku, length: lengths[i], needed }] : [])),
  };
  // Before nothingUsable: a file of one date per SKU has values, no refusals and no series.
  if (frequency === null && report.warnings.includes(singleDateWarning)) {
    throw new DatasetValidationError('nothing usable: the frequency cannot be inferred from a single date', [
      { path: 'file', message: 'every SKU has one date; at least two dates are needed' },
    ], report);
  }
  if (series.length === 0 || frequency === null) throw nothingUsable(report);
  refuseBeyondYear9999(series, frequency, settings.horizon, read.latest, 'nothing was imported', report);
  refuseBeyondModels(series, 'nothing was imported', report);
  refuseUnforecastable(series, settings, options);
  const base = { datasetId: null, dataset: null, report, enqueue: null, jobsCreated: 0, skusProcessed: series.length };
  const id = `ds_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const createJobs = options.createJobs ?? true;
  const plan = createJobs
    ? planJobs({ dataset: { id, frequency, settings }, series, models: settings.models, method: settings.method, reason: options.reason ?? 'dataset_upload' })
    : { jobs: [], skipped: [] };
  if (createJobs && report.tooShort.length > 0) {
    // Said in a planner's words (the web app shows it): how many SKUs, and what they would need.
    const skus = report.tooShort.length;
    report.warnings = [...report.warnings, `${skus === 1 ? '1 SKU has' : `${skus} SKUs have`} too little history to forecast (each needs at least ${needed} periods); append more actuals for ${skus === 1 ? 'it' : 'them'}`];
  }
  const short = createJobs && settings.holdout > 0 ? lengths.filter((length) => length >= needed && shortHistory(length, settings)).length : 0;
  if (short > 0) {
    report.warnings = [...report.warnings, `${short === 1 ? '1 SKU has' : `${short} SKUs have`} fewer than the ${minimumHistory(settings)} periods the holdout of ${settings.holdout} needs: ${short === 1 ? 'it is' : 'they are'} forecast with a smaller holdout (the largest the history allows; none with 4 periods, so nothing is scored), as ${short === 1 ? 'its forecast says' : 'their forecasts say'}`];
  }
  if (settings.holdout === 0) report.warnings = [...report.warnings, holdoutZeroWarning(settings.models)];
  if (options.dryRun) return { ...base, jobsSkipped: plan.skipped.length };
  const name = options.name?.trim() || `Import ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
  const jobs = plan.jobs.length > 0 ? plan.jobs : null;
  const { dataset, enqueue } = await store.createDataset(
    { id, name, frequency, settings, report },
    series,
    jobs,
    jobs ? { batchId: randomUUID() } : null,
  );
  return {
    datasetId: dataset.id,
    dataset,
    report,
    enqueue,
    jobsCreated: enqueue?.jobsCreated ?? 0,
    jobsSkipped: plan.skipped.length,
    skusProcessed: series.length,
  };
}
