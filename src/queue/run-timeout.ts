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
 * Arms the run timeout of one attempt: `timeoutMs` after the run started (on `clock`) it aborts
 * `controller` with a JobTimeoutError (a thread-pool handler terminates the fit's thread on that
 * abort) and rejects `expired`, so the runner settles the attempt even if the handler ignores its
 * signal.
 *
 * The limit may come after the run started (`limit(ms)`: the runner reads a job's run timeout
 * from its dataset while the handler already runs, so that read never delays a job's start); the
 * time already run counts, so a limit that arrives late fires at once if it has passed, never
 * later than start + limit or the moment it became known. `limit(null)`: no limit.
 *
 * `deferred`: the clock starts only at `start()`, for a handler whose run may first wait for a
 * free thread (the time a job waits behind other jobs' fits is not its own run time). `start()`
 * is idempotent; an attempt that never starts never times out (it waits on other jobs' fits,
 * which have their own timeouts).
 */
export function armRunTimeout(clock: Clock, controller: AbortController, timeoutMs: number | null | undefined, options: { deferred?: boolean } = {}):
{ expired: Promise<never>; start(): void; limit(ms: number | null): void; cancel(): void } {
  let reject!: (error: unknown) => void;
  const expired = new Promise<never>((_, r) => (reject = r));
  expired.catch(() => undefined); // only raced; never left unobserved
  let timer: { cancel(): void } | null = null;
  let cancelled = false;
  let startedAt: number | null = null;
  // undefined: not known yet; null: no limit
  let limitMs: number | null | undefined = timeoutMs;
  const arm = () => {
    if (timer || cancelled || startedAt === null || limitMs === undefined || limitMs === null) return;
    const ms = limitMs;
    timer = clock.setTimeout(() => {
      const error = new JobTimeoutError(ms);
      if (!controller.signal.aborted) controller.abort(error);
      reject(error);
    }, Math.max(0, ms - (clock.now() - startedAt)));
  };
  const start = () => {
    if (startedAt !== null || cancelled) return;
    startedAt = clock.now();
    arm();
  };
  if (!options.deferred) start();
  return {
    expired,
    start,
    limit: (ms) => {
      if (limitMs !== undefined) return; // set once
      limitMs = ms;
      arm();
    },
    cancel: () => {
      cancelled = true;
      timer?.cancel();
    },
  };
}
