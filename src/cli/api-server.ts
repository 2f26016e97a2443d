import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { assertSafeBinding, type ApiConfig } from '../api/api-config.js';
import { buildApp } from '../api/app.js';
import { openStore, type StoreConfig } from '../stores/open-store.js';
import type { Store } from '../stores/store.js';
import { describeStoreConfig } from './database-options.js';
import { logNewerSchema } from './logger.js';
import { packageRoot } from './package-root.js';
import type { StoppableApi } from './stop-start.js';

export interface RunningApi extends StoppableApi {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** closeHttp, then closeStore. */
  close(): Promise<void>;
}

/**
 * Opens the store (migrating it), builds the app and listens. Refuses before touching the
 * database when the address is not loopback and no API token is set.
 */
export async function startApiServer(options: { storeConfig: StoreConfig; apiConfig: ApiConfig; logger: Logger }): Promise<RunningApi> {
  const { storeConfig, logger } = options;
  const apiConfig = { ...options.apiConfig, webDistDir: options.apiConfig.webDistDir ?? path.join(packageRoot(), 'web', 'dist') };
  assertSafeBinding(apiConfig);
  const store = await openStore({ processRole: 'api', ...storeConfig, onNewerSchema: logNewerSchema(logger) });
  logger.info({ store: store.kind, database: describeStoreConfig(storeConfig) }, 'store opened');
  let app: FastifyInstance;
  try {
    app = await buildApp({ store, logger, config: apiConfig });
    await app.listen({ host: apiConfig.host, port: apiConfig.port });
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : apiConfig.port;
  const host = apiConfig.host.includes(':') ? `[${apiConfig.host}]` : apiConfig.host;
  const url = `http://${host}:${port}/`;
  logger.info({ url, auth: apiConfig.apiToken ? 'bearer token' : 'none (loopback only)', cors: apiConfig.corsOrigins }, `skucast api listening at ${url}`);
  let httpClosing: Promise<void> | null = null;
  let storeClosing: Promise<void> | null = null;
  let closing: Promise<void> | null = null;
  const closeHttp = () => (httpClosing ??= app.close());
  // Node's server.close() ends the keep-alive connections idle when it is called, not those whose
  // request answers later: each would hold the close up for keepAliveTimeout (5 s) more.
  app.server.on('request', (_request, response) => response.once('finish', () => {
    if (httpClosing) setImmediate(() => app.server.closeIdleConnections());
  }));
  const closeStore = () => (storeClosing ??= store.close());
  return {
    app, store, url, closeHttp, closeStore,
    dropHttpConnections: () => app.server.closeAllConnections(),
    close() {
      closing ??= (async () => {
        try {
          await closeHttp();
        } finally {
          await closeStore();
        }
      })();
      return closing;
    },
  };
}

/** How long after the first signal a repeat of it is still the same stop reaching a supervised process again. */
export const sameStopWindowMs = 1_000;

export interface ShutdownSignal {
  signal: NodeJS.Signals;
  /** The stop is over: a later signal is logged and ignored, nothing is left to cut short. */
  stopped(): void;
}

/**
 * Resolves on the first SIGINT or SIGTERM, which starts the stop (stop-start.ts). The handlers stay:
 * a later signal cuts that stop short, and says so before the process exits with 130 (SIGINT) or
 * 143 (SIGTERM), as a worker's second signal does (`Worker: second SIGTERM: stopping at once`).
 * Removed after the first, the second ended the process by its default action with no line, the
 * log's last words `shutting down: ...`, and whoever read it could not tell a hang from an abort.
 * `abandons` says what the exit leaves undone. Once the caller says the stop is over (`stopped()`),
 * a signal is logged and ignored: a late copy (a service manager's repeat) made a clean stop exit
 * 143 saying the store was not closed. Still installed, not removed: the default action would end
 * the process as killed.
 *
 * `supervised` (`npm run dev`'s API): one Ctrl-C reaches it 1 to 3 times (the terminal signals the
 * process group, node --watch forwards each SIGINT it gets, dev.mjs forwards its own through the
 * watcher), and copies that come before the first was taken merge into one. A count of copies was
 * wrong both ways (a copy too many cut the stop short; one too few swallowed a real second Ctrl-C),
 * so a repeat of the first signal within `sameStopWindowMs` of it is taken as the same stop (info)
 * and any signal after that window stops at once. `now` is the clock (tests pass their own).
 */
export function waitForShutdownSignal(options: {
  logger: Logger; abandons: string; supervised?: boolean; now?: () => number; exit?: (code: number) => void;
}): Promise<ShutdownSignal> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  return new Promise((resolve) => {
    let first: { signal: NodeJS.Signals; at: number } | null = null;
    let done = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (first === null) {
        first = { signal, at: now() };
        resolve({ signal, stopped: () => (done = true) });
        return;
      }
      if (done) {
        logger.info({ event: 'signal', signal }, `${signal} after the stop had ended: ignored`);
        return;
      }
      if (options.supervised && signal === first.signal && now() - first.at <= sameStopWindowMs) {
        logger.info({ event: 'signal', signal }, `${signal} again within ${sameStopWindowMs} ms: taken as the same stop (npm run dev passes one Ctrl-C on more than once); a later one stops at once`);
        return;
      }
      logger.warn({ event: 'signal', signal, firstSignal: first.signal }, `second ${signal}: stopping at once, the stop cut short: ${options.abandons}`);
      logger.flush?.();
      (options.exit ?? ((code) => process.exit(code)))(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
