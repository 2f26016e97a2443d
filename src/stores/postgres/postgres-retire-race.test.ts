import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { WorkerInfo } from '../../queue/job.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/**
 * The registry's counters across a heartbeat that replaces another start's row (worker-retire.sql
 * then worker-heartbeat.sql, one transaction) and a write that changes that row between the two
 * statements: each statement reads the row afresh (READ COMMITTED), so the retire's "not mine to
 * replace" could meet the heartbeat's "mine to replace", and the row's counters were overwritten
 * without having been retired: `skucast_worker_events_total` went down, a reset to Prometheus.
 * The interleaving is made deterministic by holding the heartbeat statement at its first lock
 * (worker_heard, which no other registry write touches) after the retire has run.
 */
const baseUrl = postgresTestUrl('PostgreSQL retire/heartbeat race');

if (baseUrl) {
  describe('PostgreSQL worker registry: retire and heartbeat', () => {
    const { schema, open, cleanups } = postgresTestHarness(baseUrl);

    it("a later start marked stopped between a beat's retire and its write keeps its counters: they are retired, never overwritten", async () => {
      const db = await schema('retire_race');
      const earlier = await open(db.url, 1);
      const supervisor = await open(db.url, 1);
      await earlier.migrate();
      const t0 = 1_750_000_000_000;
      const w = { workerId: 'w-fixed', host: 'h', concurrency: 1, running: 0, status: 'running' as const };
      // Two processes under one --worker-id: the later start holds the row, the earlier one (still
      // draining) beats and is kept out while the later one is live.
      const later: WorkerInfo = { ...w, pid: 2, startedAt: t0 + 1_000, lastHeartbeatAt: t0 + 1_000, counters: { completed: 5 } };
      await supervisor.heartbeatWorker(later);
      const beat = (at: number): WorkerInfo => ({ ...w, pid: 1, startedAt: t0, lastHeartbeatAt: at, counters: { completed: 3 } });

      // Another session holds worker_heard: the earlier start's heartbeat runs its retire, then waits.
      const [holder, watcher] = [new pg.Client({ connectionString: baseUrl }), new pg.Client({ connectionString: baseUrl })];
      for (const client of [holder, watcher]) {
        await client.connect();
        cleanups.push(() => client.end());
      }
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${db.schema}.worker_heard IN ACCESS EXCLUSIVE MODE`);
      // The stores' connections waiting on a lock (asked outside any transaction: pg_stat_activity is read once per transaction).
      const waitingOnLocks = async () => Number((await watcher.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [`skucast:${db.schema}`])).rows[0].n);
      const beating = earlier.heartbeatWorker(beat(t0 + 2_000));
      while (await waitingOnLocks() < 1) { /* the beat reaches the held table */ }

      // Meanwhile the later start's supervisor sees it exit and marks it stopped. It must wait for
      // the beat's transaction (which has read the row to decide what to retire), or be seen by it.
      let marked = false;
      const marking = supervisor.markWorkerStopped({ workerId: 'w-fixed', pid: 2 }).then((changed) => (marked = changed));
      while (!marked && await waitingOnLocks() < 2) { /* the mark commits, or waits on the beat's row lock */ }
      await holder.query('ROLLBACK');
      await beating;
      await marking;
      expect(marked).toBe(true);

      // The earlier start's next beat takes the stopped row over, retiring the later start's 5.
      await earlier.heartbeatWorker(beat(t0 + 3_000));
      expect((await earlier.listWorkers()).map((x) => [x.pid, x.counters])).toEqual([[1, { completed: 3 }]]);
      expect(await earlier.workerEventTotals()).toMatchObject({ completed: 8 });
    });

    it("a row of another start inserted between a beat's retire (no row then) and its write is retired, not overwritten", async () => {
      const db = await schema('retire_insert');
      const store = await open(db.url, 1);
      await store.migrate();
      const t0 = 1_750_000_000_000;
      const [holder, watcher] = [new pg.Client({ connectionString: baseUrl }), new pg.Client({ connectionString: baseUrl })];
      for (const client of [holder, watcher]) {
        await client.connect();
        cleanups.push(() => client.end());
      }
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${db.schema}.worker_heard IN ACCESS EXCLUSIVE MODE`);
      const waiting = async () => Number((await watcher.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [`skucast:${db.schema}`])).rows[0].n);
      const beating = store.heartbeatWorker({ workerId: 'w-fixed', host: 'h', pid: 1, concurrency: 1, startedAt: t0, lastHeartbeatAt: t0, running: 0, status: 'running', counters: { completed: 3 } });
      while (await waiting() < 1) { /* its retire found no row; its write waits at the held table */ }
      // Meanwhile an earlier start under the id beats for the first time: a process older than 041,
      // whose heartbeat writes `workers` alone (so it is not held here).
      await watcher.query(`INSERT INTO ${db.schema}.workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
        VALUES ('w-fixed', 'h', 2, 1, ${t0 - 1_000}, ${t0 - 1_000}, 0, 'running', '{"completed": 4}')`);
      await holder.query('ROLLBACK');
      expect(await beating).toBe(true); // the beat still lands: the earlier start's row is replaced, once retired
      expect((await store.listWorkers()).map((x) => [x.pid, x.counters])).toEqual([[1, { completed: 3 }]]);
      expect(await store.workerEventTotals()).toMatchObject({ completed: 7 });
    });
  });
}
