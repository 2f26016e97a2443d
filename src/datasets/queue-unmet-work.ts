import { randomUUID } from 'node:crypto';
import type { Store } from '../stores/store.js';
import type { Dataset } from './dataset.js';
import { planUnmetWork } from './unmet-work.js';
import { withFreshDataset } from './with-fresh-dataset.js';

/**
 * What a dataset's current settings and series call for that neither a result nor an open job
 * covers, with nothing queued to bring it up to date, by (SKU, model), told apart by what the SKU
 * has of that model (classifyUnmetWork):
 * - `outOfDate`: a forecast made with other settings or data. A settings change whose batch was
 *   cancelled leaves the dataset so (some SKUs forecast with the new horizon, the rest with the
 *   old), as do cancelled edits.
 * - `neverRan`: no forecast at all (an import with createJobs=false, a cancelled first run).
 * - `failed`: the newest attempt at exactly this input failed: queuing it again would fail again,
 *   so it is left to "Retry failed" and out of the click.
 * `skus`, `jobs` and `examples` at the top are what the click queues: outOfDate and neverRan.
 * SKUs too short for a model are not counted (the planner queues nothing for them).
 *
 * Reads every series and the dataset's work inputs and hashes the plan, as a settings change does
 * (about what planning an import costs): asked when a page opens and when the queue goes idle.
 */
export interface UnmetCount {
  skus: number;
  /** (SKU, model) pairs. */
  jobs: number;
  /** Up to 5 of those SKUs, in SKU order. */
  examples: string[];
}

export interface UnmetWork extends UnmetCount {
  outOfDate: UnmetCount;
  neverRan: UnmetCount;
  failed: UnmetCount;
}

async function planned(store: Store, dataset: Dataset) {
  const [series, existing] = await Promise.all([store.getSeriesMany(dataset.id), store.workInputs(dataset.id)]);
  const { classified } = planUnmetWork(dataset, series, existing, dataset.settings, { inputsChanged: false, addedModels: [] }, 'manual_trigger');
  return { ...classified, queueable: [...classified.outOfDate, ...classified.neverRan] };
}

function count(jobs: Array<{ sku: string }>): UnmetCount {
  const skus = [...new Set(jobs.map((j) => j.sku))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { skus: skus.length, jobs: jobs.length, examples: skus.slice(0, 5) };
}

function summarise(jobs: Awaited<ReturnType<typeof planned>>): UnmetWork {
  return { ...count(jobs.queueable), outOfDate: count(jobs.outOfDate), neverRan: count(jobs.neverRan), failed: count(jobs.failed) };
}

export async function unmetWorkOf(store: Store, dataset: Dataset): Promise<UnmetWork> {
  return summarise(await planned(store, dataset));
}

/**
 * Queues that work (reason manual_trigger), the out-of-date and never-ran part, and only it: "bring this dataset up to its settings"
 * in one click after a cancelled settings change, where "Retry all failed" leaves cancelled jobs
 * out and a retry of each cancelled job would run superseded work again. Stored with the dataset's
 * settings as they are, in the settings' transaction (DatasetStore.updateSettings, its `seen`
 * fence): an edit or a settings change that lands after the plan was read refuses the write and
 * it is planned again, so these jobs can never supersede newer work with stale input.
 */
export async function queueUnmetWork(store: Store, dataset: Dataset): Promise<UnmetWork & { batchId: string | null; jobsCreated: number; jobsReused: number }> {
  // A conflict (409) names `id`, the dataset that kept changing: the request has no field to name.
  return withFreshDataset(store, dataset, 'id', async (dataset) => {
    const unmet = await planned(store, dataset);
    const jobs = unmet.queueable;
    if (jobs.length === 0) return { ...summarise(unmet), batchId: null, jobsCreated: 0, jobsReused: 0 };
    const batchId = randomUUID();
    // updateSettings with the settings unchanged, for its `seen` fence alone: it rewrites the same
    // settings and bumps the dataset's updatedAt (a concurrent settings change or edit planned from
    // the old updatedAt is then planned again, which is harmless). Acceptable for now; a dedicated
    // fenced enqueue (as POST /api/jobs form b's enqueueIfUnchanged, fenced on the settings and the
    // series seen) would not touch the dataset row.
    const { enqueue } = await store.updateSettings(dataset.id, dataset.settings, jobs, { batchId }, { seen: dataset.updatedAt });
    return { ...summarise(unmet), batchId, jobsCreated: enqueue?.jobsCreated ?? 0, jobsReused: enqueue?.jobsReused ?? 0 };
  });
}
