import type { EnqueueOptions, EnqueueResult, NewJob } from '../../queue/job.js';
import { emptyEnqueueResult, inKeyOrder, jobInsertValues } from '../enqueue-values.js';
import type { PgContext, Queryable } from './postgres-context.js';
import { pgArrayLiteral } from './pg-array-literal.js';
import { runCancellable } from './cancellable-statement.js';

/**
 * enqueue in the caller's transaction or, with the pool as `on`, as one autocommit statement of
 * its own (a plain enqueue: one round trip in all, where BEGIN, lock, turns, INSERT, turn save,
 * supersede and COMMIT took seven). The work is enqueue_jobs (migrations/021_enqueue_shared_fields.sql):
 * enqueues of one schema take turns on its advisory lock, held to the end of the transaction, so
 * they supersede each other as on SQLite and the datasets' turns read under it stay true until the
 * batch is in. `newDatasetId` is for a dataset's first jobs (enqueueNewDatasetJobs): the lock is
 * taken once they are in, and the batch is settled under it.
 */
export async function enqueueInTransaction(
  ctx: PgContext, on: Queryable, batch: NewJob[], options: EnqueueOptions, newDatasetId: string | null = null,
): Promise<EnqueueResult> {
  const result = emptyEnqueueResult(options);
  if (batch.length === 0) return result;
  const { jobs } = inKeyOrder(batch);
  const columns = {
    groups: [] as number[], groupIndexes: [] as number[],
    datasetIds: [] as Array<string | null>, skus: [] as string[], modelIds: [] as string[], methods: [] as string[],
    reasons: [] as string[], priorities: [] as number[], maxAttempts: [] as number[], settings: [] as string[],
    inputHashes: [] as Array<string | null>,
  };
  // The (dataset, priority) groups turns are counted in: numbered from 1 in order of first
  // appearance, each job's place in its group from 0 (enqueue_jobs adds the group's first turn).
  const groups = new Map<string, { n: number; datasetKey: string; priority: number; size: number }>();
  const valuesOf = jobInsertValues();
  for (const job of jobs) {
    const { maxAttempts, settingsText } = valuesOf(job); // throws on a bad job before anything is sent
    const key = `${job.priority}\u0000${job.datasetId ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, group = { n: groups.size + 1, datasetKey: job.datasetId ?? '', priority: job.priority, size: 0 });
    columns.groups.push(group.n);
    columns.groupIndexes.push(group.size++);
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
  // A column every job shares (an import's all but the SKU) goes as one element, read once by
  // enqueue_jobs (migrations/021_enqueue_shared_fields.sql); one group needs no group numbers.
  const { skus, groups: jobGroups, groupIndexes, ...sharable } = columns;
  const sent = Object.fromEntries(Object.entries(sharable).map(([name, values]) => [name, pgArrayLiteral(sameForAll(values) ? values.slice(0, 1) : values)]));
  const oneGroup = groups.size === 1;
  const list = [...groups.values()];
  const { rows } = await ctx.run<{ first_id: string; last_id: string; created: string; reused: string; cancelled: number }>('job-enqueue', {
    ...sent, skus: pgArrayLiteral(skus),
    groups: oneGroup ? [] : pgArrayLiteral(jobGroups), groupIndexes: oneGroup ? [] : pgArrayLiteral(groupIndexes),
    batchId: options.batchId, now: ctx.now(), reuse: options.reuse ?? true,
    supersede: options.supersede ?? true, newDatasetId, workRepeats: (options.supersede ?? true) && workRepeats(jobs),
    groupKeys: pgArrayLiteral(list.map((g) => g.datasetKey)), groupPriorities: list.map((g) => g.priority),
    groupSizes: list.map((g) => g.size),
  }, on);
  const row = rows[0];
  result.jobsCreated = Number(row.created);
  result.jobsReused = Number(row.reused);
  result.jobsCancelled = Number(row.cancelled);
  result.firstId = Number(row.first_id);
  result.lastId = Number(row.last_id);
  return result;
}

function sameForAll(values: ReadonlyArray<string | number | null>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/**
 * Whether two of the jobs are the same work (dataset, SKU, model, method), as supersede matches them
 * (a NULL dataset is not ''). Must never miss a repeat: enqueue_jobs then takes every job of the
 * batch for its work's newest, and two copies of one work cancel each other's elders in one statement.
 */
function workRepeats(jobs: NewJob[]): boolean {
  const seen = new Set<string>();
  for (const job of jobs) {
    // PostgreSQL text holds no NUL: the key cannot be two works' at once. An undefined dataset
    // (a caller outside the type checker) is sent as NULL: it is the null dataset's work.
    const key = `${job.datasetId == null ? '' : `+${job.datasetId}`}\u0000${job.sku}\u0000${job.modelId}\u0000${job.method}`;
    if (seen.size === seen.add(key).size) return true;
  }
  return false;
}

/**
 * The jobs of a dataset created in the same transaction (createDataset), without holding the
 * enqueue lock across their INSERT: a 100,000-job import held it for its whole insert, and every
 * other enqueue and requeue (a planner's one-SKU edit) waited behind it.
 * Why the lock is not needed until the jobs are in: it serializes batches that may be for the same
 * work, so the later one sees the earlier one committed and supersedes it (enqueue_jobs' supersede), and
 * requeue with enqueue. Every job here is of a dataset no other transaction can see yet; an
 * enqueue or requeue that names it anyway is settled once the jobs are in: the lock is taken then,
 * and enqueue_jobs' supersede for a new dataset keeps the newest active job of each piece of work of the dataset,
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

/** An enqueue this large changes the jobs table enough to look at the planner's statistics. */
const analyzeAfter = 10_000;

/**
 * After the enqueue's transaction committed: ANALYZE when it was large and the statistics no longer
 * describe the table (job-statistics-stale.sql). Best effort; callers do not wait for it (the
 * promise is for tests). An ANALYZE of a million-job table reads 30,000 of its pages and took 0.8 to
 * 1.7 s of server time (load 7 to 33); a million enqueued in calls of 100,000 ran ten of them, now four.
 * The store's close cancels it (the ANALYZE rolls back whole; autovacuum or the next large enqueue
 * does it) rather than wait for it, as a worker's stop does Maintenance's refresh.
 */
export function analyzeAfterLargeEnqueue(ctx: PgContext, jobs: number): Promise<void> {
  if (jobs < analyzeAfter) return Promise.resolve();
  return ctx.background.run((closing) => runCancellable(ctx, closing, undefined, async (client) => {
    const { rows } = await ctx.run<{ stale: boolean }>('job-statistics-stale', { jobs }, client);
    // A close that came while the check ran sent its cancel to a backend already idle, where it was
    // dropped: the ANALYZE must not go out then, or close() waits for it after all.
    if (rows[0]?.stale && !closing.aborted) await ctx.run('job-analyze', {}, client);
  }));
}
