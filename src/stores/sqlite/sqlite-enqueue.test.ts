import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { sqlDir } from '../sql-files.js';
import { openSqliteDatabase } from './sqlite-store.js';
import { createSqliteContext, type SqliteContext } from './sqlite-context.js';
import { enqueueInTransaction } from './sqlite-enqueue.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

// Supersede by SKU span (sqlite-enqueue.ts, job-supersede-span.sql): which pieces of a batch get
// supersede's seeks. The conformance suite (describe-store) holds what supersede cancels; these
// hold that skipping the seeks never skips a job that was due.
describe('SQLite enqueue: supersede by SKU span', () => {
  const scratch = sqliteScratch('skucast-enqueue-');

  it('a batch into a dataset with open jobs supersedes exactly the open jobs of the same work, whichever INSERT piece holds it', async () => {
    // 5,002 jobs go in as pieces of 2,048, 2,048, 512, 256, 128, 8 and 2 rows; each piece asks
    // whether its SKU span meets an open job of the dataset (job-supersede-span.sql) and only
    // those get supersede's seeks. The one job of the same work sits in the second piece.
    const store = await scratch.open({}, join(scratch.dir, 'spans.db'));
    const settings = { horizon: 6 };
    const open1 = await store.enqueue(Array.from({ length: 1000 }, (_, i) => newJob({ datasetId: 'd', sku: `P-${String(i).padStart(4, '0')}`, settings })), { batchId: 'open' });
    const done = await store.enqueue([newJob({ datasetId: 'd', sku: 'N-0100', settings })], { batchId: 'done' });
    const [claimed] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(claimed.jobId).toBe(open1.firstId); // P-0000, running: open too
    const input = [
      ...Array.from({ length: 2500 }, (_, i) => newJob({ datasetId: 'd', sku: `M-${String(i).padStart(4, '0')}`, settings })),
      newJob({ datasetId: 'd', sku: 'P-0500', settings }),
      newJob({ datasetId: 'd', sku: 'P-0700', modelId: 'naive', settings }),
      ...Array.from({ length: 2499 }, (_, i) => newJob({ datasetId: 'd', sku: `R-${String(i).padStart(4, '0')}`, settings })),
      newJob({ datasetId: 'd', sku: 'P-0000', settings }),
    ];
    const r = await store.enqueue(input, { batchId: 'later' });
    expect(r.jobsCreated).toBe(5002);
    expect(r.jobsCancelled).toBe(2);
    const cancelled = (await store.listJobs({ status: ['cancelled'], limit: 10 })).jobs;
    expect(cancelled.map((j) => [j.sku, j.batchId]).sort()).toEqual([['P-0000', 'open'], ['P-0500', 'open']]);
    const newer = (await store.listJobs({ datasetId: 'd', status: ['pending'], limit: 6000 })).jobs.filter((j) => j.batchId === 'later');
    for (const old of cancelled) expect(old.error).toBe(`superseded by job ${newer.find((j) => j.sku === old.sku && j.modelId === 'ets')!.id}`);
    expect((await store.getJob(done.firstId!))!.status).toBe('pending'); // N-0100: no work of the batch
    expect((await store.summary()).pending).toBe(1000 - 2 + 1 + 5002);
  });

  it('the pieces whose SKU span meets no open job run no supersede at all: one piece of five gets the seeks', async () => {
    // What the span check is for, observed: job-supersede.sql's runs, counted through the context.
    // Without the check (every piece "maybe"), the ranges would join into one of all 5,002 rows.
    const path = join(scratch.dir, 'skipped.db');
    const settings = { horizon: 6 };
    const store = await scratch.open({}, path);
    await store.enqueue(Array.from({ length: 100 }, (_, i) => newJob({ datasetId: 'd', sku: `P-${String(i).padStart(4, '0')}`, settings })), { batchId: 'open' });
    await store.close();
    const db = openSqliteDatabase(path);
    try {
      const ctx = createSqliteContext(db, () => 1, () => {});
      const runs: Array<{ firstId: number; lastId: number }> = [];
      const counting: SqliteContext = {
        ...ctx,
        stmt(name) {
          const stmt = ctx.stmt(name);
          if (name !== 'job-supersede') return stmt;
          return { run: (params: { firstId: number; lastId: number }) => (runs.push({ firstId: params.firstId, lastId: params.lastId }), stmt.run(params)) } as unknown as typeof stmt;
        },
      };
      const input = [
        ...Array.from({ length: 2500 }, (_, i) => newJob({ datasetId: 'd', sku: `M-${String(i).padStart(4, '0')}`, settings })),
        newJob({ datasetId: 'd', sku: 'P-0050', settings }),
        ...Array.from({ length: 2501 }, (_, i) => newJob({ datasetId: 'd', sku: `R-${String(i).padStart(4, '0')}`, settings })),
      ];
      const r = db.transaction(() => enqueueInTransaction(counting, input, { batchId: 'later' })).immediate();
      expect(r.jobsCreated).toBe(5002);
      expect(r.jobsCancelled).toBe(1);
      // In SKU order the pieces are 2,048 (M-0000..M-2047), 2,048 (M-2048.. P-0050 ..R-1594), 512,
      // 256, 128, 8 and 2 rows: only the second one's span holds P-0050.
      const p50 = db.prepare("SELECT id FROM jobs WHERE id >= ? AND sku = 'P-0050'").pluck().get(r.firstId) as number;
      expect(runs).toEqual([{ firstId: r.firstId! + 2048, lastId: r.firstId! + 4095 }]);
      expect(p50).toBeGreaterThanOrEqual(runs[0].firstId);
      expect(p50).toBeLessThanOrEqual(runs[0].lastId);
    } finally {
      db.close();
    }
  });

  it('a piece whose SKU span holds more jobs than it has rows still gets the seeks: the walk is bounded, its answer then "maybe"', async () => {
    // Ten SKUs with five finished jobs each, then an open one of the last SKU: a piece of 16 rows
    // over those SKUs walks 16 entries of jobs_work and stops before the open job.
    const path = join(scratch.dir, 'budget.db');
    const store = await scratch.open({}, path);
    const db = openSqliteDatabase(path);
    try {
      db.exec(`INSERT INTO job_datasets (dataset_id) VALUES ('h');
        WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 49)
        INSERT INTO jobs (dataset_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
        SELECT (SELECT ref FROM job_datasets WHERE dataset_id = 'h'), 'H-' || (n / 5), 'ets', 'grid', 'manual_trigger', 3, 'completed', 0, 0, 0 FROM i;`);
    } finally {
      db.close();
    }
    const settings = { horizon: 6 };
    const old = await store.enqueue([newJob({ datasetId: 'h', sku: 'H-9', settings })], { batchId: 'old' });
    const input = Array.from({ length: 16 }, (_, i) => newJob({ datasetId: 'h', sku: `H-${i < 10 ? i : `9-${i}`}`, modelId: i === 9 ? 'ets' : 'naive', settings }));
    const r = await store.enqueue(input, { batchId: 'new' });
    expect(r.jobsCancelled).toBe(1);
    expect(await store.getJob(old.firstId!)).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/^superseded by job \d+$/) });
  });

  it("a piece's SKU span is taken in SQLite's order: SKUs past U+D800, which UTF-16 and UTF-8 sort differently, still meet their open job", async () => {
    // In code units 'a\u{1F600}' (a surrogate pair) sorts before 'a\uE000'; in UTF-8 (SQLite's
    // BINARY) after it. A span from the first to the last in JS order would be empty in SQLite.
    const store = await scratch.open({}, join(scratch.dir, 'astral.db'));
    const settings = { horizon: 6 };
    const old = await store.enqueue([newJob({ datasetId: 'u', sku: 'a\u{1F600}', settings })], { batchId: 'old' });
    const r = await store.enqueue([newJob({ datasetId: 'u', sku: 'a\uE000', settings }), newJob({ datasetId: 'u', sku: 'a\u{1F600}', settings })], { batchId: 'new' });
    expect(r.jobsCancelled).toBe(1);
    expect((await store.getJob(old.firstId!))!.status).toBe('cancelled');
  });

  it('a pending job met by a piece whose walk stays under its bound is superseded: the walk itself found it open', async () => {
    // A piece of 2 rows over the span A..B holds one entry (the pending A): walked 1 of a bound
    // of 2, so only the walk's `open` decides (the other tests here are decided by a running job,
    // the bound, or the guard).
    const store = await scratch.open({}, join(scratch.dir, 'pending.db'));
    const settings = { horizon: 6 };
    const old = await store.enqueue([newJob({ datasetId: 'p', sku: 'A', settings })], { batchId: 'old' });
    const r = await store.enqueue([newJob({ datasetId: 'p', sku: 'A', settings }), newJob({ datasetId: 'p', sku: 'B', settings })], { batchId: 'new' });
    expect(r.jobsCancelled).toBe(1);
    expect((await store.getJob(old.firstId!))!.status).toBe('cancelled');
  });

  it("pieces whose spans cover an earlier run of the same batch: the batch's own rows are never taken for older open jobs", async () => {
    // One batch: a big run at priority 3, then two-job runs at priorities 1 and 2 whose spans cover
    // it (S-00000-k .. S-02999-k). Each small piece's walk meets the big run's rows first and
    // counts them toward its bound (uncounted, a walk of all of them per piece: 2-4x the enqueue's
    // time at 50,000 rows and 200 such runs, in review); only an older job is open to supersede.
    const store = await scratch.open({}, join(scratch.dir, 'runs.db'));
    const settings = { horizon: 6 };
    const old = await store.enqueue([newJob({ datasetId: 'w', sku: 'S-00030-0', modelId: 'naive', settings })], { batchId: 'old' });
    const big = Array.from({ length: 3000 }, (_, i) => newJob({ datasetId: 'w', sku: `S-${String(i).padStart(5, '0')}`, priority: 3, settings }));
    const small = Array.from({ length: 40 }, (_, k) => [
      newJob({ datasetId: 'w', sku: `S-00000-${k}`, modelId: k === 0 ? 'naive' : 'ets', priority: k % 2 ? 1 : 2, settings }),
      newJob({ datasetId: 'w', sku: `S-02999-${k}`, priority: k % 2 ? 1 : 2, settings }),
    ]).flat();
    const r = await store.enqueue([...big, ...small], { batchId: 'new' });
    expect(r.jobsCreated).toBe(3080);
    expect(r.jobsCancelled).toBe(0);
    expect((await store.getJob(old.firstId!))!.status).toBe('pending');
    // S-00000-0 / naive is not S-00030-0's work; the same batch with it is.
    const again = await store.enqueue([...big, newJob({ datasetId: 'w', sku: 'S-00000-0', priority: 2, settings }), newJob({ datasetId: 'w', sku: 'S-00030-0', modelId: 'naive', priority: 1, settings })], { batchId: 'again' });
    expect(again.jobsCancelled).toBe(3001);
    expect((await store.getJob(old.firstId!))!.status).toBe('cancelled');
  });
});

// Datasets as refs (migration 030): enqueue gives a dataset new to the jobs a ref, and reuses it after.
describe('SQLite enqueue: dataset refs', () => {
  const scratch = sqliteScratch('skucast-enqueue-refs-');

  it('enqueues into a dataset that has its ref use up no ref (the upsert\'s conflict path took one each): the next new dataset gets the next one', async () => {
    const path = join(scratch.dir, 'refs.db');
    const store = await scratch.open({}, path);
    await store.enqueue([newJob({ datasetId: 'a', sku: 'A' }), newJob({ datasetId: null, sku: 'N' })], { batchId: 'one' });
    const db = openSqliteDatabase(path);
    const counters = () => db.prepare("SELECT name, seq FROM sqlite_sequence WHERE name = 'job_datasets'").all();
    try {
      expect(counters()).toEqual([{ name: 'job_datasets', seq: 1 }]);
      for (let i = 0; i < 3; i++) await store.enqueue([newJob({ datasetId: 'a', sku: `A${i}` })], { batchId: `again-${i}` });
      expect(counters()).toEqual([{ name: 'job_datasets', seq: 1 }]);
      await store.enqueue([newJob({ datasetId: 'b', sku: 'B' })], { batchId: 'b' });
      expect(db.prepare('SELECT ref, dataset_id FROM job_datasets ORDER BY ref').all()).toEqual([{ ref: 1, dataset_id: 'a' }, { ref: 2, dataset_id: 'b' }]);
    } finally {
      db.close();
    }
    expect(Object.fromEntries((await store.listJobs({ limit: 10 })).jobs.map((j) => [j.sku, j.datasetId]))).toEqual({ A: 'a', N: null, A0: 'a', A1: 'a', A2: 'a', B: 'b' });
  });

  it("reuse's turn read (job-turn-pending.sql) reads the batch's rows by id, with statistics too: not a skip-scan over every dataset's ref", async () => {
    const path = join(scratch.dir, 'turns.db');
    await scratch.open({}, path);
    const db = openSqliteDatabase(path);
    try {
      // 50 datasets of 400 jobs each, then ANALYZE: the statistics under which the planner took
      // jobs_dataset_newest (ANY(dataset_ref) AND id>? AND id<?), one seek per dataset ever.
      db.exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 50)
          INSERT INTO job_datasets (dataset_id) SELECT 'ds-' || n FROM i;
        WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 19999)
          INSERT INTO jobs (batch_ref, dataset_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at, turn)
          SELECT 0, 1 + n / 400, 'S' || n, 'm', 'grid', 'manual_trigger', 3, 'pending', 0, 0, 0, n FROM i;
        ANALYZE;`);
      const sql = readFileSync(join(sqlDir('sqlite', 'queries'), 'job-turn-pending.sql'), 'utf8');
      const range = { firstId: 19_990, lastId: 20_000 };
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(range) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/SEARCH jobs USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(db.prepare(sql).all(range)).toEqual([{ dataset_key: 'ds-50', priority: 3, last_turn: 19_999 }]);
    } finally {
      db.close();
    }
  });
});
