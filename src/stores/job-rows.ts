import { jobStatuses, type JobReason, type JobStatus } from '../queue/job-state.js';
import type { ClaimedJob, Job, JobFilter, JobSettings, QueueSummary, RescuedJob, RescueResult, WorkerInfo } from '../queue/job.js';
import { JsonText } from '../queue/json-text.js';

/**
 * The jobs and workers rows of both adapters, and their mapping to Job and WorkerInfo. The tables
 * have the same columns on SQLite and PostgreSQL; they differ only in how a json column arrives
 * (`Json`: text on SQLite, already parsed by pg) and in how a list is bound (`InList`).
 */

/** A jobs row, snake_case; int8 and timestamps are numbers on both adapters. */
export interface JobRow<Json> {
  id: number;
  /** Claim order within a priority (datasets take turns); only listings read it. */
  turn?: number;
  batch_id: string;
  dataset_id: string | null;
  sku: string;
  model_id: string;
  method: string;
  reason: string;
  priority: number;
  status: string;
  progress: number;
  attempts: number;
  max_attempts: number;
  error: string | null;
  result?: Json | null;
  settings: Json;
  input_hash: string | null;
  lease_token: string | null;
  lease_expires_at: number | null;
  worker_id: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  run_at: number;
}

/** The value of a json column as the adapter's driver returns it. */
export type ParseJson<Json> = (value: Json) => unknown;

/** The columns of a listing: everything but the result, which can be large. */
export const jobColumnsWithoutResult = [
  'id', 'batch_id', 'dataset_id', 'sku', 'model_id', 'method', 'reason', 'priority', 'status', 'progress',
  'attempts', 'max_attempts', 'error', 'settings', 'input_hash', 'lease_token', 'lease_expires_at', 'worker_id',
  'created_at', 'updated_at', 'started_at', 'finished_at', 'run_at', 'turn',
].join(', ');

export function jobFromRow<Json>(row: JobRow<Json>, parseJson: ParseJson<Json>): Job {
  return {
    id: row.id,
    batchId: row.batch_id,
    datasetId: row.dataset_id,
    sku: row.sku,
    modelId: row.model_id,
    method: row.method,
    reason: row.reason as JobReason,
    priority: row.priority,
    status: row.status as JobStatus,
    progress: row.progress,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    error: row.error,
    result: row.result == null ? null : parseJson(row.result),
    settings: parseJson(row.settings) as JobSettings,
    inputHash: row.input_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runAt: row.run_at,
    workerId: row.worker_id,
  };
}

/**
 * The rows a claim returned (RETURNING gives them in no particular order), as leases in the order
 * a worker should start them: the claim's own order, priority, then turn (datasets take turns),
 * then id.
 */
export function claimedFromRows<Json>(rows: JobRow<Json>[], parseJson: ParseJson<Json>): ClaimedJob[] {
  rows.sort((a, b) => a.priority - b.priority || Number(a.turn ?? 0) - Number(b.turn ?? 0) || a.id - b.id);
  return rows.map((row) => ({
    jobId: row.id,
    leaseToken: row.lease_token as string,
    leaseExpiresAt: row.lease_expires_at as number,
    job: jobFromRow(row, parseJson),
  }));
}

/** A row of the per-status counts a summary is made of. */
export interface CountRow {
  status: string;
  n: number;
  progress_sum: number;
}

/** The QueueSummary of per-status counts; rows of unknown statuses are ignored. */
export function summaryFromCounts(rows: CountRow[], version: number): QueueSummary {
  const summary: QueueSummary = {
    pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, total: 0, runningProgress: 0, version,
  };
  for (const row of rows) {
    if (!(jobStatuses as readonly string[]).includes(row.status)) continue;
    summary[row.status as JobStatus] = row.n;
    summary.total += row.n;
    if (row.status === 'running') summary.runningProgress = row.progress_sum;
  }
  return summary;
}

/** A progress as stored: clamped to 0..100, in hundredths of a percent (the finest step the running-progress counter keeps exactly). */
export function storedProgress(progress: number): number {
  if (!Number.isFinite(progress)) throw new RangeError(`progress must be a number: ${progress}`);
  return Math.round(Math.min(100, Math.max(0, progress)) * 100) / 100;
}

/** What rescue() reports of the rows job-rescue.sql changed: back to pending, or failed with attempts used up. */
export function rescueResult(rows: RescueRow[]): RescueResult {
  const rescued = rows.filter((r) => r.status === 'pending').length;
  const ids = (status?: string) => rows.filter((r) => status === undefined || r.status === status).map((r) => Number(r.id)).sort((a, b) => a - b);
  const jobs = rows.map((r): RescuedJob => ({
    id: Number(r.id), status: r.status === 'failed' ? 'failed' : 'pending', workerId: r.worker_id ?? null,
    attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
  })).sort((a, b) => a.id - b.id);
  return { rescued, failed: rows.length - rescued, jobIds: ids(), failedJobIds: ids('failed'), jobs };
}

/** A row job-rescue.sql returns. */
export interface RescueRow {
  id: number;
  status: string;
  worker_id: string | null;
  attempts: number;
  max_attempts: number;
}

/** JSON text for a json column (a JsonText as it is); `undefined` (not JSON) is stored as NULL on both adapters. */
export function toJsonText(value: unknown): string | null {
  if (value instanceof JsonText) return value.text;
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

/** How an adapter writes "column is one of these values" and what it binds for the list. */
export type InList = (column: 'status' | 'id', param: string, values: readonly (string | number)[]) => { sql: string; value: unknown };

/** How an adapter writes "of this batch" with the batch id bound to `param` (default: batch_id = it). */
export type OfBatch = (param: string) => string;

/** How an adapter writes "of this dataset" with the dataset id bound to `param` (default: dataset_id = it). */
export type OfDataset = (param: string) => string;

/**
 * AND-ed conditions for a JobFilter with named parameters, and the key of its shape (SQLite
 * prepares one statement per shape, so every filter combination keeps its index).
 */
export function jobFilterSql(
  filter: JobFilter | undefined,
  inList: InList,
  ofBatch: OfBatch = (param) => `batch_id = :${param}`,
  ofDataset: OfDataset = (param) => `dataset_id = :${param}`,
): { sql: string; shape: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const list = (column: 'status' | 'id', param: string, values: readonly (string | number)[]) => {
    const { sql, value } = inList(column, param, values);
    parts.push(sql);
    params[param] = value;
  };
  const equal = (column: string, param: string, value: unknown) => {
    parts.push(`${column} = :${param}`);
    params[param] = value;
  };
  if (filter?.status) list('status', 'filterStatuses', filter.status);
  if (filter?.batchId !== undefined) {
    parts.push(ofBatch('filterBatchId'));
    params.filterBatchId = filter.batchId;
  }
  if (filter?.datasetId !== undefined) {
    parts.push(ofDataset('filterDatasetId'));
    params.filterDatasetId = filter.datasetId;
  }
  if (filter?.sku !== undefined) equal('sku', 'filterSku', filter.sku);
  if (filter?.ids) list('id', 'filterIds', filter.ids);
  return { sql: parts.map((p) => ` AND ${p}`).join(''), shape: Object.keys(params).join(','), params };
}

export interface WorkerRow<Json> {
  worker_id: string;
  host: string;
  pid: number;
  concurrency: number;
  started_at: number;
  last_heartbeat_at: number;
  running: number;
  status: string;
  counters: Json | null;
  /** worker_waiting's count (040), NULL when none was sent with the row's last heartbeat (worker-list.sql). */
  waiting_for_thread: number | null;
  /** How long ago the database heard the last heartbeat, on its own clock (PostgreSQL's worker_heard, 041); absent or NULL where not known. */
  heartbeat_age_ms?: number | null;
}

export function workerFromRow<Json>(row: WorkerRow<Json>, parseJson: ParseJson<Json>): WorkerInfo {
  const info: WorkerInfo = {
    workerId: row.worker_id,
    host: row.host,
    pid: row.pid,
    concurrency: row.concurrency,
    startedAt: row.started_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    running: row.running,
    status: row.status as WorkerInfo['status'],
  };
  if (row.counters) info.counters = parseJson(row.counters) as Record<string, number>;
  if (row.waiting_for_thread != null) info.waitingForThread = row.waiting_for_thread;
  if (row.heartbeat_age_ms != null) info.heartbeatAgeMs = Math.max(0, row.heartbeat_age_ms);
  return info;
}
