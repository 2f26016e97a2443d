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
