import type { EnqueueOptions, EnqueueResult, NewJob } from '../../queue/job.js';
import { emptyEnqueueResult, jobInsertValues } from '../enqueue-values.js';
import type { PgContext, Queryable } from './postgres-context.js';

/**
 * enqueue inside the caller's transaction (enqueue itself, createDataset, updateSeries...).
 * The whole batch is one INSERT over arrays (reuse decided in the same statement), then one
 * set-based supersede over the batch's ids: a few round trips whatever the batch size.
 * Enqueues of one schema take turns (the advisory lock in job-enqueue.sql) so they supersede each
 * other as on SQLite. Without supersede there is nothing to do after the INSERT, so `client` may be
 * the pool: the one statement is its own transaction (one round trip for enqueue()).
 */
export async function enqueueInTransaction(
  ctx: PgContext, client: Queryable, jobs: NewJob[], options: EnqueueOptions,
): Promise<EnqueueResult> {
  const result = emptyEnqueueResult(options);
  if (jobs.length === 0) return result;
  const now = ctx.now();
  const columns = {
    datasetIds: [] as Array<string | null>, skus: [] as string[], modelIds: [] as string[], methods: [] as string[],
    reasons: [] as string[], priorities: [] as number[], maxAttempts: [] as number[], settings: [] as string[],
    inputHashes: [] as Array<string | null>,
  };
  const valuesOf = jobInsertValues();
  for (const job of jobs) {
    const { maxAttempts, settingsText } = valuesOf(job);
    columns.datasetIds.push(job.datasetId);
    columns.skus.push(job.sku);
    columns.modelIds.push(job.modelId);
    columns.methods.push(job.method);
    columns.reasons.push(job.reason);
    columns.priorities.push(job.priority);
    columns.maxAttempts.push(maxAttempts);
    columns.settings.push(settingsText);
    columns.inputHashes.push(job.inputHash ?? null);
  }
  const inserted = await ctx.run<{ id: number; status: string }>(
    'job-enqueue', { ...columns, batchId: options.batchId, now, reuse: options.reuse ?? true }, client,
  );
  const ids = inserted.rows.map((r) => r.id);
  result.jobsCreated = ids.length;
  result.jobsReused = inserted.rows.filter((r) => r.status === 'completed').length;
  result.firstId = ids.reduce((a, b) => Math.min(a, b));
  result.lastId = ids.reduce((a, b) => Math.max(a, b));
  if (options.supersede ?? true) {
    result.jobsCancelled = (await ctx.run('job-supersede', { ids, now }, client)).rowCount ?? 0;
  }
  return result;
}

/** An enqueue this large changes the jobs table enough to refresh the planner's statistics at once. */
const analyzeAfter = 10_000;

/** After the enqueue's transaction committed: ANALYZE when it was large (best effort, not awaited). */
export function analyzeAfterLargeEnqueue(ctx: PgContext, jobs: number): void {
  if (jobs >= analyzeAfter) void ctx.run('job-analyze').catch(() => undefined);
}
