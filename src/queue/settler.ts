import type { Backoff } from './backoff.js';
import type { Clock } from './clock.js';
import type { ClaimedJob, Lease } from './job.js';
import { errorText } from './lease-keeper.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import type { RunnerCounters } from './runner-counters.js';

/** A job the Runner holds, from claim to its last write. */
export interface ActiveJob {
  claimed: ClaimedJob;
  lease: Lease;
  controller: AbortController;
  startedAt: number;
  /** A terminal write was made or is under way (complete, fail, retry, release). */
  finishing: boolean;
  /** The job is no longer ours to write (cancelled, fenced, released, abandoned). */
  letGo: boolean;
  /** The LeaseKeeper found the lease gone while the final write was being tried. */
  leaseLost: boolean;
  /** Counted in the runner's settling slots (claimable while its final write is under way). */
  settling?: boolean;
  /**
   * Held but its work has not begun (a handler that `queuesRuns`, before `ctx.runStarted()`: a
   * prefetched job waiting for a thread). A graceful stop releases such jobs at once.
   */
  waiting?: boolean;
  done: Promise<void>;
}

/** The reason an aborted handler sees in `signal.reason`. */
export class JobAbortedError extends Error {
  override name = 'JobAbortedError';
  constructor(readonly why: 'cancel' | 'fenced' | 'shutdown' | 'abandon', message: string) {
    super(message);
  }
}

export interface SettlerOptions {
  store: QueueStore;
  logger: QueueLogger;
  workerId: string;
  clock: Clock;
  counters: RunnerCounters;
  isPermanent: (error: unknown) => boolean;
  backoff: Backoff;
}

/**
 * Settler makes a job's last write for the Runner: complete, fail (a permanent error, or the
 * attempts used up), retry (with backoff) or release (shutdown), each fenced by the lease, and
 * logs and counts it. A write that changes nothing is logged as `fenced`: the job was no longer
 * ours, and nothing of this run is kept.
 */
export class Settler {
  constructor(private readonly o: SettlerOptions) {}

  async complete(active: ActiveJob, result: unknown): Promise<void> {
    const { job } = active.claimed;
    if (await this.o.store.complete(active.lease, result ?? null)) {
      this.o.counters.completed++;
      this.o.logger.info(
        { event: 'complete', jobId: job.id, sku: job.sku, modelId: job.modelId, attempt: job.attempts, durationMs: this.o.clock.now() - active.startedAt, workerId: this.o.workerId },
        `Worker: Completed job ${job.id} (sku ${job.sku}, model ${job.modelId})`,
      );
    } else {
      this.fenced(active, 'complete');
    }
  }

  async failure(active: ActiveJob, error: unknown): Promise<void> {
    const { job } = active.claimed;
    const message = errorText(error);
    const base = { jobId: job.id, sku: job.sku, modelId: job.modelId, attempt: job.attempts, workerId: this.o.workerId };
    if (this.o.isPermanent(error)) {
      if (await this.o.store.fail(active.lease, message)) {
        this.o.counters.failed++;
        this.o.logger.info({ event: 'fail', ...base, permanent: true, error: message }, `Worker: Failed job ${job.id}: ${message}`);
      } else this.fenced(active, 'fail');
      return;
    }
    if (job.attempts >= job.maxAttempts) {
      const reason = `Failed after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}: ${message}`;
      if (await this.o.store.fail(active.lease, reason)) {
        this.o.counters.failed++;
        this.o.logger.info({ event: 'fail', ...base, error: reason }, `Worker: Failed job ${job.id}: ${reason}`);
      } else this.fenced(active, 'fail');
      return;
    }
    const delayMs = this.o.backoff(job.attempts);
    if (await this.o.store.retry(active.lease, message, this.o.clock.now() + delayMs)) {
      this.o.counters.retried++;
      this.o.logger.info({ event: 'retry', ...base, delayMs, error: message },
        `Worker: Job ${job.id} failed (attempt ${job.attempts} of ${job.maxAttempts}), retrying in ${delayMs} ms: ${message}`);
    } else this.fenced(active, 'retry');
  }

  async release(active: ActiveJob): Promise<boolean> {
    const { job } = active.claimed;
    active.finishing = true;
    active.letGo = true;
    active.controller.abort(new JobAbortedError('shutdown', 'the worker is shutting down'));
    let released = false;
    try {
      released = await this.o.store.release(active.lease);
    } catch (error) {
      this.o.logger.warn({ event: 'release', jobId: job.id, err: errorText(error) },
        `Worker: could not release job ${job.id}; it will be rescued when its lease expires`);
      return false;
    }
    if (released) {
      this.o.counters.released++;
      this.o.logger.info({ event: 'release', jobId: job.id, sku: job.sku, modelId: job.modelId, workerId: this.o.workerId },
        `Worker: Released job ${job.id} back to pending (shutdown)`);
    } else {
      this.fenced(active, 'release');
    }
    return released;
  }

  fenced(active: ActiveJob, write: string): void {
    const { job } = active.claimed;
    active.letGo = true;
    this.o.counters.fenced++;
    this.o.logger.warn({ event: 'fenced', jobId: job.id, write, workerId: this.o.workerId },
      `Worker: Fenced: job ${job.id} is no longer ours (lost its lease); the ${write} was not written`);
  }
}
