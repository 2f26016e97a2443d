import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../stores/store.js';

/** Every route file exports one of these; routes/index.ts lists them. */
export interface RouteOptions {
  store: Store;
}

export type RoutePlugin = FastifyPluginAsync<RouteOptions>;
