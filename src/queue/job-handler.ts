import type { Job } from './job.js';

/**
 * What a worker runs for a job. The queue knows nothing about forecasting: the worker plugs a
 * handler in. A handler resolves with the job's result (stored as JSON) or throws; it must stop
 * soon after `signal` aborts (the job was cancelled, its lease was lost, or the worker shuts down).
 */
export interface JobContext {
  signal: AbortSignal;
  /** 0..100. Cheap to call often: the runner writes at most one progress update per ~250 ms. */
  reportProgress(progress: number): void;
  /**
   * For a handler that `queuesRuns`: call when the job's own work starts (its fit got a thread);
   * the run timeout counts from here. Optional so callers outside the runner may leave it out.
   */
  runStarted?(): void;
}

export interface JobHandler {
  run(job: Job, ctx: JobContext): Promise<unknown>;
  /**
   * True when `run` may wait (behind other jobs, for a free thread) before the work starts, and
   * calls `ctx.runStarted()` when it does: the run timeout is then armed at that call, not at
   * `run`. A job waiting there holds its lease (renewed like any held job) and, if cancelled or
   * lost meanwhile, must reject without running.
   */
  readonly queuesRuns?: boolean;
  /** Frees what the handler holds (threads); called once when the worker stops. */
  close?(): Promise<void>;
}
