import type { JobSummary } from '../api/types.js';

/**
 * The summary's running jobs split into those running on a worker's thread and those a worker
 * claimed ahead (prefetch) that wait for a free one: both are `running` in the store, but "4
 * running" on 2 threads told planners twice the work under way. The API reads the waiting ones
 * from the workers' heartbeats (null for a filtered view, absent from an older API: all running).
 */
export function runningSplit(summary: JobSummary): { onThread: number; waiting: number } {
  const waiting = Math.max(0, Math.min(summary.running, summary.waitingForThread ?? 0));
  return { onThread: summary.running - waiting, waiting };
}
