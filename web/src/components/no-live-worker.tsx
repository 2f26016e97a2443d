import type { JobSummary } from '../api/types.js';
import { formatCounted } from '../format.js';

/**
 * How many jobs wait with no worker taking jobs (the API's `summary.liveWorkers` is 0 while jobs
 * are pending or running, and no worker drains), else null: a worker is alive or still finishing
 * its jobs (a stopping one: SIGTERM gives its running jobs 30 to 60 s), nothing waits, or the API
 * does not say (an older one, or its registry unreadable). The running ones count too: a
 * SIGKILLed worker's jobs stay `running` at 0% until a live worker's maintenance rescues them
 * after their lease, and the page read "Optimizing … (0%)" with an ETA meanwhile.
 */
export function jobsWithoutWorker(summary: JobSummary): number | null {
  const waiting = summary.pending + summary.running;
  if ((summary.drainingWorkers ?? 0) > 0) return null;
  return summary.liveWorkers === 0 && waiting > 0 ? waiting : null;
}

/** "No worker is taking jobs: 3 jobs wait". */
export function noWorkerText(waiting: number): string {
  return `No worker is taking jobs: ${formatCounted(waiting, 'job')} ${waiting === 1 ? 'waits' : 'wait'}`;
}

/**
 * How many pending jobs wait while every worker left drains (`liveWorkers` 0, `drainingWorkers`
 * above 0), else null. Draining is the summary's word for a worker whose status is `stopping`, the
 * word the page shows. The draining ones finish the jobs they run (those move, so they are not
 * counted) but claim nothing new: the pending ones wait for a worker to start, and the page said
 * nothing of it (jobsWithoutWorker is null while one drains).
 */
export function jobsLeftByDrainingWorkers(summary: JobSummary): number | null {
  if (summary.liveWorkers !== 0 || (summary.drainingWorkers ?? 0) === 0) return null;
  return summary.pending > 0 ? summary.pending : null;
}

/** "Workers are stopping: 3 jobs wait for a worker". */
export function drainingWorkersText(waiting: number): string {
  return `Workers are stopping: ${formatCounted(waiting, 'job')} ${waiting === 1 ? 'waits' : 'wait'} for a worker`;
}

/**
 * What the page says of the workers while jobs wait, if anything: none taking jobs (`stranded`:
 * even the running jobs are a dead worker's, waiting for a rescue), or only draining ones.
 */
export interface WorkerNotice {
  text: string;
  stranded: boolean;
}

export function workerNotice(summary: JobSummary): WorkerNotice | null {
  const stranded = jobsWithoutWorker(summary);
  if (stranded !== null) return { text: noWorkerText(stranded), stranded: true };
  const left = jobsLeftByDrainingWorkers(summary);
  return left === null ? null : { text: drainingWorkersText(left), stranded: false };
}

/**
 * What to run, in the README's words (its two-terminal way, and the one-command way): plain text,
 * for a tooltip. Also shown while `skucast start` restarts a worker that exited (its backoff, up
 * to 30 s) or before a new worker's first heartbeat: so it says that start restarts its own.
 */
export const startWorkerHint =
  'Start one on the same database: node server.js worker (skucast worker), or run skucast start, which runs the API with its workers. '
  + 'Under skucast start, a worker that exited is restarted on its own within 30 s.';

/** The same, with the commands set as code. */
export function StartWorkerHint() {
  return (
    <>
      Start one on the same database: <code>node server.js worker</code> (<code>skucast worker</code>), or run <code>skucast start</code>, which
      runs the API with its workers. Under <code>skucast start</code>, a worker that exited is restarted on its own within 30 s.
    </>
  );
}
