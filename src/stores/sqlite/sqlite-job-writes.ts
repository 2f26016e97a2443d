import { defaultBackoffBaseMs, defaultBackoffMaxMs } from '../../queue/backoff.js';
import type { ClaimedJob, Lease } from '../../queue/job.js';
import type { QueueStore } from '../../queue/queue-store.js';
import { claimedFromRows, jobFromRow, rescueResult, storedProgress, toJsonText, type JobRow } from './job-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { enqueueInTransaction, wakeAfterEnqueue } from './sqlite-enqueue.js';

type JobWrites = Pick<QueueStore,
  'enqueue' | 'claim' | 'renew' | 'lost' | 'progress' | 'complete' | 'fail' | 'retry' | 'release' |
  'rescue' | 'cancel' | 'requeue' | 'prune' | 'reset'>;

/**
 * Every transition of job-state.ts, one query file each. Worker writes are fenced by
 * (id, lease_token, status = 'running'): `changes === 0` means the caller lost the job.
 */
export function sqliteJobWrites(ctx: SqliteContext): JobWrites {
  const fenced = (name: string, lease: Lease, params: Record<string, unknown> = {}) =>
    ctx.write(() => ctx.stmt(name).run({ jobId: lease.jobId, leaseToken: lease.leaseToken, now: ctx.now(), ...params }).changes === 1);

  const completions = completionBatcher(ctx);

  return {
    async enqueue(jobs, options) {
      const result = ctx.write(() => enqueueInTransaction(ctx, jobs, options));
      wakeAfterEnqueue(ctx, result);
      return result;
    },

    async claim({ workerId, limit, leaseMs }) {
      if (limit <= 0) return [];
      const now = ctx.now();
      const rows = ctx.write(() =>
        ctx.stmt('job-claim').all({ now, leaseExpiresAt: now + leaseMs, workerId, limit }) as Array<JobRow>,
      );
      return claimedFromRows(rows);
    },

    async renew(leases, leaseMs) {
      const leaseExpiresAt = ctx.now() + leaseMs;
      const stmt = ctx.stmt('job-renew');
      return ctx.write(() =>
        leases.filter((l) => stmt.run({ jobId: l.jobId, leaseToken: l.leaseToken, leaseExpiresAt }).changes === 1)
          .map((l) => l.jobId),
      );
    },

    async lost(leases) {
      const stmt = ctx.stmt('job-held');
      return ctx.read(() => leases.filter((l) => !stmt.get({ jobId: l.jobId, leaseToken: l.leaseToken })).map((l) => l.jobId));
    },

    async progress(lease, progress) {
      return fenced('job-progress', lease, { progress: storedProgress(progress) });
    },

    complete(lease, result) {
      return completions.add(lease, toJsonText(result));
    },

    async fail(lease, error) {
      return fenced('job-fail', lease, { error });
    },

    async retry(lease, error, runAt) {
      const done = fenced('job-retry', lease, { error, runAt });
      if (done) ctx.wake('jobs');
      return done;
    },

    async release(lease) {
      const done = fenced('job-release', lease);
      if (done) ctx.wake('jobs');
      return done;
    },

    async rescue(options = {}) {
      const rows = ctx.write(() => {
        const now = ctx.now();
        return ctx.stmt('job-rescue').all({
          now, expiredBefore: now - (options.graceMs ?? 0),
          backoffBaseMs: options.backoffBaseMs ?? defaultBackoffBaseMs, backoffMaxMs: options.backoffMaxMs ?? defaultBackoffMaxMs,
        }) as Array<{ id: number; status: string }>;
      });
      const result = rescueResult(rows);
      if (result.rescued > 0) ctx.wake('jobs');
      return result;
    },

    async cancel(filter) {
      const { stmt, params } = ctx.filtered('job-cancel', filter);
      const n = ctx.write(() => stmt.run({ ...params, now: ctx.now(), error: 'cancelled' }).changes);
      if (n > 0) ctx.wake('cancel');
      return n;
    },

    async requeue(filter) {
      const { stmt, params } = ctx.filtered('job-requeue', filter);
      const n = ctx.write(() => stmt.run({ ...params, now: ctx.now() }).changes);
      if (n > 0) ctx.wake('jobs');
      return n;
    },

    async prune({ before, statuses }) {
      if (statuses.length === 0) return 0;
      return ctx.write(() => ctx.stmt('job-prune').run({ before, statuses: JSON.stringify(statuses) }).changes);
    },

    async reset() {
      const { stmt, params } = ctx.filtered('job-cancel', undefined);
      const out = ctx.write(() => {
        const cancelled = stmt.run({ ...params, now: ctx.now(), error: 'cancelled: queue reset' }).changes;
        const deleted = ctx.stmt('job-reset').run().changes;
        return { cancelled, deleted };
      });
      if (out.cancelled > 0) ctx.wake('cancel');
      return out;
    },
  };
}

/**
 * complete() calls made in the same turn of the event loop (a worker finishing many short jobs
 * at once) share one write transaction: one lock and one commit instead of one each, which is
 * what bounds a no-op drain on SQLite. Each job is still fenced on its own lease token.
 */
function completionBatcher(ctx: SqliteContext) {
  let pending: Array<{ lease: Lease; result: string | null; resolve(ok: boolean): void; reject(error: unknown): void }> = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      const now = ctx.now();
      const stmt = ctx.stmt('job-complete');
      const results = ctx.write(() =>
        batch.map((item) => stmt.run({ jobId: item.lease.jobId, leaseToken: item.lease.leaseToken, now, result: item.result }).changes === 1),
      );
      batch.forEach((item, i) => item.resolve(results[i]));
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  };
  return {
    add(lease: Lease, result: string | null): Promise<boolean> {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ lease, result, resolve, reject });
      });
    },
  };
}
