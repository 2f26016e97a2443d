import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { assertSafeBinding, type ApiConfig } from '../api/api-config.js';
import { buildApp } from '../api/app.js';
import { openStore, type StoreConfig } from '../stores/open-store.js';
import type { Store } from '../stores/store.js';
import { describeStoreConfig } from './database-options.js';
import { packageRoot } from './package-root.js';

export interface RunningApi {
  app: FastifyInstance;
  store: Store;
  url: string;
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
  const store = await openStore(storeConfig);
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
  let closing: Promise<void> | null = null;
  return {
    app, store, url,
    close() {
      closing ??= (async () => {
        try {
          await app.close();
        } finally {
          await store.close();
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
