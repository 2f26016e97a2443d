import type { ActiveJob } from './settler.js';

/**
 * Of the jobs a runner holds, those claimed but not fitting yet: a queuing handler's before
 * ctx.runStarted(). That is reading their input (the first `concurrency` of them too, while their
 * threads are free; a dataset's pooled profile, forecast-handler.ts, is part of it) or waiting for
 * a thread (prefetched behind busy ones). Not those let go (cancelled, fenced, released: no longer
 * ours) nor those finishing (their handler returned before starting, an input error say: their
 * final write is under way, not a wait).
 * The worker sends it with each heartbeat (summary.waitingForThread): counted then, over the
 * handful of jobs held, instead of kept up to date on every start.
 *
 * runStarted is one-way: a task the thread pool runs again after it started (its thread replaced
 * because the task before it was aborted, thread-pool.ts replace()) waits for a thread again
 * without being counted (rare: only after an abort of the task ahead of it on the same thread).
 */
export function countWaiting(jobs: Iterable<ActiveJob>): number {
  let waiting = 0;
  for (const job of jobs) if (job.waiting && !job.letGo && !job.finishing) waiting++;
  return waiting;
}
