import type { FastifyInstance, RouteOptions } from 'fastify';
import { isGuardedPath } from './bearer-auth.js';
import { anyQueryPaths } from './request-checks.js';
import { errorSchema } from './schemas/error-schema.js';

/**
 * The routes that never touch the store, so never answer 503: what they send is built in
 * (the models' list, the sample CSV). GET /api/health answers its own 503 (healthSchema).
 */
export const storeFreeRoutes: ReadonlySet<string> = new Set(['GET /api/models', 'GET /api/datasets/sample.csv']);

const unauthorized = errorSchema.describe('Missing or wrong `Authorization: Bearer <token>` (only when the server runs with API_TOKEN): code `unauthorized`, naming `headers.authorization`');
const invalidRequest = errorSchema.describe('A refused request: code `invalid_request`, `details[].path` naming what (a query parameter this route does not take, a bad value)');
const unsupportedMediaType = errorSchema.describe('A body of a media type this route does not read: code `unsupported_media_type`, naming `headers.content-type`');
const payloadTooLarge = errorSchema.describe('A body over its limit: code `payload_too_large`, `details` says which limit');
const unavailable = errorSchema.describe('The database is unreachable: code `unavailable`, `details: []`; send it again later');

/**
 * Declares on every documented /api route the refusals no route decides on itself, so the OpenAPI
 * document lists what the server can answer: 401 where the token guards the route (bearer-auth.ts;
 * declared whatever this server's setting, as a client is written once for every deployment), 503
 * wherever the store is read (errors.ts answers an unreachable database so), 400 wherever an
 * unknown query parameter is refused (request-checks.ts: every route but those that take any
 * query), 413 and 415 on every route that may carry a body (a body over its limit, or of a type it
 * does not read). A route's
 * own declaration of any of them stays. Install before the routes are registered.
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
    if (!anyQueryPaths.has(route.url) && !('400' in response)) response[400] = invalidRequest;
    if (methods.some((method) => method !== 'GET' && method !== 'HEAD')) {
      if (!('413' in response)) response[413] = payloadTooLarge;
      if (!('415' in response)) response[415] = unsupportedMediaType;
    }
    route.schema = { ...schema, response };
  });
}
