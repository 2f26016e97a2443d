import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { sqlDir } from '../sql-files.js';
import { busy, createSqliteContext, type SqliteContext } from './sqlite-context.js';
import { completeSql, sqliteJobWrites } from './sqlite-job-writes.js';
import { openSqliteDatabase } from './sqlite-store.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/** The plans of the complete statement, and the gap between a claim's commit and the read of its rows. */
describe('SQLite claim and complete', () => {
  const scratch = sqliteScratch('skucast-sqlite-');
  const open = (path?: string) => scratch.open({}, path);
  /** EXPLAIN QUERY PLAN of the complete statement for `rows` leases, its steps joined by ' | '. */
  const completePlan = (db: Database.Database, rows: number) => {
    const text = readFileSync(join(sqlDir('sqlite', 'queries'), 'job-complete.sql'), 'utf8');
    const args = Array.from({ length: rows }, (_, i) => [i + 1, 'token', 'result']).flat();
    return (db.prepare(`EXPLAIN QUERY PLAN ${completeSql(text, rows)}`).all(args, { now: 1 }) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  };
  /**
   * A store whose claim runs `gap.act` (once) between its commit and the read of its rows: a
   * microtask queued while the claim's transaction runs (ctx.now() is called inside it) runs there.
   */
  const openWithGap = async () => {
    const gap: { act: (() => void) | null } = { act: null };
    const store = await scratch.open({
      now: () => {
        const act = gap.act;
        gap.act = null;
        if (act) queueMicrotask(act);
        return 1_000;
      },
    });
    return { store, gap };
  };

  it('complete seeks each lease by primary key with the statistics ANALYZE leaves on a busy table: never a walk of the running jobs', async () => {
    // With ANALYZE's statistics and few running jobs, the planner preferred to walk jobs_running and
    // scan the leases for each: a batch's cost would grow with the running jobs. NOT INDEXED keeps
    // the leases outside and the rowid seek inside.
    const store = await open();
    await store.enqueue(Array.from({ length: 400 }, (_, i) => newJob({ sku: `P${i}` })), { batchId: 'plan' });
    const claimed = await store.claim({ workerId: 'w', limit: 300, leaseMs: 60_000 });
    await Promise.all(claimed.slice(0, 290).map((c) => store.complete(c, { ok: true })));
    const db = new Database(join(scratch.dir, 'jobs.db'));
    try {
      db.exec('ANALYZE');
      for (const rows of [1, 2, 256]) {
        const plan = completePlan(db, rows);
        expect(plan, `${rows} rows`).toMatch(/SCAN done \| SEARCH jobs USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(plan, `${rows} rows`).not.toMatch(/SCAN jobs/);
      }
    } finally {
      db.close();
    }
  });

  it('a close that analyzed a handful of jobs leaves no statistics that would make complete scan the table once it grows', async () => {
    // PRAGMA optimize at close analyzes a jobs table that is new, or that shrank (drained and
    // pruned). Statistics of a few rows outlive them: NOT INDEXED leaves the planner a full scan
    // or the rowid seek, and with "3 rows" it scans jobs for each complete statement of 8 leases
    // and more, however many jobs there are by then.
    const path = join(scratch.dir, 'jobs.db');
    const scanningSizes = () => {
      const db = new Database(path); // loads the statistics the close left, as the next process does
      try {
        return [1, 2, 4, 8, 16, 32, 64, 128, 256].filter((rows) => /SCAN jobs/.test(completePlan(db, rows)));
      } finally {
        db.close();
      }
    };
    const jobs = (n: number, batchId: string) => Array.from({ length: n }, (_, i) => newJob({ sku: `${batchId}-${i}` }));

    const fresh = await open(path);
    await fresh.enqueue(jobs(3, 'few'), { batchId: 'few' });
    await fresh.close();
    expect(scanningSizes(), 'a new database closed with 3 jobs').toEqual([]);

    const busy = await open(path);
    await busy.enqueue(jobs(400, 'many'), { batchId: 'many' });
    await busy.close();
    const drained = await open(path);
    for (let c = await drained.claim({ workerId: 'w', limit: 256, leaseMs: 60_000 }); c.length > 0; c = await drained.claim({ workerId: 'w', limit: 256, leaseMs: 60_000 })) {
      await Promise.all(c.map((l) => drained.complete(l, null)));
    }
    await drained.prune({ before: Date.now() + 1, statuses: ['completed'] });
    await drained.enqueue(jobs(3, 'left'), { batchId: 'left' });
    await drained.close();
    expect(scanningSizes(), 'drained and pruned to 3 jobs').toEqual([]);
  });

  it('completes waiting in the batch are written in the claim\'s transaction, each fenced on its lease, and answered before the claim returns', async () => {
    const store = await open();
    const r = await store.enqueue([newJob({ sku: 'T-1' }), newJob({ sku: 'T-2' }), newJob({ sku: 'T-3' })], { batchId: 'together' });
    const [first, second] = await store.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 });
    const answers: Array<[string, boolean]> = [];
    const done = store.complete(first, { n: 1 }).then((ok) => answers.push(['first', ok]));
    const stale = store.complete({ jobId: second.jobId, leaseToken: 'not-the-lease' }, null).then((ok) => answers.push(['stale', ok]));
    const db = new Database(join(scratch.dir, 'jobs.db'), { readonly: true });
    const version = () => db.pragma('data_version', { simple: true }) as number;
    const before = version();
    const next = await store.claim({ workerId: 'w', limit: 5, leaseMs: 60_000 });
    try {
      // Answered already: the batch went out with the claim, not on a later turn of the loop.
      expect(answers).toEqual([['first', true], ['stale', false]]);
      expect(version()).toBe(before + 1); // one commit for the completes and the claim
      expect(next.map((c) => c.jobId)).toEqual([r.lastId]);
      expect(await store.getJob(first.jobId)).toMatchObject({ status: 'completed', result: { n: 1 } });
      expect((await store.getJob(second.jobId))!.status).toBe('running');
      await Promise.all([done, stale]);
    } finally {
      db.close();
    }
  });

  /** A second connection's job writes on the scratch file, through a context `wrap` may change. */
  const writesOn = (wrap: (ctx: SqliteContext) => SqliteContext) => {
    const db = openSqliteDatabase(join(scratch.dir, 'jobs.db'), 2_000);
    const ctx = createSqliteContext(db, Date.now, () => undefined, 2_000);
    return { db, writes: sqliteJobWrites(wrap(ctx)) };
  };
  /** Whether `p` settled within `ms`: its value, or 'unanswered'. */
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p.then((v) => v, (e: unknown) => e), new Promise<'unanswered'>((r) => setTimeout(() => r('unanswered'), ms))]);

  it('a claim whose transaction ran and was rolled back as busy (its commit met the lock) gives the completes it took back: each is still written and answered', async () => {
    // tryWrite's contract: busy means rolled back whole, safe to run again, even when fn had run
    // (a statement or the commit met the lock). The batcher keeps its batch for that case; a
    // claim that took the batch must not drop it when it runs its fn again.
    const store = await open();
    await store.enqueue([newJob({ sku: 'R-1' }), newJob({ sku: 'R-2' })], { batchId: 'rolled' });
    const [first] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    let rollBack = false;
    const { db, writes } = writesOn((ctx) => ({
      ...ctx,
      tryWrite<T>(fn: () => T): T | typeof busy {
        if (!rollBack) return ctx.tryWrite(fn);
        rollBack = false;
        try {
          db.transaction(() => { fn(); throw new Error('rolled back'); }).immediate();
        } catch {
          // as a commit refused with SQLITE_BUSY: rolled back whole
        }
        return busy;
      },
    }));
    try {
      const done = writes.complete(first, { n: 1 });
      rollBack = true;
      const next = await writes.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      expect(next).toHaveLength(1);
      expect(await within(done, 1_000)).toBe(true);
      expect(await store.getJob(first.jobId)).toMatchObject({ status: 'completed', result: { n: 1 } });
    } finally {
      db.close();
    }
  });

  it('a claim that fails after taking the waiting completes (its own statement refused) does not fail them: they are written on their own', async () => {
    const store = await open();
    await store.enqueue([newJob({ sku: 'F-1' }), newJob({ sku: 'F-2' })], { batchId: 'failing' });
    const [first] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    let refuse = false;
    const { db, writes } = writesOn((ctx) => ({
      ...ctx,
      stmt(name: string) {
        if (name === 'job-claim' && refuse) {
          refuse = false;
          return { all: () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); } } as unknown as ReturnType<SqliteContext['stmt']>;
        }
        return ctx.stmt(name);
      },
    }));
    try {
      const done = writes.complete(first, { n: 2 });
      refuse = true;
      await expect(writes.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 })).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
      expect(await within(done, 1_000)).toBe(true);
      expect(await store.getJob(first.jobId)).toMatchObject({ status: 'completed', result: { n: 2 } });
    } finally {
      db.close();
    }
  });

  it('claim reads its rows after its commit: a job cancelled in between, or deleted, is not handed out', async () => {
    const { store, gap } = await openWithGap();
    const r = await store.enqueue(['A', 'B', 'C'].map((sku) => newJob({ sku })), { batchId: 'gap' });
    const other = new Database(join(scratch.dir, 'jobs.db'));
    try {
      gap.act = () => {
        other.prepare("UPDATE jobs SET status = 'cancelled', lease_token = NULL, lease_expires_at = NULL WHERE id = ?").run(r.firstId);
        other.prepare('DELETE FROM jobs WHERE id = ?').run(r.firstId! + 1);
      };
      const claimed = await store.claim({ workerId: 'w', limit: 3, leaseMs: 5_000 });
      expect(gap.act).toBeNull(); // the hook ran
      expect(claimed.map((c) => c.job.sku)).toEqual(['C']);
      const [c] = claimed;
      expect(c.leaseToken).toMatch(/^[0-9a-f]{32}$/);
      expect(c.leaseExpiresAt).toBe(6_000);
      expect(await store.complete(c, { ok: true })).toBe(true);
      expect(await store.getJob(r.firstId!)).toMatchObject({ status: 'cancelled', result: null });
    } finally {
      other.close();
    }
  });

  it('claim: a job cancelled, requeued and claimed by another worker between the commit and the read is not handed out again', async () => {
    const { store, gap } = await openWithGap();
    const r = await store.enqueue(['A', 'B'].map((sku) => newJob({ sku, datasetId: null })), { batchId: 'gap' }); // no dataset: requeue would leave a job of a missing one
    const other = await scratch.open({ now: () => 2_000 });
    let theirs: ReturnType<typeof other.claim> | null = null;
    gap.act = () => {
      // Each runs its write synchronously here, in the gap (the claim's before its first await).
      void other.cancel({ ids: [r.firstId!] });
      void other.requeue({ ids: [r.firstId!] });
      theirs = other.claim({ workerId: 'w2', limit: 1, leaseMs: 5_000 });
    };
    const claimed = await store.claim({ workerId: 'w', limit: 2, leaseMs: 5_000 });
    expect(gap.act).toBeNull(); // the hook ran
    const [held] = await theirs!;
    expect(held).toMatchObject({ jobId: r.firstId, job: { workerId: 'w2', attempts: 1 } });
    // Our lease on A is gone: handing A out would run it a second time, beside w2's run, as a job
    // whose row describes w2's attempt, until lost() caught it.
    expect(claimed.map((c) => c.job.sku)).toEqual(['B']);
    expect(claimed[0].job).toMatchObject({ status: 'running', workerId: 'w', attempts: 1 });
  });
});
