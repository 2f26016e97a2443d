import type { ImportReport, SkuForecast } from './types.js';

/** The planning cycle's HTTP contract (docs/http-api.md): actuals, snapshots, accuracy, aggregates. */
export interface Snapshot {
  id: number;
  datasetId: string;
  cause: 'import' | 'actuals' | 'edits' | 'settings' | 'manual';
  createdAt: number;
  historyEnd: string | null;
  forecastStart: string | null;
  forecastEnd: string | null;
  skuCount: number;
  skusWithForecast: number;
  bytes: number;
  portfolio: { wape: number | null; bias: number | null };
}

export interface ActualsRecord {
  id: string;
  createdAt: number;
  skusChanged: number;
  skusAdded: number;
  periodsAdded: number;
  valuesRevised: number;
  historyEnd: string | null;
}

export interface AccuracyFigures {
  wape: number | null;
  bias: number | null;
  mae: number | null;
  points: number;
  coverage80: number | null;
  coverage95: number | null;
}

export interface AccuracyItem extends AccuracyFigures {
  sku: string;
  model: string | null;
  absError: number;
}

export interface AccuracyResponse {
  snapshot: Snapshot;
  actuals: ActualsRecord | null;
  portfolio: AccuracyFigures;
  byStep: Array<AccuracyFigures & { step: number }>;
  total: number;
  items: AccuracyItem[];
}

export interface ActualsAppended {
  report: ImportReport;
  skusChanged: number;
  skusAdded: number;
  periodsAdded: number;
  valuesRevised: number;
  batchId: string | null;
  jobsCreated: number;
  jobsReused: number;
  jobsCancelled: number;
}

export interface SnapshotForecasts {
  items: SkuForecast[];
}

export interface AggregateSeries {
  value: string | null;
  skus: number;
  skusWithForecast: number;
  correlation: number | null;
  history: { dates: string[]; original: number[]; cleaned: number[] };
  forecast: { dates: string[]; mean: number[]; lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[] } | null;
}

export interface AggregatesResponse {
  by: string | null;
  attributes: string[];
  bands: string;
  total: AggregateSeries;
  groups: AggregateSeries[];
}
