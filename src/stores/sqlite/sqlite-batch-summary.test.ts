import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../queue/doctor.js';
import type { QueueSummary } from '../../queue/job.js';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { jobFilterSql } from './job-rows.js';
import { writeJobByHand } from './testing/job-by-hand.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/** The summary as the row-by-row count gives it: every row of the range, its batch checked. */
function countedByRows(path: string, batchId: string): Omit<QueueSummary, 'version'> {
  const db = new Database(path, { readonly: true });
  try {
    const { sql, params } = jobFilterSql({ batchId }, () => null);
    const rows = db.prepare(`SELECT status, count(*) AS n, coalesce(sum(CAST(round(progress * 100) AS INTEGER)), 0) / 100.0 AS p FROM jobs WHERE 1 = 1${sql} GROUP BY status`)
      .all(params) as Array<{ status: string; n: number; p: number }>;
    const out = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, total: 0, runningProgress: 0 };
    for (const r of rows) {
      out[r.status as 'pending'] = r.n;
      out.total += r.n;
      if (r.status === 'running') out.runningProgress = r.p;
    }
    return out;
  } finally {
    db.close();
  }
}


/**
 * A batch's summary (`skucast import --watch` polls it twice a second): a range of the batch's own
 * rows is counted through the partial indexes (job-batch-counts.sql, migration 046), never its rows,
 * which carry the results; a range that may hold others' rows (a batch id used again, a range the
 * doctor widened over rows written by hand) is counted row by row, each row's batch checked.
 */
describe('SQLite batch summary', () => {
  const scratch = sqliteScratch('skucast-sqlite-batch-summary-');

  it('counts a batch of its own through the indexes, every status as the rows say, and plans no read of the rows', async () => {
    const store = await scratch.open();
    const path = join(scratch.dir, 'jobs.db');
    await store.enqueue(Array.from({ length: 3 }, () => newJob()), { batchId: 'before' });
    await store.enqueue(Array.from({ length: 12 }, () => newJob()), { batchId: 'mine' });
    await store.enqueue(Array.from({ length: 4 }, () => newJob()), { batchId: 'after' });
    // Claims take the oldest first: 'before' (3), then 'mine'. Settle them every way there is.
    const claimed = await store.claim({ workerId: 'w', limit: 11, leaseMs: 60_000 });
    const mine = claimed.slice(3);
    await store.complete(mine[0], { forecast: 'x'.repeat(3000) });
    await store.complete(mine[1], { forecast: 'y' });
    await store.fail(mine[2], 'broken');
    await store.progress(mine[3], 40);
    await store.progress(mine[4], 12.5);
    await store.cancel({ ids: [mine[5].jobId, (await store.listJobs({ batchId: 'mine', status: ['pending'], limit: 1 })).jobs[0].id] });
    const summary = await store.summary({ batchId: 'mine' });
    expect(summary).toMatchObject({ pending: 3, running: 4, completed: 2, failed: 1, cancelled: 2, total: 12, runningProgress: 52.5 });
    expect(summary).toMatchObject(countedByRows(path, 'mine'));
    expect(await store.summary({ batchId: 'before' })).toMatchObject({ ...countedByRows(path, 'before'), running: 3 });
    expect(await store.summary({ batchId: 'nowhere' })).toMatchObject({ total: 0 });
    // The same counts in a listing's summary, read in its snapshot.
    expect((await store.listJobs({ batchId: 'mine', limit: 2, withSummary: true })).summary).toMatchObject(countedByRows(path, 'mine'));

    const db = new Database(path, { readonly: true });
    try {
      const own = db.prepare("SELECT own_range FROM job_batches WHERE batch_id = 'mine'").pluck().get();
      expect(own).toBe(12); // the range's length as enqueue wrote it
      const { readFileSync } = await import('node:fs');
      const plan = (query: string) => (db.prepare(`EXPLAIN QUERY PLAN ${readFileSync(new URL(`./queries/${query}.sql`, import.meta.url), 'utf8')}`)
        .all({ firstId: 4, lastId: 15 }) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      // The finished and the running through their indexes; none reads the table's rows (a bare "SCAN jobs" would).
      const counts = plan('job-batch-counts');
      expect(counts).toMatch(/jobs_finished_status/);
      expect(counts).toMatch(/jobs_running/);
      expect(counts).not.toMatch(/SCAN jobs(?! USING)/);
      // The pending through the claim index, or the range's rows by rowid: never a walk of the table.
      expect(plan('job-batch-pending-claim')).toMatch(/jobs_claim/);
      expect(plan('job-batch-pending-rows')).toMatch(/SEARCH jobs USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    } finally {
      db.close();
    }
  });

  it('counts a small batch behind a long queue from its range\'s rows, the same as the rows say', async () => {
    const store = await scratch.open();
    const path = join(scratch.dir, 'jobs.db');
    await store.enqueue(Array.from({ length: 200 }, () => newJob()), { batchId: 'queue' });
    await store.enqueue(Array.from({ length: 3 }, () => newJob()), { batchId: 'small' });
    await store.enqueue(Array.from({ length: 50 }, () => newJob()), { batchId: 'later' });
    await store.cancel({ ids: [(await store.listJobs({ batchId: 'small', limit: 1 })).jobs[0].id] });
    // 252 pending in the queue against 3 rows in the range: counted from the rows.
    const summary = await store.summary({ batchId: 'small' });
    expect(summary).toMatchObject({ pending: 2, cancelled: 1, total: 3 });
    expect(summary).toMatchObject(countedByRows(path, 'small'));
    // And the long one, through the claim index.
    expect(await store.summary({ batchId: 'queue' })).toMatchObject({ ...countedByRows(path, 'queue'), pending: 200 });
  });

  it('counts row by row, each row\'s batch checked, a range that may hold others\' rows: a batch id used again, a range the doctor widened', async () => {
    const store = await scratch.open();
    const path = join(scratch.dir, 'jobs.db');
    await store.enqueue([newJob(), newJob()], { batchId: 'again' });
    await store.enqueue([newJob(), newJob(), newJob()], { batchId: 'between' });
    await store.enqueue([newJob()], { batchId: 'again' }); // its range now spans 'between'
    expect(await store.summary({ batchId: 'again' })).toMatchObject({ pending: 3, total: 3 });
    expect(await store.summary({ batchId: 'between' })).toMatchObject({ pending: 3, total: 3 });

    // Rows written by hand after 'last': one of no batch, then one of 'last', which the doctor takes into its range.
    await store.enqueue([newJob(), newJob()], { batchId: 'last' });
    const lastRef = new Database(path, { readonly: true });
    const ref = lastRef.prepare("SELECT ref FROM job_batches WHERE batch_id = 'last'").pluck().get() as number;
    lastRef.close();
    writeJobByHand(path, { sku: 'no batch' });
    writeJobByHand(path, { sku: 'by hand', batchRef: ref });
    await runDoctor(store);
    const summary = await store.summary({ batchId: 'last' });
    expect(summary).toMatchObject({ pending: 3, total: 3 });
    expect(summary).toMatchObject(countedByRows(path, 'last'));
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT batch_id, own_range FROM job_batches WHERE batch_id IN ('again', 'last') ORDER BY batch_id").all())
        .toEqual([{ batch_id: 'again', own_range: 0 }, { batch_id: 'last', own_range: 0 }]);
    } finally {
      db.close();
    }
  });
});

describe('SQLite batch summary during a rolling upgrade', () => {
  const scratch = sqliteScratch('skucast-sqlite-batch-summary-older-');

  it('counts row by row a range that a process older than 046 widened over rows of no batch (its doctor leaves own_range alone)', async () => {
    const store = await scratch.open();
    const path = join(scratch.dir, 'jobs.db');
    await store.enqueue([newJob(), newJob()], { batchId: 'mine' });
    const db = new Database(path);
    try {
      const ref = db.prepare("SELECT ref FROM job_batches WHERE batch_id = 'mine'").pluck().get() as number;
      writeJobByHand(path, { sku: 'no batch' });
      writeJobByHand(path, { sku: 'by hand', batchRef: ref });
      // The recount of `skucast doctor` before 046 (job-recount-batches.sql at cbbadd94): it widens the range, own_range untouched.
      db.exec(`UPDATE job_batches AS b SET first_id = min(b.first_id, r.first_id), last_id = max(b.last_id, r.last_id)
        FROM (SELECT batch_ref, min(id) AS first_id, max(id) AS last_id FROM jobs GROUP BY batch_ref) AS r
       WHERE b.ref = r.batch_ref AND (r.first_id < b.first_id OR r.last_id > b.last_id)`);
      // And an older enqueue using the batch id again (job-enqueue-batch.sql at cbbadd94).
      const next = (db.prepare('SELECT max(id) FROM jobs').pluck().get() as number) + 1;
      writeJobByHand(path, { sku: 'no batch either' });
      db.prepare(`INSERT INTO job_batches (batch_id, first_id, last_id) VALUES ('mine', :first, :last)
        ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id)`).run({ first: next + 1, last: next + 1 });
      writeJobByHand(path, { sku: 'older enqueue', batchRef: ref });
    } finally {
      db.close();
    }
    const summary = await store.summary({ batchId: 'mine' });
    expect(summary).toMatchObject({ pending: 4, total: 4 });
    expect(summary).toMatchObject(countedByRows(path, 'mine'));
  });
});
