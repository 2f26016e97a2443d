import type { Logger } from 'pino';
import { closeStoreWithin } from '../stores/close-store-within.js';
import { defaultKillAfterMs } from './worker-supervisor.js';

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
  /** The worker processes of `skucast start`; none for `skucast api`, whose stop is the same without them. */
  supervisor?: { stop(signal: NodeJS.Signals): Promise<void> };
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
 * The stop of `skucast start` (and of `skucast api`, with no workers), bounded from the signal to
 * the exit, in three steps.
 * 1. At the signal the HTTP server stops accepting connections, and the workers get the signal
 *    (SIGKILL after the supervisor's killAfterMs) and their registry marks up to its markTimeoutMs.
 *    Requests in flight meanwhile go on: an import of 50 MB is one request and one transaction.
 * 2. The HTTP server closes once those requests have answered. Past httpCloseTimeoutMs from the
 *    signal their connections are dropped (logged): nothing else can end a request that waits on
 *    a database that does not answer.
 * 3. The store closes for at most closeTimeoutMs (closeStoreWithin): a mark given up on, or a
 *    dropped request, still holds a pooled connection that `pool.end()` waits for. Past it the
 *    process exits with code 1.
 * Worst case from the signal: max(killAfterMs + markTimeoutMs, SKUCAST_HTTP_DRAIN_MS) +
 * SKUCAST_STORE_CLOSE_MS for `skucast start` (max(60 s + 5 s, 60 s) + 10 s = 75 s with the
 * defaults), SKUCAST_HTTP_DRAIN_MS + SKUCAST_STORE_CLOSE_MS for `skucast api` (60 s + 10 s = 70 s);
 * docs/deploy.md.
 */
export async function stopStart(options: StopStartOptions): Promise<'stopped' | 'cut short'> {
  const { signal, supervisor, api, logger } = options;
  logger.info({ signal }, supervisor
    ? 'shutting down: accepting no new HTTP connections; stopping workers'
    : 'shutting down: accepting no new HTTP connections; the requests in flight may still answer');
  const httpTimeoutMs = options.httpCloseTimeoutMs ?? defaultHttpCloseTimeoutMs;
  const httpClosed = api.closeHttp().catch((error: unknown) => logger.warn({ err: error }, 'the HTTP server did not close cleanly'));
  let dropped!: () => void;
  const httpDropped = new Promise<void>((resolve) => (dropped = resolve));
  const httpTimer = setTimeout(() => {
    logger.warn({ timeoutMs: httpTimeoutMs }, 'HTTP requests still running at the bound; dropping their connections');
    api.dropHttpConnections();
    dropped();
  }, httpTimeoutMs);
  if (supervisor) {
    await supervisor.stop(signal);
    logger.info('workers stopped; closing the HTTP server once the requests in flight have answered');
  }
  // A server that still does not close once its connections are dropped is left to the exit.
  const http = await Promise.race([httpClosed.then(() => 'closed' as const), httpDropped.then(() => 'dropped' as const)])
    .finally(() => clearTimeout(httpTimer));
  logger.info(http === 'closed' ? 'HTTP server closed; closing the store' : 'HTTP connections dropped; closing the store');

  const outcome = await closeStoreWithin({ close: () => api.closeStore(), logger, timeoutMs: options.closeTimeoutMs, exit: options.exit });
  if (outcome === 'closed') logger.info('stopped');
  return outcome === 'closed' ? 'stopped' : 'cut short';
}
