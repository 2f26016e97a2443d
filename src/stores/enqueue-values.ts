import type { EnqueueOptions, EnqueueResult, NewJob } from '../queue/job.js';

/** Attempts a job gets when its NewJob does not say. */
export const defaultMaxAttempts = 3;

/** What an enqueue reports before it has inserted anything. */
export function emptyEnqueueResult(options: EnqueueOptions): EnqueueResult {
  return { batchId: options.batchId, jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, firstId: null, lastId: null };
}

/** A job without settings: one object, so a batch of them serializes '{}' once, not once a job. */
const noSettings = {};

/**
 * The checks and defaults of enqueue that are not SQL, the same on both adapters: returns a
 * function giving each job's maxAttempts and settings text, or throwing on a bad priority or
 * maxAttempts. Jobs of one request usually share one settings object: it is serialized once.
 */
export function jobInsertValues(): (job: NewJob) => { maxAttempts: number; settingsText: string } {
  let lastSettings: unknown = undefined;
  let lastSettingsText = '{}';
  return (job) => {
    const settings = job.settings ?? noSettings;
    if (settings !== lastSettings) {
      lastSettings = settings;
      lastSettingsText = JSON.stringify(settings);
    }
    const maxAttempts = job.maxAttempts ?? defaultMaxAttempts;
    if (!Number.isInteger(job.priority)) throw new RangeError(`job priority must be an integer: ${job.priority}`);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be >= 1: ${maxAttempts}`);
    return { maxAttempts, settingsText: lastSettingsText };
  };
}

const bySku = (a: NewJob, b: NewJob) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/**
 * Whether `job` goes in the same run as `first`: alike in everything but SKU, model and input
 * hash (dataset, priority, method, reason, attempts, settings), as one import's or one request's
 * jobs are. Settings are compared as JSON only when they are not the same object.
 */
function sameRun(first: NewJob, job: NewJob): boolean {
  if (job.datasetId !== first.datasetId || job.priority !== first.priority || job.method !== first.method
    || job.reason !== first.reason || (job.maxAttempts ?? defaultMaxAttempts) !== (first.maxAttempts ?? defaultMaxAttempts)) return false;
  const a = first.settings ?? noSettings;
  const b = job.settings ?? noSettings;
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A batch in inKeyOrder, and how many runs it has (one: every job alike but for SKU, model and hash). */
export interface KeyOrder {
  jobs: NewJob[];
  runs: number;
}

/**
 * The order a batch's jobs are inserted in, so given ids and turns: within each run of consecutive
 * jobs alike in all but SKU, model and input hash (sameRun), by SKU in code-unit order, stably (a
 * SKU's jobs keep their order, so a later copy of the same work stays later and supersedes the
 * earlier). Jobs made in one enqueue share their creation time and have no order of their own to
 * keep; runs keep theirs, and a run stays one run (on SQLite one multi-row statement per 2,048 of
 * its rows). In SKU order the indexes keyed by SKU (`jobs_work`, `jobs_sku`) are written near the
 * previous row, not at a page picked at random for each one: a fifth less time for a 50,000-job
 * batch of unsorted SKUs on SQLite (docs/deploy.md). A batch already in order comes back as it is.
 */
export function inKeyOrder(jobs: NewJob[]): KeyOrder {
  let ordered: NewJob[] | null = null;
  let runs = 0;
  let start = 0;
  let sorted = true;
  for (let i = 1; i <= jobs.length; i++) {
    const job = jobs[i];
    if (job !== undefined && sameRun(jobs[start], job)) {
      if (sorted && job.sku < jobs[i - 1].sku) sorted = false;
      continue;
    }
    if (!sorted) {
      ordered ??= jobs.slice();
      const run = jobs.slice(start, i).sort(bySku);
      for (let k = 0; k < run.length; k++) ordered[start + k] = run[k];
    }
    runs++;
    start = i;
    sorted = true;
  }
  return { jobs: ordered ?? jobs, runs };
}
