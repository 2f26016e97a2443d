import type { ActualsRecord, Snapshot, SnapshotCause, SnapshotItemRow } from '../datasets/planning-cycle-store.js';
import type { ParseJson } from './job-rows.js';

/** Rows of the actuals and snapshot tables of both adapters, and their mapping. */
export interface ActualsRow {
  id: string;
  dataset_id: string;
  batch_id: string | null;
  created_at: number | string;
  mark_before: number | string;
  skus_changed: number;
  skus_added: number;
  periods_added: number;
  values_revised: number;
  history_end: string | null;
}

export function actualsFromRow(row: ActualsRow): ActualsRecord {
  return {
    id: row.id, datasetId: row.dataset_id, batchId: row.batch_id, createdAt: Number(row.created_at), markBefore: Number(row.mark_before),
    skusChanged: row.skus_changed, skusAdded: row.skus_added, periodsAdded: row.periods_added, valuesRevised: row.values_revised,
    lastDate: row.history_end, historyEnd: row.history_end,
  };
}

export interface SnapshotRow<Json> {
  id: number | string;
  dataset_id: string;
  mark: number | string;
  cause: string;
  created_at: number | string;
  history_end: string | null;
  forecast_start: string | null;
  forecast_end: string | null;
  sku_count: number;
  skus_with_forecast: number;
  bytes: number | string;
  portfolio: Json;
  /** snapshot_names' (045), joined: NULL (or absent, from an INSERT's RETURNING) where it has none. */
  name?: string | null;
}

/**
 * A dataset's snapshots with their names (045), on either store: the caller appends its own filter
 * and ORDER BY. Named columns, as snapshotItemsSql: a later column of either table leaves this
 * statement's result type as it was (PostgreSQL's prepared plans).
 */
export const snapshotsSql = `SELECT s.id, s.dataset_id, s.mark, s.cause, s.created_at, s.history_end, s.forecast_start, s.forecast_end,
       s.sku_count, s.skus_with_forecast, s.bytes, s.portfolio, n.name
  FROM snapshots s LEFT JOIN snapshot_names n ON n.snapshot_id = s.id
 WHERE s.dataset_id = :datasetId`;

/** nameSnapshot's statements, the same on both stores: a name's row is replaced, or deleted to clear it. */
export const snapshotNameUpsertSql = `INSERT INTO snapshot_names (snapshot_id, name) VALUES (:id, :name)
  ON CONFLICT (snapshot_id) DO UPDATE SET name = excluded.name`;
export const snapshotNameDeleteSql = 'DELETE FROM snapshot_names WHERE snapshot_id = :id';
/**
 * The names a dataset's snapshots hold, read by nameSnapshot in its transaction before it writes
 * one: a name is unique within its dataset, compared in JavaScript (snapshotsNamed), the same on
 * both stores, not by a UNIQUE index the duplicates named before it would have failed.
 */
export const snapshotNamesOfDatasetSql = `SELECT n.snapshot_id AS id, n.name
  FROM snapshot_names n JOIN snapshots s ON s.id = n.snapshot_id
 WHERE s.dataset_id = :datasetId`;

export function snapshotFromRow<Json>(row: SnapshotRow<Json>, parseJson: ParseJson<Json>): Snapshot {
  return {
    id: Number(row.id), datasetId: row.dataset_id, mark: Number(row.mark), cause: row.cause as SnapshotCause, createdAt: Number(row.created_at),
    historyEnd: row.history_end, forecastStart: row.forecast_start, forecastEnd: row.forecast_end,
    skuCount: row.sku_count, skusWithForecast: row.skus_with_forecast, bytes: Number(row.bytes),
    portfolio: parseJson(row.portfolio) as Snapshot['portfolio'], name: row.name ?? null,
  };
}

export interface SnapshotItemDbRow<Json> {
  sku: string;
  model_id: string | null;
  selected_by: string | null;
  error: number | null;
  dates: Json;
  vals: Uint8Array;
  /** snapshot_item_status's (042), joined: NULL where the snapshot recorded none. */
  status: string | null;
}

/**
 * A snapshot's items with the status each was taken with (042; NULL where none was recorded), on
 * either store: the caller appends its own SKU filter and ORDER BY. Named columns: a later column
 * of either table leaves this statement's result type as it was (PostgreSQL's prepared plans).
 */
export const snapshotItemsSql = `SELECT i.sku, i.model_id, i.selected_by, i.error, i.dates, i.vals, s.status
  FROM snapshot_items i LEFT JOIN snapshot_item_status s ON s.snapshot_id = i.snapshot_id AND s.sku = i.sku
 WHERE i.snapshot_id = :id`;

export function snapshotItemFromRow<Json>(row: SnapshotItemDbRow<Json>, parseJson: ParseJson<Json>): SnapshotItemRow {
  return {
    sku: row.sku, modelId: row.model_id, selectedBy: row.selected_by as SnapshotItemRow['selectedBy'], error: row.error,
    dates: parseJson(row.dates) as string[], values: row.vals, status: row.status as SnapshotItemRow['status'],
  };
}

/** What a snapshot's items cost in the database: their values and dates (keys and row overhead aside). */
export function snapshotBytes(items: SnapshotItemRow[]): number {
  let bytes = 0;
  for (const item of items) bytes += item.values.byteLength + JSON.stringify(item.dates).length + item.sku.length + (item.modelId?.length ?? 0);
  return bytes;
}
