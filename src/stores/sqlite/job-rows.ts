import type { JobFilter } from '../../queue/job.js';
import { jobStatuses } from '../../queue/job-state.js';
import * as shared from '../job-rows.js';

/** SQLite returns json columns as text. */
export type JobRow = shared.JobRow<string>;
export type WorkerRow = shared.WorkerRow<string>;

export const jobFromRow = (row: JobRow) => shared.jobFromRow(row, JSON.parse);
export const claimedFromRows = (rows: JobRow[]) => shared.claimedFromRows(rows, JSON.parse);
/**
 * A JobRow from a raw statement's values (better-sqlite3's `.raw()`: an array per row), the
 * columns placed by name once per statement. A claim reads up to 256 rows of 26 columns: as
 * objects built by the driver they cost about 4 us more each than as arrays made into a literal
 * here (docs/queue-measurements.md, "The claim's rows as arrays").
 */
export function jobRowFromValues(columns: ReadonlyArray<{ name: string }>): (values: unknown[]) => JobRow {
  const at = (name: keyof JobRow) => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`the jobs row has no column ${name}`);
    return i;
  };
  const [id, turn, batchId, datasetId, sku, modelId, method, reason, priority, status, progress, attempts, maxAttempts,
    error, result, settings, inputHash, leaseToken, leaseExpiresAt, workerId, createdAt, updatedAt, startedAt, finishedAt, runAt] =
    (['id', 'turn', 'batch_id', 'dataset_id', 'sku', 'model_id', 'method', 'reason', 'priority', 'status', 'progress', 'attempts',
      'max_attempts', 'error', 'result', 'settings', 'input_hash', 'lease_token', 'lease_expires_at', 'worker_id', 'created_at',
      'updated_at', 'started_at', 'finished_at', 'run_at'] as const).map(at);
  return (v) => ({
    id: v[id] as number, turn: v[turn] as number, batch_id: v[batchId] as string, dataset_id: v[datasetId] as string | null,
    sku: v[sku] as string, model_id: v[modelId] as string, method: v[method] as string, reason: v[reason] as string,
    priority: v[priority] as number, status: v[status] as string, progress: v[progress] as number, attempts: v[attempts] as number,
    max_attempts: v[maxAttempts] as number, error: v[error] as string | null, result: v[result] as string | null,
    settings: v[settings] as string, input_hash: v[inputHash] as string | null, lease_token: v[leaseToken] as string | null,
    lease_expires_at: v[leaseExpiresAt] as number | null, worker_id: v[workerId] as string | null, created_at: v[createdAt] as number,
    updated_at: v[updatedAt] as number, started_at: v[startedAt] as number | null, finished_at: v[finishedAt] as number | null,
    run_at: v[runAt] as number,
  });
}

export const workerFromRow = (row: WorkerRow) => shared.workerFromRow(row, JSON.parse);

/**
 * A JobFilter's lists bind as JSON text, read back with json_each; except statuses, an enum, which
 * are written in as checked literals: the planner then seeks jobs_finished_status (migration 009)
 * instead of walking the table for `?status=failed`. A batch is read as its id range from
 * job_batches (migration 028: no index over the batch), each row's batch_ref checked (030).
 * A dataset by its ref (030), which `datasetRef` reads and the filter binds as a value (NULL for
 * an id no job ever held: `dataset_ref = NULL` matches nothing, not the jobs without a dataset).
 * A value, not `(SELECT ref FROM job_datasets ...)`: with STAT4 statistics the planner weighs a
 * bound value against its samples, a subquery only at the average, and for a small dataset beside
 * a big one that average walked every job by rowid (or every pending one) instead of seeking
 * jobs_dataset_newest. Call it inside the transaction that runs the statement: a ref made
 * between would be missed.
 */
export const jobFilterSql = (filter: JobFilter | undefined, datasetRef: (datasetId: string) => number | null) => {
  const out = shared.jobFilterSql(filter, (column, param, values) => {
    if (column === 'status' && values.every((v) => (jobStatuses as readonly unknown[]).includes(v))) {
      return { sql: `status IN (${values.map((v) => `'${v}'`).join(', ')})`, value: JSON.stringify(values) };
    }
    return { sql: `${column} IN (SELECT value FROM json_each(:${param}))`, value: JSON.stringify(values) };
  }, (param) => `id BETWEEN coalesce((SELECT first_id FROM job_batches WHERE batch_id = :${param}), 1)`
    + ` AND coalesce((SELECT last_id FROM job_batches WHERE batch_id = :${param}), 0)`
    + ` AND batch_ref = (SELECT ref FROM job_batches WHERE batch_id = :${param})`,
  (param) => `dataset_ref = :${param}`);
  if (filter?.datasetId !== undefined) out.params.filterDatasetId = datasetRef(filter.datasetId);
  return out;
};

/**
 * A job row's batch and dataset ids: the row holds each as an integer ref (migration 030: a UUID
 * and a 19-character id in the row and in three indexes were a third of a bulk enqueue's pages),
 * read back here by a rowid seek each. A batch ref that names no batch (a row by hand: batch_ref
 * DEFAULT 0) reads as '': Job.batchId is a string, and a null made the API's jobSchema answer 500
 * for the whole listing that held the job. job-get.sql spells the same.
 */
export const batchIdColumn = "coalesce((SELECT batch_id FROM job_batches AS b WHERE b.ref = jobs.batch_ref), '') AS batch_id";
export const datasetIdColumn = '(SELECT dataset_id FROM job_datasets AS d WHERE d.ref = jobs.dataset_ref) AS dataset_id';

/** The columns of a job row as the shared JobRow has them, the result only when asked for. */
export const jobColumns = (includeResult: boolean) => (includeResult
  ? `*, ${batchIdColumn}, ${datasetIdColumn}`
  : shared.jobColumnsWithoutResult.replace('batch_id', batchIdColumn).replace('dataset_id', datasetIdColumn));

export {
  rescueResult, storedProgress, summaryFromCounts, toJsonText, type CountRow, type RescueRow,
} from '../job-rows.js';
