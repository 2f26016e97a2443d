import type { NewJob } from '../queue/job.js';
import type { JobReason } from '../queue/job-state.js';
import type { Dataset, DatasetSettings, SeriesRecord, WorkInput } from './dataset.js';
import { planJobs } from './job-planner.js';

/**
 * Which jobs of a plan are not covered yet: a settings change queues these, and only these, so the
 * dataset ends with a result or an open job for every (SKU, model) of its settings, whatever ran
 * before (an import without jobs, a model enabled then disabled, a failed job), and nothing twice.
 *
 * A planned job with an input hash is covered when an open job for its work (same SKU, model and
 * method) has that hash, or, with no open job for its work, when the newest completed job of its
 * (SKU, model), the forecast shown, has it. An open job with another hash is stale: the planned job
 * goes in and supersedes it. A job without a hash (a seasonal model borrowing the dataset's pooled
 * yearly profile) cannot be compared: it is covered by an open job or a result of its method unless
 * the change altered every input (`inputsChanged`) or enabled its model (`addedModels`).
 *
 * `existing` is DatasetStore.workInputs; open jobs the caller is about to cancel must be left out.
 */
export function unmetWork(
  planned: NewJob[],
  existing: WorkInput[],
  change: { inputsChanged: boolean; addedModels: string[] },
): NewJob[] {
  const key = (sku: string, modelId: string) => JSON.stringify([sku, modelId]);
  const results = new Map<string, WorkInput>();
  const open = new Map<string, WorkInput[]>();
  for (const work of existing) {
    const k = key(work.sku, work.modelId);
    if (work.status === 'completed') results.set(k, work);
    else {
      const jobs = open.get(k);
      if (jobs) jobs.push(work);
      else open.set(k, [work]);
    }
  }
  const added = new Set(change.addedModels);
  return planned.filter((job) => {
    const k = key(job.sku, job.modelId);
    const openJobs = (open.get(k) ?? []).filter((w) => w.method === job.method);
    const result = results.get(k);
    const hash = job.inputHash ?? null;
    if (hash === null) {
      if (change.inputsChanged || added.has(job.modelId)) return true;
      return openJobs.length === 0 && result?.method !== job.method;
    }
    if (openJobs.length > 0) return !openJobs.some((w) => w.inputHash === hash);
    return result?.inputHash !== hash;
  });
}

/**
 * Every (SKU, model) of `settings` planned for these series, and of it what `existing` does not
 * cover (unmetWork).
 */
export function planUnmetWork(
  dataset: Dataset,
  series: SeriesRecord[],
  existing: WorkInput[],
  settings: DatasetSettings,
  change: { inputsChanged: boolean; addedModels: string[] },
  reason: JobReason,
): { unmet: NewJob[]; planned: NewJob[]; skipped: number } {
  const planned = planJobs({ dataset: { ...dataset, settings }, series, models: settings.models, method: settings.method, reason });
  return { unmet: unmetWork(planned.jobs, existing, change), planned: planned.jobs, skipped: planned.skipped.length };
}
