import type { JobSummary } from '../api/types.js';

/**
 * The summary as the queue's progress shows it: `progress` over the current run, the jobs queued
 * since this browser last saw the queue idle (or since it first polled, when it opened mid-run),
 * and `runJobs`, how many jobs that run has. The API's `progress` counts every job still in the
 * queue: right after a 70-job upload on top of 635 finished jobs it read "90%", which a planner
 * takes for "my upload is 90% done".
 */
export type ShownSummary = JobSummary & { runJobs?: number };

/**
 * The work already done when the run began (in jobs, running ones by their progress), and the
 * summary to show. `before` is the baseline kept from the previous poll, null at the first.
 */
/**
 * Jobs finished, plus the running ones' share, which is all the summary's `progress` (rounded to
 * 0.1% of every job) adds: over 50,000 finished jobs its rounding alone is 25 jobs, so it only
 * places the running jobs between none and all of them done.
 */
function workDone(summary: JobSummary): number {
  const finished = summary.completed + summary.failed;
  const counted = finished + summary.pending + summary.running;
  const running = (counted * Math.max(0, Math.min(100, summary.progress))) / 100 - finished;
  return finished + Math.max(0, Math.min(summary.running, running));
}

export function runProgress(summary: JobSummary, before: number | null): { before: number | null; shown: ShownSummary } {
  const done = workDone(summary);
  // Idle: everything done so far is before the next run.
  if (!summary.isOptimizing) return { before: done, shown: summary };
  // First poll mid-run, or jobs deleted ("Clear completed", a reset): count from here.
  const base = before === null || done < before ? done : before;
  const jobs = summary.completed + summary.failed + summary.pending + summary.running - base;
  // Floored and short of 100 while the run lasts (it is optimizing here): rounded, 4,718 of 4,720
  // read 100% for the half minute two jobs of a killed worker waited out their leases.
  const progress = jobs > 0 ? Math.min(99.9, Math.floor((1000 * (done - base)) / jobs + 1e-9) / 10) : 0;
  return { before: base, shown: { ...summary, progress, runJobs: Math.round(jobs) } };
}
