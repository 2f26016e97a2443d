import type { EnqueueOptions, EnqueueResult, NewJob } from '../queue/job.js';

/** Attempts a job gets when its NewJob does not say. */
export const defaultMaxAttempts = 3;

/** What an enqueue reports before it has inserted anything. */
export function emptyEnqueueResult(options: EnqueueOptions): EnqueueResult {
  return { batchId: options.batchId, jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, firstId: null, lastId: null };
}

/**
 * The checks and defaults of enqueue that are not SQL, the same on both adapters: returns a
 * function giving each job's maxAttempts and settings text, or throwing on a bad priority or
 * maxAttempts. Jobs of one request usually share one settings object: it is serialized once.
 */
export function jobInsertValues(): (job: NewJob) => { maxAttempts: number; settingsText: string } {
  let lastSettings: unknown = undefined;
  let lastSettingsText = '{}';
  return (job) => {
    const settings = job.settings ?? {};
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
