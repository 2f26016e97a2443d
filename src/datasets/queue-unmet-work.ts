import { randomUUID } from 'node:crypto';
import type { Store } from '../stores/store.js';
import type { Dataset } from './dataset.js';
import { planUnmetWork } from './unmet-work.js';
import { withFreshDataset } from './with-fresh-dataset.js';

/**
 * What a dataset's current settings and series call for that neither a result nor an open job
 * covers: the SKUs whose shown forecast was made with other settings or data (or that have none),
 * and nothing is queued to bring them up to date. A settings change whose batch was cancelled
 * leaves the dataset so (some SKUs forecast with the new horizon, the rest with the old), as do
 * cancelled edits and failed jobs. `jobs` counts (SKU, model) pairs; SKUs too short for a model
 * are not counted (the planner queues nothing for them).
 *
 * Reads every series and the dataset's work inputs and hashes the plan, as a settings change does
 * (about what planning an import costs): asked when a page opens and when the queue goes idle.
 */
export interface UnmetWork {
  skus: number;
  jobs: number;
  /** Up to 5 of those SKUs, in SKU order. */
  examples: string[];
}

async function planned(store: Store, dataset: Dataset) {
  const [series, existing] = await Promise.all([store.getSeriesMany(dataset.id), store.workInputs(dataset.id)]);
  return planUnmetWork(dataset, series, existing, dataset.settings, { inputsChanged: false, addedModels: [] }, 'manual_trigger').unmet;
}

function summarise(jobs: Array<{ sku: string }>): UnmetWork {
  const skus = [...new Set(jobs.map((j) => j.sku))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { skus: skus.length, jobs: jobs.length, examples: skus.slice(0, 5) };
}

export async function unmetWorkOf(store: Store, dataset: Dataset): Promise<UnmetWork> {
  return summarise(await planned(store, dataset));
}

/**
 * Queues that work (reason manual_trigger), and only it: "bring this dataset up to its settings"
 * in one click after a cancelled settings change, where "Retry all failed" leaves cancelled jobs
 * out and a retry of each cancelled job would run superseded work again. Stored with the dataset's
 * settings as they are, in the settings' transaction (DatasetStore.updateSettings, its `seen`
 * fence): an edit or a settings change that lands after the plan was read refuses the write and
 * it is planned again, so these jobs can never supersede newer work with stale input.
 */
export async function queueUnmetWork(store: Store, dataset: Dataset): Promise<UnmetWork & { batchId: string | null; jobsCreated: number; jobsReused: number }> {
  return withFreshDataset(store, dataset, 'unmet-work', async (dataset) => {
    const jobs = await planned(store, dataset);
    if (jobs.length === 0) return { ...summarise(jobs), batchId: null, jobsCreated: 0, jobsReused: 0 };
    const batchId = randomUUID();
    const { enqueue } = await store.updateSettings(dataset.id, dataset.settings, jobs, { batchId }, { seen: dataset.updatedAt });
    return { ...summarise(jobs), batchId, jobsCreated: enqueue?.jobsCreated ?? 0, jobsReused: enqueue?.jobsReused ?? 0 };
  });
}
