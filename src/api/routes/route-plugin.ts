import type { FastifyPluginAsync } from 'fastify';
import type { ApiConfig } from '../api-config.js';
import type { Store } from '../../stores/store.js';

/** Every route file exports one of these; routes/index.ts lists them. */
export interface RouteOptions {
  store: Store;
  /** How the API is exposed (limits, token); absent in tests that register one plugin alone. */
  config?: ApiConfig;
}

export type RoutePlugin = FastifyPluginAsync<RouteOptions>;
