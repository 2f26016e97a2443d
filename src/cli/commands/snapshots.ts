import type { Command } from 'commander';
import { newestSnapshotRefusal, takeSnapshot } from '../../datasets/snapshots.js';
import { snapshotNameMax, type Snapshot, type SnapshotByName } from '../../datasets/planning-cycle-store.js';
import { snapshotNameProblem, snapshotNameTakenRefusal } from '../../datasets/snapshot-name.js';
import type { SnapshotRef } from '../../datasets/snapshot-ref.js';
import { snapshotOf, snapshotRefArgument } from '../snapshot-arg.js';
import { openStore } from '../../stores/open-store.js';
import type { Store } from '../../stores/store.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { findDataset } from './export.js';
import { addJsonOption, failureJson, printJson, startJson } from '../json-output.js';

/**
 * `skucast snapshots list DATASET`, `skucast snapshots name DATASET SNAPSHOT NAME|--clear` and
 * `skucast snapshots delete DATASET SNAPSHOT`: what GET, PATCH and DELETE /api/datasets/:id/snapshots[/:snapshotId]
 * do, on the store directly as `accuracy` and `export` are. A snapshot taken by mistake, or old ones
 * (about 9 MB each at 10,000 SKUs), can go, named or not; the newest is refused, as over HTTP
 * (newestSnapshotRefusal says why). Naming labels a snapshot kept: it takes no other. A name is
 * unique within its dataset (nameSnapshot). SNAPSHOT is an id or a name (snapshotRefArgument):
 * `skucast snapshots delete "Weekly sales" "S&OP Dec"`.
 */
interface JsonFlags extends DatabaseFlags {
  json?: boolean;
}

interface NameFlags extends JsonFlags {
  clear?: boolean;
}

/**
 * A snapshot given by name is looked up, then written by id in the store's own transaction: the
 * store checks there that it still holds the name (expectName), so a rename between the two never
 * lets `delete` or `name` act on a snapshot that no longer has the name typed.
 */
const byName = (ref: SnapshotRef): SnapshotByName | undefined => (typeof ref === 'string' ? { expectName: ref } : undefined);

/** The refusal when the store answers `missing` for a snapshot that was just found: gone, or (by name) renamed meanwhile. */
const gone = (ref: SnapshotRef, id: number, datasetId: string): string => (typeof ref === 'string'
  ? `snapshot ${id} of dataset '${datasetId}' is no longer named "${ref}" (renamed or deleted since it was looked up): nothing changed`
  : `no snapshot ${id} of dataset '${datasetId}'`);

/** The name to store (trimmed; null clears), or why it is refused: PATCH's checks, in the CLI's words. */
function nameToStore(name: string | undefined, clear: boolean | undefined): { name: string | null } | { refusal: string } {
  if (clear) return name === undefined ? { name: null } : { refusal: 'give a NAME or --clear, not both' };
  const trimmed = name?.trim() ?? '';
  const problem = snapshotNameProblem(trimmed);
  if (problem) return { refusal: trimmed === '' ? `${problem} (--clear removes one)` : problem };
  return { name: trimmed };
}

const listHint = (datasetId: string) => ` (skucast snapshots list ${datasetId})`;
const megabytes = (bytes: number) => (bytes >= 100_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} kB`);
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

async function withStore<T>(flags: DatabaseFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ ...storeConfigFrom(flags), existing: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function snapshotLine(s: Snapshot, newest: boolean): string {
  return `  ${String(s.id).padStart(6)}  ${when(s.createdAt)}  ${s.cause.padEnd(8)}  forecasts ${s.forecastStart ?? '--'} to ${s.forecastEnd ?? '--'}`
    + `  ${String(s.skuCount).padStart(7)} SKUs  ${megabytes(s.bytes).padStart(9)}${newest ? '  (newest: kept)' : ''}${s.name === null ? '' : `  "${s.name}"`}`;
}

export const snapshotsCommand: CliCommand = {
  name: 'snapshots',
  register(program: Command) {
    const snapshots = program.command('snapshots')
      .description("a dataset's snapshots of the forecasts shown: list them, delete one taken by mistake or old ones to reclaim space");

    const list = snapshots.command('list')
      .description('list the snapshots of a dataset, newest first (id, when, cause, forecast range, SKUs, bytes, name)')
      .argument('<dataset>', 'dataset id, name, or "latest"');
    addJsonOption(list);
    addDatabaseOptions(list).action(async (key: string, flags: JsonFlags) => {
      // Before the store opens: a database that is not there is answered in JSON too.
      const json = startJson(flags);
      return withStore(flags, async (store) => {
        const dataset = await findDataset(store, key);
        // As GET /api/datasets/:id/snapshots: a snapshot that is due is taken first (best effort).
        await takeSnapshot(store, dataset.id).catch(() => null);
        const all = await store.listSnapshots(dataset.id);
        if (json) {
          printJson({ snapshots: all });
          return;
        }
        const out = (text: string) => process.stdout.write(`${text}\n`);
        const total = all.reduce((sum, s) => sum + s.bytes, 0);
        out(`dataset ${dataset.id} (${dataset.name}): ${all.length} ${all.length === 1 ? 'snapshot' : 'snapshots'}, ${megabytes(total)} of forecasts`);
        all.forEach((s, i) => out(snapshotLine(s, i === 0)));
      });
    });

    const name = snapshots.command('name')
      .description('name a snapshot ("S&OP Dec") to find it again and score it later, or --clear its name; no other snapshot is taken')
      .argument('<dataset>', 'dataset id, name, or "latest"')
      .argument('<snapshot>', 'the snapshot: its id (skucast snapshots list DATASET), or its name (to rename it)', snapshotRefArgument)
      .argument('[name]', `the name, 1 to ${snapshotNameMax} characters (trimmed)`)
      .option('--clear', 'remove the snapshot\'s name');
    addJsonOption(name);
    addDatabaseOptions(name).action(async (key: string, ref: SnapshotRef, given: string | undefined, flags: NameFlags) => {
      const json = startJson(flags);
      const wanted = nameToStore(given, flags.clear);
      if ('refusal' in wanted) {
        // As PATCH's 400, which names `name`.
        if (json) printJson(failureJson(wanted.refusal, 'name'));
        process.stderr.write(`skucast: ${wanted.refusal}\n`);
        process.exitCode = 1;
        return;
      }
      return withStore(flags, async (store) => {
        const dataset = await findDataset(store, key);
        const { id } = await snapshotOf(store, dataset.id, ref, 'snapshotId', listHint(dataset.id));
        const snapshot = await store.nameSnapshot(dataset.id, id, wanted.name, byName(ref));
        if (snapshot !== 'missing' && 'taken' in snapshot) {
          // As PATCH's 409, which names `name`.
          const refusal = snapshotNameTakenRefusal(dataset.id, snapshot.taken);
          if (json) printJson({ ...failureJson(refusal, 'name', 'conflict_state'), snapshotIds: snapshot.taken.map((s) => s.id) });
          process.stderr.write(`skucast: ${refusal}\n`);
          process.exitCode = 1;
          return;
        }
        if (snapshot === 'missing') {
          const refusal = `${gone(ref, id, dataset.id)}${listHint(dataset.id)}`;
          if (json) printJson(failureJson(refusal, 'snapshotId', 'not_found'));
          process.stderr.write(`skucast: ${refusal}\n`);
          process.exitCode = 1;
          return;
        }
        if (json) {
          printJson({ snapshot });
          return;
        }
        process.stdout.write(snapshot.name === null
          ? `snapshot ${snapshot.id} of dataset ${dataset.id} has no name now\n`
          : `named snapshot ${snapshot.id} of dataset ${dataset.id} "${snapshot.name}"\n`);
      });
    });

    const remove = snapshots.command('delete')
      .description('delete a snapshot and its forecasts, named or not (not the newest, which carries the dataset\'s snapshot mark)')
      .argument('<dataset>', 'dataset id, name, or "latest"')
      .argument('<snapshot>', 'the snapshot: its id (skucast snapshots list DATASET), or its name', snapshotRefArgument);
    addJsonOption(remove);
    addDatabaseOptions(remove).action(async (key: string, ref: SnapshotRef, flags: JsonFlags) => {
      const json = startJson(flags);
      return withStore(flags, async (store) => {
        const dataset = await findDataset(store, key);
        const { id } = await snapshotOf(store, dataset.id, ref, 'snapshotId', listHint(dataset.id));
        const out = await store.deleteSnapshot(dataset.id, id, byName(ref));
        if (out.outcome === 'missing' || out.outcome === 'newest') {
          const refusal = out.outcome === 'missing' ? `${gone(ref, id, dataset.id)}${listHint(dataset.id)}` : newestSnapshotRefusal(dataset.id, id);
          // As DELETE /api/datasets/:id/snapshots/:snapshotId's 404 or 409, which name `snapshotId`.
          if (json) printJson(failureJson(refusal, 'snapshotId', out.outcome === 'missing' ? 'not_found' : 'conflict_state'));
          process.stderr.write(`skucast: ${refusal}\n`);
          process.exitCode = 1;
          return;
        }
        if (json) {
          printJson({ deleted: { id: out.id, bytes: out.bytes, name: out.name } });
          return;
        }
        const named = out.name === null ? '' : ` "${out.name}"`;
        process.stdout.write(`deleted snapshot ${out.id}${named} of dataset ${dataset.id} (${megabytes(out.bytes)} of forecasts)\n`);
      });
    });
  },
};
