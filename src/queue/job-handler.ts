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
}

export interface JobHandler {
  run(job: Job, ctx: JobContext): Promise<unknown>;
  /** Frees what the handler holds (threads); called once when the worker stops. */
  close?(): Promise<void>;
}
