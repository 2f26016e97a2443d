/** Datasets as the API and every store return them (camelCase; dates are ISO yyyy-mm-dd). */
export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';
export type AccuracyMetric = 'mae' | 'rmse' | 'mape' | 'smape' | 'mase' | 'wape';

export interface DatasetSettings {
  horizon: number;
  holdout: number;
  models: string[]; // enabled model ids
  method: string; // 'grid' | 'mle'
  metric: AccuracyMetric; // picks the best model per SKU
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
  format: 'long' | 'wide';
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number; // rejected is capped; this is the full count
  duplicates: number;
  gaps: Array<{ sku: string; missing: number }>;
  tooShort: Array<{ sku: string; length: number; needed: number }>;
  warnings: string[];
  /** Which columns were read as sku, date and quantity (detected or given). */
  mapping?: { sku: string; date: string; quantity: string };
  /** The delimiter detected or given. */
  delimiter?: string;
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

/** One SKU's history. `original` never changes; `edits` maps an index to its cleaned value. */
export interface SeriesRecord {
  datasetId: string;
  sku: string;
  dates: string[];
  original: number[];
  edits: Record<number, number>;
  length: number;
  volume: number; // sum of cleaned values
  demandClass: DemandClass;
  updatedAt: number;
}

export type NewSeries = Omit<SeriesRecord, 'datasetId' | 'updatedAt'>;

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

/** The newest completed job per (sku, model) of a dataset, for forecasts and metrics. */
export interface ModelResult {
  sku: string;
  modelId: string;
  method: string;
  jobId: number;
  finishedAt: number;
  result: unknown;
}
