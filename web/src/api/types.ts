import type { paths } from './schema.js';

/**
 * The HTTP contract (docs/http-api.md) as the web app sees it. web/ knows only HTTP: the types of
 * the routes the OpenAPI document describes are taken from schema.d.ts, generated from it
 * (`npm run gen:api`; a test fails when it is stale). The rest below are still written by hand
 * (the dataset routes answer without a response schema yet) and are the app's reading of the
 * contract; move each to `Answer<...>` once its route declares one.
 */

/** The JSON answer of a route, from the generated `paths`. */
export type Answer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;

export const jobStatuses = ['running', 'pending', 'failed', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export type JobStatusResponse = Answer<'/api/jobs/status', 'get'>;
export type JobSummary = JobStatusResponse['summary'];
/** A job as listed; GET /api/jobs/:id adds its result. */
export type Job = JobStatusResponse['jobs'][number] & { result?: unknown };
export type JobsCreated = Answer<'/api/jobs', 'post', 201>;

export interface JobStatusQuery {
  status?: JobStatus[];
  batchId?: string;
  sku?: string;
  datasetId?: string;
  limit?: number;
  cursor?: string | null;
}

export interface JobScope {
  batchId?: string;
  datasetId?: string;
  sku?: string;
  status?: JobStatus[] | string;
}

export type ModelsAnswer = Answer<'/api/models', 'get'>;
export type ModelInfo = ModelsAnswer['models'][number];
export type ModelParameter = ModelInfo['parameters'][number];

export type AccuracyMetric = 'mae' | 'rmse' | 'mape' | 'smape' | 'mase' | 'wape';
export const accuracyMetrics: AccuracyMetric[] = ['mae', 'rmse', 'mape', 'smape', 'mase', 'wape'];

export interface DatasetSettings {
  horizon: number;
  holdout: number;
  models: string[];
  method: string;
  metric: AccuracyMetric;
  intervalLevels: number[];
  fillGaps?: 'zero' | 'report';
}

/** GET /api/models; the document types `defaults.metric` as any string, the app knows the list. */
export type ModelsResponse = Omit<ModelsAnswer, 'defaults'> & { defaults: Omit<DatasetSettings, 'fillGaps'> };

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';

export interface ImportReport {
  rows: number;
  skus: number;
  dateRange: { start: string; end: string } | null;
  frequency: Frequency | null;
  format: 'long' | 'wide';
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number;
  duplicates: number;
  gaps: Array<{ sku: string; missing: number }>;
  tooShort: Array<{ sku: string; length: number; needed: number }>;
  warnings: string[];
  /** Every rejection grouped by reason, most frequent first. */
  rejectedReasons?: Array<{ reason: string; count: number; lines: number[]; example: string }>;
  /** Lines that are not data (repeated header, every field empty), counted apart. */
  setAside?: Array<{ reason: string; count: number; lines: number[] }>;
  setAsideCount?: number;
  /** The frequency the dates suggest, whatever was asked for. */
  detectedFrequency?: Frequency | null;
  weekStart?: string;
  fileType?: 'csv' | 'xlsx';
}

export interface ColumnMapping {
  sku: string;
  date: string;
  quantity: string;
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

/** The answer to POST /api/datasets (a dry run leaves datasetId null and may name the detected mapping). */
export interface DatasetCreated {
  datasetId: string | null;
  report: ImportReport;
  jobsCreated: number;
  mapping?: Partial<ColumnMapping> | null;
  columns?: string[];
  format?: 'long' | 'wide';
  dateFormat?: string | null;
}

export interface UploadOptions {
  name?: string;
  mapping?: ColumnMapping;
  dateFormat?: string;
  format?: 'long' | 'wide';
  /** Aggregate to this period (finer data is summed); detected when not given. */
  frequency?: Frequency;
  weekStart?: string;
  /** An .xlsx upload: the sheet to read. */
  sheet?: string;
  models?: string[];
  createJobs?: boolean;
  dryRun?: boolean;
}

export interface SkuSummary {
  sku: string;
  length: number;
  volume: number;
  demandClass: DemandClass;
  bestModel: string | null;
  error: number | null;
  sparkline: number[];
}

export type SkuSort = 'sku' | 'volume' | 'length' | 'demandClass' | 'error';

export interface SkuQuery {
  search?: string;
  sort?: SkuSort;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface SkuPage {
  total: number;
  items: SkuSummary[];
}

export interface Outlier {
  index: number;
  date: string;
  value: number;
  suggested: number;
  score: number;
}

export interface SkuSeries {
  sku: string;
  dates: string[];
  original: number[];
  cleaned: number[];
  edits: Record<string, number>;
  demandClass: DemandClass;
  outliers: Outlier[];
}

export interface SkuPatch {
  edits?: Array<{ date: string; value: number }>;
  reset?: string[];
  acceptOutliers?: boolean | string[];
  undoAll?: boolean;
}

export interface SkuPatched {
  series: SkuSeries;
  batchId: string | null;
  jobsCreated: number;
  jobsCancelled: number;
}

export interface ModelRun {
  modelId: string;
  method: string;
  jobId: number;
  metrics: Partial<Record<AccuracyMetric | 'bias', number | null>>;
  parameters: Record<string, unknown>;
  aicc: number | null;
  /** Optional: the model's own forecast, when the API includes it (drawn when toggled on). */
  forecast?: { dates: string[]; mean: number[] } | null;
}

export interface SkuForecast {
  sku: string;
  /** The chosen model, or a combination's members joined by '+'. */
  bestModel: string | null;
  selectedBy: 'metric' | 'override';
  /** How the forecast was chosen (absent from older servers). */
  selection?: { how: string; members: string[] } | null;
  forecast: {
    dates: string[];
    mean: number[];
    lower80: number[];
    upper80: number[];
    lower95: number[];
    upper95: number[];
  } | null;
  backtest: { dates: string[]; actual: number[]; fitted: number[] } | null;
  models: ModelRun[];
}

export interface ForecastsResponse {
  portfolio: { wape: number | null; bias: number | null; skus: number; skusWithForecast: number };
  items: SkuForecast[];
}

export interface ApiErrorBody {
  error: string;
  details?: Array<{ path: string; message: string }>;
  report?: ImportReport;
  /** The file's header row, on an upload refused for its columns (for the mapping step). */
  columns?: string[];
}

/** Compile-time guard: an Answer that resolves to never (a route renamed, its schema dropped) fails the typecheck here. */
type Defined<T> = [T] extends [never] ? false : true;
type Assert<T extends true> = T;
export type AnswersDefined = [Assert<Defined<JobStatusResponse>>, Assert<Defined<JobsCreated>>, Assert<Defined<ModelsAnswer>>];
