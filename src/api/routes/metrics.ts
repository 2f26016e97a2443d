import type { FastifyPluginAsync } from 'fastify';
import { createApiMetrics } from '../metrics-registry.js';
import type { RouteOptions } from './route-plugin.js';

/**
 * `GET /metrics`, Prometheus text format 0.0.4, from prom-client (src/api/metrics-registry.ts
 * lists what is in it). Store reads that fail (the database is down) answer 503 like every route.
 */
export const metricsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store, metrics }) => {
  const { registry } = metrics ?? createApiMetrics(store);
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
};
