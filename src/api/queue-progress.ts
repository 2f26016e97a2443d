import { heartbeatAge, type QueueSummary, type WorkerInfo } from '../queue/job.js';
import type { JobStatus } from '../queue/job-state.js';
import { staleWorkerMs } from './routes/health.js';

export interface QueueProgress {
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  isOptimizing: boolean;
  /**
   * 0..100 over every job that is not cancelled; a failed job counts as done. Reads 100 only once
   * nothing is pending or running (percentOfDone).
   */
  progress: number;
  /** null while unknown: nothing finished recently to measure a pace by. */
  etaSeconds: number | null;
  /**
   * Of `running`, the jobs a worker claimed that are not fitting yet (reading their input, or
   * prefetched and waiting for a thread): waitingForThread(). null for a view filtered to a
   * dataset, a batch or a SKU, whose share of them the workers do not say, and when the worker
   * registry could not be read.
   */
  waitingForThread: number | null;
  /**
   * Workers that take jobs now (liveWorkers()): 0 while jobs are pending or running means nothing
   * will move them until a worker starts (a SIGKILLed worker's running jobs included: only a live
   * worker's maintenance rescues them). null when the worker registry could not be read.
   */
  liveWorkers: number | null;
  /**
   * Workers stopping (drainingWorkers()): they take no new job but still finish the ones they run,
   * so 0 live workers with one draining is not "nothing moves". null when the registry could not
   * be read.
   */
  drainingWorkers: number | null;
}

/**
 * `done` hundredths of jobs out of `counted` jobs as a percentage to 0.1, floored, and at most 99.9
 * while `unfinished`: rounded, 4,718 of 4,720 read 100 (ETA 1 s) for the half minute two jobs of a
 * killed worker waited out their leases; and a running job whose fit is at 100 but whose complete
 * is not written yet would read 100 even floored.
 */
export function percentOfDone(done: number, counted: number, unfinished: boolean): number {
  if (counted <= 0) return 0;
  // The epsilon keeps a float's 69.99999 (of an exact 70) from flooring to 69.9.
  const floored = Math.min(100, Math.floor((done * 10) / counted + 1e-9) / 10);
  return unfinished ? Math.min(99.9, floored) : floored;
}

export const throughputWindowMs = 5 * 60_000;

/**
 * The queue's progress and ETA from its counters and the recent pace. The ETA assumes the pace of
 * the last few minutes holds: remaining work (pending + the unfinished part of running jobs)
 * divided by jobs completed per second in the window, or since the first of them started where
 * that is later (a run younger than the window).
 */
export function queueProgress(
  summary: QueueSummary,
  throughput: { completed: number; avgDurationMs: number | null; spanMs?: number | null },
  windowMs = throughputWindowMs,
  waiting: number | null = null,
  live: number | null = null,
  draining: number | null = null,
): QueueProgress {
  const { pending, running, completed, failed, cancelled } = summary;
  const counted = summary.total - cancelled;
  const done = completed * 100 + summary.runningProgress + failed * 100;
  const progress = percentOfDone(done, counted, pending + running > 0);
  const remaining = pending + Math.max(0, running - summary.runningProgress / 100);
  let etaSeconds: number | null = null;
  if (remaining <= 0) etaSeconds = 0;
  // No worker to do it: the recent pace says nothing about when it will be done.
  else if (live === 0) etaSeconds = null;
  else if (throughput.completed > 0) etaSeconds = Math.ceil(remaining / (throughput.completed / ((throughput.spanMs ?? windowMs) / 1000)));
  return {
    pending, running, completed, failed, cancelled, isOptimizing: pending + running > 0, progress, etaSeconds,
    waitingForThread: waiting === null ? null : Math.max(0, Math.min(running, waiting)),
    liveWorkers: live,
    drainingWorkers: draining,
  };
}

/**
 * How many workers take jobs: registered as `running` (not stopping, not stopped) with a
 * heartbeat in the last minute (staleWorkerMs, as /api/health and /metrics call a silent worker
 * stale). A SIGKILLed worker says nothing: its row stays `running` until it goes silent for that
 * minute, or until `skucast start`'s supervisor, which saw it die, marks it stopped at once.
 * The minute is measured on the database's clock where the store has one reading of it
 * (heartbeatAge: PostgreSQL), so a worker host whose clock disagrees with the API's is neither
 * dead while it beats nor alive long after; `now` (this host's clock) serves the rest (SQLite's
 * processes share one machine's clock).
 */
export function liveWorkers(workers: readonly WorkerInfo[], now: number): number {
  return workers.filter((w) => w.status === 'running' && heartbeatAge(w, now) <= staleWorkerMs).length;
}

/**
 * How many workers drain: registered as `stopping` (a SIGTERM: no new claims, running jobs get
 * their shutdown time to finish, 30 to 60 s) with a heartbeat in the last minute (a stopping worker
 * still beats). Their jobs move meanwhile: the web app says "no worker" only when none drains.
 */
export function drainingWorkers(workers: readonly WorkerInfo[], now: number): number {
  return workers.filter((w) => w.status === 'stopping' && heartbeatAge(w, now) <= staleWorkerMs).length;
}

/**
 * How many `running` jobs are claimed but not fitting yet: the sum of what each live worker's
 * runner counted at its last heartbeat (WorkerInfo.waitingForThread, countWaiting: held jobs whose
 * fit has not started on a thread, still reading their input or prefetched behind busy threads).
 * Exact as of each worker's last written beat, so as old as that beat: normally up to one period
 * (5 s), up to a minute while a worker's heartbeats fail (a failed beat is only logged, and the
 * worker counts as live for staleWorkerMs). Off both ways meanwhile: a fit started since is still
 * counted here, a job claimed since is not (it shows as fitting; queueProgress clamps the sum to
 * the store's `running`). The summary stays a read of counters plus the registry (a row per
 * worker), never of the jobs. Stopped and stale workers (silent over a minute: likely dead) count
 * for nothing.
 *
 * A worker older than migration 040 reports no count: for it, the estimate used before, from its
 * `running` on `concurrency` threads: at least running - concurrency have not started while its
 * threads are busy (a forecast worker fits or waits on up to its threads plus its prefetch, run-worker.ts).
 * That one runs a little high: its `running` also counts jobs whose complete is still being written
 * and jobs let go that are still unwinding.
 */
export function waitingForThread(workers: readonly WorkerInfo[], now: number): number {
  let waiting = 0;
  for (const w of workers) {
    if (w.status === 'stopped' || heartbeatAge(w, now) > staleWorkerMs) continue;
    waiting += w.waitingForThread ?? Math.max(0, w.running - w.concurrency);
  }
  return waiting;
}

/** How many jobs of a summary have one of these statuses. */
export function countStatuses(summary: QueueSummary, statuses: readonly JobStatus[] | undefined): number {
  if (!statuses || statuses.length === 0) return summary.total;
  return statuses.reduce((sum, s) => sum + summary[s], 0);
}
