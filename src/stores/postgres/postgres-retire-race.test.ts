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
 * The interleaving is made deterministic by holding the heartbeat statement at its write to
 * worker_heard (which no other write these tests make touches) after the retire has run: another
 * session holds the table in SHARE mode, which the retire's read of it passes and a write waits on.
 */
const baseUrl = postgresTestUrl('PostgreSQL retire/heartbeat race');

/**
 * Waits until `n` of the schema's store connections wait on a lock, and answers their pids.
 * pg_stat_activity has no notification, so it is polled, 10 ms apart, for at most deadlineMs; it
 * is asked outside any transaction (it is read once per transaction). A watched promise that
 * settles first fails the wait at once, with its outcome: a beat that threw, or that finished
 * without waiting (the premise broke, e.g. the heard write moved to a statement of its own).
 * rowLockOf: count that connection alone, and only while it waits on a row lock (a transaction's or
 * a tuple's): a backend woken from a table lock clears its own wait_event, so for a moment after the
 * table is freed it still reads as waiting on it.
 */
async function untilLockWaiters(
  watcher: pg.Client, schema: string, n: number,
  { settles, deadlineMs = 5000, rowLockOf }: { settles: Array<Promise<unknown>>; deadlineMs?: number; rowLockOf?: number },
): Promise<number[]> {
  let settled: string | undefined;
  let wake!: () => void;
  const woken = new Promise<void>((resolve) => (wake = resolve));
  settles.forEach((promise, i) => promise.then(
    (value) => { settled ??= `watched promise ${i} resolved (${JSON.stringify(value)})`; wake(); },
    (error: unknown) => { settled ??= `watched promise ${i} rejected: ${String(error)}`; wake(); },
  ));
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const { rows } = await watcher.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'
          AND ($2::integer IS NULL OR (pid = $2 AND wait_event IN ('transactionid', 'tuple'))) ORDER BY pid`,
      [`skucast:${schema}`, rowLockOf ?? null]);
    if (rows.length >= n) return rows.map((r) => r.pid);
    if (settled) throw new Error(`${settled} before ${n} store connection(s) waited on a lock (${rows.length} did)`);
    if (Date.now() > deadline) throw new Error(`${n} store connection(s) did not wait on a lock within ${deadlineMs} ms (${rows.length} did)`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10)))]).finally(() => clearTimeout(timer));
  }
}

/**
 * The premise "the retire has run": the waiting beat's transaction holds its FOR UPDATE's lock on
 * `workers`, and the statement waiting is the heartbeat's (worker-heartbeat.sql; pg_stat_activity
 * keeps only the start of a long statement).
 */
async function retireHasRun(watcher: pg.Client, schema: string, pid: number): Promise<boolean> {
  const { rows } = await watcher.query<{ n: number; heartbeat: boolean }>(
    `SELECT (SELECT count(*)::integer FROM pg_locks
              WHERE pid = $1 AND relation = to_regclass($2) AND mode = 'RowShareLock' AND granted) AS n,
            (SELECT query LIKE 'WITH beat AS%' FROM pg_stat_activity WHERE pid = $1) AS heartbeat`,
    [pid, `${schema}.workers`]);
  return rows[0].n === 1 && rows[0].heartbeat;
}

if (baseUrl) {
  describe('PostgreSQL worker registry: retire and heartbeat', () => {
    const { schema, open, cleanups } = postgresTestHarness(baseUrl);
    /** Connected sessions of their own (a lock holder, a watcher of pg_locks, ...), ended after the test. */
    async function clients(n: number): Promise<pg.Client[]> {
      const made = Array.from({ length: n }, () => new pg.Client({ connectionString: baseUrl! }));
      for (const client of made) {
        client.on('error', () => undefined); // a terminate or restart must not crash the test process
        await client.connect();
        cleanups.push(() => client.end());
      }
      return made;
    }

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
      const [holder, watcher] = await clients(2);
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${db.schema}.worker_heard IN SHARE MODE`);
      const beating = earlier.heartbeatWorker(beat(t0 + 2_000));
      const [beatPid] = await untilLockWaiters(watcher, db.schema, 1, { settles: [beating] }); // the beat reaches the held table
      expect(await retireHasRun(watcher, db.schema, beatPid)).toBe(true);

      // Meanwhile the later start's supervisor sees it exit and marks it stopped. It must wait for
      // the beat's transaction (which has read the row, FOR UPDATE, to decide what to retire).
      let marked = false;
      const marking = supervisor.markWorkerStopped({ workerId: 'w-fixed', pid: 2 }).then((changed) => (marked = changed));
      await untilLockWaiters(watcher, db.schema, 2, { settles: [beating, marking] }); // the mark waits on the beat's row lock
      await holder.query('ROLLBACK');
      await beating;
      await marking;
      expect(marked).toBe(true);

      // The earlier start's next beat takes the stopped row over, retiring the later start's 5.
      await earlier.heartbeatWorker(beat(t0 + 3_000));
      expect((await earlier.listWorkers()).map((x) => [x.pid, x.counters])).toEqual([[1, { completed: 3 }]]);
      expect(await earlier.workerEventTotals()).toMatchObject({ completed: 8 });
    });

    it("a row of another start inserted between a beat's retire (no row then) and its write is replaced with its counters retired, not overwritten", async () => {
      const db = await schema('retire_insert');
      const store = await open(db.url, 1);
      await store.migrate();
      const t0 = 1_750_000_000_000;
      const [holder, watcher] = await clients(2);
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${db.schema}.worker_heard IN SHARE MODE`);
      const beating = store.heartbeatWorker({ workerId: 'w-fixed', host: 'h', pid: 1, concurrency: 1, startedAt: t0, lastHeartbeatAt: t0, running: 0, status: 'running', counters: { completed: 3 } });
      // Its retire found no row; its write waits at the held table.
      const [beatPid] = await untilLockWaiters(watcher, db.schema, 1, { settles: [beating] });
      expect(await retireHasRun(watcher, db.schema, beatPid)).toBe(true);
      // Meanwhile an earlier start under the id beats for the first time: a process older than 041,
      // whose heartbeat writes `workers` alone (so it is not held here).
      await watcher.query(`INSERT INTO ${db.schema}.workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
        VALUES ('w-fixed', 'h', 2, 1, ${t0 - 1_000}, ${t0 - 1_000}, 0, 'running', '{"completed": 4}')`);
      await holder.query('ROLLBACK');
      expect(await beating).toBe(true); // the beat still lands: the earlier start's row is replaced, once retired
      expect((await store.listWorkers()).map((x) => [x.pid, x.counters])).toEqual([[1, { completed: 3 }]]);
      expect(await store.workerEventTotals()).toMatchObject({ completed: 7 });
    });
    /** earlierOptions: libpq options of the earlier start's connections (its session defaults). */
    const ownerBeatsMeanwhile = async (label: string, earlierOptions?: string) => {
      const db = await schema(label);
      const owner = await open(db.url, 1);
      const earlier = await open(earlierOptions ? `${db.url}${db.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(earlierOptions)}` : db.url, 1);
      await owner.migrate();
      // On the hosts' clocks (the database hears them on its own): the earlier start's is 10 min ahead.
      const now = Date.now();
      const w = { workerId: 'w-fixed', host: 'h', concurrency: 1, running: 0, status: 'running' as const };
      await owner.heartbeatWorker({ ...w, pid: 2, startedAt: now, lastHeartbeatAt: now, counters: { completed: 5 } });
      const totals = await owner.workerEventTotals();

      // The owner's next beat, held open with its row lock: both tables written, not committed.
      const [holder, watcher] = await clients(2);
      await holder.query('BEGIN');
      await holder.query(`UPDATE ${db.schema}.workers SET last_heartbeat_at = $1 WHERE worker_id = 'w-fixed'`, [now + 5_000]);
      await holder.query(`UPDATE ${db.schema}.worker_heard SET heartbeat_at = $1, heard_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint
                           WHERE worker_id = 'w-fixed'`, [now + 5_000]);

      // An earlier start under the id beats, its clock 10 min ahead: its retire waits on the row lock.
      const beating = earlier.heartbeatWorker({ ...w, pid: 1, startedAt: now - 1_000, lastHeartbeatAt: now + 600_000, counters: { completed: 3 } });
      await untilLockWaiters(watcher, db.schema, 1, { settles: [beating] });
      await holder.query('COMMIT');

      // The owner was heard just now: live, and later, so its row is not the earlier start's to take.
      expect(await beating).toBe(false);
      expect((await owner.listWorkers()).map((x) => [x.pid, x.counters])).toEqual([[2, { completed: 5 }]]);
      expect(await owner.workerEventTotals()).toEqual(totals);
    };

    it("a retire that waits on the owner's beat judges the row by the heard row that beat committed, not the two hosts' clocks", async () => {
      await ownerBeatsMeanwhile('retire_heard');
    });

    it("a row inserted between the beat's lock (no row then) and its retire is judged through the lock, not on the two hosts' clocks", async () => {
      const db = await schema('retire_between');
      const earlier = await open(db.url, 1);
      await earlier.migrate();
      const now = Date.now();
      const [holder, watcher, later] = await clients(3);
      // The retire statement (it alone writes worker_counters_retired) waits for the table before
      // its snapshot; the lock statement before it has found no row.
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${db.schema}.worker_counters_retired IN ACCESS EXCLUSIVE MODE`);
      const w = { workerId: 'w-fixed', host: 'h', concurrency: 1, running: 0, status: 'running' as const };
      // An earlier start under the id, its clock 10 min ahead.
      const beating = earlier.heartbeatWorker({ ...w, pid: 1, startedAt: now - 1_000, lastHeartbeatAt: now + 600_000, counters: { completed: 3 } });
      const [beatPid] = await untilLockWaiters(watcher, db.schema, 1, { settles: [beating] });
      const { rows: [waiting] } = await watcher.query<{ retire: boolean }>(`SELECT query LIKE 'WITH locked AS%' AS retire FROM pg_stat_activity WHERE pid = $1`, [beatPid]);
      expect(waiting.retire).toBe(true);
      // Meanwhile the later start's first beat commits, heard now; its next beat holds the row.
      await later.query(`INSERT INTO ${db.schema}.workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
        VALUES ('w-fixed', 'h', 2, 1, ${now}, ${now}, 0, 'running', '{"completed": 5}')`);
      await later.query(`INSERT INTO ${db.schema}.worker_heard (worker_id, heartbeat_at, heard_at)
        VALUES ('w-fixed', ${now}, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)`);
      await later.query('BEGIN');
      await later.query(`UPDATE ${db.schema}.workers SET last_heartbeat_at = $1 WHERE worker_id = 'w-fixed'`, [now + 5_000]);
      await later.query(`UPDATE ${db.schema}.worker_heard SET heartbeat_at = $1, heard_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint
                          WHERE worker_id = 'w-fixed'`, [now + 5_000]);
      // Once the table is free the beat waits on the later beat's row lock, which is committed only
      // then, after the retire's snapshot. With the fix the retire judges no row and waits on nothing:
      // the heartbeat statement's ON CONFLICT waits (without it, the retire's FOR UPDATE would).
      await holder.query('ROLLBACK');
      await untilLockWaiters(watcher, db.schema, 1, { settles: [beating], rowLockOf: beatPid });
      await later.query('COMMIT');

      // The later start was heard just now: live, and later, so its row is not the earlier start's to take.
      expect(await beating).toBe(false);
      expect((await earlier.listWorkers()).map((x) => [x.pid, x.counters])).toEqual([[2, { completed: 5 }]]);
      expect(await earlier.workerEventTotals()).toMatchObject({ completed: 5 }); // none retired
    });

    it('so does one on a session whose default isolation is repeatable read (the split needs a snapshot per statement)', async () => {
      // An operator's `ALTER ROLE … SET default_transaction_isolation`, here as the session's option.
      await ownerBeatsMeanwhile('retire_heard_rr', '-c default_transaction_isolation=repeatable\\ read');
    });
  });
}
