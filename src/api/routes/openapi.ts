import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from './route-plugin.js';

/** `GET /api/openapi.json`: the contract, generated from the routes' zod schemas by @fastify/swagger. */
export const openapiRoutes: FastifyPluginAsync<RouteOptions> = async (app) => {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
