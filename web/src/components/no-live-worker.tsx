import type { JobSummary } from '../api/types.js';
import { formatCounted } from '../format.js';

/**
 * How many jobs wait with no worker alive to run them (the API's `summary.liveWorkers` is 0 while
 * jobs are pending or running), else null: a worker is alive, nothing waits, or the API does not
 * say (an older one, or its registry unreadable). The running ones count too: a SIGKILLed worker's
 * jobs stay `running` at 0% until a live worker's maintenance rescues them after their lease, and
 * the page read "Optimizing … (0%)" with an ETA meanwhile.
 */
export function jobsWithoutWorker(summary: JobSummary): number | null {
  const waiting = summary.pending + summary.running;
  return summary.liveWorkers === 0 && waiting > 0 ? waiting : null;
}

/** "No worker running: 3 jobs wait". */
export function noWorkerText(waiting: number): string {
  return `No worker running: ${formatCounted(waiting, 'job')} ${waiting === 1 ? 'waits' : 'wait'}`;
}

/** What to run, in the README's words (its two-terminal way, and the one-command way): plain text, for a tooltip. */
export const startWorkerHint =
  'Start one on the same database: node server.js worker (skucast worker), or run skucast start, which runs the API with its workers.';

/** The same, with the commands set as code. */
export function StartWorkerHint() {
  return (
    <>
      Start one on the same database: <code>node server.js worker</code> (<code>skucast worker</code>), or run <code>skucast start</code>, which
      runs the API with its workers.
    </>
  );
}
