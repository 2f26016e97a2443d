import { ActualsCheckStaleError } from '../../datasets/actuals-check-stale-error.js';
import { snapshotsNamed, stillNamed } from '../../datasets/snapshot-name.js';
import { datasetMark, datasetReportAfterActuals, historyEndAfterActuals, SeriesChangedError, type PlanningCycleStore } from '../../datasets/planning-cycle-store.js';
import type { ImportReport } from '../../datasets/dataset.js';
import type { EnqueueResult } from '../../queue/job.js';
import {
  actualsFromRow, snapshotBytes, snapshotFromRow, snapshotItemFromRow, snapshotItemsSql, snapshotNameDeleteSql, snapshotNamesOfDatasetSql, snapshotNameUpsertSql, snapshotsSql, type ActualsRow, type SnapshotItemDbRow, type SnapshotRow,
} from '../planning-cycle-rows.js';
import { attributesToText } from '../dataset-rows.js';
import { editsToText, numbersToText, provisionalToText, refuseChangedSettings } from './dataset-rows.js';
import { batchIdColumn } from './job-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { enqueueInTransaction, wakeAfterEnqueue } from './sqlite-enqueue.js';

/**
 * Actuals and snapshots on SQLite. appendActuals, saveSnapshot and deleteSnapshot run in one BEGIN
 * IMMEDIATE transaction each; the write lock makes saveSnapshot's checks (the mark is still the dataset's
 * mark, none of its jobs is open, no snapshot has this mark) and its insert one step.
 */
// INDEXED BY, as in job-dataset-open.sql: without statistics (before the first PRAGMA optimize
// that runs ANALYZE) the planner reads the open check through jobs_work and walks every job the
// dataset ever had (0.5 ms a call at 20,000 finished jobs, growing with them); jobs_dataset_open
// holds open jobs only.
export const progressSql = `SELECT
  EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_dataset_open
           WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId) AND status IN ('pending', 'running')) AS open,
  (SELECT max(id) FROM jobs WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId)) AS last_id,
  (SELECT mark FROM retry_marks WHERE dataset_id = :datasetId) AS retry_mark,
  (SELECT max(mark) FROM snapshots WHERE dataset_id = :datasetId) AS snapshot_mark`;

type ProgressRow = { open: number; last_id: number | null; retry_mark: number | null; snapshot_mark: number | null };

/** The dataset's mark (DatasetProgress.mark): its newest job id, or its latest retry's mark when higher. */
const markOf = (row: Pick<ProgressRow, 'last_id' | 'retry_mark'>): number | null => datasetMark(row.last_id, row.retry_mark);

/** deleteDataset's delete of the values a dataset's actuals overwrote, through actuals_revisions_dataset (migration 035; exported for the plan test). */
export const deleteActualsRevisionsSql = 'DELETE FROM actuals_revisions WHERE dataset_id = :datasetId';

/** deleteDataset's share: a deleted dataset's snapshots and actuals go with it (in its transaction). */
export function deletePlanningCycle(ctx: SqliteContext, datasetId: string): void {
  ctx.prepare('DELETE FROM snapshot_items WHERE snapshot_id IN (SELECT id FROM snapshots WHERE dataset_id = :datasetId)').run({ datasetId });
  ctx.prepare('DELETE FROM snapshots WHERE dataset_id = :datasetId').run({ datasetId });
  ctx.prepare('DELETE FROM retry_marks WHERE dataset_id = :datasetId').run({ datasetId });
  ctx.prepare(deleteActualsRevisionsSql).run({ datasetId });
  ctx.prepare('DELETE FROM actuals WHERE dataset_id = :datasetId').run({ datasetId });
}

export function sqlitePlanningCycle(ctx: SqliteContext): PlanningCycleStore {
  const actualsOf = (rows: unknown[]) => (rows as ActualsRow[]).map(actualsFromRow);

  return {
    async appendActuals(datasetId, append, jobs, enqueue) {
      const now = ctx.now();
      const out = ctx.write(() => {
        // The dataset first, as PostgreSQL locks its row first: deleted since the merge read it, the
        // append fails as such, not as a SKU changed (SeriesChangedError would send the merge again).
        const dataset = ctx.prepare('SELECT frequency, settings, updated_at FROM datasets WHERE id = :id').get({ id: datasetId }) as { frequency: string; settings: string; updated_at: number } | undefined;
        if (!dataset) throw new Error(`no dataset ${datasetId}`);
        // The check the append was sent with (basedOn): the dataset written since, refused, nothing stored.
        if (append.datasetSeen !== undefined && dataset.updated_at !== append.datasetSeen) throw new ActualsCheckStaleError(datasetId, append.datasetSeen, dataset.updated_at);
        refuseChangedSettings(datasetId, dataset, append.settingsSeen);
        // Never below a snapshot already kept: retention may have pruned the (failed, cancelled) job whose id is its mark.
        // And never below the dataset's mark: a retry's (retry_marks) is above its newest job id.
        const progress = ctx.prepare(progressSql).get({ datasetId }) as ProgressRow;
        const markBefore = Math.max(markOf(progress) ?? 0, progress.snapshot_mark ?? 0);
        const update = ctx.prepare(`UPDATE series SET dates = :dates, original = :original, edits = :edits, provisional = :provisional,
          length = :length, volume = :volume, demand_class = :demandClass, updated_at = max(:now, updated_at + 1)
          WHERE dataset_id = :datasetId AND sku = :sku AND (:seen IS NULL OR updated_at = :seen)`);
        const insert = ctx.stmt('series-insert');
        // A SKU another append added since the merge read the dataset: merged again with it, as a
        // stale update is (the insert would fail on the primary key instead).
        const exists = ctx.prepare('SELECT 1 FROM series WHERE dataset_id = :datasetId AND sku = :sku');
        for (const s of append.added) if (exists.get({ datasetId, sku: s.sku })) throw new SeriesChangedError(datasetId, s.sku);
        for (const [statement, list] of [[update, append.updated], [insert, append.added]] as const) {
          for (const s of list) {
            const changes = statement.run({
              datasetId, sku: s.sku, attributes: attributesToText(s.attributes, `series ${s.sku} attributes`), dates: JSON.stringify(s.dates),
              original: numbersToText(s.original, `series ${s.sku} original`), edits: editsToText(s.edits, `series ${s.sku} edits`),
              provisional: provisionalToText(s.provisional, `series ${s.sku} provisional`),
              length: s.length, volume: s.volume, demandClass: s.demandClass, now, seen: append.seen?.[s.sku] ?? null,
            }).changes;
            if (changes === 0 && statement === update && append.seen?.[s.sku] !== undefined) throw new SeriesChangedError(datasetId, s.sku);
            if (changes === 0) throw new Error(`dataset ${datasetId} has no SKU ${s.sku}`);
          }
        }
        const revise = ctx.prepare(`INSERT INTO actuals_revisions (actuals_id, dataset_id, sku, date, previous, value)
          VALUES (:actualsId, :datasetId, :sku, :date, :previous, :value)`);
        for (const r of append.revisions) revise.run({ actualsId: append.id, datasetId, ...r });
        const result: EnqueueResult | null = jobs && enqueue ? enqueueInTransaction(ctx, jobs, enqueue) : null;
        // The report as it is now, under the write lock: another append may have landed since the merge read it.
        const current = ctx.prepare('SELECT report, (SELECT count(*) FROM series WHERE dataset_id = :id) AS n FROM datasets WHERE id = :id')
          .get({ id: datasetId }) as { report: string; n: number } | undefined;
        if (!current) throw new Error(`no dataset ${datasetId}`);
        const datasetReport = datasetReportAfterActuals(JSON.parse(current.report) as ImportReport, append.datasetReport, current.n);
        ctx.prepare(`INSERT INTO actuals (id, dataset_id, batch_id, created_at, mark_before, skus_changed, skus_added,
            periods_added, values_revised, history_end, report)
          VALUES (:id, :datasetId, :batchId, :now, :markBefore, :skusChanged, :skusAdded, :periodsAdded, :valuesRevised, :historyEnd, :report)`).run({
          id: append.id, datasetId, batchId: result?.batchId ?? null, now, markBefore,
          skusChanged: append.updated.length + append.added.length, skusAdded: append.added.length, periodsAdded: append.periodsAdded,
          valuesRevised: append.revisions.length, historyEnd: historyEndAfterActuals(datasetReport, append.historyEnd), report: JSON.stringify(append.report),
        });
        ctx.prepare('UPDATE datasets SET report = :report, updated_at = max(:now, updated_at + 1), sku_count = :skuCount WHERE id = :id')
          .run({ id: datasetId, report: JSON.stringify(datasetReport), now, skuCount: datasetReport.skus });
        const row = ctx.prepare('SELECT * FROM actuals WHERE id = :id').get({ id: append.id }) as ActualsRow;
        const after = ctx.prepare('SELECT updated_at FROM datasets WHERE id = :id').get({ id: datasetId }) as { updated_at: number };
        return { actuals: actualsFromRow(row), enqueue: result, datasetUpdatedAt: after.updated_at };
      });
      wakeAfterEnqueue(ctx, out.enqueue);
      return out;
    },

    async listActuals(datasetId) {
      return actualsOf(ctx.prepare('SELECT * FROM actuals WHERE dataset_id = :datasetId ORDER BY seq DESC').all({ datasetId }));
    },

    async actualsByBatch(batchId) {
      return actualsOf(ctx.prepare('SELECT * FROM actuals WHERE batch_id = :batchId').all({ batchId }))[0] ?? null;
    },

    async datasetProgress(datasetId) {
      return ctx.read(() => {
        const row = ctx.prepare(progressSql).get({ datasetId }) as ProgressRow;
        const last = row.last_id === null ? undefined
          : ctx.prepare(`SELECT reason, ${batchIdColumn} FROM jobs WHERE id = :id`).get({ id: row.last_id }) as { reason: string; batch_id: string } | undefined;
        return {
          open: row.open === 1, lastJobId: row.last_id, mark: markOf(row), lastJobReason: last?.reason ?? null, lastBatchId: last?.batch_id || null,
          snapshotMark: row.snapshot_mark,
        };
      });
    },

    async saveSnapshot(snapshot, items) {
      const bytes = snapshotBytes(items);
      return ctx.write(() => {
        const now = ctx.prepare(progressSql).get({ datasetId: snapshot.datasetId }) as ProgressRow;
        if (now.open === 1 || markOf(now) !== snapshot.mark) return null;
        const inserted = ctx.prepare(`INSERT INTO snapshots (dataset_id, mark, cause, created_at, history_end, forecast_start, forecast_end,
            sku_count, skus_with_forecast, bytes, portfolio)
          VALUES (:datasetId, :mark, :cause, :now, :historyEnd, :forecastStart, :forecastEnd, :skuCount, :skusWithForecast, :bytes, :portfolio)
          ON CONFLICT (dataset_id, mark) DO NOTHING`).run({
          ...snapshot, now: ctx.now(), bytes, portfolio: JSON.stringify(snapshot.portfolio),
        });
        if (inserted.changes === 0) return null;
        const id = Number(inserted.lastInsertRowid);
        const insert = ctx.prepare(`INSERT INTO snapshot_items (snapshot_id, sku, model_id, selected_by, error, dates, vals)
          VALUES (:id, :sku, :modelId, :selectedBy, :error, :dates, :vals)`);
        const insertStatus = ctx.prepare('INSERT INTO snapshot_item_status (snapshot_id, sku, status) VALUES (:id, :sku, :status)');
        for (const item of items) {
          insert.run({
            id, sku: item.sku, modelId: item.modelId, selectedBy: item.selectedBy,
            error: item.error !== null && Number.isFinite(item.error) ? item.error : null,
            dates: JSON.stringify(item.dates), vals: Buffer.from(item.values.buffer, item.values.byteOffset, item.values.byteLength),
          });
          if (item.status) insertStatus.run({ id, sku: item.sku, status: item.status });
        }
        return snapshotFromRow(ctx.prepare('SELECT * FROM snapshots WHERE id = :id').get({ id }) as SnapshotRow<string>, JSON.parse);
      });
    },

    async listSnapshots(datasetId) {
      return (ctx.prepare(`${snapshotsSql} ORDER BY s.id DESC`).all({ datasetId }) as SnapshotRow<string>[])
        .map((r) => snapshotFromRow(r, JSON.parse));
    },

    async getSnapshot(datasetId, id) {
      const row = ctx.prepare(`${snapshotsSql} AND s.id = :id`).get({ datasetId, id }) as SnapshotRow<string> | undefined;
      return row ? snapshotFromRow(row, JSON.parse) : null;
    },

    async deleteSnapshot(datasetId, id, options) {
      return ctx.write(() => {
        // Read before the delete, whose foreign key takes it (045): the answer says which snapshot went.
        const named = ctx.prepare('SELECT name FROM snapshot_names WHERE snapshot_id = :id').get({ id }) as { name: string } | undefined;
        // In the write's transaction (BEGIN IMMEDIATE): no rename lands between this check and the delete.
        if (!stillNamed(named?.name, options?.expectName)) return { outcome: 'missing' };
        const gone = ctx.stmt('snapshot-delete').get({ datasetId, id }) as { id: number; bytes: number } | undefined;
        if (!gone) {
          const exists = ctx.prepare('SELECT 1 FROM snapshots WHERE dataset_id = :datasetId AND id = :id').get({ datasetId, id });
          return { outcome: exists ? 'newest' : 'missing' };
        }
        ctx.stmt('snapshot-delete-items').run({ id });
        return { outcome: 'deleted', id: gone.id, bytes: gone.bytes, name: named?.name ?? null };
      });
    },

    async nameSnapshot(datasetId, id, name, options) {
      return ctx.write(() => {
        const exists = ctx.prepare('SELECT 1 FROM snapshots WHERE dataset_id = :datasetId AND id = :id').get({ datasetId, id });
        if (!exists) return 'missing' as const;
        if (options?.expectName !== undefined) {
          const named = ctx.prepare('SELECT name FROM snapshot_names WHERE snapshot_id = :id').get({ id }) as { name: string } | undefined;
          if (!stillNamed(named?.name, options.expectName)) return 'missing' as const;
        }
        if (name === null) ctx.prepare(snapshotNameDeleteSql).run({ id });
        else {
          // In the write's transaction (BEGIN IMMEDIATE): no other naming lands between the check and the write.
          const taken = snapshotsNamed(ctx.prepare(snapshotNamesOfDatasetSql).all({ datasetId }) as Array<{ id: number; name: string }>, name, id);
          if (taken.length > 0) return { taken };
          ctx.prepare(snapshotNameUpsertSql).run({ id, name });
        }
        return snapshotFromRow(ctx.prepare(`${snapshotsSql} AND s.id = :id`).get({ datasetId, id }) as SnapshotRow<string>, JSON.parse);
      });
    },

    async snapshotItems(snapshotId, skus) {
      const rows = skus
        ? ctx.prepare(`${snapshotItemsSql} AND i.sku IN (SELECT value FROM json_each(:skus)) ORDER BY i.sku`)
          .all({ id: snapshotId, skus: JSON.stringify(skus) })
        : ctx.prepare(`${snapshotItemsSql} ORDER BY i.sku`).all({ id: snapshotId });
      return (rows as SnapshotItemDbRow<string>[]).map((r) => snapshotItemFromRow(r, JSON.parse));
    },
  };
}
