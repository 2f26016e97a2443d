import { expect, it } from 'vitest';
import type { DatasetSettings, ImportReport, NewDataset, NewSeries } from '../../datasets/dataset.js';
import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { SeriesChangedError } from '../../datasets/planning-cycle-store.js';
import type { Store } from '../../stores/store.js';
import { allJobs, newJob, t0, type StoreSuite } from './store-fixtures.js';

const settings: DatasetSettings = {
  horizon: 12, holdout: 6, models: ['ets', 'arima'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};

const report: ImportReport = {
  rows: 36, skus: 3, dateRange: { start: '2024-01-01', end: '2024-12-01' }, frequency: 'monthly', format: 'long',
  rejected: [{ line: 7, reason: 'sales is not a number' }], rejectedCount: 1, duplicates: 0, gaps: [], tooShort: [],
  warnings: ['one row rejected'],
};

function dataset(id: string, name = `Dataset ${id}`): NewDataset {
  return { id, name, frequency: 'monthly', settings, report };
}

const dates = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`);

function series(sku: string, values: number[], extra: Partial<NewSeries> = {}): NewSeries {
  return {
    sku, dates: dates.slice(0, values.length), original: values, edits: {}, length: values.length,
    volume: values.reduce((a, b) => a + b, 0), demandClass: 'smooth', ...extra,
  };
}

/** Series whose values test exact round trips: fractions, tiny, huge, negative, zero. */
const awkward = [0.1 + 0.2, 1e-12, 123456789.123456, -5, 0, 2 ** 53 - 1, 1 / 3, 7];

async function seedDataset(store: Store, id = 'ds-a') {
  return store.createDataset(
    dataset(id),
    [series('Widget-B', [5, 6, 7], { volume: 18 }), series('widget-a', awkward, { demandClass: 'erratic' }),
      series('Gadget', [1, 0, 0, 9], { volume: 10, demandClass: 'lumpy' })],
    ['Widget-B', 'widget-a', 'Gadget'].map((sku) => newJob({ datasetId: id, sku, reason: 'dataset_upload', priority: 3 })),
    { batchId: `upload-${id}` },
  );
}

/** Datasets, series, overrides and the dataset side of jobs. */
export function datasetCases(s: StoreSuite): void {
  it('createDataset stores the dataset, its series and its jobs; get/list/latest read them back', async () => {
    const { dataset: created, enqueue } = await seedDataset(s.store);
    expect(created).toEqual({ ...dataset('ds-a'), skuCount: 3, createdAt: t0, updatedAt: t0 });
    expect(enqueue).toMatchObject({ batchId: 'upload-ds-a', jobsCreated: 3 });
    expect((await allJobs(s.store, { datasetId: 'ds-a' })).map((j) => j.sku).sort()).toEqual(['Gadget', 'Widget-B', 'widget-a']);
    expect(await s.store.getDataset('ds-a')).toEqual(created);
    expect(await s.store.getDataset('nope')).toBeNull();

    s.clock.now += 1000;
    const second = await s.store.createDataset(dataset('ds-b'), [series('X', [1, 2])], null, null);
    expect(second.enqueue).toBeNull();
    expect((await s.store.latestDataset())!.id).toBe('ds-b');
    expect((await s.store.listDatasets()).map((d) => d.id).sort()).toEqual(['ds-a', 'ds-b']);
  });

  it('createDataset is all or nothing: a duplicate SKU leaves no dataset, no series, no jobs', async () => {
    const before = await s.store.summary();
    await expect(s.store.createDataset(
      dataset('ds-bad'),
      [series('A', [1, 2]), series('B', [3, 4]), series('A', [5, 6])],
      [newJob({ datasetId: 'ds-bad', sku: 'A' }), newJob({ datasetId: 'ds-bad', sku: 'B' })],
      { batchId: 'bad' },
    )).rejects.toThrow();
    expect(await s.store.getDataset('ds-bad')).toBeNull();
    expect(await s.store.getSeriesMany('ds-bad')).toEqual([]);
    expect(await allJobs(s.store, { datasetId: 'ds-bad' })).toEqual([]);
    expect((await s.store.summary()).total).toBe(before.total);
    expect(await s.store.latestDataset()).toBeNull();
  });

  it('createDataset refuses an id that exists and leaves the first one intact', async () => {
    await seedDataset(s.store);
    await expect(s.store.createDataset(dataset('ds-a', 'again'), [series('Z', [1])], null, null)).rejects.toThrow();
    expect((await s.store.getDataset('ds-a'))!.name).toBe('Dataset ds-a');
    expect(await s.store.getSeries('ds-a', 'Z')).toBeNull();
  });

  it('getSeries round-trips dates, values and edits exactly', async () => {
    await seedDataset(s.store);
    const got = await s.store.getSeries('ds-a', 'widget-a');
    expect(got).toEqual({
      datasetId: 'ds-a', sku: 'widget-a', attributes: {}, dates: dates.slice(0, awkward.length), original: awkward, edits: {},
      length: awkward.length, volume: awkward.reduce((a, b) => a + b, 0), demandClass: 'erratic', updatedAt: t0,
    });
    for (let i = 0; i < awkward.length; i++) expect(Object.is(got!.original[i], awkward[i])).toBe(true);
    expect(await s.store.getSeries('ds-a', 'WIDGET-A')).toBeNull(); // SKUs are case-sensitive identifiers
    const many = await s.store.getSeriesMany('ds-a', ['Gadget', 'widget-a', 'absent']);
    expect(many.map((x) => x.sku).sort()).toEqual(['Gadget', 'widget-a']);
    expect((await s.store.getSeriesMany('ds-a')).length).toBe(3);
  });

  it('attributes are stored per SKU and read back by getSeries(Many), listSkus and skuAttributes', async () => {
    const storeItem = { store: 'S1', item: 'I7', category: 'Käse & "Milch"', region: '' };
    await s.store.createDataset(dataset('ds-attr'), [
      series('S1 / I7', [1, 2, 3], { attributes: storeItem }),
      series('S2 / I7', [4, 5], { attributes: { store: 'S2', item: 'I7', category: 'dairy', region: 'north' } }),
      series('plain', [6, 7]),
    ], null, null);
    expect((await s.store.getSeries('ds-attr', 'S1 / I7'))!.attributes).toEqual(storeItem);
    expect((await s.store.getSeries('ds-attr', 'plain'))!.attributes).toEqual({});
    expect((await s.store.getSeriesMany('ds-attr')).map((x) => x.attributes.store ?? null)).toEqual(['S1', 'S2', null]);
    const page = await s.store.listSkus('ds-attr', { search: 's2', limit: 10, offset: 0 });
    expect(page.items.map((i) => i.attributes)).toEqual([{ store: 'S2', item: 'I7', category: 'dairy', region: 'north' }]);
    expect(await s.store.skuAttributes('ds-attr')).toEqual({
      'S1 / I7': storeItem, 'S2 / I7': { store: 'S2', item: 'I7', category: 'dairy', region: 'north' }, plain: {},
    });
    expect(await s.store.skuAttributes('nope')).toEqual({});
    // Attributes are strings: anything else refuses the whole dataset rather than storing a coerced value.
    await expect(s.store.createDataset(dataset('ds-attr-bad'), [
      series('A', [1, 2], { attributes: { store: 7 as unknown as string } }),
    ], null, null)).rejects.toThrow(/attributes\.store is not a string/);
    expect(await s.store.getDataset('ds-attr-bad')).toBeNull();
  });

  it('updateSeries replaces edits and enqueues in one transaction', async () => {
    await seedDataset(s.store);
    s.clock.now += 500;
    const result = await s.store.updateSeries(
      'ds-a',
      [{ sku: 'Gadget', edits: { 1: 2.5, 3: 4 }, volume: 16.5, demandClass: 'erratic' }],
      [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'manual_edit_data_cleaning', priority: 1 })],
      { batchId: 'edit-1' },
    );
    expect(result).toMatchObject({ jobsCreated: 1, jobsCancelled: 1 }); // the upload's pending job for it
    const gadget = await s.store.getSeries('ds-a', 'Gadget');
    expect(gadget).toMatchObject({ edits: { 1: 2.5, 3: 4 }, volume: 16.5, demandClass: 'erratic', original: [1, 0, 0, 9], updatedAt: t0 + 500 });
    expect(gadget!.edits[1]).toBe(2.5);

    await expect(s.store.updateSeries(
      'ds-a',
      [{ sku: 'Widget-B', edits: { 0: 100 }, volume: 113, demandClass: 'smooth' },
        { sku: 'no-such-sku', edits: {}, volume: 0, demandClass: 'smooth' }],
      [newJob({ datasetId: 'ds-a', sku: 'Widget-B' })],
      { batchId: 'edit-2' },
    )).rejects.toThrow();
    expect((await s.store.getSeries('ds-a', 'Widget-B'))!.edits).toEqual({});
    expect(await allJobs(s.store, { batchId: 'edit-2' })).toEqual([]);
    expect(await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: {}, volume: 10, demandClass: 'lumpy' }], null, null)).toBeNull();
    expect((await s.store.getSeries('ds-a', 'Gadget'))!.edits).toEqual({});
  });

  it('updateSeries supersedes every pending or running job of an edited SKU, whatever its model and method', async () => {
    await seedDataset(s.store);
    // as POST /api/jobs may queue them: models and a method the dataset's settings do not name
    await s.store.enqueue([
      newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'croston', method: 'random' }),
      newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'theta' }),
      newJob({ datasetId: 'ds-a', sku: 'Widget-B', modelId: 'theta' }),
    ], { batchId: 'api' });
    const running = (await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })).find((c) => c.job.modelId === 'croston');
    expect(running?.job.sku).toBe('Gadget'); // running when the edit comes
    s.clock.now += 10;
    const result = await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 0: 3 }, volume: 12, demandClass: 'lumpy' }],
      [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'manual_edit_data_cleaning' })], { batchId: 'edit' });
    expect(result).toMatchObject({ jobsCreated: 1, jobsCancelled: 3 });
    const gadget = await allJobs(s.store, { datasetId: 'ds-a', sku: 'Gadget' });
    expect(gadget.filter((j) => j.status === 'pending').map((j) => j.batchId)).toEqual(['edit']);
    expect(gadget.filter((j) => j.batchId !== 'edit').map((j) => [j.status, j.error]))
      .toEqual(Array(3).fill(['cancelled', "superseded: the SKU's series was edited after this job was queued"]));
    expect(await s.store.lost([running!])).toEqual([running!.jobId]);
    // another SKU's jobs are untouched; an edit that queues nothing still supersedes
    expect((await allJobs(s.store, { datasetId: 'ds-a', sku: 'Widget-B', status: ['pending', 'running'] })).length).toBe(2);
    expect(await s.store.updateSeries('ds-a', [{ sku: 'Widget-B', edits: {}, volume: 18, demandClass: 'smooth' }], null, null)).toBeNull();
    expect(await allJobs(s.store, { datasetId: 'ds-a', sku: 'Widget-B', status: ['pending', 'running'] })).toEqual([]);
  });

  it('updateSettings stores the settings with its jobs', async () => {
    await seedDataset(s.store);
    s.clock.now += 10;
    const next = { ...settings, horizon: 24, models: ['ets'] };
    const result = await s.store.updateSettings('ds-a', next,
      [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'settings_change', priority: 2, settings: { horizon: 24 } })],
      { batchId: 'settings-1' });
    expect(result).toMatchObject({ enqueue: { jobsCreated: 1 }, cancelled: 0 });
    expect(await s.store.getDataset('ds-a')).toMatchObject({ settings: next, updatedAt: t0 + 10 });
    await expect(s.store.updateSettings('nope', next, [newJob({ datasetId: 'nope' })], { batchId: 'x' })).rejects.toThrow();
    expect(await allJobs(s.store, { batchId: 'x' })).toEqual([]);
  });

  it('updateSettings with the updatedAt it planned from: a dataset written since refuses it (DatasetChangedError) and stores nothing', async () => {
    await seedDataset(s.store);
    const read = (await s.store.getDataset('ds-a'))!;
    // An edit lands between the settings change's read and its write, in the same millisecond.
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 1: 4 }, volume: 14, demandClass: 'smooth' }], null, null);
    const next = { ...settings, horizon: 24 };
    await expect(s.store.updateSettings('ds-a', next, [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'settings_change' })], { batchId: 'stale' }, { seen: read.updatedAt, cancelOpen: true }))
      .rejects.toThrow(DatasetChangedError);
    expect((await s.store.getDataset('ds-a'))!.settings).toEqual(settings);
    expect(await allJobs(s.store, { batchId: 'stale' })).toEqual([]);
    // The refused change cancelled nothing: the upload's jobs the edit left (Gadget's it superseded) are open still.
    expect((await allJobs(s.store, { datasetId: 'ds-a', status: ['pending', 'running'] })).map((j) => j.sku).sort()).toEqual(['Widget-B', 'widget-a']);
    // Planned again from the dataset as it is now, it is stored.
    const fresh = (await s.store.getDataset('ds-a'))!;
    await s.store.updateSettings('ds-a', next, [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'settings_change' })], { batchId: 'fresh' }, { seen: fresh.updatedAt, cancelOpen: true });
    expect((await s.store.getDataset('ds-a'))!.settings).toEqual(next);
    expect((await allJobs(s.store, { batchId: 'fresh' })).length).toBe(1);
    expect((await allJobs(s.store, { datasetId: 'ds-a', status: ['pending', 'running'] })).map((j) => j.batchId)).toEqual(['fresh']);
    await expect(s.store.updateSettings('nope', next, null, null, { seen: fresh.updatedAt })).rejects.not.toThrow(DatasetChangedError);
  });

  it('every write of a dataset raises its updatedAt, even two in one millisecond (the version updateSettings compares)', async () => {
    await seedDataset(s.store);
    const seen = [(await s.store.getDataset('ds-a'))!.updatedAt];
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 1: 4 }, volume: 14, demandClass: 'smooth' }], null, null);
    seen.push((await s.store.getDataset('ds-a'))!.updatedAt);
    await s.store.updateSettings('ds-a', { ...settings, horizon: 18 }, null, null);
    seen.push((await s.store.getDataset('ds-a'))!.updatedAt);
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: {}, volume: 10, demandClass: 'lumpy' }], null, null);
    seen.push((await s.store.getDataset('ds-a'))!.updatedAt);
    expect(seen).toEqual([t0, t0 + 1, t0 + 2, t0 + 3]);
  });

  it('updateSeries with the settings it planned with: settings changed since refuse it (DatasetChangedError) and store nothing', async () => {
    await seedDataset(s.store);
    const read = (await s.store.getDataset('ds-a'))!;
    await s.store.updateSettings('ds-a', { ...settings, horizon: 24 }, null, null);
    await expect(s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 1: 4 }, volume: 14, demandClass: 'smooth' }],
      [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'manual_edit_data_cleaning', priority: 1 })], { batchId: 'stale-edit' }, read.settings))
      .rejects.toThrow(DatasetChangedError);
    expect((await s.store.getSeries('ds-a', 'Gadget'))!.edits).toEqual({});
    expect(await allJobs(s.store, { batchId: 'stale-edit' })).toEqual([]);
    const fresh = (await s.store.getDataset('ds-a'))!;
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 1: 4 }, volume: 14, demandClass: 'smooth' }], null, null, fresh.settings);
    expect((await s.store.getSeries('ds-a', 'Gadget'))!.edits).toEqual({ 1: 4 });
  });

  it('updateSeries with the updatedAt each series was read at: a series written since refuses it (SeriesChangedError) and stores nothing', async () => {
    await seedDataset(s.store);
    const read = (await s.store.getSeries('ds-a', 'Gadget'))!;
    const other = (await s.store.getSeries('ds-a', 'Widget-B'))!;
    // Another edit of Gadget lands in between, in the same millisecond.
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 0: 2 }, volume: 11, demandClass: 'lumpy', seen: read.updatedAt }], null, null);
    await expect(s.store.updateSeries('ds-a', [
      { sku: 'Widget-B', edits: { 0: 1 }, volume: 14, demandClass: 'smooth', seen: other.updatedAt },
      { sku: 'Gadget', edits: { 1: 4 }, volume: 14, demandClass: 'smooth', seen: read.updatedAt },
    ], [newJob({ datasetId: 'ds-a', sku: 'Gadget', reason: 'manual_edit_data_cleaning', priority: 1 })], { batchId: 'stale-series' })).rejects.toThrow(SeriesChangedError);
    expect((await s.store.getSeries('ds-a', 'Gadget'))!.edits).toEqual({ 0: 2 });
    expect((await s.store.getSeries('ds-a', 'Widget-B'))!.edits).toEqual({});
    expect(await allJobs(s.store, { batchId: 'stale-series' })).toEqual([]);
    const now = (await s.store.getSeries('ds-a', 'Gadget'))!;
    expect(now.updatedAt).toBeGreaterThan(read.updatedAt);
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 0: 2, 1: 4 }, volume: 15, demandClass: 'smooth', seen: now.updatedAt }], null, null);
    expect((await s.store.getSeries('ds-a', 'Gadget'))!.edits).toEqual({ 0: 2, 1: 4 });
    // A SKU the dataset lacks is still that, not a change.
    await expect(s.store.updateSeries('ds-a', [{ sku: 'nope', edits: {}, volume: 0, demandClass: 'smooth', seen: 1 }], null, null)).rejects.not.toThrow(SeriesChangedError);
  });

  it('updateSeries planned before a change of runTimeoutS alone goes through: only what the plan depends on is compared', async () => {
    await seedDataset(s.store);
    const read = (await s.store.getDataset('ds-a'))!;
    await s.store.updateSettings('ds-a', { ...read.settings, runTimeoutS: 99 }, null, null);
    await s.store.updateSeries('ds-a', [{ sku: 'Gadget', edits: { 1: 4 }, volume: 14, demandClass: 'smooth' }], null, null, read.settings);
    expect((await s.store.getSeries('ds-a', 'Gadget'))!.edits).toEqual({ 1: 4 });
  });

  it('enqueueIfUnchanged enqueues jobs planned from settings and series still as read; refuses, enqueuing nothing, when either changed', async () => {
    await seedDataset(s.store);
    const dataset = (await s.store.getDataset('ds-a'))!;
    const readSeries = async () => Object.fromEntries((await s.store.getSeriesMany('ds-a', ['Gadget', 'Widget-B'])).map((r) => [r.sku, r.updatedAt]));
    const jobs = () => ['Gadget', 'Widget-B'].map((sku) => newJob({ datasetId: 'ds-a', sku }));
    const read = { settings: dataset.settings, series: await readSeries() };
    expect(await s.store.enqueueIfUnchanged('ds-a', jobs(), { batchId: 'as-read' }, read)).toMatchObject({ batchId: 'as-read', jobsCreated: 2, jobsCancelled: 2 });
    // The dataset's version is left as it was: jobs refuse no other write's compare-and-set.
    expect((await s.store.getDataset('ds-a'))!.updatedAt).toBe(dataset.updatedAt);
    // A series edited since (in the same millisecond): SeriesChangedError naming it, nothing enqueued.
    await s.store.updateSeries('ds-a', [{ sku: 'Widget-B', edits: { 0: 1 }, volume: 14, demandClass: 'smooth' }], null, null);
    await expect(s.store.enqueueIfUnchanged('ds-a', jobs(), { batchId: 'stale-series' }, read)).rejects.toThrow(SeriesChangedError);
    await expect(s.store.enqueueIfUnchanged('ds-a', jobs(), { batchId: 'stale-series' }, read)).rejects.toMatchObject({ sku: 'Widget-B' });
    // Settings a job depends on changed since: DatasetChangedError, nothing enqueued.
    const seriesNow = await readSeries();
    await s.store.updateSettings('ds-a', { ...settings, horizon: 24 }, null, null);
    await expect(s.store.enqueueIfUnchanged('ds-a', jobs(), { batchId: 'stale-settings' }, { settings: dataset.settings, series: seriesNow }))
      .rejects.toThrow(DatasetChangedError);
    for (const batchId of ['stale-series', 'stale-settings']) expect(await allJobs(s.store, { batchId })).toEqual([]);
    // Only what jobs depend on is compared: a change of runTimeoutS alone refuses nothing.
    const current = (await s.store.getDataset('ds-a'))!;
    await s.store.updateSettings('ds-a', { ...current.settings, runTimeoutS: 99 }, null, null);
    await s.store.enqueueIfUnchanged('ds-a', jobs(), { batchId: 'fresh' }, { settings: current.settings, series: seriesNow });
    expect((await allJobs(s.store, { batchId: 'fresh' })).length).toBe(2);
    // A dataset deleted since: refused as changed (the caller's next read finds it gone).
    await s.store.deleteDataset('ds-a');
    await expect(s.store.enqueueIfUnchanged('ds-a', jobs(), { batchId: 'deleted' }, { settings: current.settings, series: seriesNow }))
      .rejects.toThrow(DatasetChangedError);
    expect(await allJobs(s.store, { batchId: 'deleted' })).toEqual([]);
  });

  it('listSkus searches (case-insensitive substring), sorts and pages', async () => {
    await seedDataset(s.store);
    const all = await s.store.listSkus('ds-a', { limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.items[0]).toEqual({ datasetId: 'ds-a', sku: 'Gadget', attributes: {}, length: 4, volume: 10, demandClass: 'lumpy', updatedAt: t0 });
    const widgets = await s.store.listSkus('ds-a', { search: 'WIDGET', limit: 10, offset: 0 });
    expect(widgets.items.map((i) => i.sku).sort()).toEqual(['Widget-B', 'widget-a']);
    expect(widgets.total).toBe(2);
    const byVolume = await s.store.listSkus('ds-a', { sort: 'volume', order: 'desc', limit: 2, offset: 0 });
    expect(byVolume.total).toBe(3);
    expect(byVolume.items.map((i) => i.sku)).toEqual(['widget-a', 'Widget-B']);
    const page2 = await s.store.listSkus('ds-a', { sort: 'volume', order: 'desc', limit: 2, offset: 2 });
    expect(page2.items.map((i) => i.sku)).toEqual(['Gadget']);
    const byLength = await s.store.listSkus('ds-a', { sort: 'length', order: 'asc', limit: 10, offset: 0 });
    expect(byLength.items.map((i) => i.length)).toEqual([3, 4, 8]);
    expect((await s.store.listSkus('ds-a', { search: 'zzz', limit: 10, offset: 0 }))).toEqual({ total: 0, items: [] });
  });

  it('listSkus search folds case beyond ASCII, and finds what it is given literally', async () => {
    const names = ['Ünïcødé ☃ 日本', 'ÉCLAIR 50%', 'éclair_mini', 'Straße', 'plain'];
    await s.store.createDataset(dataset('ds-u'), names.map((sku) => series(sku, [1, 2, 3])), null, null);
    const found = async (search: string) => (await s.store.listSkus('ds-u', { search, limit: 10, offset: 0 })).items.map((i) => i.sku).sort();
    expect(await found('ün')).toEqual(['Ünïcødé ☃ 日本']);
    expect(await found('ÜNÏCØDÉ')).toEqual(['Ünïcødé ☃ 日本']);
    expect(await found('☃ 日本')).toEqual(['Ünïcødé ☃ 日本']);
    expect(await found('Éclair')).toEqual(['ÉCLAIR 50%', 'éclair_mini']);
    expect(await found('STRASSE')).toEqual([]); // lower-casing, not full case folding
    expect(await found('straße')).toEqual(['Straße']);
    // % and _ are characters here, not LIKE's wildcards
    expect(await found('50%')).toEqual(['ÉCLAIR 50%']);
    expect(await found('_')).toEqual(['éclair_mini']);
  });

  it('missingSkus names the SKUs the dataset lacks', async () => {
    await seedDataset(s.store);
    expect(await s.store.missingSkus('ds-a', ['Gadget', 'nope-2', 'widget-a', 'nope-1'])).toEqual(['nope-2', 'nope-1']);
    expect(await s.store.missingSkus('ds-a', [])).toEqual([]);
    expect(await s.store.missingSkus('other', ['Gadget'])).toEqual(['Gadget']);
  });

  it('overrides: set, replace, clear', async () => {
    await seedDataset(s.store);
    await s.store.setOverride('ds-a', 'Gadget', 'arima');
    await s.store.setOverride('ds-a', 'widget-a', 'ets');
    await s.store.setOverride('ds-a', 'Gadget', 'croston');
    expect(await s.store.getOverrides('ds-a')).toEqual({ Gadget: 'croston', 'widget-a': 'ets' });
    await s.store.setOverride('ds-a', 'widget-a', null);
    expect(await s.store.getOverrides('ds-a')).toEqual({ Gadget: 'croston' });
    expect(await s.store.getOverrides('other')).toEqual({});
  });

  it('latestResults returns the newest completed job per (sku, model), with its result', async () => {
    await seedDataset(s.store);
    await s.store.createDataset(dataset('ds-z'), [series('Gadget', [1])], [newJob({ datasetId: 'ds-z', sku: 'Gadget' })], { batchId: 'z' });
    const runAll = async (tag: string) => {
      for (;;) {
        const claimed = await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 1000 });
        if (claimed.length === 0) return;
        for (const c of claimed) await s.store.complete(c, { tag, sku: c.job.sku, model: c.job.modelId });
      }
    };
    await runAll('first');
    s.clock.now += 100;
    const rerun = await s.store.enqueue(
      [newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'ets' }), newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'arima' })],
      { batchId: 'rerun' },
    );
    await runAll('second');
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'ets' })], { batchId: 'pending' });

    const latest = await s.store.latestResults('ds-a');
    const key = (r: { sku: string; modelId: string }) => `${r.sku}/${r.modelId}`;
    expect(latest.map(key).sort()).toEqual(['Gadget/arima', 'Gadget/ets', 'Widget-B/ets', 'widget-a/ets']);
    const gadgetEts = latest.find((r) => key(r) === 'Gadget/ets')!;
    expect(gadgetEts).toEqual({
      sku: 'Gadget', modelId: 'ets', method: 'grid', jobId: rerun.firstId, finishedAt: t0 + 100,
      result: { tag: 'second', sku: 'Gadget', model: 'ets' },
    });
    expect(latest.find((r) => key(r) === 'Widget-B/ets')!.result).toEqual({ tag: 'first', sku: 'Widget-B', model: 'ets' });
    const some = await s.store.latestResults('ds-a', ['Gadget']);
    expect(some.map(key).sort()).toEqual(['Gadget/arima', 'Gadget/ets']);
    expect(await s.store.latestResults('ds-a', [])).toEqual([]);
    expect((await s.store.latestResults('ds-z')).map((r) => r.result)).toEqual([{ tag: 'first', sku: 'Gadget', model: 'ets' }]);
  });

  it('workInputs: per (sku, model) the newest completed job, the newest failed one and every pending or running one, by input hash, with its frozen settings', async () => {
    await seedDataset(s.store); // Widget-B, widget-a, Gadget x ets, no hash
    await s.store.createDataset(dataset('ds-z'), [series('Gadget', [1])], [newJob({ datasetId: 'ds-z', sku: 'Gadget', inputHash: 'z1' })], { batchId: 'z' });
    const runAll = async () => {
      for (;;) {
        const claimed = await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 1000 });
        if (claimed.length === 0) return;
        for (const c of claimed) await s.store.complete(c, { sku: c.job.sku });
      }
    };
    await runAll();
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'ets', inputHash: 'g2' })], { batchId: 'second' });
    await runAll();
    // Open again: Gadget/ets (another method) and Widget-B/arima running, Widget-B/ets pending;
    // widget-a/arima failed (not a result, told apart).
    await s.store.enqueue([
      newJob({ datasetId: 'ds-a', sku: 'Gadget', modelId: 'ets', method: 'mle', inputHash: 'g3' }),
      newJob({ datasetId: 'ds-a', sku: 'Widget-B', modelId: 'arima', inputHash: 'w1' }),
      newJob({ datasetId: 'ds-a', sku: 'widget-a', modelId: 'arima', inputHash: 'a1', maxAttempts: 1 }),
    ], { batchId: 'third' });
    const claimed = await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 1000 });
    expect(claimed).toHaveLength(3);
    await s.store.fail(claimed.find((c) => c.job.sku === 'widget-a')!, 'boom');
    s.clock.now += 50;
    const fourth = await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'Widget-B', modelId: 'ets', inputHash: 'w2', settings: { horizon: 6, intervalLevels: [80] } })], { batchId: 'fourth' });

    const row = (w: { sku: string; modelId: string; method: string; status: string; inputHash: string | null }) => `${w.sku}/${w.modelId}/${w.method}/${w.status}/${w.inputHash}`;
    expect((await s.store.workInputs('ds-a')).map(row).sort()).toEqual([
      'Gadget/ets/grid/completed/g2', 'Gadget/ets/mle/running/g3', 'Widget-B/arima/grid/running/w1',
      'Widget-B/ets/grid/completed/null', 'Widget-B/ets/grid/pending/w2', 'widget-a/ets/grid/completed/null', 'widget-a/arima/grid/failed/a1',
    ].sort());
    // A job without a hash is compared by its frozen settings and when it was created.
    expect((await s.store.workInputs('ds-a')).find((w) => w.inputHash === 'w2')).toMatchObject({
      jobId: fourth.firstId, settings: { horizon: 6, intervalLevels: [80] }, createdAt: t0 + 50,
    });
    expect((await s.store.workInputs('ds-z')).map(row)).toEqual(['Gadget/ets/grid/completed/z1']);
    expect(await s.store.workInputs('no-such-dataset')).toEqual([]);
    // Failures per method: a newer failure under another method does not hide the older one.
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'widget-a', modelId: 'arima', method: 'mle', inputHash: 'a9', maxAttempts: 1 })], { batchId: 'fifth' });
    const mle = (await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 1000 })).find((c) => c.job.method === 'mle')!;
    await s.store.fail(mle, 'boom');
    expect((await s.store.workInputs('ds-a')).filter((w) => w.sku === 'widget-a' && w.status === 'failed').map(row).sort())
      .toEqual(['widget-a/arima/grid/failed/a1', 'widget-a/arima/mle/failed/a9']);
  });

  it('jobFates: for the SKUs named, the newest job per (sku, model, method) whatever its status, cancelled too, and every open one; nothing for others', async () => {
    await seedDataset(s.store); // Widget-B, widget-a, Gadget x ets, no hash
    await s.store.cancel({ datasetId: 'ds-a', status: ['pending', 'running'] });
    await s.store.enqueue([
      newJob({ datasetId: 'ds-a', sku: 'widget-a', modelId: 'ets', inputHash: 'a1', maxAttempts: 1 }),
      newJob({ datasetId: 'ds-a', sku: 'Widget-B', modelId: 'ets', inputHash: 'w0', maxAttempts: 1 }),
    ], { batchId: 'first' });
    for (const c of await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 1000 })) await s.store.fail(c, 'boom');
    // widget-a/ets: failed at a1, then a newer job at a2, cancelled.
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'widget-a', modelId: 'ets', inputHash: 'a2' })], { batchId: 'second' });
    await s.store.cancel({ datasetId: 'ds-a', sku: 'widget-a', status: ['pending', 'running'] });
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'Widget-B', modelId: 'arima', inputHash: 'w1' })], { batchId: 'third' });
    // Widget-B/ets: a newer job under another method, cancelled, does not hide the failure under grid.
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'Widget-B', modelId: 'ets', method: 'mle', inputHash: 'w2' })], { batchId: 'fourth' });
    await s.store.cancel({ batchId: 'fourth' });
    const row = (f: { sku: string; modelId: string; method: string; status: string; inputHash: string | null }) => `${f.sku}/${f.modelId}/${f.method}/${f.status}/${f.inputHash}`;
    const fates = (await s.store.jobFates('ds-a', ['widget-a', 'Widget-B'])).map(row);
    expect([...new Set(fates)].sort()).toEqual([
      'Widget-B/arima/grid/pending/w1', 'Widget-B/ets/grid/failed/w0', 'Widget-B/ets/mle/cancelled/w2', 'widget-a/ets/grid/cancelled/a2',
    ].sort());
    expect(fates.every((f) => !f.startsWith('Gadget/'))).toBe(true);
    expect(await s.store.jobFates('ds-a', [])).toEqual([]);
    expect(await s.store.jobFates('no-such-dataset', ['Gadget'])).toEqual([]);
  });

  it('prune keeps the newest completed job per (sku, model) of an existing dataset: it holds the forecast', async () => {
    await seedDataset(s.store);
    const runAll = async (tag: string) => {
      for (;;) {
        const claimed = await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 1000 });
        if (claimed.length === 0) return;
        for (const c of claimed) await s.store.complete(c, { tag });
      }
    };
    await runAll('first');
    await s.store.enqueue([newJob({ datasetId: 'ds-a', sku: 'Gadget' }), newJob({ datasetId: 'gone', sku: 'Gadget' })], { batchId: 'again' });
    await runAll('second');
    s.clock.now += 1000;
    // 3 of ds-a are the newest (kept), Gadget's first run is older (deleted), the job of a dataset that does not exist goes
    expect(await s.store.prune({ before: s.clock.now, statuses: ['completed'] })).toBe(2);
    const latest = await s.store.latestResults('ds-a');
    expect(latest.map((r) => `${r.sku}:${(r.result as { tag: string }).tag}`).sort())
      .toEqual(['Gadget:second', 'Widget-B:first', 'widget-a:first']);
    expect((await s.store.summary()).completed).toBe(3);
    await s.store.deleteDataset('ds-a');
    expect(await s.store.prune({ before: s.clock.now, statuses: ['completed'] })).toBe(3);
  });

  it('deleteDataset cancels its pending and running jobs and deletes its series and overrides', async () => {
    await seedDataset(s.store);
    await seedDataset(s.store, 'ds-keep');
    const claimed = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 10_000 });
    expect(claimed[0].job.datasetId).toBe('ds-a');
    await s.store.setOverride('ds-a', 'Gadget', 'ets');
    expect(await s.store.deleteDataset('ds-a')).toBe(true);
    expect(await s.store.getDataset('ds-a')).toBeNull();
    expect(await s.store.getSeriesMany('ds-a')).toEqual([]);
    expect(await s.store.getOverrides('ds-a')).toEqual({});
    const leftovers = await allJobs(s.store, { datasetId: 'ds-a' });
    expect(leftovers.map((j) => j.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await s.store.lost(claimed)).toEqual([claimed[0].jobId]);
    expect((await allJobs(s.store, { datasetId: 'ds-keep' })).every((j) => j.status === 'pending')).toBe(true);
    expect((await s.store.getSeriesMany('ds-keep')).length).toBe(3);
    expect(await s.store.deleteDataset('ds-a')).toBe(false);
  });

  it("requeue leaves the jobs of a deleted dataset (cancelled by the delete, or failed before it): there is nothing to run them on", async () => {
    await seedDataset(s.store);
    await seedDataset(s.store, 'ds-keep');
    const [failed] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 10_000 });
    expect(failed.job.datasetId).toBe('ds-a');
    await s.store.fail(failed, 'boom');
    await s.store.cancel({ datasetId: 'ds-keep', sku: 'Gadget' });
    await s.store.deleteDataset('ds-a');
    const gone = await allJobs(s.store, { datasetId: 'ds-a' });
    expect(gone.map((j) => j.status).sort()).toEqual(['cancelled', 'cancelled', 'failed']);
    const version = (await s.store.summary()).version;

    expect(await s.store.requeue({ ids: gone.map((j) => j.id) })).toBe(0);
    expect(await s.store.requeue({ datasetId: 'ds-a', status: ['failed', 'cancelled'] })).toBe(0);
    // A bulk retry over every dataset skips them and requeues the rest.
    expect(await s.store.requeue({ status: ['failed', 'cancelled'] })).toBe(1);
    expect((await allJobs(s.store, { datasetId: 'ds-a' })).map((j) => j.status).sort()).toEqual(['cancelled', 'cancelled', 'failed']);
    expect((await allJobs(s.store, { datasetId: 'ds-keep', sku: 'Gadget' })).map((j) => j.status)).toEqual(['pending']);
    expect((await s.store.summary()).version).toBeGreaterThan(version);
    expect(await s.store.claimable()).toBe(true);
    const claimed = await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 10_000 });
    expect(claimed.every((c) => c.job.datasetId === 'ds-keep')).toBe(true);
  });
}
