import { staleWorkerMs, type JobFilter, type QueueSummary } from '../../queue/job.js';
import { jobDurationsFromRows, type JobDurationRow } from '../../queue/job-durations.js';
import type { QueueStore } from '../../queue/queue-store.js';
import { listingPage, listingPlan, summaryScope, type JobGroup } from '../job-cursor.js';
import {
  jobColumns, jobFromRow, summaryFromCounts, workerFromRow, type CountRow, type JobRow, type WorkerRow,
} from './job-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { throughputSpan } from '../../queue/recent-throughput.js';
import { countersFromRows } from '../worker-counters.js';

type JobReads = Pick<QueueStore, 'getJob' | 'listJobs' | 'summary' | 'recentThroughput' | 'jobDurations' | 'heartbeatWorker' | 'markWorkerStopped' | 'listWorkers' | 'workerEventTotals'>;

/**
 * A finished job, in the words of the partial indexes jobs_finished_id and jobs_finished_status
 * (migration 024): the planner uses them only for a WHERE that contains this text.
 */
export const finishedSql = "(status = 'completed' OR status = 'failed' OR status = 'cancelled')";

/** Each group of the listing order, read through its own index, resuming after the cursor's key. */
const groupSql: Record<JobGroup, { from: string; where: string; order: string }> = {
  // Running jobs are few (bounded by the workers' concurrency): always read through their index.
  running: { from: 'jobs INDEXED BY jobs_running', where: "status = 'running' AND id > :afterId", order: 'id' },
  // In claim order, through the claim index.
  pending: { from: 'jobs', where: "status = 'pending' AND (priority, turn, id) > (:afterPriority, :afterTurn, :afterId)", order: 'priority, turn, id' },
  finished: { from: 'jobs', where: `${finishedSql} AND id < :beforeId`, order: 'id DESC' },
};

export function sqliteJobReads(ctx: SqliteContext): JobReads {
  /** The summary of summary() and of a listing withSummary, inside the caller's read transaction. */
  const summaryOf = (filter?: JobFilter): QueueSummary => {
    const { version } = ctx.stmt('queue-version').get() as { version: number };
    let rows: CountRow[];
    const own = filter?.batchId !== undefined && batchAlone(filter) ? ownBatchRange(filter.batchId) : null;
    if (own) return summaryFromCounts(ownBatchCounts(own), version);
    const { sql, params } = ctx.jobFilter(filter);
    if (Object.keys(params).length > 0) {
      // Counted through an index (a dataset's entries carry status) or a batch's id range (its
      // rows, migration 028); progress only matters for running jobs, read through their own small index.
      rows = ctx.prepare(`SELECT status, count(*) AS n, 0 AS progress_sum FROM jobs WHERE 1 = 1${sql} GROUP BY status`)
        .all(params) as typeof rows;
      const running = rows.find((r) => r.status === 'running');
      if (running) {
        running.progress_sum = (ctx.prepare(
          `SELECT coalesce(sum(CAST(round(progress * 100) AS INTEGER)), 0) / 100.0 AS p
             FROM jobs INDEXED BY jobs_running WHERE status = 'running'${sql}`,
        ).get(params) as { p: number }).p;
      }
    } else {
      rows = ctx.stmt('job-counts').all() as typeof rows;
    }
    return summaryFromCounts(rows, version);
  };

  /** The batch's range where it holds only the batch's own rows (job-batch-range.sql), else null. */
  const ownBatchRange = (batchId: string) => {
    const row = ctx.stmt('job-batch-range').get({ batchId }) as { first_id: number; last_id: number; own: number } | undefined;
    return row && row.own === 1 ? row : null;
  };

  /**
   * A batch of its own counted through the indexes. Its pending through the claim index, which
   * reads every pending entry of the queue, unless the queue's pending (the counters: a choice of
   * plan, not the count) outnumber the range's rows PENDING_ENTRIES_PER_ROW times; then from the
   * range's rows (a small batch behind a long queue).
   */
  const ownBatchCounts = (range: { first_id: number; last_id: number }): CountRow[] => {
    const ids = { firstId: range.first_id, lastId: range.last_id };
    const rows = ctx.stmt('job-batch-counts').all(ids) as CountRow[];
    const queuePending = (ctx.stmt('job-counts').all() as CountRow[]).find((r) => r.status === 'pending')?.n ?? 0;
    const query = queuePending <= PENDING_ENTRIES_PER_ROW * (range.last_id - range.first_id + 1) ? 'job-batch-pending-claim' : 'job-batch-pending-rows';
    const { n } = ctx.stmt(query).get(ids) as { n: number };
    return [...rows, { status: 'pending', n, progress_sum: 0 }];
  };

  return {
    async getJob(id) {
      const row = ctx.stmt('job-get').get({ id }) as JobRow | undefined;
      return row ? jobFromRow(row) : null;
    },

    async listJobs(query) {
      const { wanted, reads } = listingPlan(query);
      const columns = jobColumns(query.includeResult === true);
      return ctx.read(() => {
        const { sql: filterSql, params } = ctx.jobFilter(query);
        const out: JobRow[] = [];
        for (const { group, keys } of reads) {
          const { where, order } = groupSql[group];
          // Unfiltered, the finished group reads its own index: walking rowids from the top would
          // pass every pending job of a big fresh upload first. A filter brings its own index.
          const from = group === 'finished' && filterSql === '' ? 'jobs INDEXED BY jobs_finished_id' : groupSql[group].from;
          // +:limit: a bare parameter in LIMIT is planned again at every binding (job-claim.sql).
          const stmt = ctx.prepare(`SELECT ${columns} FROM ${from} WHERE ${where}${filterSql} ORDER BY ${order} LIMIT +:limit`);
          out.push(...(stmt.all({ ...params, ...keys, limit: wanted - out.length }) as JobRow[]));
          if (out.length >= wanted) break;
        }
        const page = listingPage(out, query.limit, jobFromRow);
        // The same read transaction: the counts are of the snapshot the page was read from.
        return query.withSummary ? { ...page, summary: summaryOf(summaryScope(query)) } : page;
      });
    },

    async summary(filter?: JobFilter) {
      return ctx.read(() => summaryOf(filter));
    },

    async recentThroughput(windowMs) {
      const now = ctx.now();
      const row = ctx.stmt('job-throughput').get({ since: now - windowMs }) as { completed: number; avg: number | null; first_started: number | null; last_finished: number | null };
      return { completed: row.completed, avgDurationMs: row.avg, spanMs: throughputSpan(now - windowMs, windowMs, row.first_started, row.last_finished) };
    },

    async jobDurations() {
      return ctx.read(() => jobDurationsFromRows(
        (ctx.stmt('job-duration-bounds').all() as Array<{ le_ms: number }>).map((r) => r.le_ms),
        ctx.stmt('job-durations').all() as JobDurationRow[],
      ));
    },

    async heartbeatWorker(info) {
      return ctx.write(() => {
        // A row of this id from another start that this beat replaces: its counts are retired before this process's replace them.
        ctx.stmt('worker-retire').run({ before: 0, workerId: info.workerId, startedAt: info.startedAt, lastHeartbeatAt: info.lastHeartbeatAt, staleMs: staleWorkerMs });
        const { waitingForThread, ...beat } = info;
        const written = ctx.stmt('worker-heartbeat').run({ ...beat, counters: info.counters ? JSON.stringify(info.counters) : null, staleMs: staleWorkerMs }).changes > 0;
        if (written && waitingForThread !== undefined) ctx.stmt('worker-waiting').run({ workerId: info.workerId, startedAt: info.startedAt, lastHeartbeatAt: info.lastHeartbeatAt, waitingForThread });
        return written;
      });
    },

    async markWorkerStopped({ workerId, pid }) {
      return ctx.write(() => {
        const marked = ctx.stmt('worker-mark-stopped').run({ workerId, pid }).changes > 0;
        if (marked) ctx.stmt('worker-waiting-drop').run({ workerId });
        return marked;
      });
    },

    async listWorkers() {
      return (ctx.stmt('worker-list').all() as WorkerRow[]).map(workerFromRow);
    },

    async workerEventTotals() {
      return countersFromRows(ctx.stmt('worker-event-totals').all() as Array<{ event: string; n: number }>);
    },
  };
}

/**
 * How many claim-index entries cost about one row of a batch's range: an entry is a few dozen bytes,
 * a row of a finished job its result (KB). bench:batch-summary's small batch behind a long queue.
 */
const PENDING_ENTRIES_PER_ROW = 32;

/** A filter of a batch and nothing else (a listing's summary scope, `skucast import --watch`'s poll); a field JobFilter gains later counts as something else. */
function batchAlone(filter: JobFilter): boolean {
  return Object.entries(filter).every(([key, value]) => key === 'batchId' || value === undefined);
}
