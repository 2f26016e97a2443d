import type { Job, JobFilter } from '../../queue/job.js';
import type { QueueStore } from '../../queue/queue-store.js';
import { cursorAfter, decodeCursor, groupStatuses, jobGroups, type JobGroup } from '../job-cursor.js';
import {
  jobColumnsWithoutResult, jobFilterSql, jobFromRow, summaryFromCounts, workerFromRow, type CountRow, type JobRow, type WorkerRow,
} from './job-rows.js';
import type { SqliteContext } from './sqlite-context.js';

type JobReads = Pick<QueueStore, 'getJob' | 'listJobs' | 'summary' | 'recentThroughput' | 'heartbeatWorker' | 'listWorkers'>;

/** Each group of the listing order, read through its own index, resuming after the cursor's key. */
const groupSql: Record<JobGroup, { from: string; where: string; order: string }> = {
  // Running jobs are few (bounded by the workers' concurrency): always read through their index.
  running: { from: 'jobs INDEXED BY jobs_running', where: "status = 'running' AND id > :afterId", order: 'id' },
  pending: { from: 'jobs', where: "status = 'pending' AND (priority, id) > (:afterPriority, :afterId)", order: 'priority, id' },
  finished: { from: 'jobs', where: "status IN ('completed', 'failed', 'cancelled') AND id < :beforeId", order: 'id DESC' },
};

export function sqliteJobReads(ctx: SqliteContext): JobReads {
  return {
    async getJob(id) {
      const row = ctx.stmt('job-get').get({ id }) as JobRow | undefined;
      return row ? jobFromRow(row) : null;
    },

    async listJobs(query) {
      if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError(`limit must be a positive integer: ${query.limit}`);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const { sql: filterSql, params } = jobFilterSql(query);
      const columns = query.includeResult ? '*' : jobColumnsWithoutResult;
      const wanted = query.limit + 1; // one more than asked tells whether a next page exists
      const rows = ctx.read(() => {
        const out: JobRow[] = [];
        const startGroup = cursor ? jobGroups.indexOf(cursor.group) : 0;
        for (const group of jobGroups.slice(startGroup)) {
          if (query.status && !groupStatuses(group).some((s) => query.status!.includes(s))) continue;
          const resume = cursor?.group === group;
          const { from, where, order } = groupSql[group];
          const stmt = ctx.prepare(`SELECT ${columns} FROM ${from} WHERE ${where}${filterSql} ORDER BY ${order} LIMIT :limit`);
          out.push(...(stmt.all({
            ...params,
            afterId: resume ? cursor.id : 0,
            afterPriority: resume ? cursor.priority : Number.MIN_SAFE_INTEGER,
            beforeId: resume ? cursor.id : Number.MAX_SAFE_INTEGER,
            limit: wanted - out.length,
          }) as JobRow[]));
          if (out.length >= wanted) break;
        }
        return out;
      });
      const more = rows.length > query.limit;
      const jobs: Job[] = rows.slice(0, query.limit).map(jobFromRow);
      return { jobs, nextCursor: more ? cursorAfter(jobs[jobs.length - 1]) : null };
    },

    async summary(filter?: JobFilter) {
      return ctx.read(() => {
        const { version } = ctx.stmt('queue-version').get() as { version: number };
        let rows: CountRow[];
        const { sql, params } = jobFilterSql(filter);
        if (Object.keys(params).length > 0) {
          // Counted through the indexes (a dataset's or batch's entries carry status); progress only
          // matters for running jobs, read through their own small index.
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
      });
    },

    async recentThroughput(windowMs) {
      const row = ctx.stmt('job-throughput').get({ since: ctx.now() - windowMs }) as { completed: number; avg: number | null };
      return { completed: row.completed, avgDurationMs: row.avg };
    },

    async heartbeatWorker(info) {
      ctx.write(() => ctx.stmt('worker-heartbeat').run({ ...info, counters: info.counters ? JSON.stringify(info.counters) : null }));
    },

    async listWorkers() {
      return (ctx.stmt('worker-list').all() as WorkerRow[]).map(workerFromRow);
    },
  };
}
