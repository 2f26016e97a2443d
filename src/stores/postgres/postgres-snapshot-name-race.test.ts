import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../datasets/planning-cycle-store.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './postgres-store.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';
import { completedRun, holdDatasetRow, snapshotItems as items, snapshotOf, storeWithDataset } from './locking-fixture.js';

/**
 * Snapshot names racing on PostgreSQL, made deterministic (River review #6, #10): a third connection
 * holds the dataset's row, the store calls queue behind it in a known order (each seen waiting in
 * pg_locks before the next starts), and the holder lets go. The conformance suite's race case runs
 * free (and on SQLite cannot interleave at all); these cannot miss the window.
 */
const baseUrl = postgresTestUrl('PostgreSQL snapshot name races');

if (baseUrl) {
  describe('PostgreSQL snapshot name races', () => {
    const { cleanups } = postgresTestHarness(baseUrl);

    /** Two stores (two instances) on a schema with dataset 'd' and three snapshots, and a client holding the dataset's row. */
    async function setUp(prefix: string) {
      const { db, store } = await storeWithDataset(baseUrl!, cleanups, prefix);
      const other = await openPostgresStore(db.url);
      cleanups.push(() => other.close());
      const snapshots: Snapshot[] = [];
      for (let k = 0; k < 3; k++) snapshots.push((await store.saveSnapshot(snapshotOf(await completedRun(store, `b${k}`)), items))!);
      const { holder, waitFor } = await holdDatasetRow(baseUrl!, cleanups, db, 'snapshot-name-race-holder');
      return { store, other: other as Store, snapshots, holder, waitFor };
    }

    it('two instances naming two snapshots alike, both queued behind the dataset row: the first named, the second refused with its id', async () => {
      const { store, other, snapshots: [a, b], holder, waitFor } = await setUp('snapname_race');
      const first = store.nameSnapshot('d', a.id, 'S&OP Dec');
      await waitFor(1, 'the first naming waiting for the dataset row');
      const second = other.nameSnapshot('d', b.id, 's&op  DEC');
      await waitFor(2, 'the second naming waiting behind it');
      await holder.query('COMMIT');
      expect(await first).toMatchObject({ id: a.id, name: 'S&OP Dec' });
      expect(await second).toEqual({ taken: [{ id: a.id, name: 'S&OP Dec' }] });
      expect((await store.listSnapshots('d')).filter((s) => s.name !== null).map((s) => s.id)).toEqual([a.id]);
    });

    it('a delete by name queued behind a rename of that snapshot: refused as missing, the renamed snapshot kept', async () => {
      const { store, other, snapshots: [a], holder, waitFor } = await setUp('snapname_del');
      await holder.query('COMMIT');
      await store.nameSnapshot('d', a.id, 'S&OP Dec');
      // `skucast snapshots delete d "S&OP Dec"` has looked it up (a); a rename and the delete then queue behind a held row.
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM datasets WHERE id = 'd' FOR NO KEY UPDATE`);
      const rename = other.nameSnapshot('d', a.id, 'Keep me');
      await waitFor(1, 'the rename waiting for the dataset row');
      const remove = store.deleteSnapshot('d', a.id, { expectName: 'S&OP Dec' });
      await waitFor(2, 'the delete waiting behind it');
      await holder.query('COMMIT');
      expect(await rename).toMatchObject({ id: a.id, name: 'Keep me' });
      expect(await remove).toEqual({ outcome: 'missing' });
      expect((await store.getSnapshot('d', a.id))?.name).toBe('Keep me');
      expect((await store.snapshotItems(a.id)).map((i) => i.sku)).toEqual(['A']);
    });
  });
} else {
  describe.skip('PostgreSQL snapshot name races (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
