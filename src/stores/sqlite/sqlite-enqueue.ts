import type { EnqueueOptions, EnqueueResult, NewJob } from '../../queue/job.js';
import type { SqliteContext } from './sqlite-context.js';

/**
 * enqueue inside the caller's transaction (enqueue itself, createDataset, updateSeries...).
 * Per job: look up a reusable result by input hash, insert, then supersede older jobs for the
 * same work. Prepared statements in one transaction keep 50,000 jobs well under a second.
 */
export function enqueueInTransaction(ctx: SqliteContext, jobs: NewJob[], options: EnqueueOptions): EnqueueResult {
  const supersede = options.supersede ?? true;
  const reuse = options.reuse ?? true;
  const now = ctx.now();
  const insert = ctx.stmt('job-enqueue');
  const findReusable = ctx.stmt('job-find-reusable');
  const supersedeOlder = ctx.stmt('job-supersede');
  const result: EnqueueResult = {
    batchId: options.batchId, jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, firstId: null, lastId: null,
  };
  // Jobs of one request usually share one settings object: serialize it once.
  let lastSettings: unknown = undefined;
  let lastSettingsText = '{}';
  for (const job of jobs) {
    const settings = job.settings ?? {};
    if (settings !== lastSettings) {
      lastSettings = settings;
      lastSettingsText = JSON.stringify(settings);
    }
    const maxAttempts = job.maxAttempts ?? 3;
    if (!Number.isInteger(job.priority)) throw new RangeError(`job priority must be an integer: ${job.priority}`);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be >= 1: ${maxAttempts}`);
    const inputHash = job.inputHash ?? null;
    const cached = reuse && inputHash !== null
      ? (findReusable.get({ inputHash }) as { id: number; result: string | null } | undefined)
      : undefined;
    const info = insert.run({
      batchId: options.batchId,
      datasetId: job.datasetId,
      sku: job.sku,
      modelId: job.modelId,
      method: job.method,
      reason: job.reason,
      priority: job.priority,
      status: cached ? 'completed' : 'pending',
      progress: cached ? 100 : 0,
      maxAttempts,
      result: cached ? cached.result : null,
      settings: lastSettingsText,
      inputHash,
      now,
      startedAt: cached ? now : null,
      finishedAt: cached ? now : null,
    });
    const id = Number(info.lastInsertRowid);
    result.jobsCreated++;
    if (cached) result.jobsReused++;
    result.firstId ??= id;
    result.lastId = id;
    if (supersede) {
      result.jobsCancelled += supersedeOlder.run({
        newId: id, now, datasetId: job.datasetId, sku: job.sku, modelId: job.modelId, method: job.method,
      }).changes;
    }
  }
  return result;
}

/** The wake-ups an enqueue result calls for, once its transaction has committed. */
export function wakeAfterEnqueue(ctx: SqliteContext, result: EnqueueResult | null): void {
  if (!result) return;
  if (result.jobsCreated > result.jobsReused) ctx.wake('jobs');
  if (result.jobsCancelled > 0) ctx.wake('cancel');
}
