import type { Logger } from 'pino';

/** The default bound on closing the store at the end of a stop (SKUCAST_STORE_CLOSE_MS). */
export const defaultCloseTimeoutMs = 10_000;

export interface CloseStoreWithinOptions {
  /** What is left of the stop: the store's close, and for a worker its last registry writes before it. */
  close: () => Promise<void>;
  logger: Logger;
  /** How long `close` may take before the process exits without it. */
  timeoutMs?: number;
  /** How the process ends when the close is cut short (tests pass their own). */
  exit?: (code: number) => void;
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
  const { logger } = options;
  const timeoutMs = options.timeoutMs ?? defaultCloseTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  // A close that fails after the bound has no one to tell: it is caught, as the race's loser.
  const closed = options.close().then(() => 'closed' as const);
  const outcome = await Promise.race([closed, timedOut]).finally(() => clearTimeout(timer));
  if (outcome === 'closed') return 'closed';
  closed.catch(() => undefined);
  logger.warn({ timeoutMs }, 'the store did not close in time (the database does not answer?); exiting without it');
  logger.flush?.();
  (options.exit ?? ((code) => process.exit(code)))(1);
  return 'cut short';
}
