import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { finishedSql } from './sqlite-job-reads.js';
import { NewerSchemaError } from '../newer-schema.js';
import { openStore, openStoreMigrated } from '../open-store.js';
import { applySchemaEdit, migrateSqlite } from './sqlite-migrate.js';
import { openSqliteDatabase } from './sqlite-store.js';
import { ephemeralTablesOfInsert } from './testing/ephemeral-tables.js';
import { before030 } from './testing/before-030.js';
import { migratedFile } from './testing/migrated-file.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/** Migrations on databases as earlier versions left them: statistics kept, versions taken, the schema edit of 025. */
describe('SQLite migrations', () => {
  const scratch = sqliteScratch('skucast-sqlite-migrate-');
  const { dbPath, migratedDb } = migratedFile(scratch);

  it('a migration that drops and creates an index again keeps it analyzed (024 on a database with statistics)', async () => {
    // DROP INDEX deletes the index's statistics; until the next ANALYZE (PRAGMA optimize at a
    // clean close: days for an API that keeps running) the planner weighed 024's two new indexes
    // without them beside the others with theirs, and read ?datasetId='s finished jobs through
    // jobs_finished_status, every finished job and a sort (9 ms a page at 200,000 jobs, not 0.5).
    const db = await migratedDb(async (store) => {
      for (let b = 0; b < 4; b++) {
        await store.enqueue(Array.from({ length: 1_000 }, (_, i) => newJob({ sku: `S${b}-${i}`, datasetId: `ds-${b}` })), { batchId: `b${b}`, supersede: false, reuse: false });
      }
    });
    try {
      db.exec("UPDATE jobs SET status = CASE WHEN id % 100 = 0 THEN 'failed' ELSE 'completed' END, finished_at = id, progress = 100 WHERE id <= 3900");
      db.exec('ANALYZE');
      const stats = () => db.prepare("SELECT idx, stat FROM sqlite_stat1 WHERE idx LIKE 'jobs_finished_%' ORDER BY idx").all();
      const plan = () => (db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM jobs WHERE ${finishedSql} AND id < 1000000 AND dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = 'ds-3') ORDER BY id DESC LIMIT 51`)
        .all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      const before = { stats: stats(), plan: plan() };
      expect(before.stats).toHaveLength(2);
      expect(before.plan).not.toMatch(/TEMP B-TREE/);
      db.exec('DELETE FROM schema_migrations WHERE version = 24');
      expect(migrateSqlite(db)).toEqual(['024_status_lists_as_comparisons']);
      expect({ stats: stats(), plan: plan() }).toEqual(before);
    } finally {
      db.close();
    }
  });

  it("026 gives a database that ran the reverted 023 its jobs_work and jobs_sku back, and leaves another's as they were", async () => {
    const db = await migratedDb((store) => store.enqueue([newJob({ sku: 'A', datasetId: 'd1' })], { batchId: 'b' }));
    try {
      const indexes = () => db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL ORDER BY name").all();
      const migrated = indexes();
      expect(migrated).toContainEqual({ name: 'jobs_work', sql: 'CREATE INDEX jobs_work ON jobs (dataset_ref, sku, model_id, method, status)' });
      // 023's indexes, as that merge left them (its file: git show f012754), and 026 not yet run.
      db.exec(`${before030} DELETE FROM schema_migrations WHERE version = 26;
        DROP INDEX jobs_sku; DROP INDEX jobs_work;
        CREATE INDEX jobs_work ON jobs (sku, dataset_id, model_id, method);
        CREATE INDEX jobs_latest ON jobs (dataset_id, sku, model_id) WHERE status = 'completed';`);
      expect(migrateSqlite(db)).toEqual(['026_jobs_work_restored', '030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
      expect(indexes()).toEqual(migrated);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // and on a database that never ran 023, the same indexes again
      db.exec(`${before030} DELETE FROM schema_migrations WHERE version = 26`);
      expect(migrateSqlite(db)).toEqual(['026_jobs_work_restored', '030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
      expect(indexes()).toEqual(migrated);
    } finally {
      db.close();
    }
  });

  it('028 backfills every batch\'s id range from the jobs already in the file, and drops jobs_batch', async () => {
    const db = await migratedDb();
    try {
      // As a file stood at 027: jobs_batch, no job_batches (nor 029's column); three batches, one of them in two runs.
      db.exec(`${before030} DELETE FROM schema_migrations WHERE version >= 28; DROP TABLE job_batches; CREATE INDEX jobs_batch ON jobs (batch_id, status);
        ALTER TABLE series DROP COLUMN provisional;`);
      const insert = db.prepare(`INSERT INTO jobs (batch_id, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        VALUES (?, 's', 'm', 'grid', 'manual_trigger', 1, 'pending', 0, 0, 0)`);
      for (const batch of ['a', 'a', 'b', 'c', 'a', 'c']) insert.run(batch);
      expect(migrateSqlite(db)).toEqual(['028_job_batches', '029_series_provisional', '030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
      expect(db.prepare('SELECT batch_id, first_id, last_id FROM job_batches ORDER BY batch_id').all()).toEqual([
        { batch_id: 'a', first_id: 1, last_id: 5 }, { batch_id: 'b', first_id: 3, last_id: 3 }, { batch_id: 'c', first_id: 4, last_id: 6 },
      ]);
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'jobs_batch'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT b.batch_id FROM jobs AS j JOIN job_batches AS b ON b.ref = j.batch_ref ORDER BY j.id').pluck().all()).toEqual(['a', 'a', 'b', 'c', 'a', 'c']);
    } finally {
      db.close();
    }
  });

  it('a database that ran the reverted 023_jobs_work_by_sku (version 23 on main from 02f04ca to 7727e60) still gets the status lists as comparisons', async () => {
    const db = await migratedDb();
    try {
      // As such a database stands: version 23 taken by the reverted migration, 017's and 009's lists,
      // nothing of the migrations after it (027's table, 028's table and dropped index, 029's column).
      db.exec(`${before030} DELETE FROM schema_migrations WHERE version >= 23; DROP TABLE worker_counters_retired;
        DROP TABLE job_batches; CREATE INDEX jobs_batch ON jobs (batch_id); ALTER TABLE series DROP COLUMN provisional;
        INSERT INTO schema_migrations (version, name, applied_at) VALUES (23, '023_jobs_work_by_sku', 0);
        DROP INDEX jobs_finished_id; CREATE INDEX jobs_finished_id ON jobs (id) WHERE status IN ('completed', 'failed', 'cancelled');
        DROP INDEX jobs_finished_status; CREATE INDEX jobs_finished_status ON jobs (status, id) WHERE status IN ('completed', 'failed', 'cancelled');`);
      migrateSqlite(db);
      const lists = db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('trigger', 'index') AND sql LIKE '%IN (''completed'', ''failed'', ''cancelled'')%'").pluck().all();
      expect(lists).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('025 edits the jobs CHECK in place: every connection, one opened before included, then refuses an unknown status by the new text', async () => {
    const db = await migratedDb();
    const before = openSqliteDatabase(dbPath());
    try {
      // As a database stood before 025: 001's CHECK text, version 25 not applied.
      db.unsafeMode(true);
      db.transaction(() => {
        const version = db.pragma('schema_version', { simple: true }) as number;
        db.pragma('writable_schema = ON');
        db.prepare("UPDATE sqlite_schema SET sql = replace(sql, :now, :then) WHERE type = 'table' AND name = 'jobs'").run({
          now: "CHECK (status = 'pending' OR status = 'running' OR status = 'completed' OR status = 'failed' OR status = 'cancelled')",
          then: "CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled'))",
        });
        db.pragma(`schema_version = ${version + 1}`);
        db.pragma('writable_schema = OFF');
        db.exec('DELETE FROM schema_migrations WHERE version = 25');
      }).immediate();
      db.unsafeMode(false);
      const insert = (conn: Database.Database, status: string) => conn.prepare(
        "INSERT INTO jobs (sku, model_id, method, reason, priority, status, created_at, updated_at, run_at) VALUES ('s', 'm', 'grid', 'manual_trigger', 1, ?, 0, 0, 0)",
      ).run(status);
      const beforeInsert = before.prepare("INSERT INTO jobs (sku, model_id, method, reason, priority, status, created_at, updated_at, run_at) VALUES ('s', 'm', 'grid', 'manual_trigger', 1, ?, 0, 0, 0)");
      expect(() => beforeInsert.run('bogus')).toThrow(/CHECK constraint failed: status IN/);
      expect(ephemeralTablesOfInsert(before)).toBe(1);

      expect(migrateSqlite(db)).toEqual(['025_status_check_as_comparisons']);
      expect(ephemeralTablesOfInsert(db)).toBe(0);
      const jobsSql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'jobs'").pluck().get() as string;
      expect(jobsSql).toContain("CHECK (status = 'pending' OR status = 'running' OR status = 'completed' OR status = 'failed' OR status = 'cancelled')");
      expect(jobsSql).not.toMatch(/status IN/);
      // The statement the other connection prepared before the edit is prepared again by SQLite.
      expect(() => beforeInsert.run('bogus')).toThrow(/CHECK constraint failed: status = 'pending' OR/);
      // (EXPLAIN only compiles: the other connection reloads the schema once one of its statements runs.)
      expect(ephemeralTablesOfInsert(before)).toBe(0);
      expect(() => insert(db, 'bogus')).toThrow(/CHECK constraint failed/);
      expect(insert(before, 'failed').changes).toBe(1);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // defensive mode is back on for the migrating connection
      expect(() => db.exec("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = sql WHERE name = 'jobs'")).toThrow(/may not be modified/);
    } finally {
      before.close();
      db.close();
    }
  });

  it('a process whose busy timeout is short waits for another process\'s write lock to migrate, past that timeout, and keeps its timeout', async () => {
    const db = await migratedDb();
    try {
      db.pragma('busy_timeout = 50');
      db.exec('DELETE FROM schema_migrations WHERE version = 29; ALTER TABLE series DROP COLUMN provisional');
      // Another process holds the write lock (as a rebuild does, for minutes on a big file) and lets go 400 ms after it has it.
      const holder = spawn(process.execPath, ['-e', `
        const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
        const db = new Database(${JSON.stringify(dbPath())});
        db.exec('BEGIN IMMEDIATE');
        process.stdout.write('locked\\n');
        setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await once(holder.stdout!, 'data');
      expect(migrateSqlite(db)).toEqual(['029_series_provisional']);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(50);
      await once(holder, 'exit');
    } finally {
      db.close();
    }
  });

  it('a schema edit that would leave the jobs CHECK accepting an unknown status is rolled back with its migration', async () => {
    const db = await migratedDb();
    try {
      const jobsSql = () => db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'jobs'").pluck().get() as string;
      const was = jobsSql();
      const loosen = `PRAGMA writable_schema = ON;
        UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status = ''pending''', 'CHECK (1 OR status = ''pending''') WHERE type = 'table' AND name = 'jobs';
        PRAGMA writable_schema = OFF;`;
      expect(() => db.transaction(() => applySchemaEdit(db, loosen)).immediate()).toThrow(/no longer refuses an unknown status/);
      expect(jobsSql()).toBe(was);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
  it('says which migrations it applied (none the second time), and refuses a database a newer release migrated, before the API or a worker runs on it', async () => {
    const path = join(scratch.dir, 'versions.db');
    const first = await openStoreMigrated({ databasePath: path });
    expect(first.applied.length).toBeGreaterThan(20);
    expect(first.applied[0]).toMatch(/^001_/);
    expect(await first.store.migrate()).toEqual([]);
    await first.store.close();

    const db = new Database(path);
    db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_from_the_future', 0)");
    db.close();
    await expect(openStoreMigrated({ databasePath: path, newerSchema: 'refuse' })).rejects.toThrow(/schema is newer than this Skucast knows: it has migration 999 \(999_from_the_future\)/);
    // The API and workers warn and run on it, as an older release's processes do in a rolling upgrade or after a rollback.
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const older = await openStoreMigrated({ databasePath: path });
      expect(older.applied).toEqual([]);
      expect((await older.store.summary()).total).toBe(0);
      await older.store.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.join('\n')).toMatch(/it has migration 999 .*Running on it as this older release/);
    expect(NewerSchemaError).toBeDefined();
  });
  it('039 forgets the input hash of results a noop worker stored, so they are never reused as a forecast', async () => {
    const store = await scratch.open();
    await store.enqueue([newJob({ sku: 'A', inputHash: 'hash-A' }), newJob({ sku: 'B', inputHash: 'hash-B' })], { batchId: 'b1', supersede: false, reuse: false });
    for (const [claim, result] of (await store.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 })).map((c, i) => [c, i === 0 ? { noop: true, jobId: c.jobId } : { forecast: [1, 2] }] as const)) {
      expect(await store.complete(claim, result)).toBe(true);
    }
    const db = new Database(join(scratch.dir, 'jobs.db'));
    db.exec('DELETE FROM schema_migrations WHERE version = 39');
    db.close();
    expect(await store.migrate()).toEqual(['039_noop_results_unhashed']);
    const again = await store.enqueue([newJob({ sku: 'A', inputHash: 'hash-A' }), newJob({ sku: 'B', inputHash: 'hash-B' })], { batchId: 'b2', supersede: false });
    expect(again.jobsReused).toBe(1); // B's real forecast, not A's noop
  });

  it('040: a count of jobs waiting for a thread is read only at the heartbeat it was sent with, not after a pre-040 worker beats under the same id', async () => {
    const store = await scratch.open();
    const w = { workerId: 'w-fixed', host: 'h', pid: 1, concurrency: 2, startedAt: 1_000, lastHeartbeatAt: 1_000, running: 4, status: 'running' as const };
    await store.heartbeatWorker({ ...w, waitingForThread: 2 });
    expect((await store.listWorkers())[0].waitingForThread).toBe(2);
    // The code rolled back (040 stays applied): a process restarted with the same --worker-id beats
    // with the heartbeat of 039's release, which writes no count.
    const db = new Database(join(scratch.dir, 'jobs.db'));
    db.prepare(`INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
      VALUES (:workerId, :host, :pid, :concurrency, :startedAt, :lastHeartbeatAt, :running, :status, NULL)
      ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, started_at = excluded.started_at,
        last_heartbeat_at = excluded.last_heartbeat_at, running = excluded.running, status = excluded.status
      WHERE workers.started_at <= excluded.started_at`).run({ ...w, pid: 2, startedAt: 9_000, lastHeartbeatAt: 9_000, running: 3 });
    db.close();
    const [info] = await store.listWorkers();
    expect(info).toMatchObject({ pid: 2, running: 3 });
    expect(info.waitingForThread).toBeUndefined(); // the API estimates it for this worker, not 2 forever
  });
});
