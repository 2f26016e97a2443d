import type { Clock } from './clock.js';

/**
 * The reason a handler sees in `signal.reason` when its run outlived the job's run timeout. The
 * attempt fails with this message ("timed out after N s") and is retried with the usual backoff:
 * a hung fit is an outcome, never a release that hands the attempt back uncounted.
 */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${formatSeconds(timeoutMs)} s`);
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1_000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

/**
 * Arms the run timeout of one attempt: after `timeoutMs` on `clock` it aborts `controller` with a
 * JobTimeoutError (a thread-pool handler terminates the fit's thread on that abort) and rejects
 * `expired`, so the runner settles the attempt even if the handler ignores its signal.
 *
 * `deferred`: the clock starts only at `start()`, for a handler whose run may first wait for a
 * free thread (the time a job waits behind other jobs' fits is not its own run time). `start()`
 * is idempotent; an attempt that never starts never times out (it waits on other jobs' fits,
 * which have their own timeouts).
 */
export function armRunTimeout(clock: Clock, controller: AbortController, timeoutMs: number, options: { deferred?: boolean } = {}):
{ expired: Promise<never>; start(): void; cancel(): void } {
  let reject!: (error: unknown) => void;
  const expired = new Promise<never>((_, r) => (reject = r));
  expired.catch(() => undefined); // only raced; never left unobserved
  let timer: { cancel(): void } | null = null;
  let cancelled = false;
  const start = () => {
    if (timer || cancelled) return;
    timer = clock.setTimeout(() => {
      const error = new JobTimeoutError(timeoutMs);
      if (!controller.signal.aborted) controller.abort(error);
      reject(error);
    }, timeoutMs);
  };
  if (!options.deferred) start();
  return {
    expired,
    start,
    cancel: () => {
      cancelled = true;
      timer?.cancel();
    },
  };
}
