import type { JobReason, JobStatus } from '../../queue/job-state.js';
import type { Job, JobFilter, JobSettings, WorkerInfo } from '../../queue/job.js';

/** A jobs row as pg returns it: snake_case, int8 already numbers, json columns already parsed. */
export interface JobRow {
  id: number;
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
  result?: unknown;
  settings: JobSettings;
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

/** The columns of a listing: everything but the result, which can be large. */
export const jobColumnsWithoutResult = [
  'id', 'batch_id', 'dataset_id', 'sku', 'model_id', 'method', 'reason', 'priority', 'status', 'progress',
  'attempts', 'max_attempts', 'error', 'settings', 'input_hash', 'lease_token', 'lease_expires_at', 'worker_id',
  'created_at', 'updated_at', 'started_at', 'finished_at', 'run_at',
].join(', ');

export function jobFromRow(row: JobRow): Job {
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
    result: row.result ?? null,
    settings: row.settings,
    inputHash: row.input_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runAt: row.run_at,
    workerId: row.worker_id,
  };
}

/** JSON text for a json column; `undefined` (not JSON) is stored as NULL, as on SQLite. */
export function toJsonText(value: unknown): string | null {
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

/** AND-ed conditions for a JobFilter with named parameters (arrays bound as PostgreSQL arrays). */
export function jobFilterSql(filter: JobFilter | undefined): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter?.status) {
    parts.push('status = ANY (:filterStatuses::text[])');
    params.filterStatuses = filter.status;
  }
  if (filter?.batchId !== undefined) {
    parts.push('batch_id = :filterBatchId');
    params.filterBatchId = filter.batchId;
  }
  if (filter?.datasetId !== undefined) {
    parts.push('dataset_id = :filterDatasetId');
    params.filterDatasetId = filter.datasetId;
  }
  if (filter?.sku !== undefined) {
    parts.push('sku = :filterSku');
    params.filterSku = filter.sku;
  }
  if (filter?.ids) {
    parts.push('id = ANY (:filterIds::bigint[])');
    params.filterIds = filter.ids;
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

export interface WorkerRow {
  worker_id: string;
  host: string;
  pid: number;
  concurrency: number;
  started_at: number;
  last_heartbeat_at: number;
  running: number;
  status: string;
  counters: Record<string, number> | null;
}

export function workerFromRow(row: WorkerRow): WorkerInfo {
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
  if (row.counters) info.counters = row.counters;
  return info;
}
