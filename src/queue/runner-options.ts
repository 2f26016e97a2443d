import type { Backoff } from './backoff.js';
import type { Clock } from './clock.js';
import type { Job } from './job.js';
import type { JobHandler } from './job-handler.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';

/** How a Runner is built (runner.ts). */
export interface RunnerOptions {
  store: QueueStore;
  handler: JobHandler;
  workerId: string;
  logger: QueueLogger;
  concurrency: number;
  leaseMs?: number; // default 30 s
  pollMs?: number; // backstop claim poll, default 1 s
  progressMs?: number; // at most one progress write per job per this, default 250 ms
  lostCheckMs?: number; // default 250 ms
  /** Errors that retrying cannot fix (bad input data): the job fails at once. */
  isPermanent?: (error: unknown) => boolean;
  backoff?: Backoff;
  /**
   * How long one attempt of `job` may run (ms; null: no limit). When it passes, the handler is
   * aborted with a JobTimeoutError and the attempt fails ("timed out after N s"), then retries
   * with backoff like any error. Default: no limit.
   */
  runTimeoutMs?: (job: Job) => number | null | Promise<number | null>;
  clock?: Clock;
  /** Subscribe to store.watch (default true). Tests that drive wakes by hand turn it off. */
  watch?: boolean;
  /** After a job's last write (completed, failed or retried); synchronous, so keep it cheap. A throw is logged and changes nothing. */
  onSettled?: (job: Job) => void;
  /**
   * When this worker ran dry while running: it holds no job (prefetched ones included), the queue
   * had nothing for it, and it finished at least one job since the last call (an idle worker's
   * polls never call it; a trickle of single jobs calls it once a job). Never during a stop.
   * Synchronous; a throw is logged and changes nothing. The worker refreshes the database's
   * statistics here: the reads a planner makes right after the queue empties are planned on them.
   */
  onRanDry?: () => void;
}
