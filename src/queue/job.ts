import type { JobReason, JobStatus } from './job-state.js';

/** A job as the API and every store return it (camelCase; times are epoch milliseconds). */
export interface Job {
  id: number;
  batchId: string;
  datasetId: string | null;
  sku: string;
  modelId: string;
  method: string;
  reason: JobReason;
  priority: number;
  status: JobStatus;
  progress: number; // 0..100
  attempts: number;
  maxAttempts: number;
  error: string | null;
  result: unknown | null; // JSON; only filled by getJob / when asked for
  settings: JobSettings;
  inputHash: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  runAt: number;
  workerId: string | null;
}

/**
 * The forecasting settings a job runs with, frozen at enqueue time so a worker computes
 * exactly what was asked even if the dataset's settings change meanwhile.
 */
export interface JobSettings {
  horizon?: number;
  holdout?: number;
  metric?: string;
  intervalLevels?: number[];
  frequency?: string;
  [key: string]: unknown;
}

export interface NewJob {
  datasetId: string | null;
  sku: string;
  modelId: string;
  method: string;
  reason: JobReason;
  priority: number;
  maxAttempts?: number; // default 3
  settings?: JobSettings;
  /**
   * Hash of everything the result depends on (series values, model, method, settings,
   * engine version). When a completed job with the same hash exists, enqueue copies its
   * result and inserts the new job as `completed` (counted in jobsReused).
   */
  inputHash?: string | null;
}

export interface EnqueueOptions {
  batchId: string;
  /** Cancel older pending/running jobs for the same (datasetId, sku, modelId, method). Default true. */
  supersede?: boolean;
  /** Complete at once from a cached result with the same inputHash. Default true. */
  reuse?: boolean;
}

export interface EnqueueResult {
  batchId: string;
  jobsCreated: number; // rows inserted, reused ones included
  jobsReused: number;
  jobsCancelled: number; // older jobs superseded
  /** The batch's ids are firstId..lastId, in SKU order within each run of alike jobs (QueueStore.enqueue). */
  firstId: number | null;
  lastId: number | null;
}

/** What a worker holds while it runs a job: every write it makes is fenced by the token. */
export interface Lease {
  jobId: number;
  leaseToken: string;
}

export interface ClaimedJob extends Lease {
  job: Job;
  leaseExpiresAt: number;
}

export interface JobFilter {
  status?: JobStatus[];
  batchId?: string;
  datasetId?: string;
  sku?: string;
  ids?: number[];
}

export interface ListJobsQuery extends JobFilter {
  limit: number;
  cursor?: string | null; // opaque keyset cursor returned as nextCursor
  includeResult?: boolean;
  /**
   * Also the summary of the query's scope (its batch, dataset, SKU and ids; not its status), read in
   * the page's snapshot: the counts agree with the page however the workers move jobs meanwhile.
   */
  withSummary?: boolean;
}

export interface JobPage {
  jobs: Job[];
  nextCursor: string | null;
  /** With `withSummary`. */
  summary?: QueueSummary;
}

export interface JobCounts {
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** A summary read from counters kept up to date by every transition: never a scan of the job table. */
export interface QueueSummary extends JobCounts {
  total: number;
  /** Sum of the progress of running jobs, for an overall progress figure. */
  runningProgress: number;
  /** A change counter that moves on every job write: the API builds its ETag from it. */
  version: number;
}

/**
 * A running or stopping worker that has not beaten in this long is stale: it likely died without
 * saying so. /api/health and /metrics show it so; a new start under its id may take its row.
 */
export const staleWorkerMs = 60_000;

export interface WorkerInfo {
  workerId: string;
  host: string;
  pid: number;
  concurrency: number;
  startedAt: number;
  lastHeartbeatAt: number;
  running: number;
  status: 'running' | 'stopping' | 'stopped';
  /** Cumulative event counts of this worker (claimed, completed, failed, retried, fenced, rescued, ...), stored as JSON, for /metrics. */
  counters?: Record<string, number>;
  /**
   * Of `running`, the jobs claimed but not fitting yet on one of this worker's threads (reading
   * their input, or prefetched and waiting for a thread), as its runner counted them for this
   * heartbeat (Runner.waitingForThread, countWaiting).
   * Absent when not reported: a worker older than migration 040 (queue-progress.ts then estimates it).
   */
  waitingForThread?: number;
  /**
   * How long ago the store received the last heartbeat, both readings taken on the database's own
   * clock, as of the listWorkers() that read it: for stores shared by hosts whose clocks may
   * disagree (PostgreSQL). Absent where the store has no such reading (SQLite: one machine, so the
   * reader's clock is the workers' and `now - lastHeartbeatAt` is the age; a PostgreSQL beat sent by
   * a worker older than migration 041). heartbeatAge() picks.
   */
  heartbeatAgeMs?: number;
}

/**
 * How long ago a worker last beat: the store's own reading where it has one (heartbeatAgeMs),
 * else `now` (the caller's clock) minus the beat's date (the worker's clock), which is right only
 * when the two clocks agree: SQLite's processes share one machine's.
 */
export function heartbeatAge(worker: Pick<WorkerInfo, 'lastHeartbeatAt' | 'heartbeatAgeMs'>, now: number): number {
  return worker.heartbeatAgeMs ?? now - worker.lastHeartbeatAt;
}

export interface RescueResult {
  rescued: number; // back to pending
  failed: number; // attempts exhausted
  jobIds: number[];
  /** Of jobIds, those that failed (their last attempt's lease expired): logged and counted as such, not as back to pending. */
  failedJobIds: number[];
  /** Each job of jobIds (in that order): the worker whose lease expired and the attempts it had used, for the log line. */
  jobs: RescuedJob[];
}

/** One job a rescue took back: from which worker, and how many of its attempts are used. */
export interface RescuedJob {
  id: number;
  status: 'pending' | 'failed';
  /** The worker that held the lease that expired (null for a row written outside the app). */
  workerId: string | null;
  /** Attempts used, the one whose lease expired included. */
  attempts: number;
  maxAttempts: number;
}
