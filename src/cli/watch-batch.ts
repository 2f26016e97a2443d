import type { QueueSummary } from '../queue/job.js';
import type { Store } from '../stores/store.js';

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

/** Follows one batch until nothing in it is pending or running; returns its final counts. */
export async function watchBatch(store: Store, batchId: string, write: (text: string) => void, tty: boolean) {
  const started = Date.now();
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
        return { ...s, seconds: elapsed };
      }
      await nextLook();
    }
  } finally {
    await unwatch();
  }
}
