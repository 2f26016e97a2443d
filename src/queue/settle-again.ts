import type { Clock } from './clock.js';
import { errorText } from './lease-keeper.js';
import type { QueueLogger } from './queue-logger.js';
import type { RunnerCounters } from './runner-counters.js';
import type { ActiveJob } from './settler.js';

export interface SettleAgainOptions {
  logger: QueueLogger;
  workerId: string;
  clock: Clock;
  counters: RunnerCounters;
  /** The longest wait between tries: well inside a renewal period. */
  maxDelayMs: number;
  /** The store's word on whether a refusal may pass if tried again (QueueStore.isTransient). */
  isTransient: (error: unknown) => boolean;
  /** The runner stopped at once: nothing more is written. */
  stopped: () => boolean;
}

/**
 * A job's final write the database refused, tried again. The outcome is what the run was for:
 * a transient refusal (SQLITE_BUSY while another process holds the lock, a PostgreSQL blip, a
 * deadlock) is tried again with backoff for as long as the job is held, and the runner's
 * LeaseKeeper keeps renewing its lease meanwhile.
 *
 * A refusal that cannot pass by trying again (a constraint, a result the database cannot store)
 * would otherwise hold the job and its slot forever, renewing its lease: the result is given up
 * and the attempt fails through `fallback` (retried with backoff like any error, so its attempts
 * stay bounded). If there is no fallback, or it is refused for good too, the job is let go: its
 * lease lapses and Maintenance rescues it.
 *
 * Returns true once a write went through (a fenced write counts: the job was not ours), false
 * when it gave up: the lease was found gone, the runner stopped, or the refusal is permanent.
 */
export async function settleAgain(
  o: SettleAgainOptions,
  active: ActiveJob,
  write: () => Promise<void>,
  refusal: unknown,
  fallback?: (refusal: unknown) => Promise<void>,
): Promise<boolean> {
  const { job } = active.claimed;
  let error = refusal;
  let current = write;
  let fellBack = false;
  for (let attempt = 1; ; attempt++) {
    if (!o.isTransient(error)) {
      if (fallback && !fellBack && !active.leaseLost && !o.stopped()) {
        fellBack = true;
        const cause = error;
        current = () => fallback(cause);
        o.logger.warn({ event: 'settle', jobId: job.id, workerId: o.workerId, attempt, err: errorText(error) },
          `Worker: the database refused the outcome of job ${job.id} for good; failing the attempt instead`);
        try {
          await current();
          return true;
        } catch (again) {
          error = again;
          continue;
        }
      }
      o.logger.error({ event: 'fail', jobId: job.id, workerId: o.workerId, attempt, permanent: true, err: errorText(error) },
        `Worker: could not record the outcome of job ${job.id} (refused for good); letting its lease lapse, it will be rescued`);
      return false;
    }
    if (active.leaseLost || o.stopped()) {
      o.logger.error({ event: 'fail', jobId: job.id, workerId: o.workerId, attempt, err: errorText(error) },
        `Worker: could not record the outcome of job ${job.id} and no longer holds it; it will be rescued`);
      return false;
    }
    const delayMs = Math.min(o.maxDelayMs, 100 * 2 ** Math.min(attempt - 1, 20));
    o.counters.settleRetries++;
    o.logger.warn({ event: 'settle', jobId: job.id, workerId: o.workerId, attempt, delayMs, err: errorText(error) },
      `Worker: could not record the outcome of job ${job.id} (try ${attempt}); trying again in ${delayMs} ms while keeping its lease`);
    await new Promise<void>((resolve) => o.clock.setTimeout(resolve, delayMs));
    try {
      await current();
      return true;
    } catch (again) {
      error = again;
    }
  }
}
