import { expect, it } from 'vitest';
import type { DatasetSettings, ImportReport, NewSeries } from '../../datasets/dataset.js';
import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { SeriesChangedError, type NewSnapshot, type SnapshotItemRow } from '../../datasets/planning-cycle-store.js';
import { decodeSnapshotValues, encodeSnapshotValues } from '../../datasets/snapshot-values.js';
import type { Store } from '../../stores/store.js';
import { bareDataset, newJob, type StoreSuite } from './store-fixtures.js';

/** Actuals and snapshots (datasets/planning-cycle-store.ts), the same on every store. */
const settings: DatasetSettings = {
  horizon: 3, holdout: 2, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
export const report: ImportReport = {
  rows: 8, skus: 2, dateRange: { start: '2024-01-01', end: '2024-04-01' }, frequency: 'monthly', format: 'long',
  rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
};
const months = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `2024-${String(from + i + 1).padStart(2, '0')}-01`);
export const series = (sku: string, values: number[], from = 0): NewSeries => ({
  sku, dates: months(values.length, from), original: values, edits: {}, length: values.length,
  volume: values.reduce((a, b) => a + b, 0), demandClass: 'smooth',
});

export async function seed(store: Store, id: string) {
  return store.createDataset({ id, name: id, frequency: 'monthly', settings, report },
    [series('A', [1, 2, 3, 4]), series('B', [5, 6, 7, 8])],
    ['A', 'B'].map((sku) => newJob({ datasetId: id, sku, reason: 'dataset_upload' })), { batchId: `upload-${id}` });
}

async function completeAll(store: Store) {
  for (const c of await store.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 })) await store.complete(c, { ok: true });
}

function item(sku: string, mean: number[]): SnapshotItemRow {
  return {
    sku, modelId: 'ets', selectedBy: 'metric', error: 1.5, dates: months(mean.length, 4),
    values: encodeSnapshotValues({ mean, lower80: mean.map((m) => m - 1), upper80: mean.map((m) => m + 1), lower95: null, upper95: null }),
    // Recorded, so every delete below also takes status rows (042) with their snapshot.
    status: 'forecast',
  };
}

function snapshot(datasetId: string, mark: number): NewSnapshot {
  return {
    datasetId, mark, cause: 'import', historyEnd: '2024-04-01', forecastStart: '2024-05-01', forecastEnd: '2024-07-01',
    skuCount: 2, skusWithForecast: 2, portfolio: { wape: 12.5, bias: -1 },
  };
}

export function planningCycleCases(suite: StoreSuite): void {
  it('appendActuals replaces and adds series, audits revisions, records the mark before, and enqueues in one go', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-1');
    const markBefore = enqueue!.lastId!;
    const out = await store.appendActuals('pc-1', {
      id: 'act-1', report, datasetReport: { ...report, skus: 3, dateRange: { start: '2024-01-01', end: '2024-06-01' } },
      updated: [{ ...series('A', [1, 2, 9, 4, 5, 6]), edits: { 1: 2.5 } }],
      added: [series('C', [3, 3, 3, 3, 3, 3])],
      revisions: [{ sku: 'A', date: '2024-03-01', previous: 3, value: 9 }],
      periodsAdded: 8, historyEnd: '2024-06-01',
    }, ['A', 'C'].map((sku) => newJob({ datasetId: 'pc-1', sku, reason: 'dataset_upload' })), { batchId: 'actuals-1' });
    expect(out.enqueue).toMatchObject({ jobsCreated: 2 });
    expect(out.actuals).toMatchObject({ id: 'act-1', datasetId: 'pc-1', batchId: 'actuals-1', markBefore, skusChanged: 2, skusAdded: 1, valuesRevised: 1, periodsAdded: 8, historyEnd: '2024-06-01' });
    expect(await store.getSeries('pc-1', 'A')).toMatchObject({ original: [1, 2, 9, 4, 5, 6], length: 6, edits: { 1: 2.5 } });
    expect(await store.getSeries('pc-1', 'C')).toMatchObject({ original: [3, 3, 3, 3, 3, 3] });
    expect(await store.getDataset('pc-1')).toMatchObject({ skuCount: 3, report: { dateRange: { end: '2024-06-01' } } });
    expect((await store.listActuals('pc-1')).map((a) => a.id)).toEqual(['act-1']);
    expect((await store.actualsByBatch('actuals-1'))?.id).toBe('act-1');
    expect(await store.actualsByBatch('upload-pc-1')).toBeNull();
  });

  it('appendActuals refuses a series written since the merge read it (SeriesChangedError) and stores nothing', async () => {
    const { store } = suite;
    await seed(store, 'pc-seen');
    const read = (await store.getSeries('pc-seen', 'A'))!;
    const readB = (await store.getSeries('pc-seen', 'B'))!;
    const append = (id: string) => ({
      id, report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 5]), series('B', [5, 6, 7, 8, 9])],
      added: [series('C', [1, 1, 1, 1])], revisions: [], periodsAdded: 3, historyEnd: '2024-05-01',
      seen: { A: read.updatedAt, B: readB.updatedAt },
    });
    const stale = append('act-stale');
    stale.seen.A = read.updatedAt - 1; // as if a planner's edit had written A since
    await expect(store.appendActuals('pc-seen', stale, [newJob({ datasetId: 'pc-seen', sku: 'A' })], { batchId: 'b-stale' }))
      .rejects.toThrow(SeriesChangedError);
    expect(await store.getSeries('pc-seen', 'A')).toMatchObject({ original: [1, 2, 3, 4] });
    expect(await store.getSeries('pc-seen', 'B')).toMatchObject({ original: [5, 6, 7, 8] });
    expect(await store.getSeries('pc-seen', 'C')).toBeNull();
    expect(await store.listActuals('pc-seen')).toEqual([]);
    expect((await store.listJobs({ batchId: 'b-stale', limit: 10 })).jobs).toEqual([]);
    // As read: it goes through.
    const fresh = await store.appendActuals('pc-seen', append('act-fresh'), null, null);
    expect(fresh.actuals.id).toBe('act-fresh');
    expect(await store.getSeries('pc-seen', 'A')).toMatchObject({ original: [1, 2, 3, 4, 5] });
  });

  it('appendActuals refuses jobs planned with settings the dataset no longer has (DatasetChangedError) and stores nothing', async () => {
    const { store } = suite;
    await seed(store, 'pc-settings');
    const read = (await store.getDataset('pc-settings'))!;
    const append = (id: string, settingsSeen: typeof read.settings) => ({
      id, report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 5])], added: [], revisions: [], periodsAdded: 1,
      historyEnd: '2024-05-01', settingsSeen,
    });
    // A settings change lands between the merge's read and its write.
    await store.updateSettings('pc-settings', { ...read.settings, horizon: read.settings.horizon + 1 }, null, null);
    await expect(store.appendActuals('pc-settings', append('act-old-settings', read.settings), [newJob({ datasetId: 'pc-settings', sku: 'A' })], { batchId: 'b-old-settings' }))
      .rejects.toThrow(DatasetChangedError);
    expect(await store.getSeries('pc-settings', 'A')).toMatchObject({ original: [1, 2, 3, 4] });
    expect(await store.listActuals('pc-settings')).toEqual([]);
    expect((await store.listJobs({ batchId: 'b-old-settings', limit: 10 })).jobs).toEqual([]);
    const now = (await store.getDataset('pc-settings'))!;
    await store.appendActuals('pc-settings', append('act-new-settings', now.settings), null, null);
    expect(await store.getSeries('pc-settings', 'A')).toMatchObject({ original: [1, 2, 3, 4, 5] });
  });

  it('appendActuals writes each series\' provisional periods with its values; a refused append leaves them as they were', async () => {
    const { store } = suite;
    await seed(store, 'pc-prov');
    // The flag carries the value it was written with (it holds only while that value is stored).
    const may = (value: number) => ({ '2024-05-01': { from: '2024-05-01', to: '2024-05-10', value } });
    // May to date: written as provisional for A (an update) and for C (a new SKU).
    await store.appendActuals('pc-prov', {
      id: 'act-prov-1', report, datasetReport: { ...report, skus: 3 },
      updated: [{ ...series('A', [1, 2, 3, 4, 2]), provisional: may(2) }], added: [{ ...series('C', [1, 1, 1, 1, 1]), provisional: may(1) }],
      revisions: [], periodsAdded: 6, historyEnd: '2024-05-01', seen: { A: (await store.getSeries('pc-prov', 'A'))!.updatedAt },
    }, null, null);
    expect(await store.getSeries('pc-prov', 'A')).toMatchObject({ original: [1, 2, 3, 4, 2], provisional: may(2) });
    expect((await store.getSeriesMany('pc-prov', ['B', 'C'])).map((s) => [s.sku, s.provisional])).toEqual([['B', undefined], ['C', may(1)]]);
    // Refused (A written since it was read): neither A's settled May nor B's provisional one is stored.
    const a = (await store.getSeries('pc-prov', 'A'))!;
    const b = (await store.getSeries('pc-prov', 'B'))!;
    const settle = (id: string, seenA: number) => ({
      id, report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 9]), { ...series('B', [5, 6, 7, 8, 3]), provisional: may(3) }],
      added: [], revisions: [], periodsAdded: 1, historyEnd: '2024-05-01', seen: { A: seenA, B: b.updatedAt },
    });
    await expect(store.appendActuals('pc-prov', settle('act-prov-stale', a.updatedAt - 1), null, null)).rejects.toThrow(SeriesChangedError);
    expect(await store.getSeries('pc-prov', 'A')).toMatchObject({ original: [1, 2, 3, 4, 2], provisional: may(2) });
    expect((await store.getSeries('pc-prov', 'B'))!.provisional).toBeUndefined();
    // As read: A's May is complete now, B's provisional.
    await store.appendActuals('pc-prov', settle('act-prov-2', a.updatedAt), null, null);
    expect((await store.getSeries('pc-prov', 'A'))!.provisional).toBeUndefined();
    expect(await store.getSeries('pc-prov', 'B')).toMatchObject({ original: [5, 6, 7, 8, 3], provisional: may(3) });
  });

  it('a provisional flag holds only while its period\'s stored value is the one it was written with (a process older than 029 writes values without flags)', async () => {
    const { store } = suite;
    await seed(store, 'pc-stale');
    const a = (await store.getSeries('pc-stale', 'A'))!;
    // The flag of May to date (2) left beside the whole May (9), as an older process's write leaves it.
    await store.appendActuals('pc-stale', {
      id: 'act-stale-1', report, datasetReport: report, updated: [{ ...series('A', [1, 2, 3, 4, 9]), provisional: { '2024-05-01': { from: '2024-05-01', to: '2024-05-10', value: 2 } } }],
      added: [], revisions: [], periodsAdded: 1, historyEnd: '2024-05-01', seen: { A: a.updatedAt },
    }, null, null);
    const read = (await store.getSeries('pc-stale', 'A'))!;
    expect(read.original.at(-1)).toBe(9);
    expect(read.provisional).toBeUndefined();
    expect((await store.getSeriesMany('pc-stale', ['A']))[0].provisional).toBeUndefined();
  });

  it('appendActuals adding a SKU another append added since refuses with SeriesChangedError and stores nothing', async () => {
    const { store } = suite;
    await seed(store, 'pc-added');
    // Both merges read the dataset without C; the first to write adds it.
    const append = (id: string, values: number[]) => ({
      id, report, datasetReport: { ...report, skus: 3 }, updated: [], added: [series('C', values)], revisions: [], periodsAdded: values.length, historyEnd: null,
    });
    await store.appendActuals('pc-added', append('act-first', [1, 1]), null, null);
    await expect(store.appendActuals('pc-added', append('act-second', [2, 2]), [newJob({ datasetId: 'pc-added', sku: 'C' })], { batchId: 'b-second' }))
      .rejects.toThrow(SeriesChangedError);
    expect(await store.getSeries('pc-added', 'C')).toMatchObject({ original: [1, 1] });
    expect((await store.listActuals('pc-added')).map((a) => a.id)).toEqual(['act-first']);
    expect((await store.summary({ batchId: 'b-second' })).total).toBe(0);
  });

  it('appendActuals of other SKUs merged from the same read keeps both in the dataset\'s SKU count and date range', async () => {
    const { store } = suite;
    await seed(store, 'pc-both');
    // Two files of new SKUs, each merged before the other was written: each report says 3 SKUs.
    const append = (id: string, sku: string, n: number) => ({
      id, report, datasetReport: { ...report, skus: 3, dateRange: { start: '2024-01-01', end: months(n)[n - 1] } },
      updated: [], added: [series(sku, Array<number>(n).fill(1))], revisions: [], periodsAdded: n, historyEnd: months(n)[n - 1],
    });
    await store.appendActuals('pc-both', append('act-long', 'C', 8), null, null);
    const second = await store.appendActuals('pc-both', append('act-short', 'D', 6), null, null);
    expect(await store.getDataset('pc-both')).toMatchObject({ skuCount: 4, report: { skus: 4, dateRange: { start: '2024-01-01', end: '2024-08-01' } } });
    expect(second.actuals.historyEnd).toBe('2024-08-01');
  });

  it('appendActuals on a dataset deleted since the merge read it says so on every store (not SeriesChangedError, which sends the merge round again)', async () => {
    const { store } = suite;
    await seed(store, 'pc-gone');
    const read = (await store.getSeries('pc-gone', 'A'))!;
    await store.deleteDataset('pc-gone');
    const error = await store.appendActuals('pc-gone', {
      id: 'act-gone', report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 5])], added: [], revisions: [],
      periodsAdded: 1, historyEnd: '2024-05-01', seen: { A: read.updatedAt },
    }, null, null).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SeriesChangedError);
    expect(String(error)).toMatch(/no dataset pc-gone/);
  });

  it('appendActuals of a SKU the dataset lacks stores nothing', async () => {
    const { store } = suite;
    await seed(store, 'pc-2');
    await expect(store.appendActuals('pc-2', {
      id: 'act-2', report, datasetReport: report, updated: [series('Z', [1, 2, 3, 4, 5])], added: [series('C', [1, 1, 1, 1])],
      revisions: [], periodsAdded: 1, historyEnd: null,
    }, [newJob({ datasetId: 'pc-2', sku: 'C' })], { batchId: 'b-2' })).rejects.toThrow();
    expect(await store.getSeries('pc-2', 'C')).toBeNull();
    expect(await store.listActuals('pc-2')).toEqual([]);
    expect((await store.summary({ batchId: 'b-2' })).total).toBe(0);
  });

  it('keeps one snapshot per mark, only once no job of the dataset is open, with the values exactly', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-3');
    const mark = enqueue!.lastId!;
    expect(await store.datasetProgress('pc-3')).toMatchObject({ open: true, lastJobId: mark, lastJobReason: 'dataset_upload', lastBatchId: 'upload-pc-3', snapshotMark: null });
    expect(await store.saveSnapshot(snapshot('pc-3', mark), [item('A', [1, 2, 3])])).toBeNull();
    await completeAll(store);
    expect(await store.datasetProgress('pc-3')).toMatchObject({ open: false, lastJobId: mark });
    expect(await store.saveSnapshot(snapshot('pc-3', mark - 1), [])).toBeNull(); // not the newest job: the mark moved on
    const awkward = [0.1 + 0.2, 1 / 3, 123456789.123456];
    const saved = await store.saveSnapshot(snapshot('pc-3', mark), [item('B', awkward), item('A', [4, 5, 6])]);
    expect(saved).toMatchObject({ datasetId: 'pc-3', mark, cause: 'import', skuCount: 2, forecastStart: '2024-05-01', portfolio: { wape: 12.5, bias: -1 } });
    expect(saved!.bytes).toBeGreaterThan(2 * 3 * 5 * 8);
    expect(await store.saveSnapshot(snapshot('pc-3', mark), [item('A', [9, 9, 9])])).toBeNull();
    expect((await store.datasetProgress('pc-3')).snapshotMark).toBe(mark);
    const items = await store.snapshotItems(saved!.id);
    expect(items.map((i) => i.sku)).toEqual(['A', 'B']);
    const b = decodeSnapshotValues(items[1].values);
    expect(b.mean).toEqual(awkward);
    expect(b.upper80).toEqual(awkward.map((m) => m + 1));
    expect(b.lower95).toBeNull();
    expect(items[1]).toMatchObject({ modelId: 'ets', selectedBy: 'metric', error: 1.5, dates: months(3, 4) });
    expect((await store.snapshotItems(saved!.id, ['B'])).map((i) => i.sku)).toEqual(['B']);
    expect((await store.listSnapshots('pc-3')).map((s) => s.id)).toEqual([saved!.id]);
    expect(await store.getSnapshot('pc-3', saved!.id)).toEqual(saved);
    expect(await store.getSnapshot('other', saved!.id)).toBeNull();
  });

  it('keeps the status each item was taken with (inactive, failed: not readable from the values), null for an item saved without one', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-status');
    await completeAll(store);
    const none: SnapshotItemRow = { ...item('D', []), modelId: null, selectedBy: null, error: null, status: 'none' };
    const old: SnapshotItemRow = { ...item('E', [1, 2, 3]) };
    delete old.status; // as a process older than 042 saves it
    const saved = await store.saveSnapshot(snapshot('pc-status', enqueue!.lastId!), [
      { ...item('A', [1, 2, 3]), status: 'forecast' }, { ...item('B', [0, 0, 0]), status: 'inactive' },
      { ...item('C', []), modelId: null, selectedBy: null, error: null, status: 'failed' }, none, old,
    ]);
    expect(saved).not.toBeNull();
    expect((await store.snapshotItems(saved!.id)).map((i) => [i.sku, i.status])).toEqual([
      ['A', 'forecast'], ['B', 'inactive'], ['C', 'failed'], ['D', 'none'], ['E', null],
    ]);
    expect((await store.snapshotItems(saved!.id, ['B', 'E'])).map((i) => [i.sku, i.status])).toEqual([['B', 'inactive'], ['E', null]]);
  });

  it('appendActuals records a markBefore no lower than the marks of the snapshots already kept, though their jobs were pruned', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-pruned');
    const mark = enqueue!.lastId!;
    // The dataset's newest job (B's) fails; the snapshot keeps its id as the mark.
    for (const c of await store.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 })) {
      if (c.job.datasetId !== 'pc-pruned' || c.job.id !== mark) await store.complete(c, { ok: true });
      else await store.fail(c, 'boom');
    }
    const saved = await store.saveSnapshot(snapshot('pc-pruned', mark), [item('A', [1, 2, 3])]);
    expect(saved).not.toBeNull();
    // Retention prunes it a month later: the dataset's newest job is now an older one.
    await store.prune({ before: Date.now() + 60_000, statuses: ['failed'] });
    expect((await store.datasetProgress('pc-pruned')).lastJobId).toBeLessThan(mark);
    const { actuals } = await store.appendActuals('pc-pruned', {
      id: 'act-pruned', report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 5])], added: [], revisions: [], periodsAdded: 1, historyEnd: '2024-05-01',
    }, null, null);
    // The snapshot was made before these actuals: "how did we do" finds it by mark <= markBefore.
    expect(actuals.markBefore).toBeGreaterThanOrEqual(saved!.mark);
  });

  it('a retry of cancelled or failed jobs moves the mark (the job ids stay): a snapshot is due again once they settle, not while they are open', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-retry');
    const newest = enqueue!.lastId!;
    // A's job completes; B's (the newest) is cancelled: the queue is idle, the partial forecasts are kept.
    for (const c of await store.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 })) {
      if (c.job.datasetId === 'pc-retry' && c.job.id === newest) await store.release(c);
      else await store.complete(c, { ok: true });
    }
    expect(await store.cancel({ datasetId: 'pc-retry' })).toBe(1);
    const partial = await store.saveSnapshot(snapshot('pc-retry', newest), [item('A', [1, 2, 3])]);
    expect(partial).not.toBeNull();
    expect(await store.datasetProgress('pc-retry')).toMatchObject({ open: false, lastJobId: newest, mark: newest, snapshotMark: newest });

    expect(await store.requeue({ datasetId: 'pc-retry', status: ['cancelled'] })).toBe(1);
    const retried = await store.datasetProgress('pc-retry');
    expect(retried).toMatchObject({ open: true, lastJobId: newest, lastJobReason: 'dataset_upload', snapshotMark: newest });
    expect(retried.mark).toBeGreaterThan(newest);
    expect(await store.saveSnapshot(snapshot('pc-retry', retried.mark!), [item('A', [1, 2, 3])])).toBeNull(); // B is open again
    // B fails this time, and is retried once more on its own: the mark moves again.
    const b = (await store.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 })).find((c) => c.job.id === newest)!;
    await store.fail(b, 'boom');
    expect(await store.saveSnapshot(snapshot('pc-retry', newest), [item('A', [1, 2, 3])])).toBeNull(); // not the mark any more
    expect(await store.requeue({ ids: [newest], status: ['failed'] })).toBe(1);
    const again = await store.datasetProgress('pc-retry');
    expect(again.mark).toBeGreaterThan(retried.mark!);
    await completeAll(store);
    expect(await store.datasetProgress('pc-retry')).toMatchObject({ open: false, mark: again.mark });
    const complete = await store.saveSnapshot(snapshot('pc-retry', again.mark!), [item('A', [1, 2, 3]), item('B', [4, 5, 6])]);
    expect(complete).toMatchObject({ mark: again.mark, skuCount: 2 });
    expect(await store.saveSnapshot(snapshot('pc-retry', again.mark!), [])).toBeNull(); // once per mark
    expect((await store.datasetProgress('pc-retry')).snapshotMark).toBe(again.mark);
    // A requeue that changes nothing moves no mark; a job enqueued later still passes the retry's mark.
    expect(await store.requeue({ datasetId: 'pc-retry' })).toBe(0);
    expect((await store.datasetProgress('pc-retry')).mark).toBe(again.mark);
    const later = await store.enqueue([newJob({ datasetId: 'pc-retry', sku: 'A', reason: 'settings_change' })], { batchId: 'later-pc-retry' });
    expect(later.lastId!).toBeGreaterThan(again.mark!);
    expect((await store.datasetProgress('pc-retry')).mark).toBe(later.lastId);
    // Actuals appended now record a markBefore at least the retry's snapshot's.
    await completeAll(store);
    const { actuals } = await store.appendActuals('pc-retry', {
      id: 'act-retry', report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 5])], added: [], revisions: [], periodsAdded: 1, historyEnd: '2024-05-01',
    }, null, null);
    expect(actuals.markBefore).toBeGreaterThanOrEqual(complete!.mark);
  });

  it('a retry across datasets returns its count and draws one mark for it: each dataset with a requeued job takes it, a job of no dataset takes none', async () => {
    const { store } = suite;
    for (const id of ['pc-rq-a', 'pc-rq-b', 'pc-rq-c']) await bareDataset(store, id);
    await store.enqueue([
      ...[1, 2, 3].map((i) => newJob({ datasetId: 'pc-rq-a', sku: `A${i}` })),
      ...[1, 2].map((i) => newJob({ datasetId: 'pc-rq-b', sku: `B${i}` })),
      newJob({ datasetId: 'pc-rq-c', sku: 'C1' }),
      newJob({ datasetId: null, sku: 'pc-rq-loose' }),
    ], { batchId: 'pc-rq' });
    expect(await store.cancel({ batchId: 'pc-rq' })).toBe(7);
    const { jobs: listed } = await store.listJobs({ batchId: 'pc-rq', limit: 10 });
    const ids = listed.filter((j) => j.datasetId !== 'pc-rq-c').map((j) => j.id);
    const cBefore = await store.datasetProgress('pc-rq-c');
    const loose = listed.find((j) => j.datasetId === null)!.id;
    // a's and b's five jobs and the loose one; c's job stays cancelled and keeps its mark
    expect(await store.requeue({ ids, status: ['cancelled'] })).toBe(6);
    const [a, b, c] = await Promise.all(['pc-rq-a', 'pc-rq-b', 'pc-rq-c'].map((id) => store.datasetProgress(id)));
    expect(a.mark).toBeGreaterThan(Math.max(...listed.map((j) => j.id)));
    expect(b.mark).toBe(a.mark);
    expect(c.mark).toBe(cBefore.mark);
    // one value drawn for the retry: the next job takes the one after it
    const next = await store.enqueue([newJob({ datasetId: 'pc-rq-c', sku: 'C2' })], { batchId: 'pc-rq-next' });
    expect(next.firstId).toBe(a.mark! + 1);
    // a retry that requeues only a job of no dataset draws none
    expect(await store.cancel({ ids: [loose] })).toBe(1);
    expect(await store.requeue({ ids: [loose] })).toBe(1);
    const after = await store.enqueue([newJob({ datasetId: 'pc-rq-c', sku: 'C3' })], { batchId: 'pc-rq-after' });
    expect(after.firstId).toBe(next.firstId! + 1);
    expect((await store.datasetProgress('pc-rq-a')).mark).toBe(a.mark);
  });

  it('deleteDataset takes its snapshots and actuals with it', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-5');
    await completeAll(store);
    const saved = await store.saveSnapshot(snapshot('pc-5', enqueue!.lastId!), [item('A', [1, 2, 3])]);
    await store.appendActuals('pc-5', {
      id: 'act-5', report, datasetReport: report, updated: [series('A', [1, 2, 3, 4, 5])], added: [], revisions: [], periodsAdded: 1, historyEnd: '2024-05-01',
    }, null, null);
    expect(await store.deleteDataset('pc-5')).toBe(true);
    expect(await store.listSnapshots('pc-5')).toEqual([]);
    expect(await store.snapshotItems(saved!.id)).toEqual([]);
    expect(await store.listActuals('pc-5')).toEqual([]);
  });

  /** Two snapshots of the dataset, older first: one per run of its jobs. */
  async function twoSnapshots(store: Store, id: string) {
    const { enqueue } = await seed(store, id);
    await completeAll(store);
    const older = await store.saveSnapshot(snapshot(id, enqueue!.lastId!), [item('A', [1, 2, 3]), item('B', [4, 5, 6])]);
    const rerun = await store.enqueue([newJob({ datasetId: id, sku: 'A', reason: 'settings_change' })], { batchId: `rerun-${id}`, reuse: false });
    await completeAll(store);
    const newer = await store.saveSnapshot({ ...snapshot(id, rerun.lastId!), cause: 'settings' }, [item('A', [7, 8, 9])]);
    expect(older).not.toBeNull();
    expect(newer).not.toBeNull();
    return { older: older!, newer: newer! };
  }

  it('deleteSnapshot removes a snapshot and its items, and says how many bytes it held', async () => {
    const { store } = suite;
    const { older, newer } = await twoSnapshots(store, 'pc-del');
    expect(await store.deleteSnapshot('pc-del', older.id)).toEqual({ outcome: 'deleted', id: older.id, bytes: older.bytes, name: null });
    expect((await store.listSnapshots('pc-del')).map((s) => s.id)).toEqual([newer.id]);
    expect(await store.getSnapshot('pc-del', older.id)).toBeNull();
    expect(await store.snapshotItems(older.id)).toEqual([]);
    expect((await store.snapshotItems(newer.id)).map((i) => i.sku)).toEqual(['A']);
    // Gone: deleting it again changes nothing and says so.
    expect(await store.deleteSnapshot('pc-del', older.id)).toEqual({ outcome: 'missing' });
    expect((await store.datasetProgress('pc-del')).snapshotMark).toBe(newer.mark);
  });

  it('deleteSnapshot of an unknown id, or of another dataset\'s snapshot, changes nothing and says missing', async () => {
    const { store } = suite;
    const { older, newer } = await twoSnapshots(store, 'pc-del-a');
    await seed(store, 'pc-del-b');
    expect(await store.deleteSnapshot('pc-del-a', newer.id + 1000)).toEqual({ outcome: 'missing' });
    expect(await store.deleteSnapshot('pc-del-b', older.id)).toEqual({ outcome: 'missing' });
    expect(await store.deleteSnapshot('no-such-dataset', older.id)).toEqual({ outcome: 'missing' });
    expect((await store.listSnapshots('pc-del-a')).map((s) => s.id)).toEqual([newer.id, older.id]);
    expect((await store.snapshotItems(older.id)).map((i) => i.sku)).toEqual(['A', 'B']);
  });

  it('deleteSnapshot refuses the dataset\'s newest snapshot, which carries its snapshot mark, and changes nothing', async () => {
    const { store } = suite;
    const { older, newer } = await twoSnapshots(store, 'pc-del-new');
    expect(await store.deleteSnapshot('pc-del-new', newer.id)).toEqual({ outcome: 'newest' });
    expect((await store.listSnapshots('pc-del-new')).map((s) => s.id)).toEqual([newer.id, older.id]);
    expect((await store.snapshotItems(newer.id)).map((i) => i.sku)).toEqual(['A']);
    // Still kept: no snapshot is due, so the same forecasts are not taken again.
    expect((await store.datasetProgress('pc-del-new')).snapshotMark).toBe(newer.mark);
  });

  it('nameSnapshot names a kept snapshot (no other is taken), every read says it, null clears it, and deleteSnapshot answers the name', async () => {
    const { store } = suite;
    const { older, newer } = await twoSnapshots(store, 'pc-name');
    expect(older.name).toBeNull();
    const named = await store.nameSnapshot('pc-name', older.id, 'S&OP Dec');
    expect(named).toEqual({ ...older, name: 'S&OP Dec' });
    expect((await store.listSnapshots('pc-name')).map((s) => [s.id, s.name])).toEqual([[newer.id, null], [older.id, 'S&OP Dec']]);
    expect((await store.getSnapshot('pc-name', older.id))?.name).toBe('S&OP Dec');
    expect(await store.nameSnapshot('pc-name', older.id, 'S&OP December')).toMatchObject({ id: older.id, name: 'S&OP December' });
    expect(await store.nameSnapshot('pc-name', newer.id, 'x'.repeat(120))).toMatchObject({ id: newer.id, name: 'x'.repeat(120) });
    expect(await store.nameSnapshot('pc-name', newer.id, null)).toEqual({ ...newer, name: null });
    // Unknown ids and another dataset's snapshot: missing, and nothing named.
    await seed(store, 'pc-name-b');
    expect(await store.nameSnapshot('pc-name-b', older.id, 'theirs')).toBe('missing');
    expect(await store.nameSnapshot('pc-name', newer.id + 1000, 'none')).toBe('missing');
    expect(await store.nameSnapshot('no-such-dataset', older.id, 'none')).toBe('missing');
    expect((await store.listSnapshots('pc-name')).map((s) => s.name)).toEqual([null, 'S&OP December']);
    expect((await store.datasetProgress('pc-name')).snapshotMark).toBe(newer.mark);
    // A named snapshot is deleted as any other; the answer says which it was.
    expect(await store.deleteSnapshot('pc-name', older.id)).toEqual({ outcome: 'deleted', id: older.id, bytes: older.bytes, name: 'S&OP December' });
    expect(await store.nameSnapshot('pc-name', older.id, 'gone')).toBe('missing');
  });

  it('two instances racing to take the same snapshot store it once', async () => {
    const { store } = suite;
    const { enqueue } = await seed(store, 'pc-4');
    await completeAll(store);
    const other = await suite.another();
    const results = await Promise.all([
      store.saveSnapshot(snapshot('pc-4', enqueue!.lastId!), [item('A', [1, 2, 3])]),
      other.saveSnapshot(snapshot('pc-4', enqueue!.lastId!), [item('A', [1, 2, 3])]),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await store.listSnapshots('pc-4')).toHaveLength(1);
  });
}
