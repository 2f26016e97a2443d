import type { QueueSummary, WorkerInfo } from '../queue/job.js';
import type { JobStatus } from '../queue/job-state.js';
import { staleWorkerMs } from './routes/health.js';

export interface QueueProgress {
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  isOptimizing: boolean;
  /** 0..100 over every job that is not cancelled; a failed job counts as done. */
  progress: number;
  /** null while unknown: nothing finished recently to measure a pace by. */
  etaSeconds: number | null;
  /**
   * Of `running`, the jobs claimed by a worker but waiting for a free thread (prefetched, not
   * started): waitingForThread(). null for a view filtered to a dataset, a batch or a SKU, whose
   * share of them the workers do not say.
   */
  waitingForThread: number | null;
}

export const throughputWindowMs = 5 * 60_000;

/**
 * The queue's progress and ETA from its counters and the recent pace. The ETA assumes the pace of
 * the last few minutes holds: remaining work (pending + the unfinished part of running jobs)
 * divided by jobs completed per second in the window, or since the first of them started where
 * that is later (a run younger than the window).
 */
export function queueProgress(
  summary: QueueSummary,
  throughput: { completed: number; avgDurationMs: number | null; spanMs?: number | null },
  windowMs = throughputWindowMs,
  waiting: number | null = null,
): QueueProgress {
  const { pending, running, completed, failed, cancelled } = summary;
  const counted = summary.total - cancelled;
  const done = completed * 100 + summary.runningProgress + failed * 100;
  const progress = counted > 0 ? Math.min(100, Math.round((done / counted) * 10) / 10) : 0;
  const remaining = pending + Math.max(0, running - summary.runningProgress / 100);
  let etaSeconds: number | null = null;
  if (remaining <= 0) etaSeconds = 0;
  else if (throughput.completed > 0) etaSeconds = Math.ceil(remaining / (throughput.completed / ((throughput.spanMs ?? windowMs) / 1000)));
  return {
    pending, running, completed, failed, cancelled, isOptimizing: pending + running > 0, progress, etaSeconds,
    waitingForThread: waiting === null ? null : Math.max(0, Math.min(running, waiting)),
  };
}

/**
 * How many `running` jobs wait for a thread: a forecast worker holds up to its threads plus its
 * prefetch (run-worker.ts), all `running` in the store, but fits only `concurrency` at once, so of
 * the `running` jobs it reported at its last heartbeat at least running - concurrency have not
 * started while its threads are busy, the only time prefetched jobs wait. An estimate: a
 * heartbeat's `running` also counts jobs whose complete is still in the write batch and jobs let
 * go that are still unwinding, so it can run a little high. Read from
 * the registry (a row per live worker, every 5 s), not from the jobs: the summary stays a read of
 * counters, at the price of a heartbeat's lag (a run's first seconds may still count them running).
 * Stopped and stale workers (silent over a minute: likely dead) count for nothing.
 */
export function waitingForThread(workers: readonly WorkerInfo[], now: number): number {
  let waiting = 0;
  for (const w of workers) {
    if (w.status === 'stopped' || now - w.lastHeartbeatAt > staleWorkerMs) continue;
    waiting += Math.max(0, w.running - w.concurrency);
  }
  return waiting;
}

/** How many jobs of a summary have one of these statuses. */
export function countStatuses(summary: QueueSummary, statuses: readonly JobStatus[] | undefined): number {
  if (!statuses || statuses.length === 0) return summary.total;
  return statuses.reduce((sum, s) => sum + summary[s], 0);
}
