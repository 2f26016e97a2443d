import type { EnqueueOptions, EnqueueResult, NewJob } from '../queue/job.js';
import type { DatasetSettings, ImportReport, NewSeries } from './dataset.js';
import type { ForecastStatus } from './forecast-status.js';

/**
 * What the planning cycle needs from a database, beside DatasetStore: appending actuals (with the
 * audit of every value they overwrote), and snapshots of the forecasts the app showed.
 *
 * A snapshot is keyed by its dataset's mark at the time: its newest job id, or the value its
 * latest retry drew when higher. A change (import, actuals, settings, edits) enqueues jobs and so
 * moves the mark; a retry (requeue of failed or cancelled jobs) puts the same job ids back to
 * pending and moves it by drawing the next value of the job id sequence (retry_marks, migration
 * 043); once no job of the dataset is pending or running, the forecasts of that mark are final. saveSnapshot stores at most one
 * snapshot per (dataset, mark), whoever calls it first (a worker, the API), on either store.
 */
export interface ActualsRevision {
  sku: string;
  date: string;
  previous: number;
  value: number;
}

export interface ActualsAppend {
  id: string;
  report: ImportReport; // the actuals file's own report
  /**
   * The dataset's report with the new date range and SKU count, as the merge saw the dataset. The
   * store writes it widened by what the dataset has now (datasetReportAfterActuals): an append of
   * other SKUs that landed since must not lose its SKUs or periods from the count and the range.
   */
  datasetReport: ImportReport;
  /** Existing series, replaced whole (dates, original, edits re-indexed, volume, class). */
  updated: NewSeries[];
  added: NewSeries[];
  revisions: ActualsRevision[];
  periodsAdded: number;
  historyEnd: string | null;
  /**
   * The updatedAt of each updated series as it was read for the merge. A series written since (a
   * planner's edit, another append) would be overwritten with stale values: the store refuses with
   * SeriesChangedError and changes nothing, and the caller reads and merges again.
   */
  seen?: Record<string, number>;
  /**
   * The settings the append's jobs were planned with: a settings change that landed since would
   * leave them planned for settings the dataset no longer has, so the store refuses with
   * DatasetChangedError and changes nothing, and the caller reads and merges again.
   */
  settingsSeen?: DatasetSettings;
  /**
   * The dataset's updatedAt the append was checked against (its `basedOn`: the datasetUpdatedAt of
   * the check, dryRun, the planner approved). Compared inside the write's transaction, under the
   * dataset's lock: a dataset written since (another append, an edit, a settings change) makes the
   * store refuse with ActualsCheckStaleError and change nothing. Not merged again: the outcome the
   * planner approved no longer holds, so the file must be checked again.
   */
  datasetSeen?: number;
}

/**
 * The report appendActuals stores, from the report the dataset has now (read under the store's
 * lock) and the one the merge built from an earlier read: the date range covers both, `skus` is
 * the SKUs there are after the append. Two appends of different SKUs may both have read the
 * dataset before either wrote; each then writes the range and count the other left.
 */
export function datasetReportAfterActuals(current: ImportReport, append: ImportReport, skuCount: number): ImportReport {
  const ranges = [current.dateRange, append.dateRange].filter((r) => r !== null && r !== undefined);
  const dateRange = ranges.length === 0 ? null : {
    start: ranges.map((r) => r.start).reduce((a, b) => (b < a ? b : a)),
    end: ranges.map((r) => r.end).reduce((a, b) => (b > a ? b : a)),
  };
  return { ...current, skus: skuCount, dateRange };
}

/**
 * A dataset's snapshot mark: its newest job id, or the mark its last retry drew (retry_marks,
 * migration 043) when that is newer; null while it has neither. Both stores read it so.
 */
export function datasetMark(lastJobId: number | null, retryMark: number | null): number | null {
  return lastJobId === null ? retryMark : retryMark === null ? lastJobId : Math.max(lastJobId, retryMark);
}

/** The history's end an actuals record keeps: the dataset's, however the appends were ordered. */
export function historyEndAfterActuals(report: ImportReport, historyEnd: string | null): string | null {
  return historyEnd === null ? null : report.dateRange && report.dateRange.end > historyEnd ? report.dateRange.end : historyEnd;
}

/** appendActuals: a series changed between the merge's read and the write (see ActualsAppend.seen). */
export class SeriesChangedError extends Error {
  constructor(readonly datasetId: string, readonly sku: string) {
    super(`series ${sku} of dataset ${datasetId} changed while the actuals were merged`);
    this.name = 'SeriesChangedError';
  }
}

export interface ActualsRecord {
  id: string;
  datasetId: string;
  batchId: string | null;
  createdAt: number;
  /**
   * The dataset's mark before this append (DatasetProgress.mark), or its newest snapshot's mark if
   * higher (the job it names pruned since): snapshots up to it were made before these actuals.
   */
  markBefore: number;
  skusChanged: number;
  skusAdded: number;
  periodsAdded: number;
  valuesRevised: number;
  /**
   * The latest date the dataset had once this append was written: its last stored period's date,
   * the month to date's too (2026-12-01 after December 1 to 5), or an import's last row's day when
   * later (2024-12-15 for a monthly file dated mid-month). Not a snapshot's `historyEnd`, which is
   * the last whole period (2026-11-01 there).
   */
  lastDate: string | null;
  /** The same value as `lastDate`, its name before it had one of its own: kept for the clients that read it. */
  historyEnd: string | null;
}

export interface DatasetProgress {
  /** Some job of the dataset is pending or running. */
  open: boolean;
  /** The dataset's newest job id (its reason and batch are the next two fields). */
  lastJobId: number | null;
  /**
   * The dataset's mark: lastJobId, or the value its latest retry drew when higher (a retry keeps
   * the job ids, so they alone would not move). A snapshot is due when it passes snapshotMark.
   */
  mark: number | null;
  lastJobReason: string | null;
  lastBatchId: string | null;
  /** The mark of the dataset's newest snapshot. */
  snapshotMark: number | null;
}

export type SnapshotCause = 'import' | 'actuals' | 'edits' | 'settings' | 'manual';

export interface Snapshot {
  id: number;
  datasetId: string;
  mark: number;
  cause: SnapshotCause;
  createdAt: number;
  historyEnd: string | null;
  forecastStart: string | null;
  forecastEnd: string | null;
  skuCount: number;
  skusWithForecast: number;
  /** Bytes of forecast values and dates stored (rows' own overhead aside). */
  bytes: number;
  /** The portfolio's holdout accuracy as shown then. */
  portfolio: { wape: number | null; bias: number | null };
  /** What a planner named it ("S&OP Dec", nameSnapshot), 1 to 120 characters; null: unnamed. */
  name: string | null;
}

export type NewSnapshot = Omit<Snapshot, 'id' | 'createdAt' | 'bytes' | 'name'>;

/** The longest snapshot name (migration 045's CHECK). */
export const snapshotNameMax = 120;

/**
 * deleteSnapshot's answer. `missing`: the dataset has no snapshot of that id (another dataset's is
 * left alone); `newest`: the dataset's newest snapshot, refused (see deleteSnapshot).
 */
export type SnapshotDeletion =
  | { outcome: 'deleted'; id: number; bytes: number; name: string | null }
  | { outcome: 'missing' }
  | { outcome: 'newest' };

/** A snapshot the caller found by its name: the write goes ahead only if it still holds it. */
export interface SnapshotByName {
  expectName?: string;
}

/** nameSnapshot's refusal: the dataset's other snapshots that hold the name (as they spell it), newest first. */
export interface SnapshotNameTaken {
  taken: Array<{ id: number; name: string }>;
}

/** One SKU of a snapshot: what the app showed for it. `values` is encoded by snapshot-values.ts. */
export interface SnapshotItemRow {
  sku: string;
  modelId: string | null;
  selectedBy: 'metric' | 'override' | null;
  error: number | null;
  dates: string[];
  values: Uint8Array;
  /**
   * What forecasts.csv's `status` said of the SKU when the snapshot was taken (forecast-status.ts):
   * `inactive` cannot be read back from `values` (a real forecast of zeros looks the same), nor
   * `failed` from `none`. Absent or null: not recorded (a snapshot taken before migration 042, or
   * by a process older than it).
   */
  status?: ForecastStatus | null;
}

export interface PlanningCycleStore {
  /**
   * Replaces and adds series, records the actuals and their revisions, and enqueues, in one
   * transaction; `datasetUpdatedAt`: the dataset's updatedAt this write gave it (a check's basedOn
   * to come must be read after the write, not before).
   */
  appendActuals(datasetId: string, append: ActualsAppend, jobs: NewJob[] | null, enqueue: EnqueueOptions | null): Promise<{ actuals: ActualsRecord; enqueue: EnqueueResult | null; datasetUpdatedAt: number }>;
  listActuals(datasetId: string): Promise<ActualsRecord[]>; // newest first
  actualsByBatch(batchId: string): Promise<ActualsRecord | null>;

  datasetProgress(datasetId: string): Promise<DatasetProgress>;
  /**
   * Stores the snapshot unless the dataset has one for this mark, its mark moved on (a newer job or
   * a retry), or a job of
   * it is open again (checked in the same transaction). Null when nothing was stored.
   */
  saveSnapshot(snapshot: NewSnapshot, items: SnapshotItemRow[]): Promise<Snapshot | null>;
  listSnapshots(datasetId: string): Promise<Snapshot[]>; // newest first
  getSnapshot(datasetId: string, id: number): Promise<Snapshot | null>;
  /**
   * Deletes a snapshot and its items in one transaction. The dataset's newest snapshot is refused
   * (`newest`, nothing changed): its mark is the dataset's snapshot mark (datasetProgress reads
   * max(mark)), so without it the forecasts it kept would be due again and taken again.
   * `expectName` (a snapshot the caller found by that name, `skucast snapshots delete DATASET NAME`):
   * `missing`, nothing changed, unless the snapshot still holds that name (snapshotNameKey's
   * comparison), checked in the transaction after the dataset's lock, so a rename between the
   * lookup and the delete never lets the delete take a snapshot that no longer has that name.
   */
  deleteSnapshot(datasetId: string, id: number, options?: SnapshotByName): Promise<SnapshotDeletion>;
  /**
   * Names a snapshot of the dataset (`name` trimmed, 1 to snapshotNameMax characters: the caller
   * checks) or clears its name (null). It labels the snapshot kept: no other is taken. `missing`:
   * the dataset has no snapshot of that id (another dataset's is left alone). A name is unique
   * within its dataset, compared by snapshotNameKey (case, composition and runs of spaces aside):
   * a name another of its snapshots holds is refused with `{taken}`, those snapshots (newest
   * first; two when they shared it before names were unique), and nothing changes. Checked in the
   * write's transaction, after the dataset's lock: two namings racing for one name, one wins.
   * `expectName`: `missing` unless the snapshot still holds that name, as deleteSnapshot's.
   */
  nameSnapshot(datasetId: string, id: number, name: string | null, options?: SnapshotByName): Promise<Snapshot | 'missing' | SnapshotNameTaken>;
  /** The items of a snapshot, of these SKUs or all (sorted by SKU). */
  snapshotItems(snapshotId: number, skus?: string[]): Promise<SnapshotItemRow[]>;
}
