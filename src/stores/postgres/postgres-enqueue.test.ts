import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import type { DatasetSettings, NewSeries } from '../../datasets/dataset.js';
import type { Job, NewJob } from '../../queue/job.js';
import { jobs as manyJobs, newJob } from '../../queue/testing/store-fixtures.js';
import { parsePostgresUrl, poolConfig } from './postgres-connection.js';
import { createPgContext } from './postgres-context.js';
import { analyzeAfterLargeEnqueue } from './postgres-enqueue.js';
import { openPostgresStore } from './postgres-store.js';
import { PgFaultProxy } from './pg-fault-proxy.js';
import { pollDatabase } from './poll-database.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';
import { holdTableLock } from '../../../tests/support/postgres-lock-holder.js';
import { poolContext, rawSession } from './locking-fixture.js';

/** PostgreSQL enqueue (enqueue_jobs, migrations/020_enqueue_function.sql and its overload of 021): its round trips, and the settings its INSERT runs under on both of its paths. */
const baseUrl = postgresTestUrl('PostgreSQL enqueue settings');

const settings: DatasetSettings = {
  horizon: 12, holdout: 6, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const dates = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`);
const series = (sku: string): NewSeries => ({
  sku, dates, original: dates.map((_, i) => i + 1), edits: {}, length: 12, volume: 78, demandClass: 'smooth',
});

if (baseUrl) {
  describe('PostgreSQL enqueue', () => {
    const { cleanups, schema, open } = postgresTestHarness(baseUrl);

    const serverSettings = `SELECT current_setting('jit') AS jit, current_setting('work_mem') AS work_mem`;
    /** A migrated store on a schema of its own, `connections` in its pool. */
    const migratedStore = async (name: string, connections: number) => {
      const db = await schema(name);
      const store = await open(db.url, connections);
      await store.migrate();
      return { db, store };
    };
    /**
     * An admin session, autovacuum off on the schema's jobs table (only the store's ANALYZE may move
     * its statistics: autovacuum would analyze 10,000 new rows), and another session holding a lock
     * ANALYZE needs (SHARE UPDATE EXCLUSIVE: a VACUUM, an index built concurrently, an operator's
     * LOCK TABLE), as a long ANALYZE of a large table keeps it busy.
     */
    const analyzeHeldUp = async (db: { schema: string }) => {
      const admin = await rawSession(baseUrl, cleanups);
      await admin.query(`ALTER TABLE ${db.schema}.jobs SET (autovacuum_enabled = false)`);
      const holder = await holdTableLock(baseUrl, `${db.schema}.jobs`, 'SHARE UPDATE EXCLUSIVE');
      cleanups.push(holder.release);
      return { admin, holder };
    };
    /** The rows the jobs table's statistics count: -1 when it was never analyzed. */
    const reltuples = async (admin: pg.Client, db: { schema: string }) =>
      Number((await admin.query(`SELECT reltuples FROM pg_class WHERE oid = '${db.schema}.jobs'::regclass`)).rows[0].reltuples);
    /**
     * A migrated store on a schema of its own (`connections` in its pool), and a trigger on its jobs
     * table (`when`: the trigger's kind, timing and event, e.g. 'TRIGGER ... AFTER INSERT') that
     * writes down the jit and work_mem each firing ran under; noted() reads them back.
     */
    const storeNotingSettings = async (name: string, connections: number, when: string, forEach: string) => {
      const { db, store } = await migratedStore(name, connections);
      const admin = await rawSession(baseUrl, cleanups);
      await admin.query(`
        CREATE TABLE ${db.schema}.noted_settings (jit text, work_mem text);
        CREATE FUNCTION ${db.schema}.note_settings() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
          INSERT INTO ${db.schema}.noted_settings VALUES (current_setting('jit'), current_setting('work_mem'));
          RETURN NULL;
        END $$;
        CREATE ${when.replace('...', 'note_settings')} ON ${db.schema}.jobs
          ${forEach} EXECUTE FUNCTION ${db.schema}.note_settings();`);
      const noted = async () => (await admin.query(`SELECT jit, work_mem FROM ${db.schema}.noted_settings`)).rows;
      return { db, store, admin, noted };
    };

    it('inserts every batch with jit off and work_mem 64MB: a plain enqueue and a new dataset\'s jobs (inserted before the enqueue lock) alike', async () => {
      // A statement trigger that writes down the settings each INSERT into jobs ran under.
      const { store, noted } = await storeNotingSettings('enqueue_settings', 2, 'TRIGGER ... AFTER INSERT', 'FOR EACH STATEMENT');

      await store.enqueue([newJob({ sku: 'A' }), newJob({ sku: 'B' })], { batchId: 'plain' });
      await store.createDataset({ id: 'ds', name: 'ds', frequency: 'monthly', settings, report: null as never }, [series('S1')],
        [newJob({ datasetId: 'ds', sku: 'S1' })], { batchId: 'import' });
      expect(await noted()).toEqual([{ jit: 'off', work_mem: '64MB' }, { jit: 'off', work_mem: '64MB' }]);
    });

    it('sends a plain enqueue as one statement, its own transaction: one round trip, with supersede too', async () => {
      const { store } = await migratedStore('enqueue_one_statement', 1);
      await store.summary(); // the pool's one connection open and set up before counting
      // Every statement the store sends goes through a pg.Client of its pool.
      const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
      const sent: string[] = [];
      const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
        const first = args[0] as string | { text: string };
        sent.push(typeof first === 'string' ? first : first.text);
        return original.apply(this, args) as never;
      });
      cleanups.push(async () => { spy.mockRestore(); });

      const first = await store.enqueue([newJob({ sku: 'A' })], { batchId: 'one' });
      expect(first).toMatchObject({ jobsCreated: 1, jobsCancelled: 0 });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/enqueue_jobs/);
      sent.length = 0;
      // Two groups (a dataset and none), the same work as A (superseded), and more.
      const batch = [newJob({ sku: 'A' }), ...Array.from({ length: 30 }, (_, i) => newJob({ sku: `S${i}`, datasetId: i % 2 ? null : 'ds-2' }))];
      const second = await store.enqueue(batch, { batchId: 'many' });
      expect(second).toMatchObject({ jobsCreated: 31, jobsReused: 0, jobsCancelled: 1 });
      expect(second.lastId! - second.firstId!).toBe(30);
      expect(sent).toHaveLength(1);
    });

    it('sends a field every job shares once and stores it on every job; a field one job differs in goes whole', async () => {
      const { store } = await migratedStore('enqueue_shared_fields', 1);
      const shared: Partial<NewJob> = {
        datasetId: 'ds-3', modelId: 'ets', method: 'grid', reason: 'initial_import', priority: 3, maxAttempts: 2,
        settings: { horizon: 6 }, inputHash: null,
      };
      const fields = (j: Job | NewJob) => ({
        datasetId: j.datasetId, sku: j.sku, modelId: j.modelId, method: j.method, reason: j.reason, priority: j.priority,
        maxAttempts: j.maxAttempts, settings: j.settings, inputHash: j.inputHash,
      });
      // The first batch shares all but the SKU; each later one differs from it in one field, in its
      // last job (NULL among strings: a dataset and a hash), and one also in its (dataset, priority) group.
      const odd: Array<Partial<NewJob>> = [
        {}, { datasetId: null }, { modelId: 'arima' }, { method: 'mle' }, { reason: 'manual_trigger' }, { priority: 1 },
        { maxAttempts: 5 }, { settings: { horizon: 12 } }, { inputHash: 'h-1' },
      ];
      for (const [b, change] of odd.entries()) {
        const batch = Array.from({ length: 4 }, (_, i) => newJob({ ...shared, sku: `B${b}-${i}`, ...(i === 3 ? change : {}) }));
        const r = await store.enqueue(batch, { batchId: `b${b}` });
        expect(r).toMatchObject({ jobsCreated: 4, jobsCancelled: 0 });
        const stored = await Promise.all(batch.map((_, i) => store.getJob(r.firstId! + i)));
        expect(stored.map((j) => fields(j!))).toEqual(batch.map((j) => fields(j)));
        expect(stored.map((j) => j!.batchId)).toEqual(batch.map(() => `b${b}`));
      }
    });

    it('finds a work given twice when one copy\'s dataset is undefined and the other\'s null: both are stored as NULL, one work', async () => {
      // A caller outside the type checker (a JavaScript client, a parsed body) may leave datasetId
      // out; it is sent as NULL, so supersede must group the two copies as enqueue_jobs of 020 did.
      const { db, store } = await migratedStore('enqueue_undefined_dataset', 1);
      const work = { datasetId: null, sku: 'U', modelId: 'ets', method: 'grid' };
      const old = await store.enqueue([newJob(work)], { batchId: 'old' });
      const copies = [newJob({ ...work, datasetId: undefined as unknown as null }), newJob(work), newJob({ ...work, sku: 'V' })];
      const r = await store.enqueue(copies, { batchId: 'new' });
      expect(r).toMatchObject({ jobsCreated: 3, jobsCancelled: 2 });
      const newest = r.firstId! + 1;
      expect(await store.getJob(old.firstId!)).toMatchObject({ status: 'cancelled', error: `superseded by job ${newest}` });
      expect(await store.getJob(r.firstId!)).toMatchObject({ status: 'cancelled', error: `superseded by job ${newest}` });
      const kept = await store.getJob(newest);
      expect(kept).toMatchObject({ status: 'pending', datasetId: null });
      const admin = await rawSession(baseUrl, cleanups);
      const turns = await admin.query<{ id: string; turn: string }>(`SELECT id, turn FROM ${db.schema}.jobs WHERE id IN ($1, $2)`, [old.firstId, newest]);
      expect(new Set(turns.rows.map((t) => t.turn)).size).toBe(1); // it took the turn of the waiting job it replaced
    });

    it('undoes the settings when enqueue_jobs returns, inside a caller\'s transaction too: its commit runs with the server\'s', async () => {
      // A deferred trigger runs at commit, after the enqueue returned, still in its transaction:
      // what it sees is what every later statement of a caller's transaction (createDataset) would.
      const { store, admin, noted } = await storeNotingSettings('enqueue_settings_commit', 1,
        'CONSTRAINT TRIGGER ... AFTER INSERT', 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW');
      const server = (await admin.query(serverSettings)).rows[0];
      expect(server).not.toEqual({ jit: 'off', work_mem: '64MB' }); // else this test could not tell

      await store.enqueue([newJob({ sku: 'A' })], { batchId: 'plain' });
      await store.createDataset({ id: 'ds', name: 'ds', frequency: 'monthly', settings, report: null as never }, [series('S1')],
        [newJob({ datasetId: 'ds', sku: 'S1' })], { batchId: 'import' });
      expect(await noted()).toEqual([server, server]);
    });

    it('leaves the settings to the enqueue\'s transaction: the next statement on the same pooled connection runs with the server\'s', async () => {
      // One connection, so the cancel below runs on the one the enqueue used (as a PgBouncer
      // transaction pool would hand a connection to another client once the transaction ends).
      const { db, store, admin, noted } = await storeNotingSettings('enqueue_settings_scope', 1, 'TRIGGER ... AFTER UPDATE', 'FOR EACH STATEMENT');
      const server = (await admin.query(serverSettings)).rows[0];
      expect(server).not.toEqual({ jit: 'off', work_mem: '64MB' }); // else this test could not tell

      await store.enqueue([newJob({ sku: 'A' })], { batchId: 'plain' });
      await admin.query(`DELETE FROM ${db.schema}.noted_settings`); // the enqueue's own (supersede)
      await store.cancel({});
      expect(await noted()).toEqual([server]);
    });

    it('analyzes after a large enqueue only when the statistics no longer describe the jobs table', async () => {
      const { db, store } = await migratedStore('enqueue_analyze', 1);
      const ctx = poolContext(db.url, cleanups);
      const { pool } = ctx;
      // Only this test's ANALYZEs may move the statistics: autovacuum (on by default; 1,000 rows + 2%
      // on this table) would analyze it on its own within a minute and change reltuples under it.
      await pool.query(`ALTER TABLE ${db.schema}.jobs SET (autovacuum_enabled = false)`);
      // Batches under the store's own threshold (10,000), so only the calls below analyze.
      let n = 0;
      const enqueue = async (count: number) => {
        for (let left = count; left > 0; left -= 5_000) {
          const jobs = Array.from({ length: Math.min(5_000, left) }, () => newJob({ sku: `S-${String(n++).padStart(6, '0')}` }));
          await store.enqueue(jobs, { batchId: `b${n}`, supersede: false });
        }
      };
      const statisticsRows = async () => Number((await pool.query(`SELECT reltuples FROM pg_class WHERE oid = '${db.schema}.jobs'::regclass`)).rows[0].reltuples);

      await enqueue(12_000);
      expect(await statisticsRows()).toBe(-1); // never analyzed
      await analyzeAfterLargeEnqueue(ctx, 12_000);
      expect(await statisticsRows()).toBe(12_000);

      await enqueue(6_000); // 1.5 times the rows and pages the statistics describe
      await analyzeAfterLargeEnqueue(ctx, 9_999);
      await analyzeAfterLargeEnqueue(ctx, 10_000);
      expect(await statisticsRows()).toBe(12_000);

      await enqueue(12_000); // 2.5 times the pages
      await analyzeAfterLargeEnqueue(ctx, 10_000);
      expect(await statisticsRows()).toBe(30_000);

      // Drained: the statistics count no rows in pages that stay; an enqueue refills them.
      await pool.query(`DELETE FROM ${db.schema}.jobs`);
      await pool.query(`ANALYZE ${db.schema}.jobs`);
      expect(await statisticsRows()).toBe(0);
      await enqueue(6_000);
      await analyzeAfterLargeEnqueue(ctx, 10_000);
      expect(await statisticsRows()).toBe(6_000);
    });

    it('closing the store cancels the ANALYZE after a large enqueue instead of waiting for it, and nothing is analyzed', async () => {
      const { db, store } = await migratedStore('enqueue_analyze_close', 2);
      const { admin, holder } = await analyzeHeldUp(db);

      await store.enqueue(manyJobs(10_000, { datasetId: null }), { batchId: 'large', supersede: false, reuse: false });
      await pollDatabase('the ANALYZE after the enqueue waiting on the held lock', async () => (await admin.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1 AND query LIKE '%ANALYZE jobs%'`,
        [`skucast:${db.schema}`])).rowCount === 1);
      await store.close(); // was: waited here until the holder let go
      await holder.client.query('ROLLBACK');
      // Cancelled and rolled back whole, not run once the lock went: the table was never analyzed.
      expect(await reltuples(admin, db)).toBe(-1);
    }, 30_000);

    it('a close that comes while the statistics check answers sends no ANALYZE after it', async () => {
      const db = await schema('enqueue_analyze_close_check');
      const store = await openPostgresStore(db.url);
      await store.migrate();
      await store.close();
      const { admin, holder } = await analyzeHeldUp(db);
      const target = new URL(baseUrl);
      const proxy = await PgFaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.stop());
      const settings = parsePostgresUrl(`${proxy.url(db.url)}&connection_limit=1`);
      const pool = new pg.Pool(poolConfig(settings));
      pool.on('error', () => undefined);
      cleanups.push(() => pool.end().catch(() => undefined));
      await pool.query('SELECT 1'); // its one connection open and idle: the check runs on it
      const ctx = createPgContext(pool, settings, Date.now);
      const ours = `skucast:${db.schema}`;

      // The check has answered (held in the proxy, as on a slow network) when the close comes.
      const letThrough = proxy.holdReplies();
      void analyzeAfterLargeEnqueue(ctx, 10_000);
      await pollDatabase('the statistics check answered', async () => (await admin.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE '%reltuples%'`, [ours])).rowCount === 1);
      let closed = false;
      const closing = ctx.background.close().then(() => { closed = true; });
      letThrough();
      const analyzeWaits = async () => (await admin.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1 AND query LIKE '%ANALYZE jobs%'`, [ours])).rowCount === 1;
      let waited = false;
      await pollDatabase('the close answered, or an ANALYZE waiting on the held lock', async () => closed || (waited = await analyzeWaits()));
      // Was: the ANALYZE went out after the dropped cancel, and the close waited for the lock.
      expect(waited).toBe(false);
      await closing;
      await holder.client.query('ROLLBACK');
      expect(await reltuples(admin, db)).toBe(-1);
    }, 30_000);
  });
} else {
  describe('PostgreSQL enqueue', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
