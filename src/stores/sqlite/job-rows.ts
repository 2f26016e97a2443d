import type { JobReason, JobStatus } from '../../queue/job-state.js';
import type { Job, JobFilter, WorkerInfo } from '../../queue/job.js';

/** A jobs row as SQLite returns it (snake_case, JSON as text). */
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
  result?: string | null;
  settings: string;
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
    result: row.result == null ? null : JSON.parse(row.result),
    settings: JSON.parse(row.settings),
    inputHash: row.input_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runAt: row.run_at,
    workerId: row.worker_id,
  };
}

/** JSON text for a result column; `undefined` (not JSON) is stored as null. */
export function resultToText(result: unknown): string | null {
  const text = JSON.stringify(result);
  return text === undefined ? null : text;
}

/**
 * AND-ed conditions for a JobFilter with named parameters, and the key of its shape:
 * statements are prepared once per shape so every filter combination keeps its index.
 */
export function jobFilterSql(filter: JobFilter | undefined): { sql: string; shape: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter?.status) {
    parts.push('status IN (SELECT value FROM json_each(:filterStatuses))');
    params.filterStatuses = JSON.stringify(filter.status);
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
    parts.push('id IN (SELECT value FROM json_each(:filterIds))');
    params.filterIds = JSON.stringify(filter.ids);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), shape: Object.keys(params).join(','), params };
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
  counters: string | null;
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
  if (row.counters) info.counters = JSON.parse(row.counters) as Record<string, number>;
  return info;
}
