import type { Logger } from 'pino';

/** The default bound on closing the API and its store once the workers have exited. */
export const defaultCloseTimeoutMs = 10_000;

export interface StopStartOptions {
  signal: NodeJS.Signals;
  supervisor: { stop(signal: NodeJS.Signals): Promise<void> };
  api: { close(): Promise<void> };
  logger: Logger;
  /** How long closing the API and its store may take before the process exits without it. */
  closeTimeoutMs?: number;
  /** How the process ends when the close is cut short (tests pass their own). */
  exit?: (code: number) => void;
}

/**
 * The stop of `skucast start`, bounded from the signal to the exit: the workers get the signal
 * (SIGKILL after the supervisor's killAfterMs) and their registry marks up to its markTimeoutMs;
 * then the API and its store close for at most closeTimeoutMs. That last step needs its own bound:
 * a mark given up on still holds a pooled connection, and pg's `pool.end()` waits for every
 * checked-out connection, so a PostgreSQL statement that never answers (a lock held by someone
 * else, a server that stopped replying) kept `skucast start` alive after SIGTERM, until
 * systemd's or Kubernetes' kill. Past the bound the process exits with code 1 at once: a
 * hung socket would otherwise keep the event loop alive, and what was not written is what a
 * SIGKILL leaves too (stale registry rows, results whose leases expire and are rescued).
 */
export async function stopStart(options: StopStartOptions): Promise<'stopped' | 'cut short'> {
  const { signal, supervisor, api, logger } = options;
  logger.info({ signal }, 'shutting down: stopping workers');
  await supervisor.stop(signal);
  const timeoutMs = options.closeTimeoutMs ?? defaultCloseTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  // A close that fails after the bound has no one to tell: it is caught, as the race's loser.
  const closed = api.close().then(() => 'closed' as const);
  const outcome = await Promise.race([closed, timedOut]).finally(() => clearTimeout(timer));
  if (outcome === 'closed') {
    logger.info('stopped');
    return 'stopped';
  }
  closed.catch(() => undefined);
  logger.warn({ timeoutMs }, 'the API and its store did not close in time (the database does not answer?); exiting without them');
  logger.flush?.();
  (options.exit ?? ((code) => process.exit(code)))(1);
  return 'cut short';
}
