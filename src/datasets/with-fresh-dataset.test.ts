import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importTwoSkuDataset } from '../../tests/support/test-datasets.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../../tests/support/test-database.js';
import type { Store } from '../stores/store.js';
import { appendActuals } from './actuals.js';
import type { Dataset } from './dataset.js';
import { DatasetChangedError } from './dataset-changed-error.js';
import { DatasetGoneError } from './dataset-gone-error.js';
import { maxAttempts, withFreshDataset } from './with-fresh-dataset.js';
import { applyCleaningFile, changeSettings, editSeries } from './requeue-edits.js';

/**
 * Writes planned from a dataset that another write changed before they landed, through the real
 * verbs on a real SQLite file and, with DATABASE_URL, a PostgreSQL schema: the store refuses the
 * stale plan and the verb plans again from the dataset as it is now (was: a settings change planned
 * from series read before an edit stored jobs for the old values; an edit planned with the old
 * horizon after a settings change).
 */
describe.each(storeKinds('withFreshDataset'))('on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await createTestDatabase('fresh', kind);
    store = await db.open();
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await db.cleanup();
  });

  const dataset = () => importTwoSkuDataset(store);

  /** The store, with `before` run once just ahead of the first call of `method` (another request landing in between). */
  function interleaved<K extends 'updateSettings' | 'updateSeries' | 'appendActuals'>(method: K, before: () => Promise<unknown>): Store & { calls: number } {
    let calls = 0;
    const wrapped = Object.create(store) as Store & { calls: number };
    (wrapped as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      calls++;
      wrapped.calls = calls;
      if (calls === 1) await before();
      return (store[method] as (...a: unknown[]) => Promise<unknown>).apply(store, args);
    };
    return wrapped;
  }

  const openJobs = async (ds: Dataset, sku: string) =>
    (await store.listJobs({ datasetId: ds.id, sku, status: ['pending', 'running'], limit: 100 })).jobs;

  describe('withFreshDataset', () => {
    it('plans again after a deadlock PostgreSQL ended by rolling this write back (40P01), as after a refusal; other errors go through at once', async () => {
      const ds = await dataset();
      const seen: number[] = [];
      const out = await withFreshDataset(store, ds, 'settings', async (_now, attempt) => {
        seen.push(attempt);
        if (attempt === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        return 'stored';
      });
      expect(out).toBe('stored');
      expect(seen).toEqual([1, 2]);
      const other = Object.assign(new Error('unique violation'), { code: '23505' });
      await expect(withFreshDataset(store, ds, 'settings', async () => { throw other; })).rejects.toBe(other);
    });

    it('attempts that all end in a deadlock (40P01) end as DatasetChangedError saying so, not that another request wrote the dataset', async () => {
      const ds = await dataset();
      const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
      const all = await withFreshDataset(store, ds, 'skus', async () => { throw deadlock(); }).catch((e: unknown) => e as DatasetChangedError);
      expect(all).toBeInstanceOf(DatasetChangedError);
      expect(all).toMatchObject({ path: 'skus', attempts: maxAttempts });
      expect(all.message).toMatch(/deadlock/);
      expect(all.message).not.toMatch(/changed while/);
      expect(all.detail).toMatch(/each of 5 plans of this change was rolled back by the database to end a deadlock/);
      expect(all.detail).not.toMatch(/written by another request/);
      // Refusals and deadlocks mixed: each counted for what it was.
      const mixed = await withFreshDataset(store, ds, 'skus', async (_now, attempt) => {
        throw attempt % 2 === 0 ? deadlock() : new DatasetChangedError(ds.id, 'settings');
      }).catch((e: unknown) => e as DatasetChangedError);
      expect(mixed.message).toMatch(/changed while this change was planned/);
      expect(mixed.detail).toMatch(/of 5 plans of this change, 3 found the dataset written by another request first .* and 2 were rolled back/);
    });

    it('a dataset found deleted after a refusal ends as DatasetGoneError, on the last attempt too, not as changed (send it again)', async () => {
      const ds = await dataset();
      const attempts: number[] = [];
      const out = withFreshDataset(store, ds, 'skus', async (_now, attempt) => {
        attempts.push(attempt);
        if (attempt === maxAttempts) await store.deleteDataset(ds.id);
        throw new DatasetChangedError(ds.id, 'settings');
      });
      await expect(out).rejects.toBeInstanceOf(DatasetGoneError);
      expect(attempts).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('a write planned from a dataset changed since', () => {
    it('a settings change after an edit landed under it plans again: the edited SKU\'s jobs have the new horizon and no job the old values', async () => {
      const ds = await dataset();
      const series = (await store.getSeries(ds.id, 'A'))!;
      const racing = interleaved('updateSettings', () => editSeries(store, ds, series, { edits: [{ date: '2024-12-01', value: 999 }] }));
      const out = await changeSettings(racing, ds, { horizon: 6 });
      expect(racing.calls).toBe(2); // refused once, planned again
      expect(out.settings.horizon).toBe(6);
      const jobs = await openJobs(ds, 'A');
      // The edit's own jobs (horizon 12) were superseded by the settings change's, planned from the edited series.
      expect(jobs.map((j) => [j.modelId, j.settings.horizon]).sort()).toEqual([['ets', 6], ['naive', 6]]);
      expect(new Set(jobs.map((j) => j.reason))).toEqual(new Set(['settings_change']));
    });

    it('an edit after a settings change landed under it plans again: its jobs have the new horizon', async () => {
      const ds = await dataset();
      const series = (await store.getSeries(ds.id, 'B'))!;
      const racing = interleaved('updateSeries', () => changeSettings(store, ds, { horizon: 3 }));
      const out = await editSeries(racing, ds, series, { edits: [{ date: '2024-06-01', value: 5 }] });
      expect(racing.calls).toBe(2);
      expect(out.changed).toBe(true);
      const jobs = await openJobs(ds, 'B');
      expect(jobs.map((j) => [j.reason, j.settings.horizon])).toEqual([['manual_edit_data_cleaning', 3], ['manual_edit_data_cleaning', 3]]);
      expect((await store.getSeries(ds.id, 'B'))!.edits).toEqual({ 17: 5 });
    });

    it('an actuals append after a settings change landed under it merges again: its jobs have the new models', async () => {
      const ds = await dataset();
      const racing = interleaved('appendActuals', () => changeSettings(store, ds, { models: ['ets'] }));
      const out = await appendActuals(racing, ds, ['sku,month,units\nA,2025-01-01,140\nB,2025-01-01,190\n']);
      expect(racing.calls).toBe(2);
      expect(out.periodsAdded).toBe(2);
      for (const sku of ['A', 'B']) expect((await openJobs(ds, sku)).map((j) => [j.reason, j.modelId])).toEqual([['actuals_append', 'ets']]);
    });

    it('an actuals append PostgreSQL rolled back to end a deadlock (40P01) is merged and stored again, as after a refusal (was: the error, a 500)', async () => {
      const ds = await dataset();
      const racing = interleaved('appendActuals', async () => { throw Object.assign(new Error('deadlock detected'), { code: '40P01' }); });
      const out = await appendActuals(racing, ds, ['sku,month,units\nA,2025-01-01,140\n']);
      expect(out.periodsAdded).toBe(1);
      expect((await store.getSeries(ds.id, 'A'))!.dates.at(-1)).toBe('2025-01-01');
      expect(racing.calls).toBe(2);
    });

    it('two edits of one SKU planned from the same read both land: the second applies its dates again to the series the first left', async () => {
      const ds = await dataset();
      const read = (await store.getSeries(ds.id, 'A'))!;
      const racing = interleaved('updateSeries', () => editSeries(store, ds, read, { edits: [{ date: '2024-01-01', value: 1 }] }));
      const out = await editSeries(racing, ds, read, { edits: [{ date: '2024-02-01', value: 2 }] });
      expect(racing.calls).toBe(2);
      expect(out.changed).toBe(true);
      expect((await store.getSeries(ds.id, 'A'))!.edits).toEqual({ 12: 1, 13: 2 }); // was: { 13: 2 }, the first edit lost
      expect(out.series.cleaned[12]).toBe(1);
    });

    it('a cleaning file after an edit landed under it applies again: the edit is kept beside the file\'s values', async () => {
      const ds = await dataset();
      const read = (await store.getSeries(ds.id, 'B'))!;
      const racing = interleaved('updateSeries', () => editSeries(store, ds, read, { edits: [{ date: '2024-01-01', value: 7 }] }));
      const out = await applyCleaningFile(racing, ds, ['sku,date,value\nB,2024-03-01,3\n']);
      expect(racing.calls).toBe(2);
      expect(out.skusTouched).toBe(1);
      expect((await store.getSeries(ds.id, 'B'))!.edits).toEqual({ 12: 7, 14: 3 });
    });

    it('a method change refused once cancels the old method\'s jobs once, in its own transaction, and says how many', async () => {
      const ds = await dataset();
      await changeSettings(store, ds, { horizon: 6 }); // 4 open jobs (2 SKUs x 2 models), method grid
      const series = (await store.getSeries(ds.id, 'A'))!;
      const fresh = (await store.getDataset(ds.id))!;
      const racing = interleaved('updateSettings', () => editSeries(store, fresh, series, { edits: [{ date: '2024-12-01', value: 999 }] }));
      const out = await changeSettings(racing, fresh, { method: 'mle' });
      expect(racing.calls).toBe(2);
      // The settings change's 2 jobs of B and the edit's 2 of A, all of method grid.
      expect(out.jobsCancelled).toBe(4);
      const open = [...await openJobs(ds, 'A'), ...await openJobs(ds, 'B')];
      expect(open.map((j) => j.method)).toEqual(['mle', 'mle', 'mle', 'mle']);
    });

    it('writes that keep landing in between end as DatasetChangedError naming the setting, with nothing of the change stored', async () => {
      const ds = await dataset();
      const series = (await store.getSeries(ds.id, 'A'))!;
      let value = 500;
      const wrapped = Object.create(store) as Store;
      wrapped.updateSettings = async (...args: Parameters<Store['updateSettings']>) => {
        await editSeries(store, (await store.getDataset(ds.id))!, series, { edits: [{ date: '2024-12-01', value: value++ }] });
        return store.updateSettings(...args);
      };
      const error = await changeSettings(wrapped, ds, { horizon: 6 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetChangedError);
      expect(error).toMatchObject({ path: 'settings', attempts: 5 });
      expect((await store.getDataset(ds.id))!.settings.horizon).toBe(12);
      // Nothing of the change: no job with its horizon, and the edits' own jobs open still.
      const open = await openJobs(ds, 'A');
      expect(open.map((j) => j.settings.horizon)).toEqual([12, 12]);
    });

    it('a method change whose writes keep being refused cancels nothing', async () => {
      const ds = await dataset();
      await changeSettings(store, ds, { horizon: 6 });
      const series = (await store.getSeries(ds.id, 'A'))!;
      let value = 500;
      const wrapped = Object.create(store) as Store;
      wrapped.updateSettings = async (...args: Parameters<Store['updateSettings']>) => {
        await editSeries(store, (await store.getDataset(ds.id))!, (await store.getSeries(ds.id, 'A'))!, { edits: [{ date: '2024-12-01', value: value++ }] });
        return store.updateSettings(...args);
      };
      await expect(changeSettings(wrapped, (await store.getDataset(ds.id))!, { method: 'mle' })).rejects.toBeInstanceOf(DatasetChangedError);
      expect(series.sku).toBe('A');
      expect((await store.getDataset(ds.id))!.settings.method).toBe('grid');
      // B's jobs from the horizon change were never cancelled (was: cancelled on every attempt).
      expect((await openJobs(ds, 'B')).map((j) => j.method)).toEqual(['grid', 'grid']);
    });
  });
});
