import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../queue/doctor.js';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { jobFilterSql } from './job-rows.js';
import { finishedSql } from './sqlite-job-reads.js';
import { writeJobByHand } from './testing/job-by-hand.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/**
 * A job's batch and dataset as integer refs (migration 030): filters, ranges and refs that name
 * no batch. The migration itself: sqlite-migrate.test.ts.
 */
describe('SQLite job refs', () => {
  const scratch = sqliteScratch('skucast-sqlite-refs-');
  const open = (path?: string) => scratch.open({}, path);

  it('?datasetId= of a small dataset beside a big one, with statistics, seeks that dataset\'s jobs (its ref bound as a value), and an unknown one matches nothing', async () => {
    const store = await open();
    await store.enqueue([newJob({ sku: 'A', datasetId: 'small' }), newJob({ sku: 'B', datasetId: 'small' }), newJob({ sku: 'N', datasetId: null })], { batchId: 'small' });
    const writer = new Database(join(scratch.dir, 'jobs.db'));
    try {
      // A big dataset's long finished history and its open upload, then ANALYZE (PRAGMA optimize at a close does it).
      writer.exec(`INSERT INTO job_datasets (dataset_id) VALUES ('big');
        WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 20000)
        INSERT INTO jobs (dataset_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at, finished_at)
        SELECT (SELECT ref FROM job_datasets WHERE dataset_id = 'big'), 'S' || (n % 1000), 'm' || (n % 20), 'grid', 'manual_trigger', 3, 'completed', 0, 0, 0, n FROM i;
        WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 3000)
        INSERT INTO jobs (dataset_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at, turn)
        SELECT (SELECT ref FROM job_datasets WHERE dataset_id = 'big'), 'X' || n, 'm1', 'grid', 'manual_trigger', 3, 'pending', 0, 0, 0, n FROM i;
        ANALYZE;`);
      // The listing's statements as listJobs builds them (sqlite-job-reads.ts), planned with the
      // values it binds: under STAT4 the plan follows a bound value, never a subquery's.
      const refOf = (id: string) => writer.prepare('SELECT ref FROM job_datasets WHERE dataset_id = ?').pluck().get(id) as number | undefined ?? null;
      const { sql, params } = jobFilterSql({ datasetId: 'small' }, refOf);
      const plan = (text: string, values: Record<string, unknown>) => (writer.prepare(`EXPLAIN QUERY PLAN ${text}`).all({ ...params, ...values }) as Array<{ detail: string }>)
        .map((r) => r.detail).join(' | ');
      const finished = plan(`SELECT * FROM jobs WHERE ${finishedSql} AND id < :beforeId${sql} ORDER BY id DESC LIMIT +:limit`, { beforeId: 1e15, limit: 51 });
      expect(finished).toMatch(/jobs_dataset_newest \(dataset_ref=\? AND id<\?\)/);
      const pending = plan(`SELECT * FROM jobs WHERE status = 'pending' AND (priority, turn, id) > (:afterPriority, :afterTurn, :afterId)${sql} ORDER BY priority, turn, id LIMIT +:limit`,
        { afterPriority: -1, afterTurn: -1, afterId: 0, limit: 51 });
      expect(pending).toMatch(/\(dataset_ref=\?/);
    } finally {
      writer.close();
    }
    expect((await store.listJobs({ datasetId: 'small', limit: 10 })).jobs.map((j) => j.sku).sort()).toEqual(['A', 'B']);
    expect((await store.listJobs({ datasetId: 'small', limit: 10, withSummary: true })).summary).toMatchObject({ pending: 2, total: 2 });
    // a dataset no job ever held matches nothing: not the jobs without a dataset
    expect((await store.listJobs({ datasetId: 'nowhere', limit: 10 })).jobs).toEqual([]);
    expect(await store.summary({ datasetId: 'nowhere' })).toMatchObject({ total: 0 });
    expect(await store.cancel({ datasetId: 'nowhere' })).toBe(0);
    expect(await store.cancel({ datasetId: 'small' })).toBe(2);
    expect((await store.listJobs({ status: ['pending'], sku: 'N', limit: 10 })).jobs.map((j) => j.datasetId)).toEqual([null]);
  });

  it('a batch filter reads the batch\'s id range (job_batches, no index over batch_id), and prune and reset forget emptied batches', async () => {
    const store = await open();
    await store.enqueue([newJob({ sku: 'A' }), newJob({ sku: 'B' })], { batchId: 'kept' });
    const gone = await store.enqueue([newJob({ sku: 'C' })], { batchId: 'gone' });
    const db = new Database(join(scratch.dir, 'jobs.db'));
    try {
      const { sql, params } = jobFilterSql({ batchId: 'kept' }, () => null);
      // The listing's groups (sqlite-job-reads.ts) and the summary's count, each bounded by the range.
      for (const where of [`status = 'pending'${sql} ORDER BY priority, turn, id`, `${finishedSql} AND id < 1000000${sql} ORDER BY id DESC`, `1 = 1${sql}`]) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE ${where}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
        // bounded by the range: the rowid itself, or an index whose key ends in id
        expect(plan).toMatch(/SEARCH jobs USING (INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)|INDEX \w+ \(.*id>\? AND id<\?\))/);
      }
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql LIKE '%batch_id%' AND tbl_name = 'jobs'").pluck().get()).toBe(0);
      const batches = () => db.prepare('SELECT batch_id, first_id, last_id FROM job_batches ORDER BY batch_id').all();
      expect(batches()).toEqual([{ batch_id: 'gone', first_id: gone.firstId, last_id: gone.lastId }, { batch_id: 'kept', first_id: gone.firstId! - 2, last_id: gone.firstId! - 1 }]);
      // A batch whose first and last jobs are pruned and whose middle one is left keeps its range.
      const mid = await store.enqueue([newJob({ sku: 'D' }), newJob({ sku: 'E' }), newJob({ sku: 'F' })], { batchId: 'mid' });
      await store.cancel({ batchId: 'gone' });
      await store.cancel({ ids: [mid.firstId!, mid.lastId!] });
      await store.prune({ before: Date.now() + 1_000, statuses: ['cancelled'] });
      expect(batches()).toEqual([
        { batch_id: 'kept', first_id: gone.firstId! - 2, last_id: gone.firstId! - 1 },
        { batch_id: 'mid', first_id: mid.firstId, last_id: mid.lastId },
      ]);
      expect((await store.listJobs({ batchId: 'mid', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['E']);
      await store.reset();
      expect(batches()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("jobs written outside their batch's id range (rows by hand holding a batch's ref) are found by their batch once the doctor has run", async () => {
    const store = await open();
    await store.enqueue([newJob(), newJob()], { batchId: 'reused' });
    await store.enqueue([newJob({ sku: 'P1' })], { batchId: 'placed' });
    // Rows inserted by hand with the batches' refs (migration 030) after their ranges: no batch
    // filter sees them until recount widens the ranges.
    const db = new Database(join(scratch.dir, 'jobs.db'));
    try {
      const ref = (batchId: string) => db.prepare('SELECT ref FROM job_batches WHERE batch_id = ?').pluck().get(batchId) as number;
      const insert = db.prepare(`INSERT INTO jobs (batch_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        VALUES (:ref, :sku, 'ets', 'grid', 'manual_trigger', 3, 'pending', 1, 1, 1)`);
      for (const sku of ['O1', 'O2', 'O3']) insert.run({ ref: ref('placed'), sku });
      insert.run({ ref: ref('reused'), sku: 'O4' });
    } finally {
      db.close();
    }
    expect((await store.listJobs({ batchId: 'placed', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['P1']);
    await runDoctor(store); // `skucast doctor`, also run by every `skucast migrate`
    expect((await store.listJobs({ batchId: 'placed', limit: 10 })).jobs.map((j) => j.sku).sort()).toEqual(['O1', 'O2', 'O3', 'P1']);
    expect((await store.summary({ batchId: 'placed' })).pending).toBe(4);
    const reused = (await store.listJobs({ batchId: 'reused', limit: 10 })).jobs;
    expect(reused).toHaveLength(3);
    expect(reused.every((j) => j.batchId === 'reused')).toBe(true);
    expect(await store.cancel({ batchId: 'placed' })).toBe(4);
  });

  it("a batch's ref is never given to another batch, also after prune forgot the batch (a row by hand outside its range still holds it)", async () => {
    const store = await open();
    const a = await store.enqueue([newJob({ sku: 'A1' }), newJob({ sku: 'A2' })], { batchId: 'a' });
    const db = new Database(join(scratch.dir, 'jobs.db'));
    let byHand: number;
    try {
      byHand = Number(db.prepare(`INSERT INTO jobs (batch_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        VALUES ((SELECT ref FROM job_batches WHERE batch_id = 'a'), 'H', 'ets', 'grid', 'manual_trigger', 3, 'pending', 1, 1, 1)`).run().lastInsertRowid);
    } finally {
      db.close();
    }
    await store.cancel({ ids: [a.firstId!, a.lastId!] });
    await store.prune({ before: Date.now() + 1_000, statuses: ['cancelled'] }); // a's range is empty: its row goes
    await store.enqueue([newJob({ sku: 'B1' })], { batchId: 'b' });
    await runDoctor(store);
    expect((await store.listJobs({ batchId: 'b', limit: 10 })).jobs.map((j) => j.sku)).toEqual(['B1']);
    expect(await store.cancel({ batchId: 'b' })).toBe(1);
    expect((await store.getJob(byHand))?.status).toBe('pending');
  });

  it("a job row written without a batch (batch_ref DEFAULT 0, a row by hand) reads batchId '', a string, not null", async () => {
    const store = await open();
    writeJobByHand(join(scratch.dir, 'jobs.db'));
    await runDoctor(store);
    // Job.batchId is a string (the API's jobSchema refused null: 500); migrate-store copies it into PostgreSQL's NOT NULL batch_id.
    const [job] = (await store.listJobs({ limit: 10, includeResult: true })).jobs;
    expect(job.batchId).toBe('');
    expect((await store.listJobs({ limit: 10 })).jobs[0].batchId).toBe('');
    expect((await store.getJob(job.id))?.batchId).toBe('');
    const [claimed] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(claimed.job.batchId).toBe('');
  });
});
