/**
 * Retry delays: exponential with full jitter (delay = random() * min(maxMs, baseMs * 2^(attempt-1))).
 * Full jitter spreads the retries of many jobs that failed together (a database blip) instead of
 * bringing them back in one wave. `random` is injectable so tests pin the value.
 */
export interface BackoffOptions {
  baseMs?: number; // default 1 s
  maxMs?: number; // default 5 min
  random?: () => number; // [0, 1)
}

export type Backoff = (attempt: number) => number;

/** The defaults, shared with rescue (which computes its delay in SQL, from the same two numbers). */
export const defaultBackoffBaseMs = 1_000;
export const defaultBackoffMaxMs = 300_000;

export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const baseMs = options.baseMs ?? defaultBackoffBaseMs;
  const maxMs = options.maxMs ?? defaultBackoffMaxMs;
  const random = options.random ?? Math.random;
  return (attempt: number) => {
    const exponent = Math.max(0, Math.min(attempt - 1, 30)); // 2^30 already exceeds any sane cap
    const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
    return Math.floor(random() * ceiling);
  };
}
