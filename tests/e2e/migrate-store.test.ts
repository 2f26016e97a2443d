/**
 * `skucast migrate-store`: a real SQLite file with datasets, series, overrides and jobs in every
 * state is copied into a fresh PostgreSQL schema; the PostgreSQL store then reads back the same
 * data through the Store interface, new ids continue after the copied ones, and a second copy
 * into the now non-empty schema is refused without touching it. The command itself runs once as
 * a real process (compiled by the vitest global setup).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pgDriver from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSettings, ImportReport, NewSeries } from '../../src/datasets/dataset.js';
import { snapshotDue } from '../../src/datasets/snapshots.js';
import { allJobs, newJob } from '../../src/queue/testing/store-fixtures.js';
import { migrateStore } from '../../src/stores/migrate-store.js';
import { openStore } from '../../src/stores/open-store.js';
import { createPostgresTestSchema, postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import type { Store } from '../../src/stores/store.js';
import { serverJs, startSkucast, stopAll } from '../support/skucast-process.js';

const baseUrl = postgresTestUrl('migrate-store (SQLite to PostgreSQL)');

const settings: DatasetSettings = {
  horizon: 6, holdout: 3, models: ['ets', 'theta'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const report: ImportReport = {
  rows: 10, skus: 2, dateRange: { start: '2024-01-01', end: '2024-05-01' }, frequency: 'monthly', format: 'long',
  rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: ['ünïcode survives'],
};
const dates = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01'];
const series = (sku: string, original: number[], edits: Record<number, number> = {}): NewSeries => ({
  sku, dates, original, edits, length: original.length, volume: original.reduce((a, b) => a + b, 0), demandClass: 'smooth',
});

/** A SQLite queue as a user would leave it: two datasets, overrides, jobs pending/running/completed/failed/cancelled. */
async function seedSqlite(path: string): Promise<{ running: number[] }> {
  let now = 1_750_000_000_000;
  const store = await openStore({ databasePath: path, now: () => now });
  try {
    await store.createDataset(
      { id: 'ds-old', name: 'Old', frequency: 'monthly', settings, report },
      [series('A', [1, 2, 3, 4, 5], { 2: 30 }), series('b', [0.1 + 0.2, 1e-12, 7, 8, 9])],
      ['A', 'b'].flatMap((sku) => ['ets', 'theta'].map((modelId) => newJob({ datasetId: 'ds-old', sku, modelId, inputHash: `h-${sku}-${modelId}` }))),
      { batchId: 'upload-old' },
    );
    now += 1000;
    await store.createDataset({ id: 'ds-new', name: 'New', frequency: 'monthly', settings, report }, [series('Z', [5, 5, 5, 5, 5])], null, null);
    await store.setOverride('ds-old', 'A', 'theta');
    // a lease that ran out (its worker gone): the job waits again, its count of expired leases at 1
    await store.claim({ workerId: 'lost-worker', limit: 1, leaseMs: 1000 });
    now += 2000;
    expect(await store.rescue({ backoffBaseMs: 0 })).toMatchObject({ rescued: 1 });
    const claimed = await store.claim({ workerId: 'old-worker', limit: 4, leaseMs: 60_000 });
    await store.complete(claimed[0], { forecast: [1.5, 2.5], model: 'ets', note: 'kept as written' });
    await store.fail(claimed[1], 'boom');
    await store.progress(claimed[2], 40);
    await store.enqueue([newJob({ datasetId: null, sku: 'loose', modelId: 'naive' })], { batchId: 'manual' });
    await store.cancel({ batchId: 'manual' });
    return { running: [claimed[2].jobId, claimed[3].jobId] };
  } finally {
    await store.close();
  }
}

if (baseUrl) {
  describe('skucast migrate-store', () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });
    const tempSqlite = () => {
      const dir = mkdtempSync(join(tmpdir(), 'skucast-migrate-store-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return join(dir, 'queue.db');
    };
    const tablesIn = async (schema: string): Promise<number> => {
      const raw = new pgDriver.Client({ connectionString: baseUrl });
      raw.on('error', () => undefined);
      await raw.connect();
      try {
        return (await raw.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema])).rows[0].n;
      } finally {
        await raw.end();
      }
    };
    const open = async (config: Parameters<typeof openStore>[0]): Promise<Store> => {
      const store = await openStore(config);
      cleanups.push(() => store.close());
      return store;
    };

    it('copies datasets, series, overrides and jobs with their ids; running jobs come back pending', async () => {
      const path = tempSqlite();
      const { running } = await seedSqlite(path);
      const db = await createPostgresTestSchema(baseUrl, 'migrate_store');
      cleanups.push(db.drop);

      const result = await migrateStore({ from: path, to: db.url, now: () => 1_790_000_000_000 });
      expect(result).toEqual({ datasets: 2, series: 3, overrides: 1, jobs: 5, runningRequeued: 2, snapshots: 0, actuals: 0 });

      // beyond the Store interface: an override keeps when it was set, a job its fairness turn and
      // its count of expired leases, and job_turns its rows (docs/deploy.md section 7)
      const file = new Database(path, { readonly: true });
      const overrideSetAt = file.prepare('SELECT updated_at FROM overrides').pluck().all();
      const jobColumns = file.prepare('SELECT id, turn, rescues FROM jobs ORDER BY id').all();
      const byKey = (a: { dataset_key: string }, b: { dataset_key: string }) => (a.dataset_key < b.dataset_key ? -1 : 1);
      const jobTurns = (file.prepare('SELECT dataset_key, priority, last_turn FROM job_turns').all() as Array<{ dataset_key: string }>).sort(byKey);
      expect(file.prepare(`SELECT count(*) FROM jobs WHERE turn <> 0 AND status IN ('pending', 'running')`).pluck().get()).toBeGreaterThan(0);
      expect(file.prepare('SELECT count(*) FROM jobs WHERE rescues = 1').pluck().get()).toBe(1);
      expect(jobTurns.map((t) => t.dataset_key)).toEqual(['', 'ds-old']);
      file.close();
      const raw = new pgDriver.Client({ connectionString: baseUrl });
      raw.on('error', () => undefined);
      await raw.connect();
      cleanups.push(() => raw.end());
      expect((await raw.query(`SELECT updated_at::float8 AS t FROM ${db.schema}.overrides`)).rows.map((r) => r.t)).toEqual(overrideSetAt);
      expect((await raw.query(`SELECT id::int AS id, turn::int AS turn, rescues FROM ${db.schema}.jobs ORDER BY id`)).rows).toEqual(jobColumns);
      expect((await raw.query(`SELECT dataset_key, priority, last_turn::int AS last_turn FROM ${db.schema}.job_turns`)).rows.sort(byKey)).toEqual(jobTurns);

      const sqlite = await open({ databasePath: path });
      const pg = await open({ databaseUrl: db.url });
      expect(await pg.listDatasets()).toEqual(await sqlite.listDatasets());
      expect((await pg.latestDataset())?.id).toBe('ds-new');
      for (const id of ['ds-old', 'ds-new']) {
        expect(await pg.getSeriesMany(id)).toEqual(await sqlite.getSeriesMany(id));
        expect(await pg.getOverrides(id)).toEqual(await sqlite.getOverrides(id));
      }
      const before = await allJobs(sqlite, {}, 2);
      const after = new Map((await allJobs(pg, {}, 2)).map((j) => [j.id, j]));
      expect(after.size).toBe(before.length);
      for (const job of before) {
        const copied = after.get(job.id)!;
        const full = await pg.getJob(job.id);
        expect(full!.result).toEqual((await sqlite.getJob(job.id))!.result);
        if (running.includes(job.id)) {
          expect(copied).toMatchObject({ status: 'pending', progress: 0, attempts: job.attempts - 1, sku: job.sku, modelId: job.modelId });
        } else {
          expect(copied).toEqual(job);
        }
      }
      expect(await pg.summary()).toMatchObject({ pending: 2, running: 0, completed: 1, failed: 1, cancelled: 1, total: 5 });
      expect(await pg.latestResults('ds-old')).toEqual(await sqlite.latestResults('ds-old'));

      // new work continues after the copied ids, and the copied pending jobs are claimable
      const next = await pg.enqueue([newJob({ datasetId: 'ds-new', sku: 'Z' })], { batchId: 'after' });
      expect(next.firstId).toBeGreaterThan(Math.max(...before.map((j) => j.id)));
      const claimed = await pg.claim({ workerId: 'new-worker', limit: 10, leaseMs: 60_000 });
      expect(claimed.map((c) => c.jobId).sort((a, b) => a - b)).toEqual(
        [...before.filter((j) => j.status === 'pending' || j.status === 'running').map((j) => j.id), next.firstId!].sort((a, b) => a - b),
      );

      // a second copy into the same, now non-empty, schema is refused and changes nothing
      await expect(migrateStore({ from: path, to: db.url })).rejects.toThrow(/already holds 6 jobs, 2 datasets, 3 series, 1 overrides and 3 job_turns/);
      expect((await pg.summary()).total).toBe(6);
    });

    it('copies the planning cycle: snapshots with their items and actuals with their revisions, ids kept', async () => {
      const path = tempSqlite();
      let now = 1_760_000_000_000;
      const sqlite = await open({ databasePath: path, now: () => now });
      await sqlite.createDataset({ id: 'ds-cycle', name: 'Cycle', frequency: 'monthly', settings, report },
        [series('A', [1, 2, 3, 4, 5])], [newJob({ datasetId: 'ds-cycle', sku: 'A', modelId: 'ets' })], { batchId: 'import' });
      const [lease] = await sqlite.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      await sqlite.complete(lease, { forecast: [6] });
      const snapshot = await sqlite.saveSnapshot({
        datasetId: 'ds-cycle', mark: lease.jobId, cause: 'import', historyEnd: '2024-05-01', forecastStart: '2024-06-01',
        forecastEnd: '2024-06-01', skuCount: 1, skusWithForecast: 1, portfolio: { wape: 0.25, bias: null },
      }, [{ sku: 'A', modelId: 'ets', selectedBy: 'metric', error: 0.5, dates: ['2024-06-01'], values: new Uint8Array([1, 2, 3, 250]), status: 'inactive' }]);
      expect(snapshot).not.toBeNull();
      await sqlite.nameSnapshot('ds-cycle', snapshot!.id, 'S&OP Dec');
      now += 1000;
      const actualsReport = { ...report, warnings: ['from the actuals file'] };
      await sqlite.appendActuals('ds-cycle', {
        id: 'act-1', report: actualsReport, datasetReport: report,
        updated: [{ ...series('A', [1, 2, 3, 40, 5]), provisional: { '2024-05-01': { from: '2024-05-01', to: '2024-05-10', value: 5 } } }], added: [],
        revisions: [{ sku: 'A', date: '2024-04-01', previous: 4, value: 40 }], periodsAdded: 0, historyEnd: '2024-05-01',
      }, null, null);

      const db = await createPostgresTestSchema(baseUrl, 'migrate_cycle');
      cleanups.push(db.drop);
      await migrateStore({ from: path, to: db.url });
      const pg = await open({ databaseUrl: db.url });

      expect(await pg.listSnapshots('ds-cycle')).toEqual(await sqlite.listSnapshots('ds-cycle'));
      expect(await pg.snapshotItems(snapshot!.id)).toEqual(await sqlite.snapshotItems(snapshot!.id));
      expect((await pg.snapshotItems(snapshot!.id))[0].status).toBe('inactive'); // snapshot_item_status (042) copied too
      expect((await pg.getSnapshot('ds-cycle', snapshot!.id))?.name).toBe('S&OP Dec'); // snapshot_names (045) copied too
      expect(await pg.listActuals('ds-cycle')).toEqual(await sqlite.listActuals('ds-cycle'));
      // A's May, summed from part of it by these actuals, stays provisional
      expect((await pg.getSeries('ds-cycle', 'A'))!.provisional).toEqual({ '2024-05-01': { from: '2024-05-01', to: '2024-05-10', value: 5 } });
      // what the Store interface does not return: the actuals file's report and the values it overwrote
      const raw = new pgDriver.Client({ connectionString: baseUrl });
      raw.on('error', () => undefined);
      await raw.connect();
      cleanups.push(() => raw.end());
      const actuals = await raw.query(`SELECT report::text FROM ${db.schema}.actuals WHERE id = 'act-1'`);
      expect(JSON.parse(actuals.rows[0].report)).toEqual(actualsReport);
      const revisions = await raw.query(`SELECT sku, date, previous, value FROM ${db.schema}.actuals_revisions WHERE actuals_id = 'act-1'`);
      expect(revisions.rows).toEqual([{ sku: 'A', date: '2024-04-01', previous: 4, value: 40 }]);

      // new snapshots and actuals continue after the copied ids
      const next = await pg.enqueue([newJob({ datasetId: 'ds-cycle', sku: 'A', modelId: 'theta' })], { batchId: 'after' });
      const [again] = await pg.claim({ workerId: 'w2', limit: 1, leaseMs: 60_000 });
      await pg.complete(again, { forecast: [7] });
      const later = await pg.saveSnapshot({ ...snapshot!, mark: next.firstId!, cause: 'manual' }, []);
      expect(later!.id).toBeGreaterThan(snapshot!.id);
    });

    it('new job ids continue after every id SQLite ever gave, not after the ids left: reset, then migrate', async () => {
      // SQLite's AUTOINCREMENT never gives an id twice (sqlite_sequence keeps the highest, through
      // deletes and reset); snapshots' mark and actuals' mark_before are job ids used as a clock.
      const path = tempSqlite();
      let now = 1_770_000_000_000;
      const sqlite = await open({ databasePath: path, now: () => now });
      const skus = Array.from({ length: 10 }, (_, i) => `S${i}`);
      await sqlite.createDataset({ id: 'ds-reset', name: 'Reset', frequency: 'monthly', settings, report },
        skus.map((sku) => series(sku, [1, 2, 3, 4, 5])), skus.map((sku) => newJob({ datasetId: 'ds-reset', sku, modelId: 'ets' })), { batchId: 'import' });
      for (const lease of await sqlite.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })) await sqlite.complete(lease, { forecast: [6] });
      const snapshot = await sqlite.saveSnapshot({
        datasetId: 'ds-reset', mark: 10, cause: 'import', historyEnd: '2024-05-01', forecastStart: '2024-06-01',
        forecastEnd: '2024-06-01', skuCount: 10, skusWithForecast: 10, portfolio: { wape: 0.25, bias: null },
      }, []);
      expect(snapshot?.mark).toBe(10);
      now += 1000;
      await sqlite.reset();
      expect((await sqlite.summary()).total).toBe(0);

      const db = await createPostgresTestSchema(baseUrl, 'migrate_reset');
      cleanups.push(db.drop);
      await migrateStore({ from: path, to: db.url });
      const pg = await open({ databaseUrl: db.url });
      const next = await pg.enqueue(['S0', 'S1'].map((sku) => newJob({ datasetId: 'ds-reset', sku, modelId: 'theta' })), { batchId: 'after' });
      expect(next.firstId).toBe(11);
      for (const lease of await pg.claim({ workerId: 'w2', limit: 10, leaseMs: 60_000 })) await pg.complete(lease, { forecast: [7] });
      expect(snapshotDue(await pg.datasetProgress('ds-reset'))).toBe(true);
      const later = await pg.saveSnapshot({ ...snapshot!, mark: next.firstId! + 1, cause: 'manual' }, []);
      expect(later!.id).toBeGreaterThan(snapshot!.id);
    });

    it("copies the marks retries drew (043): a retry still open at the move makes its dataset's snapshot due once it completes on PostgreSQL", async () => {
      const path = tempSqlite();
      const sqlite = await open({ databasePath: path });
      await sqlite.createDataset({ id: 'ds-retry', name: 'Retry', frequency: 'monthly', settings, report },
        ['A', 'B'].map((sku) => series(sku, [1, 2, 3, 4, 5])), ['A', 'B'].map((sku) => newJob({ datasetId: 'ds-retry', sku, modelId: 'ets' })), { batchId: 'import' });
      for (const lease of await sqlite.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })) {
        if (lease.job.sku === 'A') await sqlite.complete(lease, { forecast: [6] });
        else await sqlite.fail(lease, 'boom');
      }
      const partial = await sqlite.datasetProgress('ds-retry');
      const snapshot = await sqlite.saveSnapshot({
        datasetId: 'ds-retry', mark: partial.mark!, cause: 'import', historyEnd: '2024-05-01', forecastStart: '2024-06-01',
        forecastEnd: '2024-06-01', skuCount: 2, skusWithForecast: 1, portfolio: { wape: null, bias: null },
      }, []);
      expect(snapshot).not.toBeNull();
      expect(await sqlite.requeue({ datasetId: 'ds-retry' })).toBe(1);
      const retried = (await sqlite.datasetProgress('ds-retry')).mark!;
      expect(retried).toBeGreaterThan(snapshot!.mark);

      const db = await createPostgresTestSchema(baseUrl, 'migrate_retry');
      cleanups.push(db.drop);
      await migrateStore({ from: path, to: db.url });
      const pg = await open({ databaseUrl: db.url });
      expect(await pg.datasetProgress('ds-retry')).toMatchObject({ open: true, mark: retried, snapshotMark: snapshot!.mark });
      for (const lease of await pg.claim({ workerId: 'w2', limit: 10, leaseMs: 60_000 })) await pg.complete(lease, { forecast: [7] });
      expect(snapshotDue(await pg.datasetProgress('ds-retry'))).toBe(true);
      // and job ids continue after the retry's mark
      const next = await pg.enqueue([newJob({ datasetId: 'ds-retry', sku: 'A', modelId: 'theta' })], { batchId: 'after' });
      expect(next.firstId).toBeGreaterThan(retried);
    });

    it('new job ids continue after the copied snapshot marks and actuals marks even without sqlite_sequence', async () => {
      const path = tempSqlite();
      const sqlite = await open({ databasePath: path });
      await sqlite.createDataset({ id: 'ds-mark', name: 'Mark', frequency: 'monthly', settings, report }, [series('A', [1, 2, 3, 4, 5])], null, null);
      expect(await sqlite.saveSnapshot({
        datasetId: 'ds-mark', mark: 40, cause: 'manual', historyEnd: null, forecastStart: null, forecastEnd: null,
        skuCount: 1, skusWithForecast: 0, portfolio: { wape: null, bias: null },
      }, [])).toBeNull(); // the store refuses a mark that is not the dataset's newest job: write the rows as an old file holds them
      await sqlite.close();
      const raw = new Database(path);
      raw.prepare(`INSERT INTO snapshots (id, dataset_id, mark, cause, created_at, sku_count, skus_with_forecast, bytes, portfolio)
                   VALUES (3, 'ds-mark', 40, 'manual', 1, 1, 0, 0, '{"wape":null,"bias":null}')`).run();
      raw.prepare(`INSERT INTO actuals (seq, id, dataset_id, created_at, mark_before, skus_changed, skus_added, periods_added, values_revised, report)
                   VALUES (2, 'act-old', 'ds-mark', 1, 55, 0, 0, 0, 0, '{}')`).run();
      raw.prepare(`DELETE FROM sqlite_sequence WHERE name = 'jobs'`).run();
      raw.close();

      const db = await createPostgresTestSchema(baseUrl, 'migrate_marks');
      cleanups.push(db.drop);
      await migrateStore({ from: path, to: db.url });
      const pg = await open({ databaseUrl: db.url });
      expect((await pg.enqueue([newJob({ datasetId: 'ds-mark', sku: 'A' })], { batchId: 'after' })).firstId).toBe(56);
    });

    it('refuses a target that holds snapshots or actuals but no jobs or datasets, naming them', async () => {
      const path = tempSqlite();
      const sqlite = await open({ databasePath: path });
      await sqlite.createDataset({ id: 'ds-left', name: 'Left', frequency: 'monthly', settings, report },
        [series('A', [1, 2, 3, 4, 5])], [newJob({ datasetId: 'ds-left', sku: 'A', modelId: 'ets' })], { batchId: 'import' });
      const [lease] = await sqlite.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      await sqlite.complete(lease, { forecast: [6] });
      await sqlite.saveSnapshot({
        datasetId: 'ds-left', mark: lease.jobId, cause: 'import', historyEnd: null, forecastStart: null, forecastEnd: null,
        skuCount: 1, skusWithForecast: 1, portfolio: { wape: null, bias: null },
      }, []);
      await sqlite.appendActuals('ds-left', {
        id: 'act-1', report, datasetReport: report, updated: [series('A', [1, 2, 3, 40, 5])], added: [],
        revisions: [{ sku: 'A', date: '2024-04-01', previous: 4, value: 40 }], periodsAdded: 0, historyEnd: '2024-05-01',
      }, null, null);
      const db = await createPostgresTestSchema(baseUrl, 'migrate_leftover');
      cleanups.push(db.drop);
      await migrateStore({ from: path, to: db.url });
      // someone emptied the jobs and datasets, and left the rest
      const raw = new pgDriver.Client({ connectionString: baseUrl });
      raw.on('error', () => undefined);
      await raw.connect();
      cleanups.push(() => raw.end());
      await raw.query(`DELETE FROM ${db.schema}.jobs; DELETE FROM ${db.schema}.series; DELETE FROM ${db.schema}.datasets`);

      await expect(migrateStore({ from: path, to: db.url })).rejects.toThrow(
        /the target already holds 1 snapshots, 1 actuals, 1 actuals_revisions and 1 job_turns: migrate-store copies into an empty database/,
      );
    });

    it('names the table, row and field it cannot copy for a NUL character (was: "invalid byte sequence for encoding UTF8: 0x00" alone), copying nothing', async () => {
      // SQLite stored what the API took before it refused a NUL: a dataset name, a SKU.
      for (const [name, sku, expected] of [
        ['a\u0000b', 'A', /cannot copy datasets row id "ds-nul": its name contains a NUL character \(\\u0000\)/],
        ['fine', 'A\u0000B', /cannot copy series row dataset_id "ds-nul", sku "A\\u0000B": its sku contains a NUL character/],
      ] as const) {
        const path = tempSqlite();
        const sqlite = await open({ databasePath: path });
        await sqlite.createDataset({ id: 'ds-nul', name, frequency: 'monthly', settings, report }, [series(sku, [1, 2, 3, 4, 5])], null, null);
        const db = await createPostgresTestSchema(baseUrl, 'migrate_nul');
        cleanups.push(db.drop);
        await expect(migrateStore({ from: path, to: db.url })).rejects.toThrow(expected);
        const target = await open({ databaseUrl: db.url });
        expect(await target.listDatasets()).toEqual([]);
      }
    });

    // A write to the SQLite file while it is copied: refused, whichever table it touches and
    // whenever it lands (a snapshot or an append read half, or series copied before their append).
    const writesDuringTheCopy: Array<[string, string, (w: Store) => Promise<unknown>]> = [
      ['an actuals append while datasets are copied', 'datasets', (w) => w.appendActuals('ds-cycle', {
        id: 'act-late', report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 50])], added: [],
        revisions: [{ sku: 'A', date: '2024-05-01', previous: 5, value: 50 }], periodsAdded: 0, historyEnd: '2024-05-01',
      }, null, null)],
      ['a snapshot saved while jobs are copied', 'jobs', (w) => w.saveSnapshot({
        datasetId: 'ds-cycle', mark: 1, cause: 'import', historyEnd: '2024-05-01', forecastStart: '2024-06-01',
        forecastEnd: '2024-06-01', skuCount: 1, skusWithForecast: 1, portfolio: { wape: 0.5, bias: null },
      }, [{ sku: 'A', modelId: 'ets', selectedBy: 'metric', error: 0.5, dates: ['2024-06-01'], values: new Uint8Array([9]), status: 'forecast' }])],
      ['an override set while the planning cycle is copied', 'actuals', (w) => w.setOverride('ds-cycle', 'A', 'theta')],
      ['an actuals append while the planning cycle is copied', 'actuals', (w) => w.appendActuals('ds-cycle', {
        id: 'act-later', report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 60])], added: [],
        revisions: [{ sku: 'A', date: '2024-05-01', previous: 5, value: 60 }], periodsAdded: 0, historyEnd: '2024-05-01',
      }, null, null)],
    ];
    for (const [name, when, write] of writesDuringTheCopy) {
      it(`refuses a copy the SQLite file changed under: ${name}`, async () => {
        const path = tempSqlite();
        const sqlite = await open({ databasePath: path });
        await sqlite.createDataset({ id: 'ds-cycle', name: 'Cycle', frequency: 'monthly', settings, report },
          [series('A', [1, 2, 3, 4, 5])], [newJob({ datasetId: 'ds-cycle', sku: 'A', modelId: 'ets' })], { batchId: 'import' });
        const [lease] = await sqlite.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
        await sqlite.complete(lease, { forecast: [6] });
        await sqlite.appendActuals('ds-cycle', {
          id: 'act-1', report, datasetReport: report, updated: [series('A', [1, 2, 3, 40, 5])], added: [],
          revisions: [{ sku: 'A', date: '2024-04-01', previous: 4, value: 40 }], periodsAdded: 0, historyEnd: '2024-05-01',
        }, null, null);
        const db = await createPostgresTestSchema(baseUrl, 'migrate_changed');
        cleanups.push(db.drop);

        let written = false;
        const writes: Promise<unknown>[] = [];
        const copy = migrateStore({
          from: path, to: db.url,
          onProgress: (what) => {
            if (what !== when || written) return;
            written = true;
            writes.push(write(sqlite));
          },
        });
        await expect(copy).rejects.toThrow(/the SQLite database changed during the copy/);
        expect(written).toBe(true);
        await Promise.all(writes);
        const raw = new pgDriver.Client({ connectionString: baseUrl });
        raw.on('error', () => undefined);
        await raw.connect();
        cleanups.push(() => raw.end());
        for (const table of ['datasets', 'jobs', 'job_turns', 'actuals', 'actuals_revisions', 'snapshots', 'snapshot_items', 'snapshot_item_status']) {
          expect((await raw.query(`SELECT count(*)::int AS n FROM ${db.schema}.${table}`)).rows[0].n, table).toBe(0);
        }
      });
    }

    it('refuses, naming the change, a copy during which a job already copied moved to the finished ones (was: duplicate key on jobs_pkey)', async () => {
      const path = tempSqlite();
      const sqlite = await open({ databasePath: path });
      const skus = Array.from({ length: 1_500 }, (_, i) => `S${i}`);
      await sqlite.createDataset({ id: 'ds-busy', name: 'Busy', frequency: 'monthly', settings, report },
        skus.map((sku) => series(sku, [1, 2, 3, 4, 5])), skus.map((sku) => newJob({ datasetId: 'ds-busy', sku, modelId: 'ets' })), { batchId: 'import' });
      const db = await createPostgresTestSchema(baseUrl, 'migrate_busy');
      cleanups.push(db.drop);
      await sqlite.close();
      // Another process's write, made at once (synchronously) once the first page is copied: the
      // first pending job, on that page, is cancelled, which moves it to the finished jobs listed last.
      const other = new Database(path);
      cleanups.push(async () => void other.close());
      let written = false;
      const copy = migrateStore({
        from: path, to: db.url,
        onProgress: (what) => {
          if (what !== 'jobs' || written) return;
          written = true;
          other.prepare(`UPDATE jobs SET status = 'cancelled', error = 'by hand', finished_at = ?, updated_at = ? WHERE id = (SELECT min(id) FROM jobs)`).run(Date.now(), Date.now());
        },
      });
      await expect(copy).rejects.toThrow(/the SQLite database changed during the copy \(jobs written since it began\)/);
      expect(written).toBe(true);
    });

    it('refuses, copying nothing, while a worker of the SQLite file beat within a minute and has not said it stopped (was: exit 0, runningRequeued 2, diverging databases)', async () => {
      const path = tempSqlite();
      await seedSqlite(path);
      const db = await createPostgresTestSchema(baseUrl, 'migrate_live');
      cleanups.push(db.drop);
      const sqlite = await open({ databasePath: path });
      const now = Date.now();
      const beat = { host: 'box1', concurrency: 1, startedAt: now - 5000, running: 1, status: 'running' as const };
      await sqlite.heartbeatWorker({ ...beat, workerId: 'sqliteW', pid: 4242, lastHeartbeatAt: now - 2000 });
      // not alive: one said it stopped, one last beat two minutes ago (killed without saying so)
      await sqlite.heartbeatWorker({ ...beat, workerId: 'gone', pid: 1, lastHeartbeatAt: now - 3000 });
      await sqlite.markWorkerStopped({ workerId: 'gone', pid: 1 });
      await sqlite.heartbeatWorker({ ...beat, workerId: 'killed', pid: 2, startedAt: now - 200_000, lastHeartbeatAt: now - 120_000 });

      let started = false;
      await expect(migrateStore({ from: path, to: db.url, onStart: () => { started = true; } }))
        .rejects.toThrow(/^1 worker\(s\) still use .*queue\.db: sqliteW \(pid 4242 on box1, last beat 2 s ago\); stop them \(and the API\) first.*nothing was copied$/);
      expect(started).toBe(false);
      expect(await tablesIn(db.schema)).toBe(0); // not even migrated: nothing written to the target

      await sqlite.markWorkerStopped({ workerId: 'sqliteW', pid: 4242 });
      expect(await migrateStore({ from: path, to: db.url })).toMatchObject({ datasets: 2, jobs: 5 });
    });

    it('`skucast migrate-store` exits 1 naming a real worker that runs on the file, and copies once it has stopped', async () => {
      const path = tempSqlite();
      await seedSqlite(path);
      const db = await createPostgresTestSchema(baseUrl, 'migrate_live_cli');
      cleanups.push(db.drop);
      const worker = startSkucast('live-sqlite-worker', ['worker', '--handler', 'noop', '--noop-with-datasets', '--noop-ms', '10', '--worker-id', 'sqliteW'], { DATABASE_PATH: path, DATABASE_URL: '' });
      cleanups.push(async () => { await stopAll(); });
      await worker.waitForLine((l) => l.event === 'start');
      const run = () => spawnSync(process.execPath, [serverJs, 'migrate-store', '--from', path, '--to', db.url], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '' } });
      const refused = run();
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^skucast: 1 worker\(s\) still use .*queue\.db: sqliteW \(pid \d+ on .*\); stop them/);
      expect(refused.stdout).not.toContain('copying');
      expect(await tablesIn(db.schema)).toBe(0);
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
      const ok = run();
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
    });

    it('runs as `skucast migrate-store --from --to`, and refuses a missing SQLite file', async () => {
      const path = tempSqlite();
      await seedSqlite(path);
      const db = await createPostgresTestSchema(baseUrl, 'migrate_cli');
      cleanups.push(db.drop);
      const run = (...args: string[]) => spawnSync(process.execPath, [serverJs, 'migrate-store', ...args], { encoding: 'utf8', timeout: 60_000 });

      const ok = run('--from', path, '--to', db.url);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      const lines = ok.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ msg: 'migrate-store: copying' });
      expect(lines.filter((l) => l.msg === 'migrate-store: copied').map((l) => l.table)).toEqual(expect.arrayContaining(['datasets', 'jobs']));
      const done = lines.find((l) => l.msg === 'migrate-store: done');
      expect(done).toMatchObject({ datasets: 2, series: 3, overrides: 1, jobs: 5, runningRequeued: 2 });
      expect(JSON.stringify(done)).not.toContain('password');

      const missing = run('--from', join(path, '..', 'nope.db'), '--to', db.url);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/no SQLite database at .*nope\.db/);
      // Refused before a line saying it is copying.
      expect(missing.stdout).not.toContain('copying');
      const typo = run('--from', path, '--to', db.url.replace('?schema=', '?shema='));
      expect(typo.status).toBe(1);
      expect(typo.stderr).toMatch(/--to postgres:\/\/.*: unknown parameter 'shema' \(did you mean schema\?\)/);
      expect(typo.stdout).not.toContain('copying');
    });
  });
} else {
  describe.skip('skucast migrate-store (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
