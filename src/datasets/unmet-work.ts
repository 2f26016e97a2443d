import type { NewJob } from '../queue/job.js';
import type { JobReason } from '../queue/job-state.js';
import type { Dataset, DatasetSettings, SeriesRecord, WorkInput } from './dataset.js';
import { planJobs } from './job-planner.js';
import { isDeepStrictEqual } from 'node:util';

/**
 * Which jobs of a plan are not covered yet: a settings change queues these, and only these, so the
 * dataset ends with a result or an open job for every (SKU, model) of its settings, whatever ran
 * before (an import without jobs, a model enabled then disabled, a failed job), and nothing twice.
 *
 * A planned job with an input hash is covered when an open job for its work (same SKU, model and
 * method) has that hash, or, with no open job for its work, when the newest completed job of its
 * (SKU, model), the forecast shown, has it. An open job with another hash is stale: the planned job
 * goes in and supersedes it.
 *
 * A job without a hash (a seasonal model on a SKU under two years, which may borrow the dataset's
 * pooled yearly profile) cannot be compared by hash. It is covered by an open job of its method, or
 * the newest result of its (SKU, model) of its method, frozen with the same settings (horizon,
 * holdout, metric, interval levels, frequency) and created no earlier than its series last changed
 * (a job reads its series when it runs). Unless the change altered every input (`inputsChanged`)
 * or enabled its model (`addedModels`): then it is planned again. Counting any result of its method
 * as covering it hid every short SKU from the unmet-work notice after a cancelled horizon change.
 *
 * `existing` is DatasetStore.workInputs; open jobs the caller is about to cancel must be left out.
 * `seriesUpdatedAt` is each SKU's SeriesRecord.updatedAt.
 */
export function unmetWork(
  planned: NewJob[],
  existing: WorkInput[],
  change: { inputsChanged: boolean; addedModels: string[] },
  seriesUpdatedAt: ReadonlyMap<string, number> = new Map(),
): NewJob[] {
  return classifyUnmetWork(planned, existing, change, seriesUpdatedAt).all;
}

/**
 * unmetWork, each job told apart by what the SKU has: `outOfDate`, a result of that model made
 * with other settings or data; `neverRan`, no result of it; `failed`, of either, the ones whose
 * newest attempt at exactly this input failed (newer than any result): queuing them again would
 * fail again, so the unmet-work click leaves them to "Retry failed".
 */
export function classifyUnmetWork(
  planned: NewJob[],
  existing: WorkInput[],
  change: { inputsChanged: boolean; addedModels: string[] },
  seriesUpdatedAt: ReadonlyMap<string, number> = new Map(),
): { all: NewJob[]; outOfDate: NewJob[]; neverRan: NewJob[]; failed: NewJob[] } {
  const key = (sku: string, modelId: string) => JSON.stringify([sku, modelId]);
  const results = new Map<string, WorkInput>();
  const failures = new Map<string, WorkInput>();
  const open = new Map<string, WorkInput[]>();
  for (const work of existing) {
    const k = key(work.sku, work.modelId);
    if (work.status === 'completed') results.set(k, work);
    else if (work.status === 'failed') failures.set(JSON.stringify([work.sku, work.modelId, work.method]), work);
    else {
      const jobs = open.get(k);
      if (jobs) jobs.push(work);
      else open.set(k, [work]);
    }
  }
  const added = new Set(change.addedModels);
  /** Whether `work` was asked for exactly the input of `job`. */
  const sameInput = (job: NewJob, work: WorkInput | undefined): boolean => {
    if (!work || work.method !== job.method) return false;
    const hash = job.inputHash ?? null;
    if (hash !== null) return work.inputHash === hash;
    if (work.inputHash !== null || change.inputsChanged || added.has(job.modelId)) return false;
    // Two clocks: createdAt is the enqueuing process's, the series' updatedAt the editing one's.
    // SQLite's processes share one machine's; on PostgreSQL hosts may disagree (docs/datasets.md).
    return sameSettings(work.settings, job.settings ?? {}) && work.createdAt >= (seriesUpdatedAt.get(job.sku) ?? -Infinity);
  };
  const out = { all: [] as NewJob[], outOfDate: [] as NewJob[], neverRan: [] as NewJob[], failed: [] as NewJob[] };
  for (const job of planned) {
    const k = key(job.sku, job.modelId);
    const openJobs = (open.get(k) ?? []).filter((w) => w.method === job.method);
    const result = results.get(k);
    const covered = openJobs.length > 0
      ? openJobs.some((w) => (job.inputHash == null ? sameInput(job, { ...w, createdAt: Infinity }) : sameInput(job, w)))
      : sameInput(job, result);
    if (covered) continue;
    out.all.push(job);
    const failure = failures.get(JSON.stringify([job.sku, job.modelId, job.method]));
    if (sameInput(job, failure) && (!result || failure!.jobId > result.jobId)) out.failed.push(job);
    else if (result) out.outOfDate.push(job);
    else out.neverRan.push(job);
  }
  return out;
}

/** The settings a result depends on (inputHash names the same), compared as frozen on two jobs. */
function sameSettings(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return (['horizon', 'holdout', 'metric', 'intervalLevels', 'frequency'] as const).every((name) => isDeepStrictEqual(a[name] ?? null, b[name] ?? null));
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
): { unmet: NewJob[]; classified: ReturnType<typeof classifyUnmetWork>; planned: NewJob[]; skipped: number } {
  const planned = planJobs({ dataset: { ...dataset, settings }, series, models: settings.models, method: settings.method, reason });
  const classified = classifyUnmetWork(planned.jobs, existing, change, new Map(series.map((s) => [s.sku, s.updatedAt])));
  return { unmet: classified.all, classified, planned: planned.jobs, skipped: planned.skipped.length };
}
