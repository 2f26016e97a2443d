import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { DatasetSettings, ImportReport, NewSeries } from '../../datasets/dataset.js';
import { allJobs, bareDataset, newJob, waitFor } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import type { PgContext } from './postgres-context.js';
import { postgresDatasets } from './postgres-datasets.js';
import { pollDatabase } from './poll-database.js';
import { postgresPlanningCycle } from './postgres-planning-cycle.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';
import {
  holdEnqueueLock, openOneConnection, openTransaction, outcome, poolContext, rawSession, untilSeen, waitingOnLocks,
} from './locking-fixture.js';

/**
 * PostgreSQL's locks between writers (issue 11, defect 10): requeue takes enqueue's turn, and
 * deleteDataset / updateSeries lock the dataset row first, so they never deadlock (40P01).
 */
const baseUrl = postgresTestUrl('PostgreSQL locking');

const settings: DatasetSettings = {
  horizon: 12, holdout: 6, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const dates = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`);
const series = (sku: string): NewSeries => ({
  sku, dates, original: dates.map((_, i) => i + 1), edits: {}, length: 12, volume: 78, demandClass: 'smooth',
});
const skus = Array.from({ length: 20 }, (_, i) => `SKU-${i}`);
const report: ImportReport = {
  rows: 12, skus: 1, dateRange: { start: '2024-01-01', end: '2024-12-01' }, frequency: 'monthly', format: 'long',
  rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
};

if (baseUrl) {
  describe('PostgreSQL locking', () => {
    const { cleanups, schema, open } = postgresTestHarness(baseUrl);
    const setup = async (label: string) => {
      const db = await schema(label);
      const a = await open(db.url);
      await a.migrate();
      return { db, a, b: await open(db.url) };
    };
    const pendingPerWork = async (store: Store) => {
      const counts = new Map<string, number>();
      for (const j of await allJobs(store, { status: ['pending'] })) {
        const key = `${j.datasetId}/${j.sku}/${j.modelId}/${j.method}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts.values()].filter((n) => n > 1).length;
    };
    /** Whether a statement of `schema`'s stores (without one: of the database) waits for an advisory lock (the enqueue lock), asked on `client`. */
    const advisoryWaits = async (client: pg.Client, schema?: string) => {
      const { rowCount } = schema === undefined
        ? await client.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND datname = current_database()")
        : await client.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event = 'advisory' AND application_name = $1`, [`skucast:${schema}`]);
      return (rowCount ?? 0) > 0;
    };
    /**
     * A `sql` over `ctx` that, once a statement matching `after` has run, starts a retry of the
     * dataset's failed jobs on `b` and goes on when the retry is done or waits on a lock;
     * `retried()` is that retry, once started.
     */
    const retryingAfter = (ctx: PgContext, watcher: pg.Client, b: { store: Store; pid: number }, after: RegExp) => {
      let requeued: Promise<unknown> | null = null;
      let settled = false;
      const sql: PgContext['sql'] = async (text, params, on) => {
        const out = await ctx.sql(text, params, on);
        if (requeued === null && after.test(text)) {
          requeued = b.store.requeue({ status: ['failed'] }).finally(() => { settled = true; });
          requeued.catch(() => undefined);
          await pollDatabase('the retry done or waiting on a lock', async () => settled || (await waitingOnLocks(watcher, [b.pid])));
        }
        return out as never;
      };
      const retried = async () => { await waitFor(() => requeued !== null, 10_000, 'the retry'); return requeued; };
      return { sql, retried };
    };
    /** Dataset ds of `withSkus`, its job for A claimed and failed: what a retry puts back. */
    const datasetWithFailedJob = async (store: Store, withSkus: string[]) => {
      await store.createDataset({ id: 'ds', name: 'ds', frequency: 'monthly', settings, report }, withSkus.map(series),
        [newJob({ datasetId: 'ds', sku: 'A' })], { batchId: 'up' });
      const [claimed] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      await store.fail(claimed, 'boom');
    };

    it('requeue waits for an enqueue in flight for the same work: one pending job, never two', async () => {
      const { db, a } = await setup('requeue_turn');
      await bareDataset(a, 'ds'); // requeue leaves the jobs of a dataset that does not exist
      await a.enqueue([newJob({ datasetId: 'ds', sku: 'X' })], { batchId: 'first' });
      expect(await a.cancel({ batchId: 'first' })).toBe(1);

      // An enqueue of the same work, caught between its INSERT (and supersede) and its COMMIT: its
      // transaction holds the enqueue lock and a pending row no other transaction sees yet.
      const enqueuer = await holdEnqueueLock(baseUrl, cleanups, db);
      await enqueuer.query(`INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                                              max_attempts, settings, created_at, updated_at, run_at)
                            SELECT 'second', dataset_id, sku, model_id, method, reason, priority, 'pending', 0,
                                   max_attempts, settings, created_at, updated_at, run_at FROM jobs`);

      let requeued: number | null = null;
      const requeue = a.requeue({ batchId: 'first' }).then((n) => { requeued = n; });
      // The requeue either finished at once (the race) or waits on the advisory lock (its turn).
      await untilSeen('requeue to finish or wait for its turn', () => advisoryWaits(enqueuer), () => requeued !== null);
      await enqueuer.query('COMMIT');
      await requeue;

      expect(requeued).toBe(0); // the newer job for the same work came first: the cancelled one stays put
      expect((await allJobs(a, { status: ['pending'] })).map((j) => j.batchId)).toEqual(['second']);
    });

    it('requeue and enqueue of the same work from two pools at once leave one pending job per piece of work', async () => {
      const { a, b } = await setup('requeue_race');
      for (let round = 0; round < 30; round++) {
        await bareDataset(a, `ds-${round}`);
        const work = skus.map((sku) => newJob({ datasetId: `ds-${round}`, sku }));
        await a.enqueue(work, { batchId: `old-${round}` });
        await a.cancel({ batchId: `old-${round}` });
        await Promise.all([
          a.requeue({ batchId: `old-${round}` }),
          b.enqueue(work.map((j) => ({ ...j })), { batchId: `new-${round}` }),
        ]);
        expect(await pendingPerWork(a), `round ${round}`).toBe(0);
        expect((await allJobs(a, { status: ['pending'], datasetId: `ds-${round}` })).length).toBe(skus.length);
      }
    });

    it('a dataset import does not hold the enqueue lock across its jobs: enqueues and requeues go through meanwhile, and one for the same work still wins', async () => {
      const { db, a, b } = await setup('import_lock');
      await bareDataset(a, 'old');
      await a.enqueue([newJob({ datasetId: 'old', sku: 'Z' })], { batchId: 'old' });
      expect(await a.cancel({ batchId: 'old' })).toBe(1);

      // The import runs on a store of one pooled connection, whose server process we know.
      const observer = await rawSession(baseUrl, cleanups, 'locking-observer');
      const { store: importer, pid: importerPid } = await openOneConnection(db, observer, cleanups);
      const importerPids = [importerPid];
      // Holds the import inside its jobs' INSERT, once the rows are in, before its COMMIT (and
      // before it asks for the enqueue lock): the jobs trigger counts the change in its backend's
      // queue_version row, locked here.
      const holder = await openTransaction(baseUrl, cleanups, db, 'locking-holder');
      await holder.query(`INSERT INTO queue_version AS v (backend, version) SELECT unnest($1::integer[]), 0
                          ON CONFLICT (backend) DO UPDATE SET version = v.version`, [importerPids]);

      const imported = importer.createDataset({ id: 'imp', name: 'imp', frequency: 'monthly', settings, report: null as never }, skus.map(series),
        skus.map((sku) => newJob({ datasetId: 'imp', sku, priority: 3 })), { batchId: 'import' });
      await untilSeen('the import to wait with its jobs inserted', () => waitingOnLocks(observer, importerPids));

      // Neither waits for the import (before, both queued behind its lock until it committed).
      expect((await b.enqueue([newJob({ datasetId: 'other', sku: 'Y' })], { batchId: 'meanwhile' })).jobsCreated).toBe(1);
      expect(await b.requeue({ batchId: 'old' })).toBe(1);
      // An edit of the same work as one of the import's jobs, while that job is not committed yet.
      const edit = await b.enqueue([newJob({ datasetId: 'imp', sku: skus[0], priority: 1 })], { batchId: 'edit' });

      await holder.query('ROLLBACK');
      const { enqueue } = await imported;
      expect(enqueue).toMatchObject({ jobsCreated: skus.length, jobsCancelled: 1 });
      // The edit is newer: the import's job for that SKU gave way to it; one active job per piece of work.
      const active = await allJobs(a, { datasetId: 'imp', sku: skus[0], status: ['pending'] });
      expect(active.map((j) => j.id)).toEqual([edit.firstId]);
      expect(await pendingPerWork(a)).toBe(0);
      expect((await allJobs(a, { datasetId: 'imp', status: ['pending'] })).length).toBe(skus.length);
    }, 60_000);

    it('an import waiting for the enqueue lock holds nothing an enqueue of its work under that lock waits for: no deadlock (40P01)', async () => {
      const { db, a } = await setup('import_deadlock');
      // An enqueue of the same work as the import (dataset, priority 3), caught holding the enqueue lock.
      const enqueuer = await holdEnqueueLock(baseUrl, cleanups, db);

      let importError: unknown = null;
      let importDone = false;
      const imported = a.createDataset({ id: 'imp', name: 'imp', frequency: 'monthly', settings, report: null as never }, skus.map(series),
        skus.map((sku) => newJob({ datasetId: 'imp', sku, priority: 3 })), { batchId: 'import' })
        .catch((e: unknown) => { importError = e; })
        .finally(() => { importDone = true; });
      await untilSeen('the import to wait for the enqueue lock with its jobs in', () => advisoryWaits(enqueuer, db.schema), () => importDone);
      // Finished without waiting, the import never met the held lock: the cycle below was not staged.
      expect(importDone, 'the import finished while another held the enqueue lock').toBe(false);
      // What that enqueue does next under the lock (job-turn-save.sql): record the dataset's last
      // turn. Before, the import had saved its turns before asking for the lock, so this waited for
      // the import's row while the import waited for this lock: PostgreSQL aborted one (40P01).
      await enqueuer.query(`INSERT INTO job_turns AS t (dataset_key, priority, last_turn) VALUES ('imp', 3, 0)
                            ON CONFLICT (dataset_key, priority) DO UPDATE SET last_turn = excluded.last_turn`);
      await enqueuer.query('COMMIT');
      await imported;
      expect(importError).toBeNull();
      expect((await allJobs(a, { datasetId: 'imp', status: ['pending'] })).length).toBe(skus.length);
    }, 60_000);

    it('an enqueue waits for the enqueue lock before it reads turns, inserts and supersedes: it sees the enqueue before it committed', async () => {
      const { db, a } = await setup('enqueue_order');
      // Another enqueue of dataset ds, caught holding the lock with its job for SKU X inserted at
      // turn 5 and that turn saved, not committed yet.
      const enqueuer = await holdEnqueueLock(baseUrl, cleanups, db);
      const held = await enqueuer.query<{ id: string }>(`INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status,
                                              progress, max_attempts, settings, created_at, updated_at, run_at, turn)
                            VALUES ('held', 'ds', 'X', 'ets', 'grid', 'new_upload', 3, 'pending', 0, 3, '{}', 1, 1, 1, 5) RETURNING id`);
      await enqueuer.query(`INSERT INTO job_turns (dataset_key, priority, last_turn) VALUES ('ds', 3, 5)`);

      let done = false;
      const enqueued = a.enqueue([newJob({ datasetId: 'ds', sku: 'Y', priority: 3 }), newJob({ datasetId: 'ds', sku: 'X', priority: 3 })],
        { batchId: 'mine' }).finally(() => { done = true; });
      await untilSeen('the enqueue to wait for the enqueue lock', () => advisoryWaits(enqueuer, db.schema), () => done);
      expect(done, 'the enqueue finished while another held the enqueue lock').toBe(false);
      await enqueuer.query('COMMIT');
      const result = await enqueued;

      // It superseded the held job (committed before its lock was granted) and took its turn (5,
      // for the 6 it was given); its other job went after the dataset's last waiting turn, not to
      // the queue's head (0).
      expect(result).toMatchObject({ jobsCreated: 2, jobsReused: 0, jobsCancelled: 1 });
      const rows = (await enqueuer.query<{ sku: string; batch_id: string; status: string; turn: string; error: string | null }>(
        'SELECT sku, batch_id, status, turn, error FROM jobs ORDER BY id')).rows;
      // (The batch goes in SKU order: X before Y.)
      expect(rows).toEqual([
        { sku: 'X', batch_id: 'held', status: 'cancelled', turn: '5', error: `superseded by job ${result.firstId}` },
        { sku: 'X', batch_id: 'mine', status: 'pending', turn: '5', error: null },
        { sku: 'Y', batch_id: 'mine', status: 'pending', turn: '7', error: null },
      ]);
      expect(Number(held.rows[0].id)).toBeLessThan(result.firstId!);
      // The dataset's saved last turn is one that still waits (Y's), so its next batch goes after it.
      expect((await enqueuer.query(`SELECT last_turn FROM job_turns WHERE dataset_key = 'ds' AND priority = 3`)).rows).toEqual([{ last_turn: '7' }]);
      expect(await pendingPerWork(a)).toBe(0);
    }, 60_000);

    it('a retry (requeue) while actuals are appended to its dataset never deadlocks (no 40P01)', async () => {
      // appendActuals locks the dataset's row, then enqueues under the enqueue lock; requeue takes
      // the enqueue lock, then checks the dataset still exists. With the row locked FOR UPDATE that
      // check (FOR KEY SHARE) waited, and the append then waited for the enqueue lock: a cycle.
      const { db, a } = await setup('actuals_requeue');
      // Reports as an import writes them: the append widens the dataset's with its own.
      await datasetWithFailedJob(a, ['A']);
      const ctx = poolContext(db.url, cleanups);
      const watcher = await rawSession(baseUrl, cleanups);
      // The retry runs on a store of one connection, whose backend alone is asked about.
      const b = await openOneConnection(db, watcher, cleanups);
      // Right after the append has locked the dataset's row: a retry of the dataset's failed job,
      // then the append goes on (to its enqueue) once the retry is done or waits on a lock.
      const { sql, retried: retry } = retryingAfter(ctx, watcher, b, /FROM datasets WHERE id = :id FOR/);
      const cycle = postgresPlanningCycle({ ...ctx, sql });
      const append = {
        id: 'act-1', report, datasetReport: report, updated: [{ ...series('A'), dates: [...dates, '2025-01-01'], original: [...dates.map((_, i) => i + 1), 13], length: 13, volume: 91 }],
        added: [], revisions: [], periodsAdded: 1, historyEnd: '2025-01-01',
      };
      const [appended, retried] = await Promise.allSettled([
        cycle.appendActuals('ds', append, [newJob({ datasetId: 'ds', sku: 'A', reason: 'dataset_upload' })], { batchId: 'actuals-1' }),
        retry(),
      ]);
      expect(outcome(appended)).toBe('ok');
      expect(outcome(retried)).toBe('ok');
      expect(await pendingPerWork(a)).toBe(0);
    }, 60_000);

    it('a retry (requeue) while jobs are enqueued for SKUs of its dataset (enqueueIfUnchanged) never deadlocks (no 40P01)', async () => {
      // enqueueIfUnchanged locks the dataset's row, then enqueues under the enqueue lock; requeue
      // takes the enqueue lock, then checks the dataset still exists (FOR KEY SHARE). The row is
      // locked FOR SHARE, which that check does not wait for (FOR UPDATE: a cycle).
      const { db, a } = await setup('unchanged_requeue');
      await datasetWithFailedJob(a, ['A', 'B']);
      const read = await a.getSeriesMany('ds');
      const ctx = poolContext(db.url, cleanups);
      const watcher = await rawSession(baseUrl, cleanups);
      // The retry runs on a store of one connection, whose backend alone is asked about.
      const b = await openOneConnection(db, watcher, cleanups);
      // Once the series are read, the dataset's row locked (whatever lock it is): a retry of the
      // dataset's failed job, then the enqueue goes on once the retry is done or waits on a lock.
      const { sql, retried: retry } = retryingAfter(ctx, watcher, b, /FROM series WHERE dataset_id = :datasetId/);
      const datasets = postgresDatasets({ ...ctx, sql });
      const [enqueued, retried] = await Promise.allSettled([
        datasets.enqueueIfUnchanged('ds', ['A', 'B'].map((sku) => newJob({ datasetId: 'ds', sku })), { batchId: 'skus' },
          { settings, series: Object.fromEntries(read.map((r) => [r.sku, r.updatedAt])) }),
        retry(),
      ]);
      expect(outcome(enqueued)).toBe('ok');
      expect(outcome(retried)).toBe('ok');
      expect(await pendingPerWork(a)).toBe(0);
    }, 60_000);

    it('enqueueIfUnchanged holds what it checked until it commits: a settings change and an edit landing after its check wait for it, and their jobs, not its stale ones, are left pending', async () => {
      // The check (settings, each series' updatedAt) and the enqueue are one transaction under the
      // dataset's row FOR SHARE, which every dataset write's own row lock waits for. With FOR KEY
      // SHARE, or no lock, both writes commit in between and the jobs planned before them supersede theirs.
      const { db, a } = await setup('unchanged_atomic');
      await a.createDataset({ id: 'ds', name: 'ds', frequency: 'monthly', settings, report }, [series('A'), series('B')], null, null);
      const read = await a.getSeriesMany('ds');
      const ctx = poolContext(db.url, cleanups);
      const watcher = await rawSession(baseUrl, cleanups);
      // Each write on a store of one connection, whose backend alone is asked about.
      const settler = await openOneConnection(db, watcher, cleanups);
      const editor = await openOneConnection(db, watcher, cleanups);
      let writes: Promise<PromiseSettledResult<unknown>[]> | null = null;
      let writesDone = false;
      let waited = false;
      let blockedByEnqueue = false;
      // Once the series are checked, before the enqueue and its commit: another request's settings
      // change (horizon 6, SKU A's job) and an edit of SKU B, each with its own job.
      const sql: PgContext['sql'] = async (text, params, on) => {
        const out = await ctx.sql(text, params, on);
        if (writes === null && /FROM series WHERE dataset_id = :datasetId/.test(text)) {
          const enqueuer = (await ctx.sql<{ pid: number }>('SELECT pg_backend_pid() AS pid', {}, on)).rows[0].pid;
          writes = Promise.allSettled([
            settler.store.updateSettings('ds', { ...settings, horizon: 6 },
              [newJob({ datasetId: 'ds', sku: 'A', reason: 'settings_change', settings: { horizon: 6, holdout: 6 } })], { batchId: 'settings' }),
            editor.store.updateSeries('ds', [{ sku: 'B', edits: { 3: 100 }, volume: 174, demandClass: 'smooth' }],
              [newJob({ datasetId: 'ds', sku: 'B', reason: 'manual_edit_data_cleaning' })], { batchId: 'edit' }),
          ]).finally(() => { writesDone = true; });
          const pids = [settler.pid, editor.pid];
          await pollDatabase('the settings change and the edit done or both waiting on a lock', async () => writesDone || (await waitingOnLocks(watcher, pids)));
          waited = !writesDone;
          // The first in line waits on this transaction itself (the next one on it, for the same row).
          blockedByEnqueue = ((await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY ($1::integer[]) AND $2 = ANY (pg_blocking_pids(pid))',
            [pids, enqueuer])).rowCount ?? 0) > 0;
        }
        return out as never;
      };
      const datasets = postgresDatasets({ ...ctx, sql });
      const enqueued = await datasets.enqueueIfUnchanged('ds', ['A', 'B'].map((sku) => newJob({ datasetId: 'ds', sku })), { batchId: 'skus' },
        { settings, series: Object.fromEntries(read.map((r) => [r.sku, r.updatedAt])) });
      expect(enqueued.jobsCreated).toBe(2);
      expect(writes).not.toBeNull();
      expect((await writes!).map(outcome)).toEqual(['ok', 'ok']);
      expect(waited, 'the settings change and the edit committed between the check and the enqueue').toBe(true);
      expect(blockedByEnqueue).toBe(true);
      // The writes that came after the check are the newer: their jobs supersede the request's.
      const pending = await allJobs(a, { datasetId: 'ds', status: ['pending'] });
      expect(pending.map((j) => [j.sku, j.batchId]).sort()).toEqual([['A', 'settings'], ['B', 'edit']]);
      expect((await a.getDataset('ds'))!.settings.horizon).toBe(6);
    }, 60_000);

    it('deleteDataset and updateSeries of one dataset at once never deadlock (no 40P01)', async () => {
      const { a, b } = await setup('delete_update');
      const failures: string[] = [];
      for (let round = 0; round < 40; round++) {
        const id = `ds-${round}`;
        await a.createDataset({ id, name: id, frequency: 'monthly', settings, report: null as never }, skus.map(series),
          skus.map((sku) => newJob({ datasetId: id, sku })), { batchId: `up-${round}` });
        const updates = skus.map((sku) => ({ sku, edits: { 3: 100 }, volume: 174, demandClass: 'smooth' as const }));
        const [deleted, updated] = await Promise.allSettled([
          a.deleteDataset(id),
          b.updateSeries(id, updates, skus.map((sku) => newJob({ datasetId: id, sku, reason: 'manual_edit_data_cleaning' })), { batchId: `edit-${round}` }),
        ]);
        expect(deleted).toEqual({ status: 'fulfilled', value: true });
        // the update either ran first (fulfilled) or found the dataset gone (no dataset, or its SKUs unknown): never a deadlock
        if (updated.status === 'rejected') {
          const error = updated.reason as Error & { code?: string };
          if (!/has no SKU|no dataset/.test(error.message)) failures.push(`round ${round}: ${error.code ?? ''} ${error.message}`);
        }
        expect(await a.getDataset(id)).toBeNull();
        expect(await allJobs(a, { datasetId: id, status: ['pending', 'running'] })).toEqual([]);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  });
} else {
  describe.skip('PostgreSQL locking (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
