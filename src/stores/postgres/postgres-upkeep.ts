import type { CountDrift, QueueStore } from '../../queue/queue-store.js';
import { jobStatuses, type JobStatus } from '../../queue/job-state.js';
import type { PgContext, Queryable } from './postgres-context.js';
import { runCancellable } from './cancellable-statement.js';

type Upkeep = Pick<QueueStore, 'claimable' | 'recount' | 'forgetWorkers' | 'countPrunable' | 'refreshStatistics'>;

/**
 * Upkeep. forgetWorkers() drops the registry rows of workers silent since `before`; countPrunable()
 * counts what a prune would delete (prune-count.sql). refreshStatistics()
 * ANALYZEs jobs when the planner's statistics hide finished or open jobs (job-statistics-refresh.sql). And what does not trust the job_counts counters: claimable() reads the claim index, recount() sets
 * the counters from the rows. The triggers keep them exact for INSERT, UPDATE and DELETE (and,
 * since migration 005, TRUNCATE); a restore or a hand edit with triggers off can still leave them
 * wrong. recount takes a SHARE lock on jobs (writers wait, readers do not) for one count.
 */
export function postgresUpkeep(ctx: PgContext): Upkeep {
  return {
    async forgetWorkers(before) {
      return Number((await ctx.run<{ forgotten: string }>('worker-forget', { before })).rows[0].forgotten);
    },

    async countPrunable({ jobsBefore, statuses, workersBefore, idempotencyKeysBefore }) {
      type Row = { completed: number; failed: number; cancelled: number; workers: number; idempotency_keys: number };
      const [row] = (await ctx.run<Row>('prune-count', { jobsBefore, statuses, workersBefore, idempotencyKeysBefore })).rows;
      return { completed: row.completed, failed: row.failed, cancelled: row.cancelled, workers: row.workers, idempotencyKeys: row.idempotency_keys };
    },

    async refreshStatistics({ signal } = {}) {
      const refresh = async (on?: Queryable) => (await ctx.run<{ analyzed: boolean }>('job-statistics-refresh', {}, on)).rows[0].analyzed === true;
      // A stop cancels the ANALYZE: it runs in the statement's transaction, so it rolls back whole.
      return signal ? runCancellable(ctx, signal, false, refresh) : refresh();
    },

    async claimable() {
      return (await ctx.run('job-claimable', { now: ctx.now() })).rowCount === 1;
    },

    async recount() {
      return ctx.tx(async (client) => {
        await client.query('LOCK TABLE jobs IN SHARE MODE');
        const actual = new Map((await client.query<{ status: JobStatus; n: string; p: string }>(
          `SELECT status, count(*) AS n, coalesce(sum(round(progress * 100)::bigint), 0) AS p FROM jobs GROUP BY status`,
        )).rows.map((r) => [r.status, { n: Number(r.n), p: Number(r.p) }]));
        const counted = new Map((await client.query<{ status: JobStatus; n: string; p: string }>(
          `SELECT status, sum(n) AS n, sum(progress_sum) AS p FROM job_counts GROUP BY status`,
        )).rows.map((r) => [r.status, { n: Number(r.n), p: Number(r.p) }]));
        const drift: CountDrift[] = [];
        let off = false;
        for (const status of jobStatuses) {
          const real = actual.get(status) ?? { n: 0, p: 0 };
          const had = counted.get(status) ?? { n: 0, p: 0 };
          if (real.n !== had.n) drift.push({ status, counted: had.n, actual: real.n });
          if (real.n !== had.n || real.p !== had.p) off = true;
        }
        if (off) {
          await client.query('DELETE FROM job_counts');
          await client.query(
            `INSERT INTO job_counts (backend, status, n, progress_sum)
             SELECT 0, s, coalesce(j.n, 0), coalesce(j.p, 0)
               FROM unnest($1::text[]) AS s
               LEFT JOIN (SELECT status, count(*) AS n, sum(round(progress * 100)::bigint) AS p FROM jobs GROUP BY status) AS j
                 ON j.status = s`,
            [jobStatuses],
          );
          await client.query('UPDATE queue_version SET version = version + 1 WHERE backend = 0');
        }
        return drift;
      });
    },
  };
}
