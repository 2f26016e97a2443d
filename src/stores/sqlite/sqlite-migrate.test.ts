import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { finishedSql } from './sqlite-job-reads.js';
import { applySchemaEdit, migrateSqlite } from './sqlite-migrate.js';
import { openSqliteDatabase } from './sqlite-store.js';
import { ephemeralTablesOfInsert } from './testing/ephemeral-tables.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/** Migrations on databases as earlier versions left them: statistics kept, versions taken, the schema edit of 025. */
describe('SQLite migrations', () => {
  const scratch = sqliteScratch('skucast-sqlite-migrate-');
  const open = (path?: string) => scratch.open({}, path);
  const dbPath = () => join(scratch.dir, 'jobs.db');
  /** A store's file, migrated (and filled by `fill`), then closed: the file as a plain connection opens it. */
  const migratedDb = async (fill?: (store: Awaited<ReturnType<typeof open>>) => Promise<unknown>) => {
    const store = await open();
    await fill?.(store);
    await store.close();
    return openSqliteDatabase(dbPath());
  };

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
      expect(migrateSqlite(db)).toEqual(['026_jobs_work_restored', '030_job_refs']);
      expect(indexes()).toEqual(migrated);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // and on a database that never ran 023, the same indexes again
      db.exec(`${before030} DELETE FROM schema_migrations WHERE version = 26`);
      expect(migrateSqlite(db)).toEqual(['026_jobs_work_restored', '030_job_refs']);
      expect(indexes()).toEqual(migrated);
    } finally {
      db.close();
    }
  });

  /**
   * Takes a migrated file back to before 030: jobs hold batch_id and dataset_id (as columns added
   * last here, not in their places of 001: 030 copies by name), the three dataset indexes keyed by
   * dataset_id, job_batches in 028's shape, no job_datasets.
   */
  const before030 = `DELETE FROM schema_migrations WHERE version >= 30;
    DROP INDEX jobs_work; DROP INDEX jobs_dataset_open; DROP INDEX jobs_dataset_newest;
    ALTER TABLE jobs ADD COLUMN dataset_id TEXT;
    UPDATE jobs SET dataset_id = (SELECT dataset_id FROM job_datasets AS d WHERE d.ref = jobs.dataset_ref);
    ALTER TABLE jobs DROP COLUMN dataset_ref;
    DROP TABLE job_datasets;
    CREATE INDEX jobs_work ON jobs (dataset_id, sku, model_id, method, status);
    CREATE INDEX jobs_dataset_open ON jobs (dataset_id) WHERE status IN ('pending', 'running');
    CREATE INDEX jobs_dataset_newest ON jobs (dataset_id, id);
    ALTER TABLE jobs ADD COLUMN batch_id TEXT NOT NULL DEFAULT '';
    UPDATE jobs SET batch_id = (SELECT batch_id FROM job_batches AS b WHERE b.ref = jobs.batch_ref);
    ALTER TABLE jobs DROP COLUMN batch_ref;
    CREATE TABLE job_batches_028 (batch_id TEXT PRIMARY KEY, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO job_batches_028 SELECT batch_id, first_id, last_id FROM job_batches;
    DROP TABLE job_batches; ALTER TABLE job_batches_028 RENAME TO job_batches;`;

  it("030 gives every job its batch's ref, a batch that had no range included, keeps the id sequence and every column, and puts result last", async () => {
    let completed = 0;
    const db = await migratedDb(async (store) => {
      await store.enqueue([newJob({ sku: 'A' }), newJob({ sku: 'B' })], { batchId: 'one' });
      await store.enqueue([newJob({ sku: 'C' })], { batchId: 'two' });
      await store.enqueue([newJob({ sku: 'D' })], { batchId: 'one' });
      const [claimed] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      expect(await store.complete({ jobId: claimed.jobId, leaseToken: claimed.leaseToken }, { forecast: [1, 2] })).toBe(true);
      completed = claimed.jobId;
    });
    try {
      db.exec(before030);
      // a row by hand whose batch no range holds (recount's case before 030), and one deleted: its id is not given again
      db.prepare(`INSERT INTO jobs (batch_id, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        VALUES ('hand', 'E', 'm', 'grid', 'manual_trigger', 1, 'pending', 0, 0, 0)`).run();
      db.prepare(`INSERT INTO jobs (batch_id, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        VALUES ('gone', 'G', 'm', 'grid', 'manual_trigger', 1, 'cancelled', 0, 0, 0)`).run();
      db.exec('DELETE FROM jobs WHERE id = 6');
      // docs/deploy.md's roll back from 028 puts this index back; rolling forward does not run 028 again
      db.exec('CREATE INDEX jobs_batch ON jobs (batch_id, status)');
      const rows = () => db.prepare(`SELECT id, sku, model_id, method, reason, priority, turn, status, progress, attempts, max_attempts, rescues,
        settings, input_hash, lease_token, lease_expires_at, worker_id, created_at, updated_at, started_at, finished_at, run_at, error, result
        FROM jobs ORDER BY id`).all();
      const before = rows();
      expect(migrateSqlite(db)).toEqual(['030_job_refs']);
      expect(rows()).toEqual(before);
      const columns = db.prepare("SELECT name FROM pragma_table_info('jobs')").pluck().all() as string[];
      expect(columns.slice(0, 3)).toEqual(['id', 'batch_ref', 'dataset_ref']);
      expect(columns.at(-1)).toBe('result');
      expect(columns).not.toContain('batch_id');
      expect(columns).not.toContain('dataset_id');
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'jobs_batch'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT j.sku, b.batch_id FROM jobs AS j JOIN job_batches AS b ON b.ref = j.batch_ref ORDER BY j.id').all()).toEqual([
        { sku: 'A', batch_id: 'one' }, { sku: 'B', batch_id: 'one' }, { sku: 'C', batch_id: 'two' }, { sku: 'D', batch_id: 'one' }, { sku: 'E', batch_id: 'hand' },
      ]);
      expect(db.prepare('SELECT batch_id, first_id, last_id FROM job_batches ORDER BY ref').all()).toEqual([
        { batch_id: 'one', first_id: 1, last_id: 4 }, { batch_id: 'two', first_id: 3, last_id: 3 }, { batch_id: 'hand', first_id: 5, last_id: 5 },
      ]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const store = await open();
    try {
      expect((await store.listJobs({ batchId: 'one', limit: 10 })).jobs.map((j) => [j.sku, j.batchId]).sort()).toEqual([['A', 'one'], ['B', 'one'], ['D', 'one']]);
      expect((await store.getJob(5))?.batchId).toBe('hand');
      expect((await store.getJob(completed))?.result).toEqual({ forecast: [1, 2] });
      const next = await store.enqueue([newJob({ sku: 'F' })], { batchId: 'two' });
      expect((await store.listJobs({ batchId: 'two', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['C', 'F']);
      expect(next.firstId).toBe(7);
    } finally {
      await store.close();
    }
  });

  it("030 numbers the batches 1..n: no ref is used up on a batch both job_batches and the jobs name", async () => {
    // An upsert's conflict path still takes the next AUTOINCREMENT value: backfilling the jobs'
    // batches over job_batches with ON CONFLICT gave a 029 file of n batches refs up to 2n
    // (each a byte more per row past 127, 32,767, ...), and sqlite_sequence at 2n.
    const db = await migratedDb(async (store) => {
      await store.enqueue([newJob({ sku: 'A' }), newJob({ sku: 'B' })], { batchId: 'one' });
      await store.enqueue([newJob({ sku: 'C' })], { batchId: 'two' });
      await store.enqueue([newJob({ sku: 'D' })], { batchId: 'three' });
    });
    try {
      db.exec(before030);
      db.prepare(`INSERT INTO jobs (batch_id, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        VALUES ('hand', 'E', 'm', 'grid', 'manual_trigger', 1, 'pending', 0, 0, 0)`).run();
      expect(migrateSqlite(db)).toEqual(['030_job_refs']);
      expect(db.prepare('SELECT ref, batch_id, first_id, last_id FROM job_batches ORDER BY ref').all()).toEqual([
        { ref: 1, batch_id: 'one', first_id: 1, last_id: 2 }, { ref: 2, batch_id: 'two', first_id: 3, last_id: 3 },
        { ref: 3, batch_id: 'three', first_id: 4, last_id: 4 }, { ref: 4, batch_id: 'hand', first_id: 5, last_id: 5 },
      ]);
      expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'job_batches'").pluck().get()).toBe(4);
    } finally {
      db.close();
    }
  });

  /**
   * 030 and 031 as main first had them (e1d8617: 030_job_batch_refs, 926315c: 031_job_dataset_refs;
   * b0576c4 made them the one rebuild of 030_job_refs), with their comments left out. A file that
   * ran them records version 30 (and 31): the rebuild was never run there.
   */
  const twoStep030 = `
      CREATE TABLE job_batches_030 (
        ref      INTEGER PRIMARY KEY,
        batch_id TEXT    NOT NULL UNIQUE,
        first_id INTEGER NOT NULL,
        last_id  INTEGER NOT NULL
      );
      INSERT INTO job_batches_030 (batch_id, first_id, last_id)
      SELECT batch_id, first_id, last_id FROM job_batches ORDER BY first_id;
      INSERT INTO job_batches_030 (batch_id, first_id, last_id)
      SELECT batch_id, min(id), max(id) FROM jobs WHERE true GROUP BY batch_id
      ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id);
      DROP TABLE job_batches;
      ALTER TABLE job_batches_030 RENAME TO job_batches;
      ALTER TABLE jobs ADD COLUMN batch_ref INTEGER NOT NULL DEFAULT 0;
      UPDATE jobs SET batch_ref = (SELECT ref FROM job_batches AS b WHERE b.batch_id = jobs.batch_id);
      ALTER TABLE jobs DROP COLUMN batch_id;
      INSERT INTO schema_migrations (version, name, applied_at) VALUES (30, '030_job_batch_refs', 0);`;
  const twoStep031 = `
      CREATE TABLE job_datasets (
        ref        INTEGER PRIMARY KEY AUTOINCREMENT,
        dataset_id TEXT    NOT NULL UNIQUE
      );
      INSERT INTO job_datasets (dataset_id)
      SELECT dataset_id FROM jobs WHERE dataset_id IS NOT NULL GROUP BY dataset_id ORDER BY min(id);
      DROP INDEX jobs_work;
      DROP INDEX jobs_dataset_open;
      DROP INDEX jobs_dataset_newest;
      ALTER TABLE jobs ADD COLUMN dataset_ref INTEGER;
      UPDATE jobs SET dataset_ref = (SELECT ref FROM job_datasets AS d WHERE d.dataset_id = jobs.dataset_id)
       WHERE dataset_id IS NOT NULL;
      ALTER TABLE jobs DROP COLUMN dataset_id;
      CREATE INDEX jobs_work ON jobs (dataset_ref, sku, model_id, method, status);
      CREATE INDEX jobs_dataset_open ON jobs (dataset_ref) WHERE status IN ('pending', 'running');
      CREATE INDEX jobs_dataset_newest ON jobs (dataset_ref, id);
      INSERT INTO schema_migrations (version, name, applied_at) VALUES (31, '031_job_dataset_refs', 0);`;

  for (const [steps, sql] of [['030', () => twoStep030], ['030 and 031', () => twoStep030 + twoStep031]] as const) {
    it(`a file that ran the two-step ${steps} of main (e1d8617, 926315c) gets the rebuild: refs AUTOINCREMENT, result last, every job kept`, async () => {
      const db = await migratedDb(async (store) => {
        await store.enqueue([newJob({ sku: 'A', datasetId: 'd2' }), newJob({ sku: 'B', datasetId: 'd1' })], { batchId: 'one' });
        await store.enqueue([newJob({ sku: 'C', datasetId: null })], { batchId: 'two' });
        const [claimed] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
        await store.complete({ jobId: claimed.jobId, leaseToken: claimed.leaseToken }, { forecast: [1, 2] });
      });
      try {
        db.exec(before030);
        db.exec(sql());
        expect(migrateSqlite(db)).toEqual(['030_job_refs']);
        const columns = db.prepare("SELECT name FROM pragma_table_info('jobs')").pluck().all() as string[];
        expect(columns.slice(0, 3)).toEqual(['id', 'batch_ref', 'dataset_ref']);
        expect(columns.at(-1)).toBe('result');
        expect(columns).not.toContain('batch_id');
        expect(columns).not.toContain('dataset_id');
        expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'job_batches'").pluck().get()).toMatch(/AUTOINCREMENT/);
        expect(db.prepare('SELECT version, name FROM schema_migrations WHERE version >= 30').all()).toEqual([{ version: 30, name: '030_job_refs' }]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
      const store = await open();
      try {
        const jobs = (await store.listJobs({ limit: 10, includeResult: true })).jobs;
        expect(jobs.map((j) => [j.sku, j.batchId, j.datasetId]).sort()).toEqual([['A', 'one', 'd2'], ['B', 'one', 'd1'], ['C', 'two', null]]);
        expect(jobs.find((j) => j.status === 'completed')?.result).toEqual({ forecast: [1, 2] });
        expect((await store.listJobs({ datasetId: 'd1', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['B']);
        const next = await store.enqueue([newJob({ sku: 'B', datasetId: 'd1' })], { batchId: 'three' });
        expect(next.firstId).toBe(4);
        expect((await store.getJob(4))?.datasetId).toBe('d1');
      } finally {
        await store.close();
      }
    });
  }

  it('030 gives every job its dataset\'s ref (none for jobs without one, a deleted dataset\'s kept), keeps the indexes analyzed, and drops dataset_id', async () => {
    const db = await migratedDb(async (store) => {
      await store.enqueue([newJob({ sku: 'A', datasetId: 'd2' }), newJob({ sku: 'B', datasetId: 'd1' })], { batchId: 'one' });
      await store.enqueue([newJob({ sku: 'C', datasetId: null }), newJob({ sku: 'D', datasetId: 'gone' })], { batchId: 'two' });
    });
    try {
      db.exec(before030);
      db.exec('ANALYZE');
      const analyzed = () => db.prepare("SELECT idx FROM sqlite_stat1 WHERE idx IN ('jobs_work', 'jobs_dataset_newest') ORDER BY idx").pluck().all();
      expect(analyzed()).toEqual(['jobs_dataset_newest', 'jobs_work']);
      const batchesAnalyzed = () => db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'job_batches'").pluck().get();
      expect(batchesAnalyzed()).toBe(1);
      expect(migrateSqlite(db)).toEqual(['030_job_refs']);
      expect(analyzed()).toEqual(['jobs_dataset_newest', 'jobs_work']);
      // job_batches (WITHOUT ROWID until 030: its statistics under its own name) is analyzed again too
      expect(batchesAnalyzed()).toBe(1);
      expect(db.prepare("SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'dataset_id'").pluck().get()).toBe(0);
      // refs in the order of the datasets' first jobs
      expect(db.prepare('SELECT ref, dataset_id FROM job_datasets ORDER BY ref').all()).toEqual([
        { ref: 1, dataset_id: 'd2' }, { ref: 2, dataset_id: 'd1' }, { ref: 3, dataset_id: 'gone' },
      ]);
      expect(db.prepare('SELECT sku, dataset_ref FROM jobs ORDER BY sku').all()).toEqual([
        { sku: 'A', dataset_ref: 1 }, { sku: 'B', dataset_ref: 2 }, { sku: 'C', dataset_ref: null }, { sku: 'D', dataset_ref: 3 },
      ]);
      expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'jobs_dataset_newest'").pluck().get()).toBe('CREATE INDEX jobs_dataset_newest ON jobs (dataset_ref, id)');
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const store = await open();
    try {
      const jobs = (await store.listJobs({ limit: 10 })).jobs;
      expect(Object.fromEntries(jobs.map((j) => [j.sku, j.datasetId]))).toEqual({ A: 'd2', B: 'd1', C: null, D: 'gone' });
      expect((await store.listJobs({ datasetId: 'd1', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['B']);
      expect((await store.listJobs({ datasetId: 'nowhere', limit: 10 })).jobs).toEqual([]);
      // a job of the same work in d1 supersedes B; one without a dataset supersedes C, not D or B
      const next = await store.enqueue([newJob({ sku: 'B', datasetId: 'd1' }), newJob({ sku: 'C', datasetId: null })], { batchId: 'three' });
      expect(next.jobsCancelled).toBe(2);
      expect((await store.listJobs({ status: ['cancelled'], limit: 10 })).jobs.map((j) => j.sku).sort()).toEqual(['B', 'C']);
    } finally {
      await store.close();
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
      expect(migrateSqlite(db)).toEqual(['028_job_batches', '029_series_provisional', '030_job_refs']);
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
});
