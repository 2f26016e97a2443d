import { expect, it } from 'vitest';
import type { Snapshot } from '../../datasets/planning-cycle-store.js';
import { encodeSnapshotValues } from '../../datasets/snapshot-values.js';
import type { Store } from '../../stores/store.js';
import { bareDataset, newJob, type StoreSuite } from './store-fixtures.js';

/**
 * nameSnapshot's uniqueness (datasets/planning-cycle-store.ts), the same on every store: a name is
 * unique within its dataset, compared by snapshotNameKey (letter case, composition and runs of
 * spaces aside), checked in the write's transaction.
 */
async function snapshotsOf(store: Store, datasetId: string, n: number): Promise<Snapshot[]> {
  await bareDataset(store, datasetId);
  const out: Snapshot[] = [];
  for (let k = 0; k < n; k++) {
    const { lastId } = await store.enqueue([newJob({ datasetId, sku: 'A' })], { batchId: `${datasetId}-${k}`, reuse: false });
    for (const c of await store.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })) await store.complete(c, { ok: true });
    const mean = [1, 2, 3];
    const saved = await store.saveSnapshot({
      datasetId, mark: lastId!, cause: 'manual', historyEnd: '2024-04-01', forecastStart: '2024-05-01', forecastEnd: '2024-07-01',
      skuCount: 1, skusWithForecast: 1, portfolio: { wape: 10, bias: 0 },
    }, [{ sku: 'A', modelId: 'ets', selectedBy: 'metric', error: 1, dates: ['2024-05-01', '2024-06-01', '2024-07-01'],
      values: encodeSnapshotValues({ mean, lower80: mean, upper80: mean, lower95: null, upper95: null }) }]);
    expect(saved).not.toBeNull();
    out.push(saved!);
  }
  return out;
}

const names = async (store: Store, datasetId: string) => (await store.listSnapshots(datasetId)).map((s) => [s.id, s.name]);

export function snapshotNameCases(suite: StoreSuite): void {
  it('nameSnapshot refuses a name another snapshot of the dataset holds ({taken}: its id and name), letter case, composition and runs of spaces aside, and changes nothing', async () => {
    const { store } = suite;
    const [a, b] = await snapshotsOf(store, 'sn-taken', 2);
    expect(await store.nameSnapshot('sn-taken', a.id, 'S&OP Dec')).toMatchObject({ id: a.id, name: 'S&OP Dec' });
    await store.nameSnapshot('sn-taken', b.id, 'Jan review');
    for (const same of ['S&OP Dec', 's&op dec', 'S&OP  DEC', 'S&OP\u00a0Dec']) {
      expect(await store.nameSnapshot('sn-taken', b.id, same), same).toEqual({ taken: [{ id: a.id, name: 'S&OP Dec' }] });
    }
    expect(await store.nameSnapshot('sn-taken', a.id, 'Caf\u00e9')).toMatchObject({ name: 'Caf\u00e9' });
    // "é" as "e" and a combining accent: the same name on screen.
    expect(await store.nameSnapshot('sn-taken', b.id, 'CAFE\u0301')).toEqual({ taken: [{ id: a.id, name: 'Caf\u00e9' }] });
    expect(await names(store, 'sn-taken')).toEqual([[b.id, 'Jan review'], [a.id, 'Caf\u00e9']]);
  });

  it('nameSnapshot lets a snapshot keep or respell its own name, takes a name freed by a rename, a clear or a delete, and a name another dataset uses', async () => {
    const { store } = suite;
    const [a, b, c] = await snapshotsOf(store, 'sn-free', 3);
    await store.nameSnapshot('sn-free', a.id, 'S&OP Dec');
    expect(await store.nameSnapshot('sn-free', a.id, 'S&OP Dec')).toMatchObject({ id: a.id, name: 'S&OP Dec' });
    expect(await store.nameSnapshot('sn-free', a.id, 'S&OP DEC')).toMatchObject({ id: a.id, name: 'S&OP DEC' });
    // Renamed: the old name is free.
    await store.nameSnapshot('sn-free', a.id, 'Nov');
    expect(await store.nameSnapshot('sn-free', b.id, 'S&OP Dec')).toMatchObject({ id: b.id, name: 'S&OP Dec' });
    // Cleared: free.
    await store.nameSnapshot('sn-free', b.id, null);
    expect(await store.nameSnapshot('sn-free', c.id, 'S&OP Dec')).toMatchObject({ id: c.id, name: 'S&OP Dec' });
    // Deleted with its snapshot: free (a is older than c, the newest).
    expect(await store.deleteSnapshot('sn-free', a.id)).toMatchObject({ outcome: 'deleted', name: 'Nov' });
    expect(await store.nameSnapshot('sn-free', b.id, 'nov')).toMatchObject({ id: b.id, name: 'nov' });
    // Another dataset's names are its own.
    const [other] = await snapshotsOf(store, 'sn-free-b', 1);
    expect(await store.nameSnapshot('sn-free-b', other.id, 'S&OP Dec')).toMatchObject({ id: other.id, name: 'S&OP Dec' });
    // A refused name of an unknown snapshot is still `missing`.
    expect(await store.nameSnapshot('sn-free', c.id + 1000, 'S&OP Dec')).toBe('missing');
  });

  it('deleteSnapshot and nameSnapshot given expectName (a snapshot found by that name) act only if it still holds it: a rename between the lookup and the write leaves it alone', async () => {
    const { store } = suite;
    const [a, b, c] = await snapshotsOf(store, 'sn-expect', 3);
    await store.nameSnapshot('sn-expect', a.id, 'S&OP Dec');
    // `skucast snapshots delete sn-expect "S&OP Dec"` found a; another planner renames it before the delete.
    await store.nameSnapshot('sn-expect', a.id, 'Keep me');
    expect(await store.deleteSnapshot('sn-expect', a.id, { expectName: 'S&OP Dec' })).toEqual({ outcome: 'missing' });
    expect(await store.nameSnapshot('sn-expect', a.id, 'Renamed', { expectName: 'S&OP Dec' })).toBe('missing');
    expect(await store.nameSnapshot('sn-expect', a.id, null, { expectName: 'S&OP Dec' })).toBe('missing');
    // Cleared, not renamed: no longer that name either.
    await store.nameSnapshot('sn-expect', b.id, 'Jan');
    await store.nameSnapshot('sn-expect', b.id, null);
    expect(await store.deleteSnapshot('sn-expect', b.id, { expectName: 'Jan' })).toEqual({ outcome: 'missing' });
    expect(await names(store, 'sn-expect')).toEqual([[c.id, null], [b.id, null], [a.id, 'Keep me']]);
    // Still holding it (compared as names are: case and runs of spaces aside): the write goes ahead.
    expect(await store.nameSnapshot('sn-expect', a.id, 'Dec final', { expectName: 'keep  ME' })).toMatchObject({ id: a.id, name: 'Dec final' });
    expect(await store.deleteSnapshot('sn-expect', a.id, { expectName: 'DEC FINAL' })).toMatchObject({ outcome: 'deleted', id: a.id, name: 'Dec final' });
    // An id lookup (no expectName) is as before.
    expect(await store.deleteSnapshot('sn-expect', b.id)).toMatchObject({ outcome: 'deleted', id: b.id, name: null });
  });

  /**
   * Which store this actually exercises: PostgreSQL only. better-sqlite3 runs each nameSnapshot to
   * completion (BEGIN IMMEDIATE to COMMIT, synchronously) as it is called, so on SQLite the two
   * never interleave and a check made outside the transaction would pass too; on PostgreSQL the
   * rounds run free, so they rarely hit the window. The deterministic race, both namings queued
   * behind a held dataset row, is postgres-snapshot-name-race.test.ts; on SQLite, BEGIN IMMEDIATE
   * serializes writers across processes, which the check inside ctx.write relies on.
   */
  it('two instances naming two snapshots of a dataset alike at once: one is named, the other refused with its id', async () => {
    const { store } = suite;
    const [a, b] = await snapshotsOf(store, 'sn-race', 2);
    const other = await suite.another();
    for (let round = 0; round < 5; round++) {
      const name = `S&OP ${round}`;
      const results = await Promise.all([store.nameSnapshot('sn-race', a.id, name), other.nameSnapshot('sn-race', b.id, name.toUpperCase())]);
      const named = results.filter((r) => r !== 'missing' && !('taken' in r));
      const refused = results.filter((r) => r !== 'missing' && 'taken' in r);
      expect(named, JSON.stringify(results)).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const winner = named[0] as Snapshot;
      expect(refused[0]).toEqual({ taken: [{ id: winner.id, name: winner.name }] });
      const held = (await store.listSnapshots('sn-race')).filter((s) => s.name !== null && s.name.toLowerCase() === name.toLowerCase());
      expect(held.map((s) => s.id)).toEqual([winner.id]);
      await store.nameSnapshot('sn-race', winner.id, null);
    }
  });
}
