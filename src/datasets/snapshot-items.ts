import type { Store } from '../stores/store.js';
import type { Snapshot, SnapshotItemRow } from './planning-cycle-store.js';
import { SnapshotGoneError } from './snapshot-gone-error.js';

/**
 * A snapshot's items (of these SKUs, or all), read after the snapshot itself in another statement:
 * no items where the snapshot kept some may mean it was deleted in between, so that case alone
 * (one more small read) asks whether it still exists, and throws SnapshotGoneError if not.
 */
export async function snapshotItemsOf(store: Store, snapshot: Snapshot, skus?: string[]): Promise<SnapshotItemRow[]> {
  const rows = await store.snapshotItems(snapshot.id, skus);
  if (rows.length === 0 && snapshot.skuCount > 0 && !(await store.getSnapshot(snapshot.datasetId, snapshot.id))) {
    throw new SnapshotGoneError(snapshot.datasetId, snapshot.id);
  }
  return rows;
}
