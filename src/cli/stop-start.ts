import type { Logger } from 'pino';
import { defaultKillAfterMs } from './worker-supervisor.js';

/** The default bound on closing the store, once the workers have exited and the HTTP server has closed. */
export const defaultCloseTimeoutMs = 10_000;
/**
 * The default time, from the signal, that HTTP requests in flight get to answer: the supervisor's
 * SIGKILL bound, so a request is given as long as a job and the stop is not made longer by it.
 */
export const defaultHttpCloseTimeoutMs = defaultKillAfterMs;

/** What stopStart closes of the API, one step at a time (RunningApi in api-server.ts). */
export interface StoppableApi {
  /** Stops accepting connections at once; resolves when the requests in flight have answered. */
  closeHttp(): Promise<void>;
  /** Ends the HTTP connections still open: their requests get no answer. */
  dropHttpConnections(): void;
  closeStore(): Promise<void>;
}

export interface StopStartOptions {
  signal: NodeJS.Signals;
  supervisor: { stop(signal: NodeJS.Signals): Promise<void> };
  api: StoppableApi;
  logger: Logger;
  /** How long after the signal requests in flight may still answer before their connections are dropped. */
  httpCloseTimeoutMs?: number;
  /** How long closing the store may take before the process exits without it. */
  closeTimeoutMs?: number;
  /** How the process ends when the store's close is cut short (tests pass their own). */
  exit?: (code: number) => void;
}

/**
 * The stop of `skucast start`, bounded from the signal to the exit, in three steps.
 * 1. At the signal the HTTP server stops accepting connections, and the workers get the signal
 *    (SIGKILL after the supervisor's killAfterMs) and their registry marks up to its markTimeoutMs.
 *    Requests in flight meanwhile go on: an import of 50 MB is one request and one transaction.
 * 2. The HTTP server closes once those requests have answered. Past httpCloseTimeoutMs from the
 *    signal their connections are dropped (logged): nothing else can end a request that waits on
 *    a database that does not answer.
 * 3. The store closes for at most closeTimeoutMs. That bound is hard: a mark given up on, or a
 *    dropped request, still holds a pooled connection, and pg's `pool.end()` waits for every
 *    checked-out connection, so a PostgreSQL statement that never answers (a lock held by someone
 *    else, a server that stopped replying) kept `skucast start` alive after SIGTERM until systemd's
 *    or Kubernetes' kill. Past it the process exits with code 1 at once: a hung socket would
 *    otherwise keep the event loop alive, and what was not written is what a SIGKILL leaves too
 *    (stale registry rows, results whose leases expire and are rescued).
 * Worst case with the defaults: max(60 s + 5 s, 60 s) + 10 s = 75 s (docs/deploy.md).
 */
export async function stopStart(options: StopStartOptions): Promise<'stopped' | 'cut short'> {
  const { signal, supervisor, api, logger } = options;
  logger.info({ signal }, 'shutting down: accepting no new HTTP connections; stopping workers');
  const httpTimeoutMs = options.httpCloseTimeoutMs ?? defaultHttpCloseTimeoutMs;
  const httpClosed = api.closeHttp().catch((error: unknown) => logger.warn({ err: error }, 'the HTTP server did not close cleanly'));
  let dropped!: () => void;
  const httpDropped = new Promise<void>((resolve) => (dropped = resolve));
  const httpTimer = setTimeout(() => {
    logger.warn({ timeoutMs: httpTimeoutMs }, 'HTTP requests still running at the bound; dropping their connections');
    api.dropHttpConnections();
    dropped();
  }, httpTimeoutMs);
  await supervisor.stop(signal);
  logger.info('workers stopped; closing the HTTP server once the requests in flight have answered');
  // A server that still does not close once its connections are dropped is left to the exit.
  const http = await Promise.race([httpClosed.then(() => 'closed' as const), httpDropped.then(() => 'dropped' as const)])
    .finally(() => clearTimeout(httpTimer));
  logger.info(http === 'closed' ? 'HTTP server closed; closing the store' : 'HTTP connections dropped; closing the store');

  const timeoutMs = options.closeTimeoutMs ?? defaultCloseTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  // A close that fails after the bound has no one to tell: it is caught, as the race's loser.
  const closed = api.closeStore().then(() => 'closed' as const);
  const outcome = await Promise.race([closed, timedOut]).finally(() => clearTimeout(timer));
  if (outcome === 'closed') {
    logger.info('stopped');
    return 'stopped';
  }
  closed.catch(() => undefined);
  logger.warn({ timeoutMs }, 'the store did not close in time (the database does not answer?); exiting without it');
  logger.flush?.();
  (options.exit ?? ((code) => process.exit(code)))(1);
  return 'cut short';
}
