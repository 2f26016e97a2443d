import type { Job, JobSummary } from '../api/types.js';

/**
 * The summary's running jobs split into those fitting on a worker's thread and those a worker
 * claimed that are not fitting yet (reading their input, or claimed ahead by --prefetch and
 * waiting for a thread): both are `running` in the store, but "4 running" on 2 threads told
 * planners twice the work under way. The API sums the workers' own counts, sent with their
 * heartbeats (null for a filtered view, absent from an older API: all shown running).
 */
export function runningSplit(summary: JobSummary): { onThread: number; waiting: number } {
  const waiting = Math.max(0, Math.min(summary.running, summary.waitingForThread ?? 0));
  return { onThread: summary.running - waiting, waiting };
}

/**
 * Which of the listed running jobs are the claimed ones not fitting yet. A job's row cannot say it
 * (the claim sets `workerId` and `startedAt`, and a fit that just started is at 0% too), but a
 * worker starts its claimed jobs in the order it claimed them, so the `waitingForThread` newest
 * claims still at 0% are the waiting ones (exact for one worker; for several, the count is).
 * Nothing is marked when the summary does not say (a filtered view, an older API).
 */
export function claimedJobIds(jobs: readonly Job[], summary: JobSummary): Set<number> {
  const waiting = summary.waitingForThread ?? 0;
  if (waiting <= 0) return new Set();
  const candidates = jobs
    .filter((job) => job.status === 'running' && job.progress === 0)
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0) || b.id - a.id);
  return new Set(candidates.slice(0, waiting).map((job) => job.id));
}
