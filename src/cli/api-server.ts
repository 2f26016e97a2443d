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
  const store = await openStore({ ...storeConfig, onNewerSchema: logNewerSchema(logger) });
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

/**
 * Resolves on the first SIGINT or SIGTERM, which starts the stop (stop-start.ts). The handlers stay:
 * a later signal cuts that stop short, and says so before the process exits with 130 (SIGINT) or
 * 143 (SIGTERM), as a worker's second signal does (`Worker: second SIGTERM: stopping at once`).
 * Removed after the first, the second ended the process by its default action with no line, the
 * log's last words `shutting down: ...`, and whoever read it could not tell a hang from an abort.
 * `abandons` says what the exit leaves undone. `copies`: how many repeats of the first signal are
 * the same stop reaching the process again (`npm run dev`'s API: 1, the terminal's and the one
 * node --watch forwards), logged and ignored, so a dev stop no longer warns that it was cut short;
 * the next signal (a second Ctrl-C) still stops at once.
 */
export function waitForShutdownSignal(options: { logger: Logger; abandons: string; copies?: number; exit?: (code: number) => void }): Promise<NodeJS.Signals> {
  const { logger } = options;
  return new Promise((resolve) => {
    let first: NodeJS.Signals | null = null;
    let copies = options.copies ?? 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (first === null) {
        first = signal;
        resolve(signal);
        return;
      }
      if (signal === first && copies > 0) {
        copies--;
        logger.info({ event: 'signal', signal }, `${signal} again: taken as the same stop (npm run dev passes one Ctrl-C on twice); a further one stops at once`);
        return;
      }
      logger.warn({ event: 'signal', signal, firstSignal: first }, `second ${signal}: stopping at once, the stop cut short: ${options.abandons}`);
      logger.flush?.();
      (options.exit ?? ((code) => process.exit(code)))(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
