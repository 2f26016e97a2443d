import type { Logger } from 'pino';

/** The default bound on closing the store at the end of a stop (SKUCAST_STORE_CLOSE_MS). */
export const defaultCloseTimeoutMs = 10_000;

/**
 * The longest delay a Node timer holds (2^31-1 ms, about 24.8 days). Past it Node fires the timer
 * after 1 ms (TimeoutOverflowWarning): a worker's `--shutdown-ms` + SKUCAST_STORE_CLOSE_MS, each
 * allowed up to it, exited 1 at once on SIGTERM, its jobs left running with their attempts spent.
 */
export const maxTimerMs = 2_147_483_647;

/** What was still pending when a stop's bound passed: the warning's message and its fields. */
export interface StopPending {
  message: string;
  fields?: Record<string, unknown>;
}

export interface StopBoundOptions {
  logger: Logger;
  /** From now; clamped to maxTimerMs. */
  timeoutMs?: number;
  /** What the warning says is pending when the bound passes, asked then (default: the store's close). */
  pending?: () => StopPending;
  /** How the process ends when the bound passes (tests pass their own). */
  exit?: (code: number) => void;
}

const storePending: StopPending = { message: 'the store did not close in time (the database does not answer?); exiting without it' };

/**
 * Arms a stop's hard bound: past `timeoutMs` it logs what was still pending and exits 1. Gives the
 * disarm, for when the stop has ended. A worker arms it at its first signal, before its store may
 * even be open (worker-command.ts), so the bound counts from the signal whatever the stop waits on.
 */
export function armStopBound(options: StopBoundOptions, onExpired?: () => void): () => void {
  const { logger } = options;
  const timeoutMs = Math.min(options.timeoutMs ?? defaultCloseTimeoutMs, maxTimerMs);
  const timer = setTimeout(() => {
    const { message, fields } = options.pending?.() ?? storePending;
    logger.warn({ timeoutMs, ...fields }, message);
    logger.flush?.();
    onExpired?.();
    (options.exit ?? ((code) => process.exit(code)))(1);
  }, timeoutMs);
  return () => clearTimeout(timer);
}

export interface CloseStoreWithinOptions extends StopBoundOptions {
  /** What is left of the stop: the store's close. */
  close: () => Promise<void>;
}

/**
 * The last step of every stop (`skucast start`, `skucast api`, `skucast worker`): the store closes
 * for at most timeoutMs. That bound is hard: a statement that never answers (a lock held by
 * someone else, a PostgreSQL that stopped replying) holds a pooled connection, and pg's
 * `pool.end()` waits for every checked-out connection, so it kept the process alive after SIGTERM
 * until the service manager's kill. Past it the process exits with code 1 at once: a hung socket
 * would otherwise keep the event loop alive, and what was not written is what a SIGKILL leaves
 * too (stale registry rows, leases that expire and are rescued).
 */
export async function closeStoreWithin(options: CloseStoreWithinOptions): Promise<'closed' | 'cut short'> {
  let expired!: () => void;
  const timedOut = new Promise<'timeout'>((resolve) => (expired = () => resolve('timeout')));
  const disarm = armStopBound(options, () => expired());
  // A close that fails after the bound has no one to tell: it is caught, as the race's loser.
  const closed = options.close().then(() => 'closed' as const);
  const outcome = await Promise.race([closed, timedOut]).finally(disarm);
  if (outcome === 'closed') return 'closed';
  closed.catch(() => undefined);
  return 'cut short';
}
