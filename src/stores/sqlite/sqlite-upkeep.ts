import type { CountDrift, QueueStore } from '../../queue/queue-store.js';
import { jobStatuses, type JobStatus } from '../../queue/job-state.js';
import type { SqliteContext } from './sqlite-context.js';

type Upkeep = Pick<QueueStore, 'claimable' | 'recount' | 'forgetWorkers' | 'countPrunable'>;

/**
 * Upkeep. forgetWorkers() drops the registry rows of workers silent since `before`; countPrunable() counts what a prune would delete (prune-count.sql). And what does not trust the job_counts counters: claimable() reads the claim index, recount() sets
 * the counters from the rows. The counters are kept by triggers and by enqueue; a row written
 * outside the app (enqueue's insert has no trigger since migration 003) makes them drift. recount()
 * also puts every job back inside its batch's id range (job_batches, which only enqueue writes).
 */
export function sqliteUpkeep(ctx: SqliteContext): Upkeep {
  return {
    async forgetWorkers(before) {
      return ctx.write(() => {
        ctx.stmt('worker-retire').run({ before, workerId: null, startedAt: null, lastHeartbeatAt: null, staleMs: null });
        ctx.stmt('worker-waiting-forget').run({ before });
        return ctx.stmt('worker-forget').run({ before }).changes;
      });
    },

    async countPrunable({ jobsBefore, statuses, workersBefore, idempotencyKeysBefore }) {
      const row = ctx.stmt('prune-count').get({ jobsBefore, statuses: JSON.stringify(statuses), workersBefore, idempotencyKeysBefore }) as {
        completed: number; failed: number; cancelled: number; workers: number; idempotency_keys: number;
      };
      return { completed: row.completed, failed: row.failed, cancelled: row.cancelled, workers: row.workers, idempotencyKeys: row.idempotency_keys };
    },

    async claimable() {
      return ctx.stmt('job-claimable').get({ now: ctx.now() }) !== undefined;
    },

    async recount() {
      return ctx.write(() => {
        const actual = new Map(
          (ctx.stmt('job-recount').all() as Array<{ status: JobStatus; n: number; progress_sum: number }>).map((r) => [r.status, r]),
        );
        const counted = new Map(
          (ctx.prepare('SELECT status, n, progress_sum FROM job_counts').all() as Array<{ status: JobStatus; n: number; progress_sum: number }>)
            .map((r) => [r.status, r]),
        );
        const set = ctx.prepare('INSERT OR REPLACE INTO job_counts (status, n, progress_sum) VALUES (:status, :n, :progressSum)');
        const drift: CountDrift[] = [];
        for (const status of jobStatuses) {
          const real = actual.get(status) ?? { n: 0, progress_sum: 0 };
          const had = counted.get(status) ?? { n: 0, progress_sum: 0 };
          if (real.n !== had.n) drift.push({ status, counted: had.n, actual: real.n });
          if (real.n !== had.n || real.progress_sum !== had.progress_sum) {
            set.run({ status, n: real.n, progressSum: real.progress_sum });
          }
        }
        if (drift.length > 0) ctx.prepare('UPDATE queue_meta SET version = version + 1 WHERE id = 1').run();
        ctx.stmt('job-recount-batches').run();
        return drift;
      });
    },
  };
}
