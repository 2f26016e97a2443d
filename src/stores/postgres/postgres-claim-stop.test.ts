import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../queue/manual-clock.js';
import { Runner } from '../../queue/runner.js';
import { RecordingLogger } from '../../queue/testing/runner-harness.js';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { runCancellable } from './cancellable-statement.js';
import { parsePostgresUrl, poolConfig } from './postgres-connection.js';
import { createPgContext } from './postgres-context.js';
import type { JobRow } from './job-rows.js';
import { releaseClaimed } from './postgres-job-writes.js';
import { openPostgresStore } from './postgres-store.js';
import { PgPoolerProxy } from './pg-pooler-proxy.js';
import { PgFaultProxy } from './pg-fault-proxy.js';
import { pollDatabase } from './poll-database.js';
import { createPostgresTestSchema, postgresTestUrl, type PostgresTestSchema } from './postgres-test-schema.js';

/**
 * A stop while the claim waits on a lock (a recount's SHARE lock, a migration, an operator's LOCK
 * TABLE): the claim is cancelled, or hands back what it committed, before the store closes. Before,
 * the drain gave up on it at its deadline, the store closed, and once the lock went the claim
 * committed: its jobs stayed running under a lease nobody renewed until it expired.
 */
const baseUrl = postgresTestUrl('PostgreSQL claim at a stop');

if (baseUrl) {
  describe('PostgreSQL claim at a stop', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    const setup = async (label: string) => {
      const db = await createPostgresTestSchema(baseUrl, label);
      cleanups.push(db.drop);
      const store = await openPostgresStore(`${db.url}&connection_limit=2`);
      cleanups.push(() => store.close());
      await store.migrate();
      const { firstId } = await store.enqueue([newJob({ datasetId: null })], { batchId: 'b-1', supersede: false, reuse: false });
      return { db, store, jobId: firstId! };
    };

    /** Another session that holds `LOCK TABLE jobs IN SHARE MODE` (writers wait, readers do not) until release(). */
    const lockJobs = async (db: PostgresTestSchema) => {
      const client = new pg.Client({ connectionString: baseUrl, options: `-c search_path=${db.schema}` });
      client.on('error', () => undefined);
      await client.connect();
      let held = true;
      const release = async () => {
        if (!held) return;
        held = false;
        try {
          await client.query('COMMIT');
        } finally {
          await client.end();
        }
      };
      cleanups.push(release); // before the lock: a failed BEGIN or LOCK must not leave the session open
      await client.query('BEGIN');
      await client.query('LOCK TABLE jobs IN SHARE MODE');
      return { release };
    };

    /** Resolves once a statement waits for a lock on the schema's jobs table (the claim, blocked). */
    const claimBlocked = async (db: PostgresTestSchema) => {
      const observer = new pg.Client({ connectionString: baseUrl });
      observer.on('error', () => undefined);
      await observer.connect();
      try {
        await pollDatabase('a statement waiting for a lock on the jobs table', async () => ((await observer.query(
          `SELECT 1 FROM pg_locks AS l JOIN pg_class AS c ON c.oid = l.relation JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE NOT l.granted AND c.relname = 'jobs' AND n.nspname = $1`, [db.schema])).rowCount ?? 0) > 0);
      } finally {
        await observer.end();
      }
    };

    /** The job's row as the database holds it, lease included. */
    const row = async (db: PostgresTestSchema, id: number) => {
      const client = new pg.Client({ connectionString: baseUrl });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const { rows } = await client.query<{ status: string; leased: boolean; attempts: number }>(
          `SELECT status, lease_token IS NOT NULL OR lease_expires_at IS NOT NULL AS leased, attempts FROM ${db.schema}.jobs WHERE id = $1`, [id]);
        return rows[0];
      } finally {
        await client.end();
      }
    };

    it('a drain whose deadline passes while the claim waits on a lock leaves no job running once the store closed', async () => {
      const { db, store, jobId } = await setup('claim_stop');
      const lock = await lockJobs(db);
      const clock = new ManualClock();
      const logger = new RecordingLogger();
      const runner = new Runner({
        store, handler: { run: async () => 'done' }, workerId: 'w-stop', logger, clock, concurrency: 1, watch: false,
      });
      await runner.start();
      await claimBlocked(db);
      const drained = runner.drain(1_000);
      await clock.advance(1_000); // the deadline: past it, nothing more of this worker runs
      expect(await drained).toEqual({ finished: 0, released: 0 });
      // skucast worker closes its store after the drain; the lock goes meanwhile.
      const closing = store.close();
      await lock.release();
      await closing;

      // Was running, its lease 30 s out and an attempt used: the claim committed once the lock
      // went, after the drain, and its release found the store closed.
      expect(await row(db, jobId)).toEqual({ status: 'pending', leased: false, attempts: 0 });
      expect(logger.events('claim')).toEqual([]);
      expect(logger.events('claim-failed')).toEqual([]); // a cancelled claim is not a failure
    });

    it('behind a pooler that hands out backend keys of its own (PgBouncer), the stop still cancels the claim waiting on a lock', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'claim_pooler');
      cleanups.push(db.drop);
      const target = new URL(baseUrl);
      const pooler = await PgPoolerProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => pooler.stop());
      const store = await openPostgresStore(`${pooler.url(db.url)}&connection_limit=2`);
      cleanups.push(() => store.close());
      await store.migrate();
      const { firstId: jobId } = await store.enqueue([newJob({ datasetId: null })], { batchId: 'b-1', supersede: false, reuse: false });
      const lock = await lockJobs(db);
      const abort = new AbortController();
      const claiming = store.claim({ workerId: 'w-pooled', limit: 5, leaseMs: 30_000, signal: abort.signal });
      await claimBlocked(db);
      abort.abort();
      // Was: pg_cancel_backend(<the pooler's pid>) found no such process, and the claim waited
      // for the lock, which goes only after it answers.
      expect(await claiming).toEqual([]);
      await lock.release();
      expect(await row(db, jobId!)).toEqual({ status: 'pending', leased: false, attempts: 0 });
    }, 15_000);

    it('a signal aborted once the claim has answered takes nothing back: the caller holds the jobs and releases them', async () => {
      const { db, store, jobId } = await setup('claim_after_commit');
      const abort = new AbortController();
      const claimed = await store.claim({ workerId: 'w-late', limit: 5, leaseMs: 30_000, signal: abort.signal });
      abort.abort(); // the call is over: nothing listens to the signal any more
      expect(claimed.map((c) => c.jobId)).toEqual([jobId]);
      expect(await row(db, jobId)).toEqual({ status: 'running', leased: true, attempts: 1 });
      expect(await store.release(claimed[0])).toBe(true);
    });

    it('an aborted claim waiting on a lock resolves with nothing and claims nothing when the lock goes', async () => {
      const { db, store, jobId } = await setup('claim_abort');
      const lock = await lockJobs(db);
      const abort = new AbortController();
      const claiming = store.claim({ workerId: 'w-abort', limit: 5, leaseMs: 30_000, signal: abort.signal });
      await claimBlocked(db);
      abort.abort();
      expect(await claiming).toEqual([]);
      await lock.release();
      expect(await row(db, jobId)).toEqual({ status: 'pending', leased: false, attempts: 0 });
      // The pool goes on: the cancelled claim's connection was closed, not handed to the next caller.
      expect((await store.claim({ workerId: 'w-next', limit: 5, leaseMs: 30_000 })).map((c) => c.jobId)).toEqual([jobId]);
    }, 15_000); // before: the claim waited for the lock, which the test releases only after it

    it('store.claim names the jobs of a claim that committed before the stop\'s cancel, which it released itself (ClaimRequest.onReleased)', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'claim_released_named');
      cleanups.push(db.drop);
      const target = new URL(baseUrl);
      const proxy = await PgFaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.stop());
      // One pooled connection, open and idle once the setup is done: the claim runs on it.
      const store = await openPostgresStore(`${proxy.url(db.url)}&connection_limit=1`);
      cleanups.push(() => store.close());
      await store.migrate();
      const { firstId, lastId } = await store.enqueue([newJob({ datasetId: null }), newJob({ datasetId: null })], { batchId: 'b-1', supersede: false, reuse: false });
      const running = async () => {
        const client = new pg.Client({ connectionString: baseUrl });
        client.on('error', () => undefined);
        await client.connect();
        try {
          return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${db.schema}.jobs WHERE status = 'running'`)).rows[0].n;
        } finally {
          await client.end();
        }
      };
      // The claim's answer is on its way (held in the proxy) when the stop comes: it has committed.
      const letThrough = proxy.holdReplies();
      const abort = new AbortController();
      const named: number[][] = [];
      const claiming = store.claim({ workerId: 'w-named', limit: 5, leaseMs: 30_000, signal: abort.signal, onReleased: (ids) => named.push(ids) });
      await pollDatabase('the claim committed', async () => (await running()) === 2);
      abort.abort(); // its cancel reaches an idle backend: dropped
      letThrough();
      expect(await claiming).toEqual([]);
      // Was: released without a word, so the worker's stop line and its `released` counter missed them.
      expect(named).toEqual([[firstId, lastId]]);
      expect(await running()).toBe(0);
      for (const id of [firstId!, lastId!]) expect(await row(db, id)).toEqual({ status: 'pending', leased: false, attempts: 0 });
    }, 15_000);

    it('a claim that committed before the stop\'s cancel could land is released by the store on its own connection, and the call answers as cancelled', async () => {
      const { db, store, jobId } = await setup('claim_take_back');
      const { firstId: secondId } = await store.enqueue([newJob({ datasetId: null })], { batchId: 'b-2', supersede: false, reuse: false });
      const settings = parsePostgresUrl(`${db.url}&connection_limit=1`);
      const pool = new pg.Pool(poolConfig(settings));
      pool.on('error', () => undefined);
      const ctx = createPgContext(pool, settings, Date.now);
      const stop = new AbortController();
      const answer = await runCancellable<JobRow[]>(ctx, stop.signal, [], async (client) => {
        const { rows } = await ctx.run<JobRow>('job-claim', { now: Date.now(), leaseExpiresAt: Date.now() + 30_000, workerId: 'w-late', limit: 5 }, client);
        stop.abort(); // the stop comes once the claim has committed: its cancel finds nothing to stop
        void pool.end(); // and the worker closes its store: the pool waits for this connection
        return rows;
      }, (rows, client) => releaseClaimed(ctx, rows, client)); // the store's own release (claim() passes it)
      expect(answer).toEqual([]); // as cancelled: the caller holds nothing
      // Both released (on the claim's own connection: the pool was closing), their attempts given back.
      for (const id of [jobId, secondId!]) expect(await row(db, id)).toEqual({ status: 'pending', leased: false, attempts: 0 });
      expect(await store.claim({ workerId: 'w-next', limit: 5, leaseMs: 30_000 })).toHaveLength(2);
    });
  });
}
