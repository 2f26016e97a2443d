/**
 * The HTTP contract (docs/http-api.md) as the web app sees it. Copied, not imported: web/ knows
 * only HTTP, so these types are the app's reading of the contract and nothing on the server
 * depends on them.
 */
export const jobStatuses = ['running', 'pending', 'failed', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export interface Job {
  id: number;
  batchId: string;
  datasetId: string | null;
  sku: string;
  modelId: string;
  method: string;
  reason: string;
  priority: number;
  status: JobStatus;
  progress: number;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  result?: unknown;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  workerId: string | null;
}

export interface JobSummary {
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  isOptimizing: boolean;
  progress: number; // 0..100 over jobs that are not cancelled
  etaSeconds: number | null;
}

export interface JobStatusQuery {
  status?: JobStatus[];
  batchId?: string;
  sku?: string;
  datasetId?: string;
  limit?: number;
  cursor?: string | null;
}

export interface JobStatusResponse {
  total: number;
  summary: JobSummary;
  jobs: Job[];
  nextCursor: string | null;
}

export interface JobsCreated {
  batchId: string;
  datasetId: string | null;
  jobsCreated: number;
  jobsSkipped: number;
  jobsCancelled: number;
  jobsReused: number;
  skusProcessed: number;
  modelsPerSku: number;
  priority: number;
}

export interface JobScope {
  batchId?: string;
  datasetId?: string;
  sku?: string;
  status?: JobStatus[] | string;
}

export interface ModelParameter {
  name: string;
  description: string;
  grid?: number[];
  min?: number;
  max?: number;
  integer?: boolean;
}

export interface ModelInfo {
  id: string;
  name: string;
  description: string;
  family: string;
  parameters: ModelParameter[];
  seasonal: boolean;
  intermittent: boolean;
}

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

export interface ModelsResponse {
  models: ModelInfo[];
  methods: Array<{ id: string; name: string; description: string }>;
  defaults: Omit<DatasetSettings, 'fillGaps'>;
}

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
