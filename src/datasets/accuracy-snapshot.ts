import type { Store } from '../stores/store.js';
import { accuracyPages } from './accuracy.js';
import type { Dataset } from './dataset.js';
import type { ActualsRecord, Snapshot } from './planning-cycle-store.js';
import { SnapshotGoneError } from './snapshot-gone-error.js';
import { takeSnapshot } from './snapshots.js';

/**
 * The snapshot asked for, or the default: the newest made before the latest actuals that has a
 * point to score, else the newest made before them (else the newest). After an append of the month
 * to date alone, the newest snapshot before it forecast that month and nothing else has come: it
 * has nothing to score, and "How did we do" opened empty while the snapshot before it could be
 * scored on the last whole month.
 *
 * One snapshot is tried per actuals append, not every one: the snapshots made between two appends
 * (the import or an append's, then one per SKU edit, cleaning or settings change) forecast from one
 * history, so they score the same periods, and trying each read 3,000 SKUs' items 41 times (7.7 s,
 * the SQLite API blocked). Grouped by append, not by `historyEnd`: a SKU a file left out holds the
 * history end back (history-end.ts), so snapshots before and after July's actuals can share June's
 * end while the later one's other SKUs forecast from August and score nothing of July. The newest
 * of each group is tried (one with a forecast: a run whose jobs all failed has none), newest group
 * first, each stopping at its first point.
 *
 * The answer is kept per dataset state (the memo below), so the view's 5 s poll reads none again,
 * and requests that come while it is searched wait for that search rather than start their own.
 */
export async function accuracySnapshot(store: Store, dataset: Dataset, id?: number): Promise<{ snapshot: Snapshot | null; actuals: ActualsRecord | null }> {
  await takeSnapshot(store, dataset.id).catch(() => null);
  const appends = await store.listActuals(dataset.id); // newest first
  const latest = appends[0] ?? null;
  if (id !== undefined) return { snapshot: await store.getSnapshot(dataset.id, id), actuals: latest };
  const snapshots = await store.listSnapshots(dataset.id);
  const candidates = latest ? snapshots.filter((s) => s.mark <= latest.markBefore) : snapshots;
  // What it found holds while the series (the dataset's updatedAt), the actuals and the snapshots
  // are as they were.
  const key = JSON.stringify([dataset.id, dataset.updatedAt, latest?.id ?? null, candidates.map((s) => s.id)]);
  let memo = defaultSnapshots.get(store);
  if (!memo) defaultSnapshots.set(store, (memo = new Map()));
  let found = memo.get(key);
  if (found !== undefined) memo.delete(key); // most recently used last: the first key is the one evicted
  else {
    const searching = (found = search(store, dataset, candidates, appends));
    // A failed search is not kept: the next request tries again.
    const kept = memo;
    searching.catch(() => { if (kept.get(key) === searching) kept.delete(key); });
  }
  memo.set(key, found);
  // Bounded: the least recently used key goes first (a dataset since written to, or not viewed).
  if (memo.size > 256) memo.delete(memo.keys().next().value!);
  const chosen = await found;
  return { snapshot: candidates.find((s) => s.id === chosen) ?? candidates[0] ?? null, actuals: latest };
}

/** The default snapshot (its id) found, or being searched, for a dataset's state (accuracySnapshot's key), per store. */
const defaultSnapshots = new WeakMap<Store, Map<string, Promise<number | null>>>();

async function search(store: Store, dataset: Dataset, candidates: Snapshot[], appends: ActualsRecord[]): Promise<number | null> {
  const tried = new Set<string | null>();
  for (const snapshot of candidates) {
    if (snapshot.skusWithForecast === 0) continue;
    // The append this snapshot came after: the newest made before it (none: the import's history).
    const after = appends.find((a) => a.markBefore < snapshot.mark)?.id ?? null;
    if (tried.has(after)) continue;
    tried.add(after);
    if (await hasPoints(store, dataset, snapshot)) return snapshot.id;
  }
  return candidates[0]?.id ?? null;
}

async function hasPoints(store: Store, dataset: Dataset, snapshot: Snapshot): Promise<boolean> {
  try {
    for await (const page of accuracyPages(store, dataset, snapshot)) if (page.some((points) => points.length > 0)) return true;
  } catch (error) {
    // Deleted while searched: not a candidate, as if it had not been listed.
    if (error instanceof SnapshotGoneError) return false;
    throw error;
  }
  return false;
}
