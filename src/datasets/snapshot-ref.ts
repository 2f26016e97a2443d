import type { Store } from '../stores/store.js';
import type { Snapshot } from './planning-cycle-store.js';
import { snapshotsNamed } from './snapshot-name.js';

/**
 * A snapshot as a request or a command names it (`?snapshot=`, `--snapshot`, `skucast snapshots
 * delete|name DATASET SNAPSHOT`): its id, or its name. Digits are an id, always: a name of digits
 * alone is refused when naming (snapshotNameProblem), so every name given since can be looked up;
 * one stored before that ("2024") is found by its id, and a lookup of those digits that finds no
 * snapshot of that id says which snapshot bears them as a name.
 */
export type SnapshotRef = number | string;

/** Reads the text given: trimmed digits are an id (1 to the largest safe integer), anything else a name (trimmed). */
export function readSnapshotRef(text: string): { ref: SnapshotRef } | { refusal: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { refusal: `must be a snapshot id or name, not '${text}'` };
  if (!/^[0-9]+$/.test(trimmed)) return { ref: trimmed };
  const id = Number(trimmed);
  if (!Number.isSafeInteger(id) || id < 1) return { refusal: `must be a snapshot id from 1 to ${Number.MAX_SAFE_INTEGER} (digits are read as an id) or a name, not '${text}'` };
  return { ref: id };
}

export type SnapshotLookup =
  | { outcome: 'found'; snapshot: Snapshot }
  | { outcome: 'missing'; message: string }
  /** A name two snapshots hold (named before names were unique): `ids`, newest first. */
  | { outcome: 'ambiguous'; message: string; ids: number[] };

const quoted = (name: string) => `"${name}"`;

/**
 * The dataset's snapshot of that id, or the one that holds that name (compared by
 * snapshotNameKey: case, composition and runs of spaces aside). Another dataset's snapshot is
 * not found, by id or by name.
 */
export async function findSnapshot(store: Store, datasetId: string, ref: SnapshotRef): Promise<SnapshotLookup> {
  if (typeof ref === 'number') {
    const snapshot = await store.getSnapshot(datasetId, ref);
    if (snapshot) return { outcome: 'found', snapshot };
    // A name of digits stored before such names were refused: say which snapshot it is, by the id that finds it.
    const bearing = snapshotsNamed(named(await store.listSnapshots(datasetId)), String(ref));
    const hint = bearing.length === 0 ? ''
      : ` (snapshot ${bearing.map((s) => s.id).join(', ')} ${bearing.length === 1 ? 'is' : 'are'} named ${quoted(bearing[0].name)}: digits are read as an id, so give ${bearing.length === 1 ? 'its id' : 'one of those ids'})`;
    return { outcome: 'missing', message: `no snapshot ${ref} of dataset '${datasetId}'${hint}` };
  }
  const all = await store.listSnapshots(datasetId);
  const holders = snapshotsNamed(named(all), ref);
  if (holders.length === 0) return { outcome: 'missing', message: `no snapshot named ${quoted(ref)} of dataset '${datasetId}'` };
  if (holders.length > 1) {
    const ids = holders.map((s) => s.id);
    return { outcome: 'ambiguous', ids, message: `${holders.length} snapshots of dataset '${datasetId}' are named ${quoted(ref)} (${ids.join(', ')}): give the id` };
  }
  return { outcome: 'found', snapshot: all.find((s) => s.id === holders[0].id)! };
}

const named = (snapshots: Snapshot[]) => snapshots.flatMap((s) => (s.name === null ? [] : [{ id: s.id, name: s.name }]));
