import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSettings, NewSeries } from '../../datasets/dataset.js';
import { allJobs, newJob, waitFor } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

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

if (baseUrl) {
  describe('PostgreSQL locking', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });
    const setup = async (label: string) => {
      const db = await createPostgresTestSchema(baseUrl, label);
      cleanups.push(db.drop);
      const open = async () => {
        const store = await openPostgresStore(`${db.url}&connection_limit=4`);
        cleanups.push(() => store.close());
        return store;
      };
      const a = await open();
      await a.migrate();
      return { db, a, b: await open() };
    };
    const pendingPerWork = async (store: Store) => {
      const counts = new Map<string, number>();
      for (const j of await allJobs(store, { status: ['pending'] })) {
        const key = `${j.datasetId}/${j.sku}/${j.modelId}/${j.method}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts.values()].filter((n) => n > 1).length;
    };

    it('requeue waits for an enqueue in flight for the same work: one pending job, never two', async () => {
      const { db, a } = await setup('requeue_turn');
      await a.enqueue([newJob({ datasetId: 'ds', sku: 'X' })], { batchId: 'first' });
      expect(await a.cancel({ batchId: 'first' })).toBe(1);

      // An enqueue of the same work, caught between its INSERT (and supersede) and its COMMIT: its
      // transaction holds the enqueue lock and a pending row no other transaction sees yet.
      const enqueuer = new pg.Client({ connectionString: baseUrl, application_name: 'locking-enqueuer' });
      await enqueuer.connect();
      cleanups.push(() => enqueuer.end());
      await enqueuer.query(`SET search_path TO ${db.schema}`);
      await enqueuer.query('BEGIN');
      await enqueuer.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'))");
      await enqueuer.query(`INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                                              max_attempts, settings, created_at, updated_at, run_at)
                            SELECT 'second', dataset_id, sku, model_id, method, reason, priority, 'pending', 0,
                                   max_attempts, settings, created_at, updated_at, run_at FROM jobs`);

      let requeued: number | null = null;
      const requeue = a.requeue({ batchId: 'first' }).then((n) => { requeued = n; });
      // The requeue either finished at once (the race) or waits on the advisory lock (its turn).
      const waiting = async () => (await enqueuer.query(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND datname = current_database()")).rowCount;
      let blocked = 0;
      const poll = setInterval(() => { void waiting().then((n) => { blocked = n ?? 0; }); }, 5);
      try {
        await waitFor(() => requeued !== null || blocked > 0, 10_000, 'requeue to finish or wait for its turn');
      } finally {
        clearInterval(poll);
      }
      await enqueuer.query('COMMIT');
      await requeue;

      expect(requeued).toBe(0); // the newer job for the same work came first: the cancelled one stays put
      expect((await allJobs(a, { status: ['pending'] })).map((j) => j.batchId)).toEqual(['second']);
    });

    it('requeue and enqueue of the same work from two pools at once leave one pending job per piece of work', async () => {
      const { a, b } = await setup('requeue_race');
      for (let round = 0; round < 30; round++) {
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
        // the update either ran first (fulfilled) or found the dataset gone (its SKUs unknown): never a deadlock
        if (updated.status === 'rejected') {
          const error = updated.reason as Error & { code?: string };
          if (!/has no SKU/.test(error.message)) failures.push(`round ${round}: ${error.code ?? ''} ${error.message}`);
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
