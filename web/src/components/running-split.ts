import type { JobSummary } from '../api/types.js';

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
