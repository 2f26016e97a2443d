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
 */
export function armRunTimeout(clock: Clock, controller: AbortController, timeoutMs: number): { expired: Promise<never>; cancel(): void } {
  let reject!: (error: unknown) => void;
  const expired = new Promise<never>((_, r) => (reject = r));
  expired.catch(() => undefined); // only raced; never left unobserved
  const timer = clock.setTimeout(() => {
    const error = new JobTimeoutError(timeoutMs);
    if (!controller.signal.aborted) controller.abort(error);
    reject(error);
  }, timeoutMs);
  return { expired, cancel: () => timer.cancel() };
}
