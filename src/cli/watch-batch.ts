import type { QueueSummary } from '../queue/job.js';
import type { Store } from '../stores/store.js';
import { heartbeatAge, staleWorkerMs } from '../queue/job.js';

/**
 * `skucast import --watch`: follows the batch it queued until nothing in it is pending or
 * running. Modes: on a terminal the progress line is redrawn in place (looks every 500 ms, or
 * 250 ms after a store wake-up); into a log file a line is written every 5 s and at the end.
 */

const barWidth = 30;

/** Seconds as `42s`, `3m05s` or `1h02m`; `--` when unknown. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A bar of the jobs done of the batch's total, the rate, the ETA, and why it may look stuck. */
function progressLine(s: QueueSummary, rate: number, elapsedS: number): string {
  const total = s.total - s.cancelled;
  const done = s.completed + s.failed;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  const filled = total > 0 ? Math.round((barWidth * done) / total) : barWidth;
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${done}/${total} jobs  ${rate.toFixed(1)}/s  ETA ${duration(eta)}` +
    (s.failed > 0 ? `  (${s.failed} failed)` : '') + (s.running === 0 && s.pending > 0 && elapsedS > 5 ? '  waiting for workers (skucast worker)' : '');
}

export interface WatchOptions {
  /**
   * A database the import just created, which no worker can have been using: when no worker has
   * beaten in it after this long and none of the batch has run, stop (`noWorker` in the answer)
   * rather than wait forever. Once one has, the watch goes on as any other.
   */
  noWorkerMs?: number;
}

/** Whether the registry has a worker that is running and beat lately. */
async function workerAttached(store: Store): Promise<boolean> {
  const now = Date.now();
  return (await store.listWorkers()).some((w) => w.status === 'running' && heartbeatAge(w, now) <= staleWorkerMs);
}

/**
 * Follows one batch until nothing in it is pending or running; returns its final counts, with
 * `noWorker` when it gave up waiting for a worker (WatchOptions.noWorkerMs).
 */
export async function watchBatch(store: Store, batchId: string, write: (text: string) => void, tty: boolean, options: WatchOptions = {}) {
  const started = Date.now();
  let awaitingWorker = options.noWorkerMs !== undefined;
  let firstDone: number | null = null;
  let lastLine = 0;
  let wake: () => void = () => {};
  const nextLook = () => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, tty ? 500 : 5000);
    wake = () => {
      clearTimeout(timer);
      // Wake-ups come in bursts while workers complete jobs: redraw at most twice a second.
      setTimeout(resolve, 250);
    };
  });
  const unwatch = await store.watch(() => wake());
  try {
    for (;;) {
      const s = await store.summary({ batchId });
      const done = s.completed + s.failed;
      firstDone ??= done;
      const elapsed = (Date.now() - started) / 1000;
      const line = progressLine(s, elapsed > 0 ? (done - firstDone) / elapsed : 0, elapsed);
      const finished = s.pending + s.running === 0;
      if (tty) write(`\r${line}\u001b[K`);
      else if (finished || Date.now() - lastLine >= 5000) {
        write(`${line}\n`);
        lastLine = Date.now();
      }
      if (finished) {
        if (tty) write('\n');
        return { ...s, seconds: elapsed, noWorker: null };
      }
      if (awaitingWorker && (s.running > 0 || done > 0 || (await workerAttached(store)))) awaitingWorker = false;
      if (awaitingWorker && elapsed * 1000 >= options.noWorkerMs!) {
        if (tty) write('\n');
        return { ...s, seconds: elapsed, noWorker: { seconds: elapsed, pending: s.pending } };
      }
      await nextLook();
    }
  } finally {
    await unwatch();
  }
}
