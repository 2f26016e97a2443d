import { staleWorkerMs, type JobFilter, type QueueSummary } from '../../queue/job.js';
import { jobDurationsFromRows, type JobDurationRow } from '../../queue/job-durations.js';
import type { QueueStore } from '../../queue/queue-store.js';
import { listingPage, listingPlan, summaryScope, type JobGroup } from '../job-cursor.js';
import {
  jobColumnsWithoutResult, jobFilterSql, jobFromRow, summaryFromCounts, toJsonText, workerFromRow, type CountRow, type JobRow, type WorkerRow,
} from './job-rows.js';
import type { PgContext, Queryable } from './postgres-context.js';
import { throughputSpan } from '../../queue/recent-throughput.js';
import { countersFromRows } from '../worker-counters.js';

type JobReads = Pick<QueueStore, 'getJob' | 'listJobs' | 'summary' | 'recentThroughput' | 'jobDurations' | 'heartbeatWorker' | 'markWorkerStopped' | 'listWorkers' | 'workerEventTotals'>;

/** Each group of the listing order, read through its own index, resuming after the cursor's key. */
const groupSql: Record<JobGroup, { where: string; order: string }> = {
  running: { where: "status = 'running' AND id > :afterId::bigint", order: 'id' },
  // In claim order, through the claim index.
  pending: { where: "status = 'pending' AND (priority, turn, id) > (:afterPriority::bigint, :afterTurn::bigint, :afterId::bigint)", order: 'priority, turn, id' },
  finished: { where: "status IN ('completed', 'failed', 'cancelled') AND id < :beforeId::bigint", order: 'id DESC' },
};

type VersionedCountRow = CountRow & { version: number | null };

export function postgresJobReads(ctx: PgContext): JobReads {
  /** The summary of summary() and of a listing withSummary, on the caller's connection (a snapshot's). */
  const summaryOn = async (filter: JobFilter | undefined, on: Queryable): Promise<QueueSummary> => {
    let rows: VersionedCountRow[];
    const f = jobFilterSql(filter);
    if (Object.keys(f.params).length > 0) {
      // Counts from the indexes alone where they can (the batch and dataset indexes carry status);
      // progress only of the running jobs, which are few. The '' row carries the version when no job matches.
      rows = (await ctx.sql<VersionedCountRow>(
        `SELECT c.status, c.n, coalesce(p.progress_sum, 0) AS progress_sum, (SELECT sum(version)::bigint FROM queue_version) AS version
           FROM (SELECT status, count(*) AS n FROM jobs WHERE true${f.sql} GROUP BY status) AS c
           LEFT JOIN (SELECT status, sum(round(progress * 100)::bigint)::float8 / 100 AS progress_sum
                        FROM jobs WHERE status = 'running'${f.sql} GROUP BY status) AS p USING (status)
         UNION ALL SELECT '', 0, 0, (SELECT sum(version)::bigint FROM queue_version)`,
        f.params, on,
      )).rows;
    } else {
      rows = (await ctx.run<VersionedCountRow>('job-counts', {}, on)).rows;
    }
    // Every row carries the version (the '' row too, for a filter no job matches).
    return summaryFromCounts(rows, rows.at(-1)?.version ?? 0);
  };

  return {
    async getJob(id) {
      if (!Number.isSafeInteger(id)) return null;
      const { rows } = await ctx.run<JobRow>('job-get', { id });
      return rows[0] ? jobFromRow(rows[0]) : null;
    },

    async listJobs(query) {
      const { wanted, reads } = listingPlan(query);
      const { sql: filterSql, params } = jobFilterSql(query);
      const columns = query.includeResult ? '*' : jobColumnsWithoutResult;
      // One group after the other, each a single indexed statement, in one snapshot: a job the
      // workers move from one group to the next between two statements would otherwise be missed
      // (claimed after the running group was read) or listed twice (completed after it was). Between
      // two pages it may still move, which keyset paging tolerates. One group needs no transaction.
      const readGroups = async (on: Queryable) => {
        const rows: JobRow[] = [];
        for (const { group, keys } of reads) {
          const { where, order } = groupSql[group];
          const page = await ctx.sql<JobRow>(`SELECT ${columns} FROM jobs WHERE ${where}${filterSql} ORDER BY ${order} LIMIT :limit`,
            { ...params, ...keys, limit: wanted - rows.length }, on);
          rows.push(...page.rows);
          if (rows.length >= wanted) break;
        }
        return rows;
      };
      if (query.withSummary) {
        // The counts in the page's snapshot (REPEATABLE READ takes it at the first statement, whichever):
        // they agree with the page whatever the workers move meanwhile.
        return ctx.snapshot(async (client) => {
          const summary = await summaryOn(summaryScope(query), client);
          return { ...listingPage(await readGroups(client), query.limit, jobFromRow), summary };
        });
      }
      const rows = reads.length > 1 ? await ctx.snapshot(readGroups) : await readGroups(ctx.pool);
      return listingPage(rows, query.limit, jobFromRow);
    },

    async summary(filter?: JobFilter) {
      return summaryOn(filter, ctx.pool);
    },

    async recentThroughput(windowMs) {
      const now = ctx.now();
      const { rows } = await ctx.run<{ completed: number; avg: number | null; first_started: number | null; last_finished: number | null }>('job-throughput', { since: now - windowMs });
      return { completed: rows[0].completed, avgDurationMs: rows[0].avg, spanMs: throughputSpan(now - windowMs, windowMs, rows[0].first_started, rows[0].last_finished) };
    },

    async jobDurations() {
      const [bounds, rows] = await Promise.all([ctx.run<{ le_ms: number }>('job-duration-bounds'), ctx.run<JobDurationRow>('job-durations')]);
      return jobDurationsFromRows(bounds.rows.map((r) => Number(r.le_ms)), rows.rows);
    },

    async heartbeatWorker(info) {
      // A row of this id from another start that this beat replaces: its counts are retired,
      // under its row lock, before this process's replace them (worker-retire.sql). The row is
      // locked either way, and the write fenced on the start the retire saw.
      const beat = () => ctx.tx(async (client) => {
        const lock = await ctx.run('worker-retire-lock', { workerId: info.workerId }, client);
        const seen = await ctx.run<{ started_at: number; replaceable: boolean }>('worker-retire', {
          workerId: info.workerId, startedAt: info.startedAt, lastHeartbeatAt: info.lastHeartbeatAt, staleMs: staleWorkerMs, locked: lock.rows.length > 0,
        }, client);
        const seenStartedAt = seen.rows[0]?.started_at ?? null;
        const { rows } = await ctx.run<{ written: number }>('worker-heartbeat', {
          ...info, counters: info.counters ? toJsonText(info.counters) : null, waitingForThread: info.waitingForThread ?? null,
          seenStartedAt, seenReplaceable: seen.rows[0]?.replaceable ?? false,
        }, client);
        return { written: rows[0].written > 0, sawNoRow: seenStartedAt === null };
      }, { readCommitted: true }); // the retire's split needs a snapshot per statement (worker-retire-lock.sql)
      const first = await beat();
      // Kept out by a row inserted after the retire looked (another start's first beat): once more,
      // now that there is a row to lock and retire, rather than saying a later start holds the id.
      return first.written || !first.sawNoRow ? first.written : (await beat()).written;
    },

    async markWorkerStopped({ workerId, pid }) {
      return (await ctx.run('worker-mark-stopped', { workerId, pid })).rows.length > 0;
    },

    async listWorkers() {
      return (await ctx.run<WorkerRow>('worker-list')).rows.map(workerFromRow);
    },

    async workerEventTotals() {
      return countersFromRows((await ctx.run<{ event: string; n: number }>('worker-event-totals')).rows);
    },
  };
}
