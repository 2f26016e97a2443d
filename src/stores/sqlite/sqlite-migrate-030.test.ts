import { describe, expect, it } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { migrateSqlite } from './sqlite-migrate.js';
import { before030 } from './testing/before-030.js';
import { migratedFile } from './testing/migrated-file.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/** Migration 030 (a job's batch and dataset as refs, the jobs table rebuilt) on files as 029 and main's two-step 030/031 left them. */
describe('SQLite migration 030', () => {
  const scratch = sqliteScratch('skucast-sqlite-migrate-030-');
  const open = (path?: string) => scratch.open({}, path);
  const { migratedDb } = migratedFile(scratch);

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
      expect(migrateSqlite(db)).toEqual(['030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
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
      expect(migrateSqlite(db)).toEqual(['030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
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
        expect(migrateSqlite(db)).toEqual(['030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
        const columns = db.prepare("SELECT name FROM pragma_table_info('jobs')").pluck().all() as string[];
        expect(columns.slice(0, 3)).toEqual(['id', 'batch_ref', 'dataset_ref']);
        expect(columns.at(-1)).toBe('result');
        expect(columns).not.toContain('batch_id');
        expect(columns).not.toContain('dataset_id');
        expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'job_batches'").pluck().get()).toMatch(/AUTOINCREMENT/);
        expect(db.prepare('SELECT version, name FROM schema_migrations WHERE version >= 30').all()).toEqual([{ version: 30, name: '030_job_refs' }, { version: 35, name: '035_actuals_revisions_dataset' }, { version: 39, name: '039_noop_results_unhashed' }, { version: 40, name: '040_worker_waiting' }, { version: 42, name: '042_snapshot_item_status' }, { version: 43, name: '043_retry_marks' }, { version: 44, name: '044_idempotency_keys' }, { version: 45, name: '045_snapshot_names' }, { version: 46, name: '046_job_batch_own_range' }]);
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
      expect(migrateSqlite(db)).toEqual(['030_job_refs', '035_actuals_revisions_dataset', '039_noop_results_unhashed', '040_worker_waiting', '042_snapshot_item_status', '043_retry_marks', '044_idempotency_keys', '045_snapshot_names', '046_job_batch_own_range']);
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
});
