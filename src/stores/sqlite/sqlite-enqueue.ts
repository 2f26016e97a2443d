import type { EnqueueOptions, EnqueueResult, NewJob } from '../../queue/job.js';
import { emptyEnqueueResult, jobInsertValues } from '../enqueue-values.js';
import type { SqliteContext } from './sqlite-context.js';

const insertChunkRows = 100;
const columnsPerRow = 10;

/**
 * enqueue inside the caller's transaction (enqueue itself, createDataset, updateSeries...).
 * Rows are inserted 100 per statement (ids are consecutive: we hold the write lock),
 * then reuse and supersede run once, set-based, over the id range of the batch. Per-row work
 * in JS is only the insert, which keeps a 50,000-job enqueue well under a second.
 */
export function enqueueInTransaction(ctx: SqliteContext, jobs: NewJob[], options: EnqueueOptions): EnqueueResult {
  const result = emptyEnqueueResult(options);
  if (jobs.length === 0) return result;
  const now = ctx.now();
  const rowTuple = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const insertOne = ctx.stmt('job-enqueue');
  const insertChunk = ctx.prepare(ctx.text('job-enqueue').replace(rowTuple, Array(insertChunkRows).fill(rowTuple).join(',\n')));
  const valuesOf = jobInsertValues();
  const turns = datasetTurns(ctx, now);
  let firstId = 0;
  let lastId = 0;
  const args: unknown[] = [];
  const shared = { batchId: options.batchId, now };
  const flush = (rows: number) => {
    lastId = Number((rows === 1 ? insertOne : insertChunk).run(args, shared).lastInsertRowid);
    if (firstId === 0) firstId = lastId - rows + 1;
    args.length = 0;
  };
  for (const job of jobs) {
    const { maxAttempts, settingsText } = valuesOf(job);
    args.push(
      job.datasetId, job.sku, job.modelId, job.method, job.reason, job.priority, maxAttempts,
      settingsText, job.inputHash ?? null, turns.next(job.datasetId, job.priority),
    );
    if (args.length === insertChunkRows * columnsPerRow) flush(insertChunkRows);
  }
  while (args.length > 0) {
    const rest = args.splice(columnsPerRow);
    flush(1);
    args.push(...rest);
  }
  if (lastId - firstId + 1 !== jobs.length) {
    throw new Error(`enqueue: expected consecutive ids, got ${firstId}..${lastId} for ${jobs.length} jobs`);
  }
  ctx.stmt('job-enqueue-count').run({ inserted: jobs.length });
  ctx.stmt('queue-version-bump').run();
  result.jobsCreated = jobs.length;
  result.firstId = firstId;
  result.lastId = lastId;
  if (options.reuse ?? true) {
    result.jobsReused = ctx.stmt('job-reuse').run({ firstId, lastId, now }).changes;
  }
  turns.save(result.jobsReused > 0 ? { firstId, lastId } : null);
  if (options.supersede ?? true) {
    result.jobsCancelled = ctx.stmt('job-supersede').run({ firstId, lastId, now }).changes;
  }
  return result;
}

/** The wake-ups an enqueue result calls for, once its transaction has committed. */
export function wakeAfterEnqueue(ctx: SqliteContext, result: EnqueueResult | null): void {
  if (!result) return;
  if (result.jobsCreated > result.jobsReused) ctx.wake('jobs');
  if (result.jobsCancelled > 0) ctx.wake('cancel');
}

/**
 * The turns of one enqueue, per (dataset, priority): a dataset whose last job is still waiting
 * continues after it; any other starts at the queue's head at that priority (where claim is). Two
 * reads per group (a batch usually has one or two groups), and one write per group when the batch is in.
 */
function datasetTurns(ctx: SqliteContext, now: number) {
  const groups = new Map<number, Map<string, number>>();
  return {
    next(datasetId: string | null, priority: number): number {
      const datasetKey = datasetId ?? '';
      let byDataset = groups.get(priority);
      if (!byDataset) groups.set(priority, (byDataset = new Map()));
      let turn = byDataset.get(datasetKey);
      if (turn === undefined) {
        const last = ctx.stmt('job-turn-last').get({ datasetKey, priority }) as { last_turn: number; waiting: number } | undefined;
        if (last?.waiting) turn = last.last_turn + 1;
        else turn = (ctx.stmt('job-turn-head').get({ priority, now }) as { turn: number | null } | undefined)?.turn ?? 0;
      }
      byDataset.set(datasetKey, turn + 1);
      return turn;
    },
    /**
     * Once the batch is in. When reuse completed some of it (`reused`: the batch's id range), each
     * group saves its last waiting turn instead, and a group with none waiting saves nothing.
     */
    save(reused: { firstId: number; lastId: number } | null): void {
      const stmt = ctx.stmt('job-turn-save');
      if (reused) {
        const rows = ctx.stmt('job-turn-pending').all(reused) as Array<{ dataset_key: string; priority: number; last_turn: number }>;
        for (const row of rows) stmt.run({ datasetKey: row.dataset_key, priority: row.priority, lastTurn: row.last_turn });
        return;
      }
      for (const [priority, byDataset] of groups) {
        for (const [datasetKey, nextTurn] of byDataset) stmt.run({ datasetKey, priority, lastTurn: nextTurn - 1 });
      }
    },
  };
}
