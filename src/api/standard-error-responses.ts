import type { FastifyInstance, RouteOptions } from 'fastify';
import { isGuardedPath } from './bearer-auth.js';
import { errorSchema } from './schemas/error-schema.js';

/**
 * The routes that never touch the store, so never answer 503: what they send is built in
 * (the models' list, the sample CSV). GET /api/health answers its own 503 (healthSchema).
 */
export const storeFreeRoutes: ReadonlySet<string> = new Set(['GET /api/models', 'GET /api/datasets/sample.csv']);

const unauthorized = errorSchema.describe('Missing or wrong `Authorization: Bearer <token>` (only when the server runs with API_TOKEN): code `unauthorized`, naming `headers.authorization`');
const unavailable = errorSchema.describe('The database is unreachable: code `unavailable`, `details: []`; send it again later');

/**
 * Declares on every documented /api route the refusals no route decides on itself, so the OpenAPI
 * document lists what the server can answer: 401 where the token guards the route (bearer-auth.ts;
 * declared whatever this server's setting, as a client is written once for every deployment), 503
 * wherever the store is read (errors.ts answers an unreachable database so). A route's own
 * declaration of either stays. Install before the routes are registered.
 */
export function installStandardErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as { response?: Record<string, unknown>; hide?: boolean } | undefined;
    if (!schema?.response || schema.hide || !route.url.startsWith('/api/')) return;
    const response = { ...schema.response };
    if (isGuardedPath(route.url) && !('401' in response)) response[401] = unauthorized;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const readsStore = methods.some((method) => !storeFreeRoutes.has(`${method} ${route.url}`));
    if (readsStore && !('503' in response)) response[503] = unavailable;
    route.schema = { ...schema, response };
  });
}
