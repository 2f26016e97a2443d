import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStore, storeHarness } from '../../queue/testing/describe-store.js';
import { jobStatuses, transitions } from '../../queue/job-state.js';
import { bareDataset, newJob } from '../../queue/testing/store-fixtures.js';
import { openStore, storeConfigFromEnv } from '../open-store.js';
import { sqlDir } from '../sql-files.js';
import { migrateSqlite } from './sqlite-migrate.js';
import { openSqliteDatabase, openSqliteStore } from './sqlite-store.js';
import { writeJobByHand } from './testing/job-by-hand.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';
import { holdWriteLock } from './sqlite-lock-holder.js';
import { deleteActualsRevisionsSql, progressSql } from './sqlite-planning-cycle.js';
import { finishedSql } from './sqlite-job-reads.js';
import { ephemeralTablesOfInsert } from './testing/ephemeral-tables.js';

describeStore('sqlite', ({ now }) => {
  const dir = mkdtempSync(join(tmpdir(), 'skucast-store-'));
  return storeHarness(() => openSqliteStore(join(dir, 'jobs.db'), { now }), () => rmSync(dir, { recursive: true, force: true }));
});

describe('SQLite specifics', () => {
  const scratch = sqliteScratch('skucast-sqlite-');
  const open = (path?: string) => scratch.open({}, path);
  const migrationFiles = () => readdirSync(sqlDir('sqlite', 'migrations')).filter((f) => f.endsWith('.sql')).sort();

  it("claims and completes wait for another process's write lock in the event loop, then go out together, each fenced", async () => {
    const store = await open();
    await store.enqueue([newJob(), newJob(), newJob(), newJob()], { batchId: 'lock' });
    const [a, b, c] = await store.claim({ workerId: 'w', limit: 3, leaseMs: 30_000 });
    const holder = await holdWriteLock(join(scratch.dir, 'jobs.db'));
    let ticks = 0;
    const ticker = setInterval(() => void ticks++, 1);
    try {
      const writes = Promise.all([
        store.complete(a, { a: 1 }),
        store.complete({ ...b, leaseToken: 'not-the-token' }, { b: 1 }),
        store.claim({ workerId: 'w', limit: 5, leaseMs: 30_000 }),
      ]);
      const more = store.complete(c, { c: 1 }); // arrives while the others wait: joins their batch
      const t = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 60));
      // The process was not blocked in SQLite's busy handler (10 s): timers kept firing meanwhile.
      expect(Date.now() - t).toBeLessThan(5_000);
      expect(ticks).toBeGreaterThan(0);
      await holder.release();
      const [okA, okB, claimed] = await writes;
      expect([okA, okB, await more]).toEqual([true, false, true]);
      expect(claimed).toHaveLength(1);
      expect((await store.getJob(a.jobId))?.status).toBe('completed');
      expect((await store.getJob(b.jobId))?.status).toBe('running');
      expect(await store.summary()).toMatchObject({ pending: 0, running: 2, completed: 2 });
    } finally {
      clearInterval(ticker);
      await holder.release();
    }
  });

  it('a write waiting for the lock longer than the busy timeout fails with SQLITE_BUSY and writes nothing', async () => {
    const store = await openSqliteStore(join(scratch.dir, 'jobs.db'), { busyTimeoutMs: 30 });
    scratch.opened.push(store);
    await store.migrate();
    await store.enqueue([newJob()], { batchId: 'busy' });
    const [a] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 30_000 });
    const holder = await holdWriteLock(join(scratch.dir, 'jobs.db'));
    try {
      await expect(store.complete(a, null)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(store.claim({ workerId: 'w', limit: 1, leaseMs: 30_000 })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      await holder.release();
    }
    expect((await store.getJob(a.jobId))?.status).toBe('running');
    expect(await store.complete(a, null)).toBe(true);
  });

  it('closing the store writes the completes still waiting for the write lock, each fenced, instead of dropping them', async () => {
    const path = join(scratch.dir, 'jobs.db');
    const store = await openSqliteStore(path);
    await store.migrate();
    await store.enqueue([newJob(), newJob()], { batchId: 'close' });
    const [a, b] = await store.claim({ workerId: 'w', limit: 2, leaseMs: 30_000 });
    // Another process holds the lock a while longer than the close comes (a backup, an import).
    // (It lets go by itself after holdMs: release() would write to a child that may have exited.)
    const holder = await holdWriteLock(path, { holdMs: 150 });
    const answers = Promise.all([store.complete(a, { a: 1 }), store.complete({ ...b, leaseToken: 'not-the-token' }, null)]);
    await store.close(); // a worker's shutdown: its last results are still in the batch
    expect(await answers).toEqual([true, false]);
    await holder.released;
    const again = await open(path);
    expect(await again.getJob(a.jobId)).toMatchObject({ status: 'completed', result: { a: 1 } });
    expect((await again.getJob(b.jobId))?.status).toBe('running');
  });

  it('runs in WAL mode (persisted in the file, seen by any connection)', async () => {
    await open();
    const db = new Database(join(scratch.dir, 'jobs.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('migrations apply once, in order, and migrating again (or from another connection) adds nothing', async () => {
    const a = await open();
    await a.migrate();
    const b = await open();
    await b.migrate();
    const db = new Database(join(scratch.dir, 'jobs.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string }>;
      expect(rows.map((r) => `${r.name}.sql`)).toEqual(migrationFiles());
      expect(rows.map((r) => r.version)).toEqual(migrationFiles().map((f) => Number.parseInt(f, 10)));
    } finally {
      db.close();
    }
    const again = openSqliteDatabase(join(scratch.dir, 'jobs.db'));
    try {
      expect(migrateSqlite(again)).toEqual([]);
    } finally {
      again.close();
    }
  });

  it('a migration that fails leaves the database as it was', async () => {
    const db = openSqliteDatabase(join(scratch.dir, 'half.db'));
    try {
      db.exec('CREATE TABLE jobs (x INTEGER)'); // collides with 001_jobs.sql
      expect(() => migrateSqlite(db)).toThrow(/already exists/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('schema_migrations', 'job_counts')").all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('backup writes a consistent, readable copy of a database another connection writes to', async () => {
    const store = await open();
    const writer = await open();
    await store.enqueue(Array.from({ length: 500 }, (_, i) => newJob({ sku: `B-${i}` })), { batchId: 'b' });
    const claimed = await writer.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 });
    await writer.complete(claimed[0], { kept: [1, 2, 3] });
    const target = join(scratch.dir, 'backups', 'copy.db');
    const [, more] = await Promise.all([store.backup!(target), writer.enqueue([newJob()], { batchId: 'during' })]);
    expect(more.jobsCreated).toBe(1);
    const copy = await open(target);
    const summary = await copy.summary();
    expect(summary.total === 500 || summary.total === 501).toBe(true);
    expect(summary.running).toBe(9);
    expect(await copy.getJob(claimed[0].jobId)).toMatchObject({ status: 'completed', result: { kept: [1, 2, 3] } });
    await expect(store.backup!(target)).rejects.toThrow(/exists/);
  });

  it('own writes wake this store’s watchers directly: jobs on enqueue, cancel on cancel', async () => {
    const store = await open();
    const events: string[] = [];
    const stop = await store.watch((e) => events.push(e));
    const r = await store.enqueue([newJob()], { batchId: 'w' });
    await store.cancel({ ids: [r.firstId!] });
    await Promise.resolve();
    expect(events.slice(0, 2)).toEqual(['jobs', 'cancel']);
    await stop();
  });

  it('enqueue of more than one insert chunk keeps ids consecutive and counts exact', async () => {
    const store = await open();
    const r = await store.enqueue(Array.from({ length: 5234 }, (_, i) => newJob({ sku: `C-${i}` })), { batchId: 'big' });
    expect(r.lastId! - r.firstId! + 1).toBe(5234);
    expect((await store.getJob(r.firstId!))!.sku).toBe('C-0');
    expect((await store.getJob(r.lastId!))!.sku).toBe('C-999'); // SKU order: 'C-999' > 'C-5233'
    expect((await store.summary()).pending).toBe(5234);
  });

  it('enqueue in runs of shared values: every job keeps its own fields, ids and turns, across runs of any length', async () => {
    const store = await open();
    // runs of 1, 2, 3, 700 (512 + 128 + 32 + 16 + 8 + 4), 5, 4 and 6 jobs, each run differing from the
    // one before in one field only: method, settings, reason, priority, attempts, dataset
    const r1 = { datasetId: 'r1', method: 'grid', reason: 'initial_import', priority: 3, maxAttempts: 3, settings: { horizon: 6 } } as const;
    const kinds = [
      r1,
      { ...r1, method: 'mle' },
      { ...r1, method: 'mle', settings: { horizon: 7 } },
      { ...r1, method: 'mle', settings: { horizon: 7 }, reason: 'manual_trigger' },
      { ...r1, method: 'mle', settings: { horizon: 7 }, reason: 'manual_trigger', priority: 2 },
      { ...r1, method: 'mle', settings: { horizon: 7 }, reason: 'manual_trigger', priority: 2, maxAttempts: 5 },
      { ...r1, method: 'mle', settings: { horizon: 7 }, reason: 'manual_trigger', priority: 2, maxAttempts: 5, datasetId: null },
    ] as const;
    // SKUs in order (zero-padded), so inKeyOrder keeps the input's order and each run stays a run.
    const input = [1, 2, 3, 700, 5, 4, 6].flatMap((n, k) => Array.from({ length: n }, (_, i) =>
      newJob({ ...kinds[k], sku: `S-${k}-${String(i).padStart(3, '0')}`, modelId: i % 2 ? 'ets' : 'naive', inputHash: i % 3 ? `h-${k}-${i}` : null })));
    const r = await store.enqueue(input, { batchId: 'runs' });
    expect(r).toMatchObject({ jobsCreated: 721, jobsCancelled: 0, jobsReused: 0 });
    expect(r.lastId! - r.firstId!).toBe(720);
    const stored = await Promise.all(input.map((_, i) => store.getJob(r.firstId! + i)));
    expect(stored.map((j) => [j!.datasetId, j!.sku, j!.modelId, j!.method, j!.reason, j!.priority, j!.maxAttempts, j!.settings, j!.inputHash, j!.batchId, j!.status]))
      .toEqual(input.map((j) => [j.datasetId, j.sku, j.modelId, j.method, j.reason, j.priority, j.maxAttempts, j.settings, j.inputHash, 'runs', 'pending']));
    // turns: each (dataset, priority) continues its own count across runs ('r1' at 3: 1 + 2 + 3 + 700 jobs)
    const db = new Database(join(scratch.dir, 'jobs.db'), { readonly: true });
    try {
      const turns = db.prepare("SELECT turn FROM jobs WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = 'r1') AND priority = 3 ORDER BY id").all() as Array<{ turn: number }>;
      expect(turns.map((t) => t.turn)).toEqual(Array.from({ length: 706 }, (_, i) => turns[0].turn + i));
    } finally {
      db.close();
    }
    expect((await store.summary()).pending).toBe(721);
  });

  it("a new dataset's batch with the same work twice still supersedes the earlier copy, in one run or two", async () => {
    // One run of one dataset and priority is in SKU order: the copies are neighbours. Two runs
    // (the later copy at another priority) are each in SKU order: the copies are far apart.
    for (const laterPriority of [3, 2]) {
      const store = await open(join(scratch.dir, `dup-${laterPriority}.db`));
      const input = Array.from({ length: 1500 }, (_, i) => newJob({ datasetId: 'fresh', sku: `F-${i % 750}`, modelId: i < 750 ? 'ets' : 'naive' }));
      input.push(newJob({ datasetId: 'fresh', sku: 'F-3', modelId: 'naive', priority: laterPriority }));
      const r = await store.enqueue(input, { batchId: 'dup' });
      expect(r.jobsCancelled).toBe(1);
      const stored = await Promise.all(input.map((_, i) => store.getJob(r.firstId! + i)));
      const copies = stored.filter((j) => j!.sku === 'F-3' && j!.modelId === 'naive');
      expect(copies.map((j) => [j!.priority, j!.status])).toEqual([[3, 'cancelled'], [laterPriority, 'pending']]);
      expect(copies[0]!.error).toBe(`superseded by job ${copies[1]!.id}`);
      if (laterPriority === 2) expect(copies[1]!.id).toBe(r.lastId);
    }
  });

  it("a new dataset's batch: the same work twice is the same (dataset, SKU, model, method), whatever its other fields", async () => {
    // Each batch in a database of its own (no open job anywhere), so only the in-batch duplicate
    // check can let supersede run. The later copy differs from the earlier in one field that is not
    // part of the work (a run of rows of its own too); supersede's SQL cancels the earlier copy.
    const base = { sku: 'W', modelId: 'ets', method: 'grid', reason: 'initial_import', priority: 3, maxAttempts: 3, settings: { horizon: 6 }, inputHash: 'h-w' } as const;
    const others = [{ reason: 'manual_trigger' }, { priority: 2 }, { maxAttempts: 5 }, { settings: { horizon: 7 } }, { inputHash: null }] as const;
    for (const [k, other] of others.entries()) {
      for (const datasetId of ['work', null]) {
        const store = await open(join(scratch.dir, `work-${k}-${datasetId}.db`));
        const input = [newJob({ ...base, datasetId }), newJob({ ...base, datasetId, sku: 'V' }), newJob({ ...base, datasetId, ...other })];
        const r = await store.enqueue(input, { batchId: 'work' });
        expect([other, datasetId, r.jobsCancelled]).toEqual([other, datasetId, 1]);
        const stored = await Promise.all([0, 1, 2].map((i) => store.getJob(r.firstId! + i)));
        const [earlier, later] = stored.filter((j) => j!.sku === 'W');
        expect(earlier).toMatchObject({ status: 'cancelled', error: `superseded by job ${later!.id}`, ...(k === 4 ? { inputHash: 'h-w' } : {}) });
        expect(later).toMatchObject({ status: 'pending', ...other });
      }
    }
  });

  it('no CHECK, trigger or partial index tests a row against an IN list of three or more constants (a temporary b-tree built for each row)', async () => {
    const store = await open();
    await store.close();
    const db = new Database(join(scratch.dir, 'jobs.db'), { readonly: true });
    try {
      const perRow = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type IN ('trigger', 'index', 'table') AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
      const longLists = perRow.filter((r) => /\bIN\s*\(\s*'[^']*'\s*,\s*'[^']*'\s*,/i.test(r.sql)).map((r) => r.name);
      expect(longLists).toEqual([]);
      expect(perRow.map((r) => r.name)).toEqual(expect.arrayContaining(['jobs', 'jobs_durations', 'jobs_finished_id', 'jobs_finished_status']));
      // On a read-write connection: SQLite does not keep a table's CHECK on a read-only one
      // (sqlite3AddCheckConstraint skips it), so an INSERT compiled there never shows it.
      const writer = openSqliteDatabase(join(scratch.dir, 'jobs.db'));
      try {
        expect(ephemeralTablesOfInsert(writer)).toBe(0);
      } finally {
        writer.close();
      }
    } finally {
      db.close();
    }
  });

  it('the listing and claim read through their indexes: no table walk for the finished group, ?status= or ?datasetId=', async () => {
    const store = await open();
    await store.enqueue([newJob({ sku: 'A', datasetId: 'd1' })], { batchId: 'plan' });
    const db = new Database(join(scratch.dir, 'jobs.db'), { readonly: true });
    try {
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      const finished = `${finishedSql} AND id < 1000000`;
      expect(plan(`SELECT * FROM jobs INDEXED BY jobs_finished_id WHERE ${finished} ORDER BY id DESC LIMIT 51`)).toMatch(/jobs_finished_id/);
      expect(plan(`SELECT * FROM jobs WHERE ${finished} AND status IN ('failed') ORDER BY id DESC LIMIT 51`)).toMatch(/jobs_finished_status \(status=\? AND id<\?\)/);
      // ?datasetId= binds the dataset's ref (jobFilterSql), here d1's: 1
      expect(plan(`SELECT * FROM jobs WHERE ${finished} AND dataset_ref = 1 ORDER BY id DESC LIMIT 51`)).toMatch(/jobs_dataset_newest \(dataset_ref=\? AND id<\?\)/);
      // claim checks run_at inside the index (covering): delayed jobs at the head cost no row reads.
      expect(plan("SELECT id FROM jobs WHERE status = 'pending' AND run_at <= 5 ORDER BY priority, turn, id LIMIT 5")).toMatch(/COVERING INDEX jobs_claim/);
      expect(plan("SELECT id FROM jobs WHERE status = 'pending' AND run_at <= 5 ORDER BY priority, turn, id LIMIT 5")).not.toMatch(/TEMP B-TREE/);
      // A dataset's progress (read after every settled job of a dataset with snapshots) reads open
      // jobs only, and the newest job by its index: not every job the dataset ever had.
      const progress = plan(progressSql.replaceAll(':datasetId', "'d1'"));
      expect(progress).toMatch(/jobs_dataset_open \(dataset_ref=\?\)/);
      expect(progress).toMatch(/jobs_dataset_newest/);
      expect(progress).not.toMatch(/jobs_work/);
    } finally {
      db.close();
    }
    // and the store's own listing with those filters still answers right
    expect((await store.listJobs({ status: ['pending'], limit: 10 })).jobs.map((j) => j.sku)).toEqual(['A']);
    expect((await store.listJobs({ status: ['failed'], limit: 10 })).jobs).toEqual([]);
    expect((await store.listJobs({ datasetId: 'd1', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['A']);
  });

  it("deleteDataset deletes a dataset's actuals revisions through actuals_revisions_dataset (035), not by reading every dataset's", async () => {
    const store = await open();
    await bareDataset(store, 'd1');
    await bareDataset(store, 'd2');
    // revisions of both datasets as appendActuals writes them (the Store returns none of them)
    const db = openSqliteDatabase(join(scratch.dir, 'jobs.db'));
    try {
      const append = db.prepare(`INSERT INTO actuals (id, dataset_id, created_at, mark_before, skus_changed, skus_added, periods_added, values_revised, report)
                                 VALUES (?, ?, 0, 0, 1, 0, 0, 1, '{}')`);
      const revise = db.prepare("INSERT INTO actuals_revisions (actuals_id, dataset_id, sku, date, previous, value) VALUES (?, ?, ?, '2024-01-01', 1, 2)");
      for (const [actualsId, datasetId] of [['a1', 'd1'], ['a2', 'd2'], ['a3', 'd1']]) {
        append.run(actualsId, datasetId);
        for (const sku of ['A', 'B', 'C']) revise.run(actualsId, datasetId, sku);
      }
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${deleteActualsRevisionsSql}`).all({ datasetId: 'd1' }) as Array<{ detail: string }>)
        .map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/SEARCH actuals_revisions USING (COVERING )?INDEX actuals_revisions_dataset \(dataset_id=\?\)/);
      expect(plan).not.toMatch(/SCAN/);
      expect(await store.deleteDataset('d1')).toBe(true);
      expect(db.prepare('SELECT DISTINCT actuals_id FROM actuals_revisions').pluck().all()).toEqual(['a2']);
    } finally {
      db.close();
    }
  });

  it("supersede's open-status range is the state machine's open statuses, and it seeks jobs_work once per batch job (the span check walks it), with statistics too", async () => {
    // job-supersede.sql spells IN ('pending', 'running') as a range: it holds only while the
    // statuses supersede may cancel are exactly the ones that sort at or after 'pending', in JS
    // and in SQLite's BINARY order. A new open status that sorts before it fails here.
    const openStatuses = [...transitions.supersede.from];
    expect(jobStatuses.filter((status) => status >= 'pending')).toEqual(openStatuses);
    const store = await open();
    await store.enqueue([newJob({ sku: 'A', datasetId: 'd1' })], { batchId: 'plan' });
    const db = openSqliteDatabase(join(scratch.dir, 'jobs.db'));
    try {
      expect(db.prepare("SELECT status FROM job_counts WHERE status >= 'pending' ORDER BY status").pluck().all()).toEqual(openStatuses);
      const supersedePlan = () => (db.prepare(`EXPLAIN QUERY PLAN ${readFileSync(join(sqlDir('sqlite', 'queries'), 'job-supersede.sql'), 'utf8')}`)
        .all({ firstId: 1, lastId: 2, now: 1 }) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      const seek = /SEARCH n USING INTEGER PRIMARY KEY .*\| SEARCH o USING COVERING INDEX jobs_work \(dataset_ref=\? AND sku=\? AND model_id=\? AND method=\? AND status>\?\)/;
      expect(supersedePlan()).toMatch(seek);
      const spanPlan = () => (db.prepare(`EXPLAIN QUERY PLAN ${readFileSync(join(sqlDir('sqlite', 'queries'), 'job-supersede-span.sql'), 'utf8')}`)
        .all({ datasetRef: 1, low: 'A', high: 'B', before: 2, budget: 16 }) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      const spanWalk = /SEARCH jobs USING COVERING INDEX jobs_work \(dataset_ref=\? AND sku>\? AND sku<\?\)/;
      expect(spanPlan()).toMatch(spanWalk);
      // A dataset's long finished history, another's big open upload, then ANALYZE: the statistics
      // under which the planner walked jobs_dataset_open (every open job) and sought the batch from there.
      db.exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 20000)
        INSERT INTO jobs (dataset_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        SELECT (SELECT ref FROM job_datasets WHERE dataset_id = 'd1'), 'S' || (n % 100), 'm1', 'grid', 'manual_trigger', 3, 'completed', 0, 0, 0 FROM i;
        INSERT INTO job_datasets (dataset_id) VALUES ('d2');
        WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 5000)
        INSERT INTO jobs (dataset_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        SELECT (SELECT ref FROM job_datasets WHERE dataset_id = 'd2'), 'X' || n, 'm1', 'grid', 'manual_trigger', 3, 'pending', 0, 0, 0 FROM i;
        ANALYZE;`);
      expect(supersedePlan()).toMatch(seek);
      expect(spanPlan()).toMatch(spanWalk);
    } finally {
      db.close();
    }
  });

  it('a row written outside the app: summary counters drift, claimable still sees it, recount repairs and reports', async () => {
    const store = await open();
    writeJobByHand(join(scratch.dir, 'jobs.db'));
    expect((await store.summary()).pending).toBe(0); // the counters missed it
    expect(await store.claimable()).toBe(true);
    expect(await store.recount()).toEqual([{ status: 'pending', counted: 0, actual: 1 }]);
    expect((await store.summary()).pending).toBe(1);
    expect(await store.recount()).toEqual([]);
  });

  it('openStore opens SQLite at databasePath, creating its folder, migrated', async () => {
    const store = await openStore({ databasePath: join(scratch.dir, 'nested', 'deeper', 'q.db') });
    scratch.opened.push(store);
    expect(store.kind).toBe('sqlite');
    expect((await store.enqueue([newJob()], { batchId: 'x' })).jobsCreated).toBe(1);
    expect(storeConfigFromEnv({ DATABASE_URL: 'postgres://u@h/db', DATABASE_PATH: '/tmp/x.db' })).toEqual({
      databaseUrl: 'postgres://u@h/db', databasePath: '/tmp/x.db',
    });
    expect(storeConfigFromEnv({})).toEqual({ databaseUrl: undefined, databasePath: 'data/forecast-jobs.db' });
    expect(storeConfigFromEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    await expect(openStore({ databaseUrl: 'mysql://user:secret@h/db', databasePath: join(scratch.dir, 'never.db') }))
      .rejects.toThrow(/postgres:\/\/.*mysql:\/\/\*\*\*@h\/db/);
  });
});
