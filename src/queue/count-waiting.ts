import type { ActiveJob } from './settler.js';

/**
 * Of the jobs a runner holds, those whose work has not started: a queuing handler's before
 * ctx.runStarted() (prefetched behind busy threads, or still reading their input). Not those let
 * go (cancelled, fenced, released: no longer ours) nor those finishing (their handler returned
 * before starting, an input error say: their final write is under way, not a wait for a thread).
 * The worker sends it with each heartbeat (summary.waitingForThread): counted then, over the
 * handful of jobs held, instead of kept up to date on every start.
 */
export function countWaiting(jobs: Iterable<ActiveJob>): number {
  let waiting = 0;
  for (const job of jobs) if (job.waiting && !job.letGo && !job.finishing) waiting++;
  return waiting;
}
