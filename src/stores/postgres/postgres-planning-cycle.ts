import { ActualsCheckStaleError } from '../../datasets/actuals-check-stale-error.js';
import { snapshotsNamed, stillNamed } from '../../datasets/snapshot-name.js';
import { datasetMark, datasetReportAfterActuals, historyEndAfterActuals, SeriesChangedError, type PlanningCycleStore } from '../../datasets/planning-cycle-store.js';
import type { ImportReport } from '../../datasets/dataset.js';
import {
  actualsFromRow, snapshotBytes, snapshotFromRow, snapshotItemFromRow, snapshotItemsSql, snapshotNameDeleteSql, snapshotNamesOfDatasetSql, snapshotNameUpsertSql, snapshotsSql, type ActualsRow, type SnapshotItemDbRow, type SnapshotRow,
} from '../planning-cycle-rows.js';
import { refuseChangedSettings, seriesColumns } from './dataset-rows.js';
import type { PgContext, Queryable } from './postgres-context.js';
import { analyzeAfterLargeEnqueue, enqueueInTransaction } from './postgres-enqueue.js';

/**
 * A dataset's newest job id through jobs_dataset_newest (dataset_id, id). As `max(id) WHERE
 * dataset_id = $1` the planner may walk jobs_pkey backwards and filter, reading every newer job of
 * every other dataset (45,000 of them, 14 ms, under statistics taken before they arrived); the
 * range form with the index's own order leaves it nothing to gain from that walk. Same rows as `=`
 * under any collation (a value between v and v in its order is v).
 */
export const newestJobSql = `SELECT id FROM jobs WHERE dataset_id >= :datasetId AND dataset_id <= :datasetId
  ORDER BY dataset_id DESC, id DESC LIMIT 1`;

// `open` through the partial index whatever the statistics say (migrations/022_dataset_open_by_index.sql).
const progressSql = `SELECT
  dataset_has_open_jobs(:datasetId) AS open,
  (${newestJobSql}) AS last_id,
  (SELECT mark FROM retry_marks WHERE dataset_id = :datasetId) AS retry_mark,
  (SELECT max(mark) FROM snapshots WHERE dataset_id = :datasetId) AS snapshot_mark`;

/** datasetProgress's statement (exported for the test that checks it never scans the jobs table). */
export const datasetProgressSql = `SELECT p.*, j.reason, j.batch_id FROM (${progressSql}) AS p LEFT JOIN jobs AS j ON j.id = p.last_id`;

type ProgressRow = { open: boolean; last_id: string | number | null; retry_mark: string | number | null; snapshot_mark: string | number | null };
const asNumber = (v: string | number | null) => (v === null ? null : Number(v));
/** The dataset's mark (DatasetProgress.mark): its newest job id, or its latest retry's mark when higher. */
const markOf = (row: ProgressRow): number | null => datasetMark(asNumber(row.last_id), asNumber(row.retry_mark));
const same = (v: unknown) => v;

/** deleteDataset's delete of the values a dataset's actuals overwrote, through actuals_revisions_dataset (migration 035; exported for the plan test). */
export const deleteActualsRevisionsSql = 'DELETE FROM actuals_revisions WHERE dataset_id = :datasetId';

/** deleteDataset's share: a deleted dataset's snapshots and actuals go with it (in its transaction). */
export async function deletePlanningCycle(ctx: PgContext, client: Queryable, datasetId: string): Promise<void> {
  await ctx.sql('DELETE FROM snapshot_items WHERE snapshot_id IN (SELECT id FROM snapshots WHERE dataset_id = :datasetId)', { datasetId }, client);
  await ctx.sql('DELETE FROM snapshots WHERE dataset_id = :datasetId', { datasetId }, client);
  await ctx.sql('DELETE FROM retry_marks WHERE dataset_id = :datasetId', { datasetId }, client);
  await ctx.sql(deleteActualsRevisionsSql, { datasetId }, client);
  await ctx.sql('DELETE FROM actuals WHERE dataset_id = :datasetId', { datasetId }, client);
}

/**
 * Actuals and snapshots on PostgreSQL. appendActuals, saveSnapshot and deleteSnapshot each lock the dataset's row
 * (FOR NO KEY UPDATE) first, so they take turns with each other and with deleteDataset (FOR
 * UPDATE), but not with requeue's check that the dataset still exists (FOR KEY SHARE, taken under
 * the enqueue lock that an append then waits for: FOR UPDATE here made that a deadlock): saveSnapshot's checks (the mark is still the dataset's
 * mark, none of its jobs is open) cannot interleave with an append; the UNIQUE (dataset_id,
 * mark) keeps one snapshot per mark when several workers race to take it.
 */
export function postgresPlanningCycle(ctx: PgContext): PlanningCycleStore {
  return {
    async appendActuals(datasetId, append, jobs, enqueue) {
      const now = ctx.now();
      // checked here, before the transaction (finite numbers): seriesColumns refuses a bad series
      const updated = seriesColumns(datasetId, append.updated);
      const added = seriesColumns(datasetId, append.added);
      const out = await ctx.tx(async (client) => {
        const locked = await ctx.sql<{ report: ImportReport; frequency: string; settings: unknown; updated_at: string | number }>('SELECT report, frequency, settings, updated_at FROM datasets WHERE id = :id FOR NO KEY UPDATE', { id: datasetId }, client);
        if (locked.rows.length === 0) throw new Error(`no dataset ${datasetId}`);
        // The check the append was sent with (basedOn), under the row lock: the dataset written since, refused, nothing stored.
        const updatedAt = Number(locked.rows[0].updated_at);
        if (append.datasetSeen !== undefined && updatedAt !== append.datasetSeen) throw new ActualsCheckStaleError(datasetId, append.datasetSeen, updatedAt);
        refuseChangedSettings(datasetId, locked.rows[0], append.settingsSeen);
        // Never below a snapshot already kept: retention may have pruned the (failed, cancelled) job whose id is its mark.
        // And never below the dataset's mark: a retry's (retry_marks) is above its newest job id.
        const mark = await ctx.sql<{ id: string | null }>(`SELECT GREATEST((${newestJobSql}), (SELECT mark FROM retry_marks WHERE dataset_id = :datasetId),
          (SELECT max(mark) FROM snapshots WHERE dataset_id = :datasetId)) AS id`, { datasetId }, client);
        const markBefore = Number(mark.rows[0].id ?? 0);
        if (append.updated.length > 0) {
          const changed = await ctx.sql(`UPDATE series AS s
               SET dates = u.dates::json, original = u.original::json, edits = u.edits::json, provisional = u.provisional::json,
                   length = u.length, volume = u.volume, demand_class = u.demand_class, updated_at = greatest(:now, s.updated_at + 1)
              FROM unnest(:skus::text[], :dates::text[], :originals::text[], :edits::text[], :provisional::text[], :lengths::integer[],
                          :volumes::float8[], :demandClasses::text[], :seen::bigint[])
                   AS u (sku, dates, original, edits, provisional, length, volume, demand_class, seen)
             WHERE s.dataset_id = :datasetId AND s.sku = u.sku AND (u.seen IS NULL OR s.updated_at = u.seen)
            RETURNING s.sku`, { ...updated, now, seen: append.updated.map((s) => append.seen?.[s.sku] ?? null) }, client);
          if (changed.rowCount !== append.updated.length) {
            const done = new Set(changed.rows.map((r) => (r as { sku: string }).sku));
            const stale = append.updated.find((s) => !done.has(s.sku) && append.seen?.[s.sku] !== undefined);
            if (stale) throw new SeriesChangedError(datasetId, stale.sku);
            throw new Error(`dataset ${datasetId} lacks some of the SKUs to update`);
          }
        }
        if (append.added.length > 0) {
          // A SKU another append added since the merge read the dataset (the row lock above orders
          // the two): merged again with it, as a stale update is, instead of a primary-key failure.
          const taken = await ctx.sql<{ sku: string }>('SELECT sku FROM series WHERE dataset_id = :datasetId AND sku = ANY(:skus::text[]) LIMIT 1',
            { datasetId, skus: append.added.map((s) => s.sku) }, client);
          if (taken.rows.length > 0) throw new SeriesChangedError(datasetId, taken.rows[0].sku);
          await ctx.run('series-insert', { ...added, now }, client);
        }
        if (append.revisions.length > 0) {
          await ctx.sql(`INSERT INTO actuals_revisions (actuals_id, dataset_id, sku, date, previous, value)
            SELECT :actualsId, :datasetId, r.sku, r.date, r.previous, r.value
              FROM unnest(:skus::text[], :dates::text[], :previous::float8[], :values::float8[]) AS r (sku, date, previous, value)`, {
            actualsId: append.id, datasetId,
            skus: append.revisions.map((r) => r.sku), dates: append.revisions.map((r) => r.date),
            previous: append.revisions.map((r) => r.previous), values: append.revisions.map((r) => r.value),
          }, client);
        }
        const result = jobs && enqueue ? await enqueueInTransaction(ctx, client, jobs, enqueue) : null;
        const count = await ctx.sql<{ n: number }>('SELECT count(*)::integer AS n FROM series WHERE dataset_id = :datasetId', { datasetId }, client);
        const datasetReport = datasetReportAfterActuals(locked.rows[0].report, append.datasetReport, count.rows[0].n);
        const { rows } = await ctx.sql<ActualsRow>(`INSERT INTO actuals (id, dataset_id, batch_id, created_at, mark_before, skus_changed,
            skus_added, periods_added, values_revised, history_end, report)
          VALUES (:id, :datasetId, :batchId, :now, :markBefore, :skusChanged, :skusAdded, :periodsAdded, :valuesRevised, :historyEnd, :report::json)
          RETURNING *`, {
          id: append.id, datasetId, batchId: result?.batchId ?? null, now, markBefore,
          skusChanged: append.updated.length + append.added.length, skusAdded: append.added.length, periodsAdded: append.periodsAdded,
          valuesRevised: append.revisions.length, historyEnd: historyEndAfterActuals(datasetReport, append.historyEnd), report: JSON.stringify(append.report),
        }, client);
        const after = await ctx.sql<{ updated_at: string | number }>('UPDATE datasets SET report = :report::json, updated_at = greatest(:now, updated_at + 1), sku_count = :skuCount WHERE id = :id RETURNING updated_at',
          { id: datasetId, report: JSON.stringify(datasetReport), now, skuCount: datasetReport.skus }, client);
        return { actuals: actualsFromRow(rows[0]), enqueue: result, datasetUpdatedAt: Number(after.rows[0].updated_at) };
      });
      void analyzeAfterLargeEnqueue(ctx, out.enqueue?.jobsCreated ?? 0);
      return out;
    },

    async listActuals(datasetId) {
      return (await ctx.sql<ActualsRow>('SELECT * FROM actuals WHERE dataset_id = :datasetId ORDER BY seq DESC', { datasetId })).rows.map(actualsFromRow);
    },

    async actualsByBatch(batchId) {
      const { rows } = await ctx.sql<ActualsRow>('SELECT * FROM actuals WHERE batch_id = :batchId', { batchId });
      return rows[0] ? actualsFromRow(rows[0]) : null;
    },

    async datasetProgress(datasetId) {
      const { rows } = await ctx.sql<ProgressRow & { reason: string | null; batch_id: string | null }>(
        datasetProgressSql, { datasetId });
      const row = rows[0];
      return {
        open: row.open, lastJobId: asNumber(row.last_id), mark: markOf(row), lastJobReason: row.reason, lastBatchId: row.batch_id,
        snapshotMark: asNumber(row.snapshot_mark),
      };
    },

    async saveSnapshot(snapshot, items) {
      const bytes = snapshotBytes(items);
      return ctx.tx(async (client) => {
        const locked = await ctx.sql('SELECT id FROM datasets WHERE id = :id FOR NO KEY UPDATE', { id: snapshot.datasetId }, client);
        if (locked.rows.length === 0) return null;
        const now = (await ctx.sql<ProgressRow>(progressSql, { datasetId: snapshot.datasetId }, client)).rows[0];
        if (now.open || markOf(now) !== snapshot.mark) return null;
        const { rows } = await ctx.sql<SnapshotRow<unknown>>(`INSERT INTO snapshots (dataset_id, mark, cause, created_at, history_end,
            forecast_start, forecast_end, sku_count, skus_with_forecast, bytes, portfolio)
          VALUES (:datasetId, :mark, :cause, :now, :historyEnd, :forecastStart, :forecastEnd, :skuCount, :skusWithForecast, :bytes, :portfolio::json)
          ON CONFLICT (dataset_id, mark) DO NOTHING RETURNING *`, {
          datasetId: snapshot.datasetId, mark: snapshot.mark, cause: snapshot.cause, now: ctx.now(), historyEnd: snapshot.historyEnd,
          forecastStart: snapshot.forecastStart, forecastEnd: snapshot.forecastEnd, skuCount: snapshot.skuCount,
          skusWithForecast: snapshot.skusWithForecast, bytes, portfolio: JSON.stringify(snapshot.portfolio),
        }, client);
        if (rows.length === 0) return null;
        const id = rows[0].id;
        for (let i = 0; i < items.length; i += 1000) {
          const chunk = items.slice(i, i + 1000);
          await ctx.sql(`INSERT INTO snapshot_items (snapshot_id, sku, model_id, selected_by, error, dates, vals)
            SELECT :id, u.sku, u.model_id, u.selected_by, u.error, u.dates::json, u.vals
              FROM unnest(:skus::text[], :models::text[], :selectedBy::text[], :errors::float8[], :dates::text[], :vals::bytea[])
                   AS u (sku, model_id, selected_by, error, dates, vals)`, {
            id,
            skus: chunk.map((c) => c.sku), models: chunk.map((c) => c.modelId), selectedBy: chunk.map((c) => c.selectedBy),
            errors: chunk.map((c) => (c.error !== null && Number.isFinite(c.error) ? c.error : null)),
            dates: chunk.map((c) => JSON.stringify(c.dates)),
            vals: chunk.map((c) => Buffer.from(c.values.buffer, c.values.byteOffset, c.values.byteLength)),
          }, client);
          const recorded = chunk.filter((c) => c.status);
          if (recorded.length > 0) {
            await ctx.sql(`INSERT INTO snapshot_item_status (snapshot_id, sku, status)
              SELECT :id, u.sku, u.status FROM unnest(:skus::text[], :statuses::text[]) AS u (sku, status)`, {
              id, skus: recorded.map((c) => c.sku), statuses: recorded.map((c) => c.status),
            }, client);
          }
        }
        return snapshotFromRow(rows[0], same);
      });
    },

    async listSnapshots(datasetId) {
      return (await ctx.sql<SnapshotRow<unknown>>(`${snapshotsSql} ORDER BY s.id DESC`, { datasetId }))
        .rows.map((r) => snapshotFromRow(r, same));
    },

    async getSnapshot(datasetId, id) {
      const { rows } = await ctx.sql<SnapshotRow<unknown>>(`${snapshotsSql} AND s.id = :id`, { datasetId, id });
      return rows[0] ? snapshotFromRow(rows[0], same) : null;
    },

    async deleteSnapshot(datasetId, id, options) {
      return ctx.tx(async (client) => {
        // The dataset's row first, as every dataset write takes it (deleteDataset: FOR UPDATE), so
        // this waits for a snapshot being saved rather than deciding "newest" without it.
        const locked = await ctx.sql('SELECT id FROM datasets WHERE id = :id FOR NO KEY UPDATE', { id: datasetId }, client);
        if (locked.rows.length === 0) return { outcome: 'missing' as const };
        // Read before the delete, whose foreign key takes it (045): the answer says which snapshot went.
        // nameSnapshot takes the dataset's row too, so no rename falls between the two.
        const named = await ctx.sql<{ name: string }>('SELECT name FROM snapshot_names WHERE snapshot_id = :id', { id }, client);
        // After the dataset's lock, which every rename takes first: the name read is the one the delete acts on.
        if (!stillNamed(named.rows[0]?.name, options?.expectName)) return { outcome: 'missing' as const };
        const { rows } = await ctx.run<{ id: string | number; bytes: string | number }>('snapshot-delete', { datasetId, id }, client);
        if (rows.length === 0) {
          const exists = await ctx.sql('SELECT 1 FROM snapshots WHERE dataset_id = :datasetId AND id = :id', { datasetId, id }, client);
          return { outcome: exists.rows.length > 0 ? 'newest' as const : 'missing' as const };
        }
        await ctx.run('snapshot-delete-items', { id }, client);
        return { outcome: 'deleted' as const, id: Number(rows[0].id), bytes: Number(rows[0].bytes), name: named.rows[0]?.name ?? null };
      });
    },

    async nameSnapshot(datasetId, id, name, options) {
      return ctx.tx(async (client) => {
        // The dataset's row first, as deleteSnapshot: a name is never written to a snapshot being deleted.
        const locked = await ctx.sql('SELECT id FROM datasets WHERE id = :id FOR NO KEY UPDATE', { id: datasetId }, client);
        if (locked.rows.length === 0) return 'missing' as const;
        const exists = await ctx.sql('SELECT 1 FROM snapshots WHERE dataset_id = :datasetId AND id = :id', { datasetId, id }, client);
        if (exists.rows.length === 0) return 'missing' as const;
        if (options?.expectName !== undefined) {
          const held = await ctx.sql<{ name: string }>('SELECT name FROM snapshot_names WHERE snapshot_id = :id', { id }, client);
          if (!stillNamed(held.rows[0]?.name, options.expectName)) return 'missing' as const;
        }
        if (name === null) await ctx.sql(snapshotNameDeleteSql, { id }, client);
        else {
          // Under the dataset's lock, which every naming takes first: a naming racing this one reads
          // the names once this one committed (READ COMMITTED: each statement sees what committed before it).
          const named = await ctx.sql<{ id: string | number; name: string }>(snapshotNamesOfDatasetSql, { datasetId }, client);
          const taken = snapshotsNamed(named.rows, name, id);
          if (taken.length > 0) return { taken };
          await ctx.sql(snapshotNameUpsertSql, { id, name }, client);
        }
        const { rows } = await ctx.sql<SnapshotRow<unknown>>(`${snapshotsSql} AND s.id = :id`, { datasetId, id }, client);
        return snapshotFromRow(rows[0], same);
      });
    },

    async snapshotItems(snapshotId, skus) {
      const { rows } = skus
        ? await ctx.sql<SnapshotItemDbRow<unknown>>(`${snapshotItemsSql} AND i.sku = ANY(:skus::text[]) ORDER BY i.sku`, { id: snapshotId, skus })
        : await ctx.sql<SnapshotItemDbRow<unknown>>(`${snapshotItemsSql} ORDER BY i.sku`, { id: snapshotId });
      return rows.map((r) => snapshotItemFromRow(r, same));
    },
  };
}
