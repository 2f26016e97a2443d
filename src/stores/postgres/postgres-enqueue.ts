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
 * turns read under it (job-turn-bases.sql) stay true until the batch is in. The lock is taken by
 * the jobs' statements, the last of an import's transaction: the series go in before it.
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
    inputHashes: [] as Array<string | null>, turns: [] as number[],
  };
  const valuesOf = jobInsertValues();
  for (const job of jobs) valuesOf(job); // refuse a bad job before taking the lock
  await ctx.run('job-enqueue-lock', {}, client);
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
  result.jobsCreated = ids.length;
  result.jobsReused = inserted.rows.filter((r) => r.status === 'completed').length;
  await turns.save(result.jobsReused > 0 ? ids : null);
  result.firstId = ids.reduce((a, b) => Math.min(a, b));
  result.lastId = ids.reduce((a, b) => Math.max(a, b));
  if (options.supersede ?? true) {
    result.jobsCancelled = (await ctx.run('job-supersede', { ids: pgArrayLiteral(ids), now }, client)).rowCount ?? 0;
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
     * Once the batch is in. When reuse completed some of it (`reusedIds`: the batch's ids), each
     * group saves its last waiting turn instead (job-turn-pending.sql), a group with none nothing.
     */
    async save(reusedIds: number[] | null) {
      if (!reusedIds) return saveTurns(list.map((g) => ({ datasetKey: g.datasetKey, priority: g.priority, lastTurn: g.next - 1 })));
      const { rows } = await ctx.run<{ dataset_key: string; priority: number; last_turn: string | number }>(
        'job-turn-pending', { ids: reusedIds }, client,
      );
      return saveTurns(rows.map((r) => ({ datasetKey: r.dataset_key, priority: r.priority, lastTurn: Number(r.last_turn) })));
    },
  };
}

/** An enqueue this large changes the jobs table enough to refresh the planner's statistics at once. */
const analyzeAfter = 10_000;

/** After the enqueue's transaction committed: ANALYZE when it was large (best effort, not awaited). */
export function analyzeAfterLargeEnqueue(ctx: PgContext, jobs: number): void {
  if (jobs >= analyzeAfter) void ctx.run('job-analyze').catch(() => undefined);
}
