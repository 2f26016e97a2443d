import type { QueueSummary } from '../queue/job.js';
import type { JobStatus } from '../queue/job-state.js';

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
): QueueProgress {
  const { pending, running, completed, failed, cancelled } = summary;
  const counted = summary.total - cancelled;
  const done = completed * 100 + summary.runningProgress + failed * 100;
  const progress = counted > 0 ? Math.min(100, Math.round((done / counted) * 10) / 10) : 0;
  const remaining = pending + Math.max(0, running - summary.runningProgress / 100);
  let etaSeconds: number | null = null;
  if (remaining <= 0) etaSeconds = 0;
  else if (throughput.completed > 0) etaSeconds = Math.ceil(remaining / (throughput.completed / ((throughput.spanMs ?? windowMs) / 1000)));
  return { pending, running, completed, failed, cancelled, isOptimizing: pending + running > 0, progress, etaSeconds };
}

/** How many jobs of a summary have one of these statuses. */
export function countStatuses(summary: QueueSummary, statuses: readonly JobStatus[] | undefined): number {
  if (!statuses || statuses.length === 0) return summary.total;
  return statuses.reduce((sum, s) => sum + summary[s], 0);
}
