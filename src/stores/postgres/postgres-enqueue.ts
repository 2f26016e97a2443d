import type { EnqueueOptions, EnqueueResult, NewJob } from '../../queue/job.js';
import { emptyEnqueueResult, jobInsertValues } from '../enqueue-values.js';
import type { PgContext, Queryable } from './postgres-context.js';
import { pgArrayLiteral } from './pg-array-literal.js';

/**
 * enqueue inside the caller's transaction (enqueue itself, createDataset, updateSeries...).
 * The whole batch is one INSERT over arrays (reuse decided in the same statement), then one
 * set-based supersede over the batch's ids: a few round trips whatever the batch size.
 * Enqueues of one schema take turns (the advisory lock of job-enqueue-lock.sql, held to the end of
 * the caller's transaction) so they supersede each other as on SQLite, and so that the datasets'
 * turns read under it (job-turn-bases.sql) stay true until the batch is in. `newDatasetId` is for
 * a dataset's first jobs (enqueueNewDatasetJobs): the lock is taken once they are in, and the
 * batch is settled under it.
 */
export async function enqueueInTransaction(
  ctx: PgContext, client: Queryable, jobs: NewJob[], options: EnqueueOptions, newDatasetId: string | null = null,
): Promise<EnqueueResult> {
  const result = emptyEnqueueResult(options);
  if (jobs.length === 0) return result;
  const now = ctx.now();
  const columns = {
    datasetIds: [] as Array<string | null>, skus: [] as string[], modelIds: [] as string[], methods: [] as string[],
    reasons: [] as string[], priorities: [] as number[], maxAttempts: [] as number[], settings: [] as string[],
    inputHashes: [] as Array<string | null>, turns: [] as number[],
  };
  const valuesOf = jobInsertValues();
  for (const job of jobs) valuesOf(job); // refuse a bad job before taking the lock
  // Both set the enqueue's work_mem and jit for the transaction; the lock in the same round trip.
  if (newDatasetId === null) await ctx.run('job-enqueue-lock', {}, client);
  else await ctx.run('job-enqueue-settings', {}, client);
  const turns = await datasetTurns(ctx, client, jobs, now);
  for (const job of jobs) {
    const { maxAttempts, settingsText } = valuesOf(job);
    columns.turns.push(turns.next(job));
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
  const literals = Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, pgArrayLiteral(values)]));
  const inserted = await ctx.run<{ id: number; status: string }>(
    'job-enqueue', { ...literals, batchId: options.batchId, now, reuse: options.reuse ?? true }, client,
  );
  const ids = inserted.rows.map((r) => r.id);
  // A dataset's first jobs take the lock now, before writing anything another enqueue can wait
  // for: an enqueue of the same dataset and priority holding the lock saves the same job_turns
  // row, so saving it first would make each wait for the other (40P01, postgres-locking.test.ts).
  if (newDatasetId !== null) await ctx.run('job-enqueue-lock', {}, client);
  result.jobsCreated = ids.length;
  result.jobsReused = inserted.rows.filter((r) => r.status === 'completed').length;
  await turns.save(result.jobsReused > 0 ? ids : null);
  result.firstId = ids.reduce((a, b) => Math.min(a, b));
  result.lastId = ids.reduce((a, b) => Math.max(a, b));
  if ((options.supersede ?? true) && newDatasetId !== null) {
    result.jobsCancelled = (await ctx.run('job-supersede-dataset', { datasetId: newDatasetId, now }, client)).rowCount ?? 0;
  } else if (options.supersede ?? true) {
    result.jobsCancelled = (await ctx.run('job-supersede', {
      ids: pgArrayLiteral(ids), firstId: result.firstId, lastId: result.lastId, now,
    }, client)).rowCount ?? 0;
    // Superseding may have given jobs of the batch the earlier turns of the ones they replaced: the
    // saved last turn must be one that still waits, or the dataset's next batch would start at the
    // queue's head beside its own waiting jobs (two turns to every other dataset's one).
    if (result.jobsCancelled > 0) await turns.save(ids);
  }
  return result;
}

/**
 * The turns of one batch, per (dataset, priority) group: the first from job-turn-bases.sql, then
 * consecutive within the group; saved once per group when the batch is in.
 */
async function datasetTurns(ctx: PgContext, client: Queryable, jobs: NewJob[], now: number) {
  const keyOf = (job: NewJob) => `${job.priority}\u0000${job.datasetId ?? ''}`;
  const groups = new Map<string, { datasetKey: string; priority: number; next: number }>();
  for (const job of jobs) {
    const key = keyOf(job);
    if (!groups.has(key)) groups.set(key, { datasetKey: job.datasetId ?? '', priority: job.priority, next: 0 });
  }
  const list = [...groups.values()];
  const { rows } = await ctx.run<{ dataset_key: string; priority: number; base: number }>('job-turn-bases', {
    datasetKeys: list.map((g) => g.datasetKey), priorities: list.map((g) => g.priority), now,
  }, client);
  for (const row of rows) groups.get(`${row.priority}\u0000${row.dataset_key}`)!.next = Number(row.base);
  const saveTurns = (saved: Array<{ datasetKey: string; priority: number; lastTurn: number }>) => ctx.run('job-turn-save', {
    datasetKeys: saved.map((g) => g.datasetKey), priorities: saved.map((g) => g.priority), lastTurns: saved.map((g) => g.lastTurn),
  }, client);
  return {
    next: (job: NewJob) => groups.get(keyOf(job))!.next++,
    /**
     * Once the batch is in. When reuse completed some of it, or superseding gave some of it
     * earlier turns (`batchIds`: the batch's ids), each group saves its last waiting turn instead
     * (job-turn-pending.sql), a group with none nothing.
     */
    async save(batchIds: number[] | null) {
      if (!batchIds) return saveTurns(list.map((g) => ({ datasetKey: g.datasetKey, priority: g.priority, lastTurn: g.next - 1 })));
      const { rows } = await ctx.run<{ dataset_key: string; priority: number; last_turn: string | number }>(
        'job-turn-pending', { ids: batchIds }, client,
      );
      return saveTurns(rows.map((r) => ({ datasetKey: r.dataset_key, priority: r.priority, lastTurn: Number(r.last_turn) })));
    },
  };
}

/**
 * The jobs of a dataset created in the same transaction (createDataset), without holding the
 * enqueue lock across their INSERT: a 100,000-job import held it for its whole insert, and every
 * other enqueue and requeue (a planner's one-SKU edit) waited behind it.
 * Why the lock is not needed until the jobs are in: it serializes batches that may be for the same
 * work, so the later one sees the earlier one committed and supersedes it (job-supersede.sql), and
 * requeue with enqueue. Every job here is of a dataset no other transaction can see yet; an
 * enqueue or requeue that names it anyway is settled once the jobs are in: the lock is taken then,
 * and job-supersede-dataset.sql keeps the newest active job of each piece of work of the dataset,
 * whichever transaction made it. Whatever committed before the lock was granted is seen by it;
 * whatever comes after waits for the commit and sees these jobs (an enqueue's ids, drawn under the
 * lock, are then newer; a requeue finds the newer job and leaves the old one). The turns are read
 * without the lock (the dataset's own are new, and the queue's head only moves forward) and saved
 * under it: nothing is written before the lock but rows no other transaction can see or wait for.
 * Jobs of other datasets, or none, take the usual path.
 */
export async function enqueueNewDatasetJobs(
  ctx: PgContext, client: Queryable, datasetId: string, jobs: NewJob[], options: EnqueueOptions,
): Promise<EnqueueResult> {
  if (jobs.some((job) => job.datasetId !== datasetId)) return enqueueInTransaction(ctx, client, jobs, options);
  return enqueueInTransaction(ctx, client, jobs, options, datasetId);
}

/** An enqueue this large changes the jobs table enough to refresh the planner's statistics at once. */
const analyzeAfter = 10_000;

/** After the enqueue's transaction committed: ANALYZE when it was large (best effort, not awaited). */
export function analyzeAfterLargeEnqueue(ctx: PgContext, jobs: number): void {
  if (jobs >= analyzeAfter) void ctx.run('job-analyze').catch(() => undefined);
}
