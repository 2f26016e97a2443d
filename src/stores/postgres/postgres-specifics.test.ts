import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { staleWorkerMs } from '../../queue/job.js';
import { jobs, waitFor } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import { closedPort, PgFaultProxy } from './pg-fault-proxy.js';
import { openPostgresStore } from './postgres-store.js';
import { postgresTestUrl } from './postgres-test-schema.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { loadSqlFiles } from '../sql-files.js';

/** What only PostgreSQL does: concurrent migrations, SKIP LOCKED, LISTEN/NOTIFY, connection faults. */
const baseUrl = postgresTestUrl('PostgreSQL store specifics');

if (baseUrl) {
  describe('PostgreSQL specifics', () => {
    const { cleanups, schema, open, admin } = postgresTestHarness(baseUrl);

    it('several processes migrating a new schema at once apply each migration exactly once', async () => {
      const db = await schema('migrate');
      // a schema that does not exist yet: migrate must create it, under the same lock
      const url = db.url.replace(db.schema, `${db.schema}_new`);
      cleanups.push(() => admin((c) => c.query(`DROP SCHEMA IF EXISTS ${db.schema}_new CASCADE`)).then(() => undefined));
      const stores = await Promise.all(Array.from({ length: 6 }, () => open(url, 2)));
      await Promise.all(stores.map((s) => s.migrate()));
      await Promise.all(stores.map((s) => s.migrate()));
      const versions = await admin((c) => c.query(`SELECT version FROM ${db.schema}_new.schema_migrations ORDER BY version`));
      const files = [...loadSqlFiles('postgres', 'migrations').keys()].map((name) => Number(name.split('_')[0]));
      expect(files.length).toBeGreaterThanOrEqual(3);
      expect(versions.rows.map((r) => r.version)).toEqual(files);
      await stores[0].enqueue(jobs(3), { batchId: 'after-migrate' });
      expect((await stores[5].summary()).pending).toBe(3);
    });

    it('migrate says which migrations it applied (none the second time) and refuses a schema a newer release migrated', async () => {
      const db = await schema('newer');
      const store = await open(db.url, 2);
      expect((await store.migrate()).length).toBe(loadSqlFiles('postgres', 'migrations').size);
      expect(await store.migrate()).toEqual([]);
      await admin((c) => c.query(`INSERT INTO ${db.schema}.schema_migrations (version, name, applied_at) VALUES (999, '999_later', 0)`));
      await expect(store.migrate()).rejects.toThrow(/schema is newer than this Skucast knows: it has migration 999 \(999_later\)/);
    });

    it('040: a count of jobs waiting for a thread is read only at the heartbeat it was sent with, not after a pre-040 worker beats under the same id', async () => {
      const db = await schema('waiting');
      const store = await open(db.url, 2);
      await store.migrate();
      const w = { workerId: 'w-fixed', host: 'h', pid: 1, concurrency: 2, startedAt: 1_000, lastHeartbeatAt: 1_000, running: 4, status: 'running' as const };
      await store.heartbeatWorker({ ...w, waitingForThread: 2 });
      expect((await store.listWorkers())[0].waitingForThread).toBe(2);
      // The code rolled back (040 stays applied): a process restarted with the same --worker-id
      // beats with the heartbeat of 039's release, which writes no count.
      await admin((c) => c.query(`INSERT INTO ${db.schema}.workers AS workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
        VALUES ('w-fixed', 'h', 2, 2, 9000, 9000, 3, 'running', NULL)
        ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, started_at = excluded.started_at,
          last_heartbeat_at = excluded.last_heartbeat_at, running = excluded.running, status = excluded.status
        WHERE workers.started_at <= excluded.started_at`));
      const [info] = await store.listWorkers();
      expect(info).toMatchObject({ pid: 2, running: 3 });
      expect(info.waitingForThread).toBeUndefined(); // the API estimates it for this worker, not 2 forever
    });

    it("041: a beat's age is read on the database's clock, whatever the worker's clock says (10 minutes behind, or ahead)", async () => {
      const db = await schema('heard');
      const store = await open(db.url, 2);
      await store.migrate();
      const now = Date.now();
      const w = { host: 'h', pid: 1, concurrency: 2, running: 0, status: 'running' as const };
      await store.heartbeatWorker({ ...w, workerId: 'w-behind', startedAt: now - 600_000, lastHeartbeatAt: now - 600_000 });
      await store.heartbeatWorker({ ...w, workerId: 'w-ahead', startedAt: now + 600_000, lastHeartbeatAt: now + 600_000 });
      const workers = await store.listWorkers();
      expect(workers).toHaveLength(2);
      // Both just beat: their ages are what passed on the server since it heard them, not 10 minutes either way.
      for (const worker of workers) expect(worker.heartbeatAgeMs).toBeLessThan(staleWorkerMs);
      for (const worker of workers) expect(worker.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
      // A beat the database has no reading of (a worker older than 041 beat last): no age, the API's clock serves.
      await admin((c) => c.query(`UPDATE ${db.schema}.workers SET last_heartbeat_at = last_heartbeat_at + 1 WHERE worker_id = 'w-behind'`));
      expect((await store.listWorkers()).find((x) => x.workerId === 'w-behind')?.heartbeatAgeMs).toBeUndefined();
    });

    it("041: a start under the same id takes the row over when the database has not heard it for a minute, not by comparing the two starts' clocks", async () => {
      const db = await schema('heard_takeover');
      const store = await open(db.url, 2);
      await store.migrate();
      const t0 = 1_750_000_000_000;
      const w = { workerId: 'w-fixed', host: 'h', concurrency: 1, running: 0, status: 'running' as const };
      // A later start on a node whose clock runs 10 minutes ahead: by the two clocks it beat just
      // now, but the database last heard it 2 minutes ago (dead). An earlier start's beat takes over.
      await store.heartbeatWorker({ ...w, pid: 2, startedAt: t0 + 600_000, lastHeartbeatAt: t0 + 600_000, counters: { completed: 5 } });
      await admin((c) => c.query(`UPDATE ${db.schema}.worker_heard SET heard_at = heard_at - 120000`));
      expect(await store.heartbeatWorker({ ...w, pid: 1, startedAt: t0, lastHeartbeatAt: t0 + 1_000, counters: { completed: 3 } })).toBe(true);
      expect((await store.listWorkers()).map((x) => x.pid)).toEqual([1]);
      expect(await store.workerEventTotals()).toMatchObject({ completed: 8 }); // the replaced start's 5 retired

      // A later start on a node 10 minutes behind, heard just now (live): a beat of an earlier start
      // dated 10 minutes after it by its own clock is kept out.
      await store.heartbeatWorker({ ...w, pid: 3, startedAt: t0 + 2_000, lastHeartbeatAt: t0 + 2_000, counters: { completed: 1 } });
      expect(await store.heartbeatWorker({ ...w, pid: 1, startedAt: t0, lastHeartbeatAt: t0 + 600_000, counters: { completed: 3 } })).toBe(false);
      expect((await store.listWorkers()).map((x) => x.pid)).toEqual([3]);
      expect(await store.workerEventTotals()).toMatchObject({ completed: 5 + 3 + 1 }); // pid 1's 3 retired when pid 3 replaced it, once
    });

    it('040 leaves `workers` as it was: worker-list as a process older than 040 prepared it on its connection still runs after the migration', async () => {
      const db = await schema('waiting-rolling');
      const store = await open(db.url, 2);
      await store.migrate();
      await store.heartbeatWorker({ workerId: 'w-1', host: 'h', pid: 1, concurrency: 2, startedAt: 1_000, lastHeartbeatAt: 1_000, running: 4, waitingForThread: 2, status: 'running' });
      // The schema as 039 left it, and an API process of 039 that has run its worker-list (a named
      // prepared statement, `SELECT *` then) on its pooled connection, as /api/health does each poll.
      await admin((c) => c.query(`DROP TABLE ${db.schema}.worker_waiting; DELETE FROM ${db.schema}.schema_migrations WHERE version = 40`));
      const old = new pg.Client({ connectionString: baseUrl, options: `-c search_path=${db.schema}` });
      old.on('error', () => undefined);
      await old.connect();
      cleanups.push(() => old.end());
      const workerList039 = { name: 'worker-list', text: 'SELECT * FROM workers ORDER BY started_at, worker_id' };
      expect((await old.query(workerList039)).rows).toEqual([expect.objectContaining({ worker_id: 'w-1', running: 4 })]);
      // The first process of the new release migrates.
      expect(await store.migrate()).toEqual(['040_worker_waiting']);
      await store.heartbeatWorker({ workerId: 'w-1', host: 'h', pid: 1, concurrency: 2, startedAt: 1_000, lastHeartbeatAt: 6_000, running: 3, waitingForThread: 1, status: 'running' });
      // A new column of `workers` failed this with 0A000 (cached plan must not change result type).
      expect((await old.query(workerList039)).rows).toEqual([expect.objectContaining({ worker_id: 'w-1', running: 3 })]);
      expect((await store.listWorkers())[0]).toMatchObject({ running: 3, waitingForThread: 1 });
    });

    it("a worker's store (warmPool) has opened both pooled connections and run the claim and the complete on each by the time watch() returns", async () => {
      const db = await schema('warm');
      const store = await openPostgresStore(db.url, { poolMax: 2, warmPool: true });
      cleanups.push(() => store.close());
      await store.migrate();
      const id = (await store.enqueue(jobs(1), { batchId: 'before-warm' })).firstId!;
      const before = await store.getJob(id);
      const unwatch = await store.watch(() => undefined);
      cleanups.push(unwatch);
      // pg_stat_activity.query: the last statement each pooled connection ran
      const { rows } = await admin((c) => c.query<{ query: string }>(
        'SELECT query FROM pg_stat_activity WHERE application_name = $1', [`skucast:${db.schema}`.slice(0, 63)]));
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.query).toMatch(/^UPDATE jobs AS j\s+SET status = 'completed'/);
      // Nothing changed: the pending job as it was, and the counters.
      expect(await store.getJob(id)).toEqual(before);
      expect(await store.summary()).toMatchObject({ pending: 1, running: 0, completed: 0 });
    });

    it("a worker's store whose warm-up fails (no jobs table yet) says so once and works once migrated", async () => {
      const db = await schema('warm_fails');
      const failures: unknown[] = [];
      const store = await openPostgresStore(db.url, { poolMax: 2, warmPool: true, onWarmFailure: (e) => failures.push(e) });
      cleanups.push(() => store.close());
      const unwatch = await store.watch(() => undefined);
      cleanups.push(unwatch);
      expect(failures).toHaveLength(1);
      expect(String((failures[0] as Error).message)).toMatch(/jobs/);
      await store.migrate();
      await store.enqueue(jobs(1), { batchId: 'after-warm-failure' });
      expect(await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 })).toHaveLength(1);
    });

    it("a worker's store (poolMax 2, the URL silent) holds at most 2 pooled connections plus its LISTEN one, under 200 concurrent writes", async () => {
      const db = await schema('pool2');
      const store = await openPostgresStore(db.url, { poolMax: 2 });
      cleanups.push(() => store.close());
      await store.migrate();
      const unwatch = await store.watch(() => undefined);
      cleanups.push(unwatch);
      await store.enqueue(jobs(200), { batchId: 'pool2' });
      const claimed = (await Promise.all(Array.from({ length: 20 }, () => store.claim({ workerId: 'w', limit: 10, leaseMs: 30_000 })))).flat();
      expect(claimed).toHaveLength(200);
      let most = 0;
      const count = () => admin((c) => c.query<{ n: number; listen: number }>(
        "SELECT count(*)::int AS n, count(*) FILTER (WHERE application_name LIKE 'skucast-listen%')::int AS listen FROM pg_stat_activity WHERE application_name LIKE $1",
        [`%:${db.schema}`]));
      const writes = Promise.all(claimed.map((c, i) => (i % 2 ? store.complete(c, { i }) : store.progress(c, 50))));
      while (most === 0 || !(await Promise.race([writes.then(() => true), new Promise((r) => setTimeout(() => r(false), 5))]))) {
        const { rows } = await count();
        most = Math.max(most, rows[0].n);
        expect(rows[0].listen).toBe(1);
      }
      expect(await writes).toEqual(claimed.map(() => true));
      expect(most).toBeGreaterThanOrEqual(2);
      expect(most).toBeLessThanOrEqual(3);
      // The URL still wins over the default.
      const wide = await openPostgresStore(`${db.url}&connection_limit=5`, { poolMax: 2 });
      cleanups.push(() => wide.close());
      await Promise.all(Array.from({ length: 12 }, () => wide.summary()));
      const { rows } = await count();
      expect(rows[0].n).toBeGreaterThanOrEqual(most + 3);
    });

    it('listenUrl sends the LISTEN connection elsewhere (PgBouncer: the pool through it, LISTEN direct), in the store\'s schema', async () => {
      const db = await schema('listenurl');
      const port = await closedPort();
      const store = await openPostgresStore(db.url, { listenUrl: `postgres://postgres@127.0.0.1:${port}/nowhere` });
      cleanups.push(() => store.close());
      await store.migrate();
      const unwatch = await store.watch(() => undefined);
      cleanups.push(unwatch);
      await store.enqueue(jobs(1), { batchId: 'l' }); // the pool works
      const listening = () => admin((c) => c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [`skucast-listen:${db.schema}`]));
      expect((await listening()).rows[0].n).toBe(0);
      const direct = await openPostgresStore(db.url, { listenUrl: baseUrl });
      cleanups.push(() => direct.close());
      let woken = 0;
      cleanups.push(await direct.watch(() => void woken++));
      expect((await listening()).rows[0].n).toBe(1);
      await store.enqueue(jobs(1), { batchId: 'l2' });
      await waitFor(() => woken > 0, 5_000, 'a NOTIFY on the listen URL for the store\'s schema');
    });

    it('onListenTrouble tells once when the LISTEN connection cannot be opened or is lost, not at every retry, and once when it listens again', async () => {
      const db = await schema('listentrouble');
      const target = new URL(baseUrl);
      const proxy = await PgFaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.stop());
      const troubles: string[] = [];
      const store = await openPostgresStore(db.url, {
        listenUrl: proxy.url(baseUrl),
        onListenTrouble: (t) => troubles.push(t.state === 'listening' ? 'listening' : `${t.state}: ${(t.error as Error).message}`),
      });
      cleanups.push(() => store.close());
      await store.migrate();
      await proxy.stop(); // a DATABASE_LISTEN_URL nothing answers on: was silent
      cleanups.push(await store.watch(() => undefined));
      expect(troubles).toHaveLength(1);
      expect(troubles[0]).toMatch(/^failed: .*ECONNREFUSED/);
      await proxy.resume();
      await waitFor(() => troubles.length > 1, 10_000, 'the LISTEN connection back');
      // the retries that failed while it was down (100, 200, 400 ms ...) reported nothing more
      expect(troubles).toEqual([troubles[0], 'listening']);
      await proxy.stop();
      await waitFor(() => troubles.length > 2, 20_000, 'the lost connection noticed');
      expect(troubles[2]).toMatch(/^lost: /);
      await proxy.resume();
      await waitFor(() => troubles.length > 3, 10_000, 'listening again');
      expect(troubles.slice(3)).toEqual(['listening']);
    });

    it('counters: TRUNCATE zeroes them; rows written with triggers off drift, claimable still sees them, recount repairs', async () => {
      const db = await schema('recount');
      const store = await open(db.url);
      await store.migrate();
      await store.enqueue(jobs(3), { batchId: 'b' });
      await admin((c) => c.query(`TRUNCATE ${db.schema}.jobs`));
      expect(await store.summary()).toMatchObject({ pending: 0, total: 0 });
      await admin(async (c) => {
        await c.query('BEGIN');
        await c.query("SET LOCAL session_replication_role = 'replica'"); // as a restore does: no triggers
        await c.query(`INSERT INTO ${db.schema}.jobs (batch_id, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
                       VALUES ('by-hand', 'X', 'naive', 'grid', 'manual_trigger', 3, 'pending', 1, 1, 1)`);
        await c.query('COMMIT');
      });
      expect((await store.summary()).pending).toBe(0);
      expect(await store.claimable()).toBe(true);
      expect(await store.recount()).toEqual([{ status: 'pending', counted: 0, actual: 1 }]);
      expect((await store.summary()).pending).toBe(1);
      expect(await store.recount()).toEqual([]);
    });

    it('leases run on the database clock: hosts an hour apart never rescue each other\'s healthy jobs', async () => {
      const db = await schema('clock');
      const onTime = await open(db.url);
      await onTime.migrate();
      const behind = await openPostgresStore(db.url, { now: () => Date.now() - 3_600_000, leaseClock: 'database' });
      cleanups.push(() => behind.close());
      const ahead = await openPostgresStore(db.url, { now: () => Date.now() + 3_600_000, leaseClock: 'database' });
      cleanups.push(() => ahead.close());
      // run_at is written on the enqueuing host's clock: each host claims a job due by its own
      await onTime.enqueue(jobs(1), { batchId: 'on-time' });
      await behind.enqueue(jobs(1, { sku: 'late' }), { batchId: 'behind' });
      const [mine] = await onTime.claim({ workerId: 'on-time', limit: 1, leaseMs: 30_000 });
      const [theirs] = await behind.claim({ workerId: 'behind', limit: 1, leaseMs: 30_000 });
      expect(theirs.job.sku).toBe('late');
      // with host clocks, the host on time would see the behind host's lease as an hour expired,
      // and the host ahead would see both as expired
      expect((await onTime.rescue()).jobIds).toEqual([]);
      expect((await ahead.rescue()).jobIds).toEqual([]);
      expect(await behind.renew([theirs], 30_000)).toEqual([theirs.jobId]);
      expect(await onTime.complete(mine, 'ok')).toBe(true);
      expect(await behind.complete(theirs, 'ok')).toBe(true);
    });

    it('SKIP LOCKED: two pools claiming and completing under load never share a job, and the counters stay exact', async () => {
      const db = await schema('skip');
      const [a, b] = [await open(db.url), await open(db.url)];
      await a.migrate();
      await a.enqueue(jobs(2000), { batchId: 'load' });
      const claimedBy = new Map<number, string>();
      const overlaps: number[] = [];
      const loop = async (store: Store, name: string) => {
        for (;;) {
          const claimed = await store.claim({ workerId: name, limit: 10, leaseMs: 60_000 });
          if (claimed.length === 0) return;
          for (const c of claimed) {
            if (claimedBy.has(c.jobId)) overlaps.push(c.jobId);
            claimedBy.set(c.jobId, name);
            expect(await store.complete(c, { by: name })).toBe(true);
          }
        }
      };
      await Promise.all([1, 2, 3, 4].flatMap((i) => [loop(a, `a${i}`), loop(b, `b${i}`)]));
      expect(overlaps).toEqual([]);
      expect(claimedBy.size).toBe(2000);
      const byStore = [...claimedBy.values()].reduce((n, w) => n + (w.startsWith('a') ? 1 : 0), 0);
      expect(byStore).toBeGreaterThan(0);
      expect(byStore).toBeLessThan(2000);
      const summary = await b.summary();
      expect(summary).toMatchObject({ pending: 0, running: 0, completed: 2000, total: 2000 });
      expect(await b.summary({ status: ['completed'] })).toMatchObject({ completed: 2000, total: 2000 });
    });

    it('job durations: each connection adds to its own rows; those of connections gone fold into one, the histogram unchanged', async () => {
      const db = await schema('durations');
      const gone = await openPostgresStore(`${db.url}${db.url.includes('?') ? '&' : '?'}connection_limit=3`);
      await gone.migrate();
      await gone.enqueue(jobs(40, { modelId: 'ets' }), { batchId: 'durations' });
      const finish = async () => {
        for (;;) {
          const claimed = await gone.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 });
          if (claimed.length === 0) return;
          for (const c of claimed) await gone.complete(c, {});
        }
      };
      await Promise.all([finish(), finish(), finish()]);
      const before = await gone.jobDurations();
      expect(before.series.map((s) => [s.modelId, s.outcome, s.counts.reduce((a, b) => a + b, 0)])).toEqual([['ets', 'completed', 40]]);
      const backends = async () => (await admin((c) => c.query(`SELECT DISTINCT backend FROM ${db.schema}.job_durations ORDER BY backend`))).rows.map((r) => Number(r.backend));
      expect((await backends()).filter((b) => b !== 0).length).toBeGreaterThan(0);
      await gone.close();
      const stays = await open(db.url);
      // The closed pool's backends leave pg_stat_activity a moment after close: fold until they have.
      let folded: number[] = [];
      for (let i = 0; i < 100 && !(folded.length === 1 && folded[0] === 0); i++) {
        await admin((c) => c.query(`SELECT ${db.schema}.fold_job_durations()`));
        folded = await backends();
        if (folded.some((b) => b !== 0)) await new Promise((r) => setTimeout(r, 50));
      }
      expect(folded).toEqual([0]);
      expect(await stays.jobDurations()).toEqual(before);
    });

    it('an unreachable server surfaces as StoreUnavailableError, from every kind of call', async () => {
      const store = await open(`postgres://postgres@127.0.0.1:${await closedPort()}/nothing`);
      for (const call of [
        () => store.ping(),
        () => store.migrate(),
        () => store.claim({ workerId: 'w', limit: 1, leaseMs: 1000 }),
        () => store.enqueue(jobs(1), { batchId: 'b' }),
        () => store.summary(),
      ]) {
        const error = await call().then(() => null, (e: unknown) => e as Error);
        expect(error?.name).toBe('StoreUnavailableError');
        expect(error?.message).toMatch(/PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/nothing is unavailable/);
      }
    });

    it('rides out an outage: calls fail fast while the server is away, the pool and LISTEN recover when it is back', async () => {
      const db = await schema('outage');
      const target = new URL(baseUrl);
      const proxy = await PgFaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.stop());
      const store = await open(proxy.url(db.url));
      const writer = await open(db.url);
      await store.migrate();
      const events: string[] = [];
      cleanups.push(await store.watch((e) => events.push(e)));
      await store.enqueue(jobs(3), { batchId: 'before' });
      const [held] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });

      await proxy.stop();
      const down = await store.complete(held, { done: true }).then(() => null, (e: unknown) => e as Error);
      expect(down?.name).toBe('StoreUnavailableError');
      expect((await store.ping().then(() => null, (e: unknown) => e as Error))?.name).toBe('StoreUnavailableError');
      events.length = 0;

      await proxy.resume();
      await waitFor(() => events.includes('jobs'), 10_000, 'the LISTEN reconnect');
      // the worker's lease survived the outage: its fenced write goes through once the server is back
      expect(await store.complete(held, { done: true })).toBe(true);
      expect((await writer.getJob(held.jobId))?.status).toBe('completed');
      events.length = 0;
      await writer.enqueue(jobs(1), { batchId: 'after' });
      await waitFor(() => events.includes('jobs'), 5000, 'a wake-up after the outage');
      expect(await store.summary()).toMatchObject({ pending: 3, completed: 1, total: 4 });
    });
  });
} else {
  describe.skip('PostgreSQL specifics (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
