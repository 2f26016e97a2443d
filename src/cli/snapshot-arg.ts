import { InvalidArgumentError } from 'commander';
import type { Snapshot } from '../datasets/planning-cycle-store.js';
import { findSnapshot, readSnapshotRef, type SnapshotRef } from '../datasets/snapshot-ref.js';
import type { Store } from '../stores/store.js';

/**
 * A snapshot as the commands take it (`--snapshot`, `skucast snapshots delete|name DATASET
 * SNAPSHOT`): its id or its name, read as `?snapshot=` reads it (readSnapshotRef: digits are an
 * id, always; a name is compared with letter case and runs of spaces aside).
 */
export function snapshotRefArgument(value: string): SnapshotRef {
  const read = readSnapshotRef(value);
  // commander quotes the value itself: "argument '0' is invalid. expected a snapshot id from 1 to ... or a name".
  if ('refusal' in read) throw new InvalidArgumentError(read.refusal.replace(/^must be/, 'expected').replace(/, not '[\s\S]*'$/, ''));
  return read.ref;
}

/** A refusal with the code and path the route answers it with (main.ts prints them under --json). */
export class SnapshotRefusal extends Error {
  override name = 'SnapshotRefusal';
  constructor(message: string, readonly answerPath: string, readonly answerCode: 'not_found' | 'conflict_state') {
    super(message);
  }
}

/**
 * The dataset's snapshot of that id or name, or a SnapshotRefusal: none so named (not_found), or
 * a name two snapshots hold, named before names were unique (conflict_state, their ids). `path`
 * is the parameter the route names (`snapshot` for ?snapshot=, `snapshotId` for the path's).
 */
export async function snapshotOf(store: Store, datasetId: string, ref: SnapshotRef, path: string, hint = ''): Promise<Snapshot> {
  const found = await findSnapshot(store, datasetId, ref);
  if (found.outcome === 'found') return found.snapshot;
  throw new SnapshotRefusal(`${found.message}${found.outcome === 'missing' ? hint : ''}`, path, found.outcome === 'missing' ? 'not_found' : 'conflict_state');
}
