import { defaultBackoffBaseMs, defaultBackoffMaxMs } from '../../queue/backoff.js';
import type { ClaimedJob, Lease } from '../../queue/job.js';
import type { QueueStore } from '../../queue/queue-store.js';
import { claimedFromRows, jobFromRow, jobRowFromValues, rescueResult, type RescueRow, storedProgress, toJsonText, type JobRow } from './job-rows.js';
import { busy, lockedError, type SqliteContext } from './sqlite-context.js';
import { enqueueInTransaction, wakeAfterEnqueue } from './sqlite-enqueue.js';
import { lockWaits } from './sqlite-lock-waits.js';

type JobWrites = Pick<QueueStore,
  'enqueue' | 'claim' | 'renew' | 'lost' | 'progress' | 'complete' | 'fail' | 'retry' | 'release' |
  'rescue' | 'cancel' | 'requeue' | 'prune' | 'reset'>;

/**
 * A retry's share of the planning cycle (migration 043): the datasets whose jobs it puts back to
 * pending get a new mark, drawn from the jobs' AUTOINCREMENT counter in the retry's transaction,
 * so a snapshot is due again once those jobs settle (the same job ids would not move the newest
 * job id, and the snapshot taken while they were cancelled or failed would stay the last).
 * Set-based: job-requeue-marks.sql writes the marks from job-requeue.sql's own WHERE clause just
 * before the requeue runs, and the counter moves only when it wrote one. Returns the jobs requeued.
 */
function requeueWithMarks(ctx: SqliteContext, filter: Parameters<SqliteContext['jobFilter']>[0]): number {
  const { sql, params } = ctx.jobFilter(filter);
  const requeue = ctx.text('job-requeue').replaceAll('{{filter}}', sql);
  const where = requeue.slice(requeue.search(/^ WHERE /m)).replace(/;\s*$/, '');
  const marks = ctx.prepare(ctx.text('job-requeue-marks').replace('{{where}}', () => where)).run(params).changes;
  const n = ctx.prepare(requeue).run({ ...params, now: ctx.now() }).changes;
  if (marks > 0) ctx.prepare("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'jobs'").run();
  return n;
}

/**
 * Every transition of job-state.ts, one query file each. Worker writes are fenced by
 * (id, lease_token, status = 'running'): `changes === 0` means the caller lost the job.
 */
export function sqliteJobWrites(ctx: SqliteContext): JobWrites & { settleWaiting(): void } {
  const fenced = (name: string, lease: Lease, params: Record<string, unknown> = {}) =>
    ctx.write(() => ctx.stmt(name).run({ jobId: lease.jobId, leaseToken: lease.leaseToken, now: ctx.now(), ...params }).changes === 1);

  const completions = completionBatcher(ctx);
  let claimedGet: ReturnType<typeof rawJobGet> | null = null;

  return {
    /** For close: the completes still waiting in a batch are written now (see completionBatcher). */
    settleWaiting: () => completions.settleNow(),

    async enqueue(jobs, options) {
      const result = ctx.write(() => enqueueInTransaction(ctx, jobs, options));
      wakeAfterEnqueue(ctx, result);
      return result;
    },

    async claim({ workerId, limit, leaseMs, signal }) {
      if (limit <= 0) return [];
      // Completes waiting in the batch go out in the claim's transaction: one lock and one commit
      // for a worker's finished jobs and its next ones. A transaction that did not commit wrote
      // none of them: they go back to the batch (which writes them on its own, or close() does),
      // whether it was rolled back as busy (tryWrite may run fn and then meet the lock: it is run
      // again, and would take only what arrived since) or the claim failed for its own reasons.
      let taken: CompletionItem[] = [];
      let settled: boolean[] = [];
      const giveBack = () => {
        completions.giveBack(taken);
        taken = [];
        settled = [];
      };
      let leases: Array<{ id: number; lease_token: string }> | typeof gaveUp;
      try {
        // A stop while it waits for another process's write lock ends the wait: nothing was claimed.
        leases = await writeWithoutBlocking(ctx, () => {
          const now = ctx.now();
          taken = completions.take();
          settled = taken.length > 0 ? completeAll(ctx, taken, now) : [];
          return ctx.stmt('job-claim').all({ now, leaseExpiresAt: now + leaseMs, workerId, limit }) as Array<{ id: number; lease_token: string }>;
        }, giveBack, signal);
      } catch (error) {
        giveBack();
        throw error;
      }
      if (leases === gaveUp) return [];
      taken.forEach((item, i) => item.resolve(settled[i]));
      if (leases.length === 0) return [];
      // The rows are read after the commit, outside the write lock another worker process may be
      // waiting for, one primary-key seek each (job-get.sql: a seek whatever the statistics say,
      // where an IN list over the ids scanned the table with a handful-of-rows statistics). Another
      // connection may have changed a row since: cancelled it (and requeued it, and another worker
      // claimed it) or deleted it (a reset). Every such write clears or replaces the lease token,
      // so a row that still holds the claim's token is as the claim left it; any other is no
      // longer this worker's job and is not handed out (its handler would run beside the new
      // holder's, on a row describing that holder's attempt, until lost() caught it).
      claimedGet ??= rawJobGet(ctx);
      const { get, row: toRow } = claimedGet;
      const read = () => leases.flatMap((lease) => {
        const values = get.get(lease.id) as unknown[] | undefined;
        const row = values && toRow(values);
        return row && row.lease_token === lease.lease_token && row.status === 'running' ? [row] : [];
      });
      // One read snapshot for many; one job (a forecast worker's usual claim) needs none.
      return claimedFromRows(leases.length === 1 ? read() : ctx.read(read));
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
        }) as RescueRow[];
      });
      const result = rescueResult(rows);
      if (result.rescued > 0) ctx.wake('jobs');
      return result;
    },

    async cancel(filter) {
      const n = ctx.write(() => {
        const { stmt, params } = ctx.filtered('job-cancel', filter);
        return stmt.run({ ...params, now: ctx.now(), error: 'cancelled' }).changes;
      });
      if (n > 0) ctx.wake('cancel');
      return n;
    },

    async requeue(filter) {
      const n = ctx.write(() => {
        return requeueWithMarks(ctx, filter);
      });
      if (n > 0) ctx.wake('jobs');
      return n;
    },

    async prune({ before, statuses }) {
      if (statuses.length === 0) return 0;
      return ctx.write(() => {
        const deleted = ctx.stmt('job-prune').run({ before, statuses: JSON.stringify(statuses) }).changes;
        if (deleted > 0) ctx.stmt('job-prune-batches').run();
        return deleted;
      });
    },

    async reset() {
      const out = ctx.write(() => {
        const { stmt, params } = ctx.filtered('job-cancel', undefined);
        const cancelled = stmt.run({ ...params, now: ctx.now(), error: 'cancelled: queue reset' }).changes;
        const deleted = ctx.stmt('job-reset').run().changes;
        ctx.stmt('job-reset-batches').run();
        return { cancelled, deleted };
      });
      if (out.cancelled > 0) ctx.wake('cancel');
      return out;
    },
  };
}

/** job-get.sql as arrays (the claim's read of up to 256 rows), and their JobRow. */
function rawJobGet(ctx: SqliteContext) {
  // Its own statement, not the shared cache's: raw mode is a property of the statement.
  const get = ctx.db.prepare(ctx.text('job-get').replace(':id', '?')).raw();
  return { get, row: jobRowFromValues(get.columns()) };
}

/** The lock waits of one wait for the write lock (see sqlite-lock-waits.ts). */
function lockWaitsOf(ctx: SqliteContext): () => number {
  return lockWaits(Date.now, () => {
    try {
      return ctx.prepare('PRAGMA data_version').pluck().get() as number;
    } catch {
      return null;
    }
  });
}

/** What writeWithoutBlocking answers when its signal was aborted while it waited: nothing written. */
const gaveUp: unique symbol = Symbol('gave up');

/**
 * Runs fn in a write transaction once the write lock is free, waiting in the event loop instead of
 * in SQLite's busy handler (which blocks the process): the worker's handlers and timers go on
 * meanwhile. Gives up like the busy handler would, with SQLITE_BUSY, after the busy timeout, and
 * answers `gaveUp` when `signal` was aborted while it waited (each try is a transaction of its own,
 * committed or rolled back before the next turn: a try in flight cannot commit later).
 * `rolledBack` is told after each try that met the lock (fn may have run; it was rolled back).
 */
async function writeWithoutBlocking<T>(ctx: SqliteContext, fn: () => T, rolledBack?: () => void, signal?: AbortSignal): Promise<T | typeof gaveUp> {
  const deadline = Date.now() + ctx.busyTimeoutMs;
  let waits: (() => number) | null = null;
  for (;;) {
    if (signal?.aborted) return gaveUp;
    const out = ctx.tryWrite(fn);
    if (out !== busy) return out;
    rolledBack?.(); // fn may have run before the lock was met: nothing of it was written
    if (Date.now() >= deadline) throw lockedError(ctx.busyTimeoutMs);
    waits ??= lockWaitsOf(ctx);
    const waitMs = waits();
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/** Leases per complete statement at most; fewer go in power-of-two pieces (nine statement shapes). */
const completeChunkRows = 256;
const completeTuple = '(?, ?, ?)';

/**
 * Completes the batch's leases inside the caller's transaction, in statements of up to 256 leases
 * (job-complete.sql) that never hold one job twice: the statement answers with the ids it
 * completed, which tell the leases apart only when each job appears once (a job's second
 * complete, or an old lease's beside a new one, goes in a later statement and is fenced there, as
 * it was when each complete was its own statement). One answer per lease, in order.
 */
export function completeAll(ctx: SqliteContext, batch: ReadonlyArray<{ lease: Lease; result: string | null }>, now: number): boolean[] {
  const results: boolean[] = new Array(batch.length).fill(false);
  const named = { now };
  let start = 0;
  while (start < batch.length) {
    const ids = new Set<number>();
    let end = start;
    while (end < batch.length && end - start < completeChunkRows && !ids.has(batch[end].lease.jobId)) { ids.add(batch[end].lease.jobId); end++; }
    for (let at = start; at < end;) {
      const rows = end - at;
      const size = rows >= completeChunkRows ? completeChunkRows : 2 ** Math.floor(Math.log2(rows));
      const args: unknown[] = [];
      for (let i = at; i < at + size; i++) args.push(batch[i].lease.jobId, batch[i].lease.leaseToken, batch[i].result);
      const done = new Set(completeStatement(ctx, size).all(args, named) as number[]);
      for (let i = at; i < at + size; i++) results[i] = done.has(batch[i].lease.jobId);
      at += size;
    }
    start = end;
  }
  return results;
}

/** job-complete.sql's text for `rows` leases: its VALUES tuple repeated. */
export function completeSql(text: string, rows: number): string {
  return rows === 1 ? text : text.replace(completeTuple, Array(rows).fill(completeTuple).join(', '));
}

/** The complete statement for `rows` leases, prepared once per size. */
function completeStatement(ctx: SqliteContext, rows: number) {
  return ctx.prepare(completeSql(ctx.text('job-complete'), rows)).pluck();
}

/** A complete waiting in the batch: its lease, its result's text, when it arrived, and its caller's answer. */
type CompletionItem = { lease: Lease; result: string | null; since: number; resolve(ok: boolean): void; reject(error: unknown): void };

/**
 * complete() calls share one write transaction: those made in the same turn of the event loop (a
 * worker finishing many short jobs at once), and all those that arrive while another process holds
 * the write lock: the batch waits in the event loop (not in SQLite's busy handler, which would
 * block the process) and grows until the lock is free. One lock and one commit for many, which is
 * what bounds a no-op drain on SQLite; each job is still fenced on its own lease token and gets
 * its own answer. After the busy timeout the waiting completes fail with SQLITE_BUSY, as before.
 * A claim made while a batch waits takes it into its own transaction (claim(), take, giveBack).
 */
function completionBatcher(ctx: SqliteContext) {
  type Item = CompletionItem;
  let pending: Item[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  let waits: (() => number) | null = null;
  let timerIsImmediate = false;
  const schedule = (delayMs: number) => {
    timerIsImmediate = delayMs === 0;
    // Two loop turns, not one: a claim asked for in the same turn as these completes (its loop
    // waits one turn) takes them into its own transaction first.
    timer = delayMs === 0 ? setImmediate(() => { timer = setImmediate(flush); }) : setTimeout(flush, delayMs);
  };
  const unschedule = () => {
    // Each kind by its own clear: clearImmediate() handed a Timeout takes its ref off the
    // immediates' count and marks it destroyed, so clearTimeout() then skips it. After a close
    // that found the batch waiting for the lock, the process's next setImmediate never ran.
    if (timer && timerIsImmediate) clearImmediate(timer as NodeJS.Immediate);
    else if (timer) clearTimeout(timer as NodeJS.Timeout);
    timer = null;
  };
  const writeAll = (batch: Item[]) => () => completeAll(ctx, batch, ctx.now());
  const answer = (batch: Item[], results: boolean[]) => batch.forEach((item, i) => item.resolve(results[i]));
  const flush = () => {
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    let results: boolean[] | typeof busy;
    try {
      results = ctx.tryWrite(writeAll(batch));
      if (results === busy && Date.now() - batch[0].since >= ctx.busyTimeoutMs) throw lockedError(ctx.busyTimeoutMs);
    } catch (error) {
      pending = [];
      waits = null;
      for (const item of batch) item.reject(error);
      return;
    }
    if (results === busy) {
      // Keep them (and whatever arrives meanwhile) for the next try.
      waits ??= lockWaitsOf(ctx);
      schedule(waits());
      return;
    }
    pending = [];
    waits = null;
    answer(batch, results);
  };
  return {
    add(lease: Lease, result: string | null): Promise<boolean> {
      return new Promise((resolve, reject) => {
        pending.push({ lease, result, since: Date.now(), resolve, reject });
        if (!timer) schedule(0);
      });
    },
    /**
     * Completes taken that their taker's transaction did not write: waiting again, ahead of those
     * that arrived since (their `since` kept, so the busy timeout still counts from their arrival).
     */
    giveBack(batch: Item[]): void {
      if (batch.length === 0) return;
      pending = batch.concat(pending);
      if (!timer) schedule(0);
    },
    /** The waiting batch, for a caller that writes it in its own transaction and answers it. */
    take(): Item[] {
      unschedule();
      const batch = pending;
      pending = [];
      waits = null;
      return batch;
    },
    /**
     * Writes the waiting batch at once, blocking in SQLite's busy handler (up to the busy timeout)
     * if another process holds the lock: the store is closing, and a finished job's result left
     * in the batch would be lost with the connection (the job run again after its lease expired).
     */
    settleNow(): void {
      unschedule();
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      waits = null;
      try {
        answer(batch, ctx.write(writeAll(batch)));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    },
  };
}
