import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importTwoSkuDataset } from '../../../tests/support/test-datasets.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../../../tests/support/test-database.js';
import type { Dataset } from '../../datasets/dataset.js';
import { planJobs } from '../../datasets/job-planner.js';
import { changeSettings, editSeries } from '../../datasets/requeue-edits.js';
import type { Store } from '../../stores/store.js';
import { defaultBodyLimitBytes } from '../api-config.js';
import { buildApp } from '../app.js';

/**
 * POST /api/jobs for SKUs of a dataset (form b) while another request writes the dataset between
 * the plan and its enqueue, through the real app on a real SQLite file and, with DATABASE_URL, a
 * PostgreSQL schema (was: the jobs were stored with the settings and values read before,
 * superseding the fresher jobs of that request).
 */
describe.each(storeKinds('POST /api/jobs racing other writes'))('on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await createTestDatabase('jobs-create', kind);
    store = await db.open();
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await db.cleanup();
  });

  const dataset = () => importTwoSkuDataset(store);

  /**
   * An app over store with `before` run ahead of a job write (either enqueue, or the calls named in
   * `on`), the first call only unless `every`: another request landing between the route's plan and
   * its write. The caller closes it.
   */
  async function racingApp(before: () => Promise<unknown>, every = false, on: Array<keyof Store> = ['enqueue', 'enqueueIfUnchanged']) {
    const writes = { calls: 0 };
    const racing = new Proxy(store, {
      get(target, prop) {
        if (on.includes(prop as keyof Store)) {
          return async (...args: unknown[]) => {
            if (writes.calls++ === 0 || every) await before();
            return (target[prop as keyof Store] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Store;
    const app = await buildApp({ store: racing, logger: pino({ level: 'silent' }), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
    return { app, writes };
  }

  const openJobs = async (ds: Dataset, sku: string) =>
    (await store.listJobs({ datasetId: ds.id, sku, status: ['pending', 'running'], limit: 100 })).jobs;

  describe('POST /api/jobs for SKUs of a dataset written between the plan and the enqueue', () => {
    it('a settings change that landed in between: the jobs are planned again with the new horizon', async () => {
      const ds = await dataset();
      const { app, writes } = await racingApp(() => changeSettings(store, ds, { horizon: 6 }));
      try {
        const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { datasetId: ds.id, skus: ['A'], models: ['ets', 'naive'] } });
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json()).toMatchObject({ datasetId: ds.id, jobsCreated: 2, skusProcessed: 1 });
      } finally {
        await app.close();
      }
      // Was: horizon 12, superseding the settings change's horizon-6 jobs.
      const jobs = await openJobs(ds, 'A');
      expect(jobs.map((j) => [j.reason, j.modelId, j.settings.horizon]).sort()).toEqual([['manual_trigger', 'ets', 6], ['manual_trigger', 'naive', 6]]);
      expect(writes.calls).toBe(2); // refused once, planned again
    });

    it('an edit of a SKU that landed in between: the jobs are planned again from the edited series', async () => {
      const ds = await dataset();
      const { app, writes } = await racingApp(async () => editSeries(store, ds, (await store.getSeries(ds.id, 'A'))!, { edits: [{ date: '2024-12-01', value: 999 }] }));
      try {
        const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { datasetId: ds.id, skus: ['A', 'B'], models: ['ets'] } });
        expect(res.statusCode, res.body).toBe(201);
      } finally {
        await app.close();
      }
      // The job's reuse key is the edited series' (was: the values before the edit, whose cached result would complete it).
      const edited = planJobs({ dataset: ds, series: [(await store.getSeries(ds.id, 'A'))!], models: ['ets'], method: ds.settings.method, reason: 'manual_trigger' }).jobs[0];
      const jobs = await openJobs(ds, 'A');
      // (The edit's naive job stays: the request asked for ets alone.)
      expect(jobs.map((j) => [j.reason, j.modelId, j.inputHash]).sort()).toEqual([['manual_edit_data_cleaning', 'naive', expect.any(String)], ['manual_trigger', 'ets', edited.inputHash]]);
      expect(writes.calls).toBe(2);
    });

    it('writes that keep landing in between end as a 409 naming skus, with nothing of the request stored', async () => {
      const ds = await dataset();
      let horizon = 3;
      const { app, writes } = await racingApp(async () => changeSettings(store, (await store.getDataset(ds.id))!, { horizon: horizon++ }), true);
      try {
        const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { datasetId: ds.id, skus: ['A'], models: ['ets'] } });
        expect(res.statusCode, res.body).toBe(409);
        expect(res.json().details).toEqual([{ path: 'skus', message: expect.stringContaining('nothing was stored') }]);
        expect(res.json().code).toBe('conflict_retry');
      } finally {
        await app.close();
      }
      expect(writes.calls).toBe(5);
      expect((await openJobs(ds, 'A')).map((j) => j.reason)).toEqual(['settings_change', 'settings_change']);
    });

    it('a dataset deleted in between answers 400 naming datasetId, as after the delete, and queues nothing', async () => {
      const ds = await dataset();
      const { app } = await racingApp(() => store.deleteDataset(ds.id));
      try {
        const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { datasetId: ds.id, skus: ['A'], models: ['ets'] } });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().details).toEqual([{ path: 'datasetId', message: expect.stringContaining(`unknown dataset '${ds.id}'`) }]);
      } finally {
        await app.close();
      }
      expect((await store.listJobs({ datasetId: ds.id, limit: 100 })).jobs.filter((j) => j.reason === 'manual_trigger')).toEqual([]);
    });

    it('a dataset deleted before its series are read (after its SKUs were checked) answers 400 naming datasetId, not 201 with no jobs', async () => {
      const ds = await dataset();
      const { app, writes } = await racingApp(() => store.deleteDataset(ds.id), false, ['getSeriesMany']);
      try {
        const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { datasetId: ds.id, skus: ['A', 'B'], models: ['ets'] } });
        // Was: 201, jobsCreated 0 (no series, an empty plan, no enqueue to refuse it).
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().details).toEqual([{ path: 'datasetId', message: expect.stringContaining('it was deleted while the jobs were planned') }]);
      } finally {
        await app.close();
      }
      expect(writes.calls).toBe(1);
    });

    it('without datasetId, the newest dataset deleted in between answers 400 naming datasetId, not a 409 whose resend would queue for another dataset', async () => {
      const older = await dataset();
      const ds = await dataset();
      expect((await store.latestDataset())!.id).toBe(ds.id);
      const { app } = await racingApp(() => store.deleteDataset(ds.id));
      try {
        const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { skus: ['A'], models: ['ets'] } });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().details).toEqual([{ path: 'datasetId', message: expect.stringContaining(`it was deleted while the jobs were planned`) }]);
      } finally {
        await app.close();
      }
      for (const id of [ds.id, older.id]) expect((await store.listJobs({ datasetId: id, limit: 100 })).jobs.filter((j) => j.reason === 'manual_trigger')).toEqual([]);
    });
  });
});
