import { defaultBackoffBaseMs, defaultBackoffMaxMs } from '../../queue/backoff.js';
import type { ClaimedJob, Lease } from '../../queue/job.js';
import type { QueueStore } from '../../queue/queue-store.js';
import { claimedFromRows, jobFromRow, rescueResult, type RescueRow, storedProgress, toJsonText, type JobRow } from './job-rows.js';
import type { PgContext, Queryable } from './postgres-context.js';
import { analyzeAfterLargeEnqueue, enqueueInTransaction } from './postgres-enqueue.js';
import { WriteBatcher } from './write-batcher.js';
import { runCancellable } from './cancellable-statement.js';

type JobWrites = Pick<QueueStore,
  'enqueue' | 'claim' | 'renew' | 'lost' | 'progress' | 'complete' | 'fail' | 'retry' | 'release' |
  'rescue' | 'cancel' | 'requeue' | 'prune' | 'reset'>;

/**
 * Hands back the jobs of a claim whose caller stopped, in one statement (job-release-claimed.sql);
 * answers the ids of those it released (a job cancelled meanwhile is not).
 */
export async function releaseClaimed(ctx: PgContext, claimed: JobRow[], on: Queryable): Promise<number[]> {
  if (claimed.length === 0) return [];
  const { rows } = await ctx.run<{ id: string | number }>('job-release-claimed', {
    jobIds: claimed.map((r) => r.id), leaseTokens: claimed.map((r) => r.lease_token), now: ctx.now(),
  }, on);
  return rows.map((r) => Number(r.id));
}

/**
 * Every transition of job-state.ts, one query file each, as on SQLite. Worker writes are fenced
 * by (id, lease_token, status = 'running'): `rowCount === 0` means the caller lost the job.
 * Single statements run in autocommit on any pooled connection; the wake-ups (NOTIFY) come from
 * the jobs triggers, so they go out exactly when the change commits.
 */
export function postgresJobWrites(ctx: PgContext): JobWrites & { settleWaiting(): Promise<void> } {
  const fenced = async (name: string, lease: Lease, params: Record<string, unknown> = {}) =>
    (await ctx.run(name, { jobId: lease.jobId, leaseToken: lease.leaseToken, now: ctx.now(), ...params })).rowCount === 1;

  // Completes are the one write every job makes: batched, each still fenced on its own lease.
  const completes = new WriteBatcher<{ lease: Lease; result: string | null }, boolean>(async (batch) => {
    const { rows } = await ctx.run<{ id: number }>('job-complete', {
      now: ctx.now(),
      jobIds: batch.map((c) => c.lease.jobId),
      leaseTokens: batch.map((c) => c.lease.leaseToken),
      results: batch.map((c) => c.result),
    });
    const done = new Set(rows.map((r) => r.id));
    return batch.map((c) => done.has(c.lease.jobId));
  }, (c) => c.lease.jobId);

  return {
    /** For close: the completes still queued or in flight are written before the pool ends. */
    settleWaiting: () => completes.whenIdle(),

    async enqueue(jobs, options) {
      if (jobs.length === 0) {
        return { batchId: options.batchId, jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, firstId: null, lastId: null };
      }
      // One statement in autocommit: its own transaction, one round trip (postgres-enqueue.ts).
      const result = await enqueueInTransaction(ctx, ctx.pool, jobs, options);
      void analyzeAfterLargeEnqueue(ctx, jobs.length);
      return result;
    },

    async claim({ workerId, limit, leaseMs, signal, onReleased }) {
      if (limit <= 0) return [];
      const now = ctx.now();
      const params = { now, leaseExpiresAt: ctx.leaseNow() + leaseMs, workerId, limit };
      if (!signal) return claimedFromRows((await ctx.run<JobRow>('job-claim', params)).rows);
      // A stop cancels it (cancellable-statement.ts); if it committed first, its jobs are released
      // on its own connection before the call answers: nothing stays claimed for a stopped worker,
      // even one whose drain deadline passed and whose store is closing.
      // The worker is told which: they count as released, as those it hands back itself.
      let released: number[] = [];
      const rows = await runCancellable(ctx, signal, [], async (client) => (await ctx.run<JobRow>('job-claim', params, client)).rows,
        async (claimed, client) => { released = await releaseClaimed(ctx, claimed, client); });
      if (released.length > 0) onReleased?.(released);
      return claimedFromRows(rows);
    },

    async renew(leases, leaseMs) {
      if (leases.length === 0) return [];
      const { rows } = await ctx.run<{ id: number }>('job-renew', {
        jobIds: leases.map((l) => l.jobId),
        leaseTokens: leases.map((l) => l.leaseToken),
        leaseExpiresAt: ctx.leaseNow() + leaseMs,
      });
      const renewed = new Set(rows.map((r) => r.id));
      return leases.filter((l) => renewed.has(l.jobId)).map((l) => l.jobId);
    },

    async lost(leases) {
      if (leases.length === 0) return [];
      const { rows } = await ctx.run<{ id: number }>('job-held', {
        jobIds: leases.map((l) => l.jobId),
        leaseTokens: leases.map((l) => l.leaseToken),
      });
      const held = new Set(rows.map((r) => r.id));
      return leases.filter((l) => !held.has(l.jobId)).map((l) => l.jobId);
    },

    async progress(lease, progress) {
      return fenced('job-progress', lease, { progress: storedProgress(progress) });
    },

    async complete(lease, result) {
      return completes.push({ lease: { jobId: lease.jobId, leaseToken: lease.leaseToken }, result: toJsonText(result) });
    },

    async fail(lease, error) {
      return fenced('job-fail', lease, { error });
    },

    async retry(lease, error, runAt) {
      return fenced('job-retry', lease, { error, runAt });
    },

    async release(lease) {
      return fenced('job-release', lease);
    },

    async rescue(options = {}) {
      const { rows } = await ctx.run<RescueRow>('job-rescue', {
        now: ctx.now(), expiredBefore: ctx.leaseNow() - (options.graceMs ?? 0),
        backoffBaseMs: options.backoffBaseMs ?? defaultBackoffBaseMs, backoffMaxMs: options.backoffMaxMs ?? defaultBackoffMaxMs,
      });
      return rescueResult(rows);
    },

    async cancel(filter) {
      const r = await ctx.runFiltered('job-cancel', filter, { now: ctx.now(), error: 'cancelled' });
      return r.rowCount ?? 0;
    },

    async requeue(filter) {
      // Takes turns with enqueue (the same advisory lock): an enqueue for the same work in flight
      // would not see the requeued row as pending, nor this UPDATE its uncommitted row, leaving two
      // pending jobs for one piece of work. After the lock, the UPDATE's snapshot sees it committed.
      // The datasets whose jobs went back to pending get a new mark (retry_marks, migration 043),
      // drawn from the job id sequence under the same lock enqueue draws job ids under, in the
      // requeue's own statement (job-requeue.sql): the same job ids would not move the dataset's
      // newest job id, so the snapshot taken while they were cancelled or failed would stay the
      // last once they completed.
      return ctx.tx(async (client) => {
        await ctx.run('job-enqueue-lock', {}, client);
        // One statement requeues and moves the marks: the requeued rows never leave the server.
        const { rows } = await ctx.runFiltered<{ requeued: number }>('job-requeue', filter, { now: ctx.now() }, client);
        return rows[0].requeued;
      });
    },

    async prune({ before, statuses, signal }) {
      if (statuses.length === 0) return 0;
      const prune = async (on?: Queryable) => (await ctx.run('job-prune', { before, statuses }, on)).rowCount ?? 0;
      // One DELETE: a stop's cancel rolls it back whole.
      return signal ? runCancellable(ctx, signal, 0, prune) : prune();
    },

    async reset() {
      return ctx.tx(async (client) => {
        const cancelled = (await ctx.runFiltered('job-cancel', undefined, { now: ctx.now(), error: 'cancelled: queue reset' }, client)).rowCount ?? 0;
        const deleted = (await ctx.run('job-reset', {}, client)).rowCount ?? 0;
        return { cancelled, deleted };
      });
    },
  };
}
