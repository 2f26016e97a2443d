import { performance } from 'node:perf_hooks';
import type { Job } from '../queue/job.js';
import type { JobContext, JobHandler } from '../queue/job-handler.js';

/**
 * A handler that does no forecasting, for benchmarks and chaos tests. It completes at once (no
 * timer, no thread: the queue's own overhead is what gets measured), or after `sleepMs` to stand
 * in for real work, stopping early when the job is aborted. Its result says who ran it and when
 * it started, so tests can check every job ran exactly once and benchmarks can time pickup.
 *
 * It refuses a job that carries an input hash: that is forecast work (a dataset's import, edit or
 * settings change queued it), and a completed job's result is reused for every later job with
 * the same hash, so a noop "result" would have become that SKU's forecast for good (a re-queue
 * answered jobsReused: 1 and showed nothing). The refusal is an error like any other: the job is
 * retried with backoff, so a forecast worker on the same queue takes it, and fails with this
 * reason once its attempts are used up. `skucast worker --handler noop` also refuses to start on
 * a database that holds datasets (worker-command.ts).
 */
export interface NoopResult {
  noop: true;
  jobId: number;
  workerId: string;
  attempt: number;
  /** Epoch milliseconds (sub-millisecond) when the handler started. */
  startedAt: number;
  /**
   * The same moment on the system-wide monotonic clock (CLOCK_MONOTONIC, ms), which every process
   * of the host reads alike: bench pickups compare it with the enqueuer's. Epoch times built from
   * performance.timeOrigin can be off by a whole time slice per process (see bench-support.ts).
   */
  startedAtMonotonicMs: number;
  sleptMs: number;
}

export const noopRefusesForecastWork = 'the noop handler (benchmarks) does not run forecast work: this job would store no forecast '
  + 'under its input hash, to be reused as one; run it with a forecast worker (skucast worker --handler forecast)';

export class NoopHandler implements JobHandler {
  /** `forecastWork`: a test database's (--noop-with-datasets): its forecast jobs complete as no-ops too (the chaos run's). */
  constructor(private readonly options: { workerId: string; sleepMs?: number; forecastWork?: boolean }) {}

  async run(job: Job, ctx: JobContext): Promise<NoopResult> {
    if (job.inputHash !== null && this.options.forecastWork !== true) throw new Error(noopRefusesForecastWork);
    const startedAtMonotonicMs = Number(process.hrtime.bigint()) / 1e6;
    const startedAt = performance.timeOrigin + performance.now();
    const sleepMs = this.options.sleepMs ?? 0;
    if (sleepMs > 0) {
      ctx.reportProgress(0);
      await sleep(sleepMs, ctx.signal);
      ctx.reportProgress(50);
    }
    return { noop: true, jobId: job.id, workerId: this.options.workerId, attempt: job.attempts, startedAt, startedAtMonotonicMs, sleptMs: sleepMs };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
