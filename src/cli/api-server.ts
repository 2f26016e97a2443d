import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { assertSafeBinding, type ApiConfig } from '../api/api-config.js';
import { buildApp } from '../api/app.js';
import { openStore, type StoreConfig } from '../stores/open-store.js';
import type { Store } from '../stores/store.js';
import { describeStoreConfig } from './database-options.js';
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
  const store = await openStore({ ...storeConfig, onNewerSchema: (message) => logger.warn({ event: 'newer-schema' }, message) });
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

/** Resolves on the first SIGINT or SIGTERM (and stops listening for them). */
export function waitForShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
