import { expect, it } from 'vitest';
import { ActualsCheckStaleError } from '../../datasets/actuals-check-stale-error.js';
import { newJob, type StoreSuite } from './store-fixtures.js';
import { report, seed, series } from './store-planning-cycle-cases.js';

/**
 * appendActuals' `datasetSeen` (an append sent with its check's basedOn), the same on every store:
 * compared with the dataset's updated_at inside the write's transaction, so a write of the dataset
 * that lands after the merge read it (an edit, another append) refuses it whole; an append answers
 * the updatedAt its write gave the dataset.
 */
export function actualsBasedOnCases(suite: StoreSuite): void {
  it('appendActuals refuses an append whose datasetSeen is not the dataset\'s updatedAt (ActualsCheckStaleError naming basedOn), stores nothing, and applies one that is', async () => {
    const { store } = suite;
    await seed(store, 'pc-based');
    const append = (id: string, datasetSeen: number, values: number[]) => ({
      id, report, datasetReport: report, updated: [series('A', values)], added: [], revisions: [], periodsAdded: 1,
      historyEnd: '2024-05-01', datasetSeen,
    });
    const checked = (await store.getDataset('pc-based'))!.updatedAt;
    // A planner's edit of B touches the dataset after the check (and after the merge read A).
    const b = (await store.getSeries('pc-based', 'B'))!;
    await store.updateSeries('pc-based', [{ sku: 'B', edits: { 0: 9 }, volume: b.volume, demandClass: b.demandClass, seen: b.updatedAt }], null, null);
    const now = (await store.getDataset('pc-based'))!.updatedAt;
    expect(now).toBeGreaterThan(checked);
    const error = await store.appendActuals('pc-based', append('act-stale', checked, [1, 2, 3, 4, 5]), [newJob({ datasetId: 'pc-based', sku: 'A' })], { batchId: 'b-based-stale' })
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ActualsCheckStaleError);
    expect(error).toMatchObject({ path: 'basedOn', basedOn: checked, now });
    expect(await store.getSeries('pc-based', 'A')).toMatchObject({ original: [1, 2, 3, 4] });
    expect(await store.listActuals('pc-based')).toEqual([]);
    expect((await store.summary({ batchId: 'b-based-stale' })).total).toBe(0);
    expect((await store.getDataset('pc-based'))!.updatedAt).toBe(now);
    // Sent with the dataset's updatedAt as it is: applied.
    const out = await store.appendActuals('pc-based', append('act-based', now, [1, 2, 3, 4, 6]), null, null);
    expect(out.actuals.id).toBe('act-based');
    // The updatedAt this write gave the dataset, as getDataset reads it now.
    expect(out.datasetUpdatedAt).toBeGreaterThan(now);
    expect(out.datasetUpdatedAt).toBe((await store.getDataset('pc-based'))!.updatedAt);
    expect(await store.getSeries('pc-based', 'A')).toMatchObject({ original: [1, 2, 3, 4, 6] });
  });
}
