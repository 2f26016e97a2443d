import type { SkuQuery } from './types.js';

/** react-query keys for everything except job status (which only useBackendJobStatus reads). */
export const queryKeys = {
  models: ['models'] as const,
  datasets: ['datasets'] as const,
  dataset: (id: string) => ['dataset', id] as const,
  skus: (id: string, params?: SkuQuery) => (params ? (['skus', id, params] as const) : (['skus', id] as const)),
  series: (id: string, sku?: string) => (sku ? (['series', id, sku] as const) : (['series', id] as const)),
  forecasts: (id: string, sku?: string) => (sku ? (['forecasts', id, sku] as const) : (['forecasts', id] as const)),
  job: (jobId: number) => ['job', jobId] as const,
  /** GET /api/datasets/:id/unmet-work: plans every series server-side, so asked on open and when the queue goes idle only. */
  unmetWork: (id: string) => ['unmet-work', id] as const,
  /** Totals (AggregatesView): `by` an attribute, '' the whole dataset; without it, every grouping. */
  aggregates: (id: string, by?: string) => (by === undefined ? (['aggregates', id] as const) : (['aggregates', id, by] as const)),
};
