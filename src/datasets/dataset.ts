/** Datasets as the API and every store return them (camelCase; dates are ISO yyyy-mm-dd). */
export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';
export type AccuracyMetric = 'mae' | 'rmse' | 'mape' | 'smape' | 'mase' | 'wape';

export interface DatasetSettings {
  horizon: number;
  holdout: number;
  models: string[]; // enabled model ids
  method: string; // 'grid' | 'mle'
  metric: AccuracyMetric; // ranks each SKU's models (the default mix takes the 3 lowest beside the ensemble)
  intervalLevels: number[]; // e.g. [80, 95]
  fillGaps: 'zero' | 'report';
  /** Seconds one attempt of a job may run; absent: the model family's default (src/worker/run-timeout.ts). */
  runTimeoutS?: number | null;
}

export interface ImportReport {
  rows: number;
  skus: number;
  dateRange: { start: string; end: string } | null;
  frequency: Frequency | null;
  /** The frequency the dates themselves suggest (the median gap), whatever `frequency` was asked for. */
  detectedFrequency?: Frequency | null;
  /** Weekly data: the weekday a week starts on. */
  weekStart?: string;
  /**
   * A file whose dates were whole periods (its detected frequency is the dataset's), all dated on
   * the same day of their period (the 15th of each month, a quarter's second month's 1st): that
   * day, as the file's last date. An actuals file of one date on the same day of its period is
   * that whole period, as the history's dates were (singleDayPartial); absent otherwise.
   */
  periodsDatedLike?: string;
  format: 'long' | 'wide';
  /**
   * How n/n/yyyy dates were read: day-first (`dmy`) or month-first (`mdy`), as decided from the
   * file or given by dateFormat; null when it had none. Actuals read their own ambiguous dates in
   * their dataset's order; a dataset imported before this was kept has none (undefined).
   */
  dayOrder?: 'dmy' | 'mdy' | null;
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number; // rejected is capped; this is the full count
  /** Every rejection grouped by reason (the value left out), most frequent first, each with an example and its first lines. */
  rejectedReasons?: Array<{ reason: string; count: number; lines: number[]; example: string }>;
  /** Lines that are not data (the header repeated, every field empty), counted apart from rejections. */
  setAside?: Array<{ reason: string; count: number; lines: number[] }>;
  setAsideCount?: number;
  /**
   * Aggregated imports: the file's first or last period when the data covers only part of it
   * (`days` of its `of`), summed all the same and warned about. Actuals name inner periods too
   * (`inside`), and say what became of the SKUs' values for each (`values`): a partial value never
   * replaces a complete one (docs/planning-cycle.md).
   */
  partialPeriods?: Array<{
    edge: 'first' | 'last' | 'inside'; period: string; from: string; to: string; days: number; of: number;
    /** Actuals: SKUs whose value for the period was written as provisional, and SKUs whose stored value was kept. */
    values?: { provisional: number; kept: number };
  }>;
  /** Lines with a negative quantity (returns), summed into their periods. */
  returns?: { lines: number; quantity: number };
  duplicates: number; // lines summed into a (sku, period) that already had one
  /**
   * When finer dates were summed into the period asked for (days into weeks): the lines that fell
   * on a day of their SKU already seen, which the summing does not explain (several orders of a
   * day, or one item in several stores with the store left out of the key). Absent otherwise.
   */
  sameDayLines?: number;
  gaps: Array<{ sku: string; missing: number }>;
  tooShort: Array<{ sku: string; length: number; needed: number }>;
  warnings: string[];
  /**
   * Which columns were read as sku, date and quantity (detected or given). With a composite key,
   * `sku` is the key columns' names joined by ' / ' and `skuColumns` lists them; `attributes`
   * lists the columns stored as each SKU's attributes (the key columns included).
   */
  mapping?: { sku: string; date: string; quantity: string; skuColumns?: string[]; attributes?: string[] };
  /** The delimiter detected or given (CSV only). */
  delimiter?: string;
  /** What the upload was: a delimited text file or an .xlsx workbook. */
  fileType?: 'csv' | 'xlsx';
  /** The header's line (1-based; an .xlsx's sheet row) when lines above it were skipped (header-row.ts). */
  headerRow?: number;
  /** An .xlsx of several sheets: the one read and all of them, in the workbook's order. */
  sheet?: string;
  sheets?: string[];
}

export interface Dataset {
  id: string;
  name: string;
  frequency: Frequency;
  settings: DatasetSettings;
  report: ImportReport;
  skuCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewDataset {
  id: string;
  name: string;
  frequency: Frequency;
  settings: DatasetSettings;
  report: ImportReport;
}

/**
 * A SKU's attributes: column name -> value, from the columns a planner marked at import
 * (category, store, region) and the parts of a composite key ({store: 'S1', item: 'I7'} for the
 * SKU 'S1 / I7'). Stored with the series; used to total SKUs by store or category.
 */
export type SkuAttributes = Record<string, string>;

/**
 * A period whose stored value actuals summed from part of it (the current week to date): the
 * days `from`..`to` it covers. The next value covering it whole replaces it; a partial one only if
 * it covers at least these days (actuals-merge.ts).
 */
export interface ProvisionalPeriod {
  from: string;
  to: string;
  /**
   * The value it was written with: the flag holds only while the period's stored value is this one
   * (a process older than migration 029 writes values without flags: rolling upgrade, docs/deploy.md).
   */
  value: number;
}

/** One SKU's history. `original` never changes; `edits` maps an index to its cleaned value. */
export interface SeriesRecord {
  datasetId: string;
  sku: string;
  attributes: SkuAttributes; // {} when the import marked none
  dates: string[];
  original: number[];
  edits: Record<number, number>;
  /** Periods (by their date in `dates`) whose value is provisional; absent when none is. */
  provisional?: Record<string, ProvisionalPeriod>;
  length: number;
  volume: number; // sum of cleaned values
  demandClass: DemandClass;
  updatedAt: number;
}

export type NewSeries = Omit<SeriesRecord, 'datasetId' | 'updatedAt' | 'attributes'> & { attributes?: SkuAttributes };

export interface SkuQuery {
  search?: string;
  sort?: 'sku' | 'volume' | 'length' | 'demandClass';
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface SkuPage {
  total: number;
  items: Array<Omit<SeriesRecord, 'dates' | 'original' | 'edits'>>;
}

/**
 * What a (sku, model) of a dataset already has for some input (DatasetStore.workInputs): its newest
 * completed job, whose result is the forecast shown, its newest failed job, or a pending or running job.
 */
export interface WorkInput {
  jobId: number;
  sku: string;
  modelId: string;
  method: string;
  status: 'completed' | 'failed' | 'pending' | 'running';
  inputHash: string | null;
  /** The job's settings, frozen at enqueue (JobSettings): what a job without a hash is compared by. */
  settings: Record<string, unknown>;
  createdAt: number;
}

/**
 * A job of a SKU as DatasetStore.jobFates reads it: the newest per (sku, model, method), whatever its
 * status, and every open one. What forecasts.csv's `status` says of a SKU without a forecast is decided from these.
 */
export interface JobFate {
  sku: string;
  modelId: string;
  method: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  inputHash: string | null;
}

/** The newest completed job per (sku, model) of a dataset, for forecasts and metrics. */
export interface ModelResult {
  sku: string;
  modelId: string;
  method: string;
  jobId: number;
  finishedAt: number;
  result: unknown;
}
