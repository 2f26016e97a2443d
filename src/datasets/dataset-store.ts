import type { EnqueueOptions, EnqueueResult, NewJob } from '../queue/job.js';
import type { Dataset, DatasetSettings, JobFate, ModelResult, WorkInput, NewDataset, NewSeries, SeriesRecord, SkuAttributes, SkuPage, SkuQuery } from './dataset.js';

/**
 * What the datasets need from a database. Compound writes (a dataset and its jobs, an edit
 * and the jobs it re-queues) happen in one transaction: all or nothing.
 */
export interface DatasetStore {
  createDataset(
    dataset: NewDataset,
    series: NewSeries[],
    jobs: NewJob[] | null,
    enqueue: EnqueueOptions | null,
  ): Promise<{ dataset: Dataset; enqueue: EnqueueResult | null }>;
  getDataset(id: string): Promise<Dataset | null>;
  listDatasets(): Promise<Dataset[]>;
  /** The most recently created dataset, the default for a SKU-list job request. */
  latestDataset(): Promise<Dataset | null>;
  deleteDataset(id: string): Promise<boolean>; // cancels its jobs, deletes series and overrides

  getSeries(datasetId: string, sku: string): Promise<SeriesRecord | null>;
  getSeriesMany(datasetId: string, skus?: string[]): Promise<SeriesRecord[]>;
  /** Which of these SKUs the dataset does not have. */
  missingSkus(datasetId: string, skus: string[]): Promise<string[]>;
  listSkus(datasetId: string, query: SkuQuery): Promise<SkuPage>;
  /**
   * Every SKU's attributes (sku -> {column: value}), without reading its values: what totals by
   * store or category group on. A SKU the import marked nothing for has {}.
   */
  skuAttributes(datasetId: string): Promise<Record<string, SkuAttributes>>;

  /**
   * Replaces a series' edits (volume and demand class recomputed by the caller) and enqueues,
   * atomically. `settingsSeen`: the settings the jobs were planned with; if the dataset has others
   * now (a settings change landed since the caller read it), DatasetChangedError and nothing written.
   * An update's `seen`: the series' updatedAt as the caller read it; a series written since (another
   * edit, an append) is refused with SeriesChangedError, nothing written.
   */
  updateSeries(
    datasetId: string,
    updates: Array<Pick<SeriesRecord, 'sku' | 'edits' | 'volume' | 'demandClass'> & { seen?: number }>,
    jobs: NewJob[] | null,
    enqueue: EnqueueOptions | null,
    settingsSeen?: DatasetSettings,
  ): Promise<EnqueueResult | null>;
  /**
   * Enqueues jobs planned from the dataset's settings and some of its series (POST /api/jobs for
   * SKUs of a dataset), unless either changed since the plan read them, checked under the enqueue's
   * own lock: `seen.settings` is compared as updateSeries' settingsSeen is (only what jobs depend
   * on; a dataset deleted since refuses too: DatasetChangedError), `seen.series` (SKU -> updatedAt
   * as read) as an update's seen is (SeriesChangedError). Refused, nothing is enqueued. The dataset
   * itself is not written (its updatedAt stays): jobs are no part of what another write compares.
   */
  enqueueIfUnchanged(
    datasetId: string,
    jobs: NewJob[],
    enqueue: EnqueueOptions,
    seen: { settings: DatasetSettings; series: Record<string, number> },
  ): Promise<EnqueueResult>;
  /**
   * Stores new settings with the jobs planned for them, atomically. `seen`: the dataset's updatedAt
   * as the plan read it (every write of the dataset raises it); if it is another now (an append, an
   * edit or a settings change landed since), DatasetChangedError and nothing written.
   * `cancelOpen`: cancel the dataset's pending and running jobs first, in the same transaction (a
   * method change: the old method's jobs are stale, and the new ones do not supersede them),
   * counted as `cancelled`; `enqueue` is the jobs' EnqueueResult (null without jobs).
   */
  updateSettings(
    datasetId: string,
    settings: DatasetSettings,
    jobs: NewJob[] | null,
    enqueue: EnqueueOptions | null,
    options?: { seen?: number; cancelOpen?: boolean },
  ): Promise<{ enqueue: EnqueueResult | null; cancelled: number }>;

  /** A planner's choice of model for a SKU (null clears it). */
  setOverride(datasetId: string, sku: string, modelId: string | null): Promise<void>;
  getOverrides(datasetId: string): Promise<Record<string, string>>;
  /** Newest completed job per (sku, model) of the dataset, with its result. */
  latestResults(datasetId: string, skus?: string[]): Promise<ModelResult[]>;
  /**
   * Per (sku, model) of the dataset, its newest completed job (the one latestResults reads) and
   * every pending or running job, by input hash and without results: what a settings change
   * compares its plan with, so it queues only the work that no result or open job covers.
   */
  workInputs(datasetId: string): Promise<WorkInput[]>;
  /**
   * For the SKUs named only (an export's page of SKUs without a forecast), the newest job per
   * (sku, model, method), whatever its status, and every pending or running job: no settings, no result.
   */
  jobFates(datasetId: string, skus: string[]): Promise<JobFate[]>;
}
