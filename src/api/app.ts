import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { setMaxListeners } from 'node:events';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { MAX_SKU_LENGTH } from '../datasets/max-sku-length.js';
import type { Clock } from '../queue/clock.js';
import type { Store } from '../stores/store.js';
import type { ApiConfig } from './api-config.js';
import { installBearerAuth } from './bearer-auth.js';
import { installErrorHandling } from './errors.js';
import { installRequestChecks, markJsonText } from './request-checks.js';
import { createApiMetrics, installHttpMetrics } from './metrics-registry.js';
import { routePlugins } from './routes/index.js';
import { installSecurityHeaders, setSecurityHeaders } from './security-headers.js';
import { installStandardErrorResponses } from './standard-error-responses.js';
import { registerWebApp } from './web-app.js';

export interface BuildAppOptions {
  store: Store;
  logger: Logger;
  config: ApiConfig;
  /** Timers of the routes (an Idempotency-Key's renewals); default the system clock. Tests inject a ManualClock. */
  clock?: Clock;
}

/**
 * The HTTP API and the web app, over one store. Doors, in the order a request meets them:
 * CORS (off unless CORS_ORIGINS lists origins), the bearer token (when API_TOKEN is set), the body
 * limit (413), schema validation (400 naming the field), then the route. The caller listens.
 * The API's docs (Swagger UI over the OpenAPI document built from the routes' zod schemas) are at
 * /api/docs, open without the token like /api/health: the contract is no secret.
 */
export async function buildApp({ store, logger, config, clock }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: {
      // A SKU is one path segment (`/skus/:sku`) and may have up to MAX_SKU_LENGTH characters
      // (find-my-way's default of 100 answered a longer one 404 "no route" or 414). No route has
      // a regex parameter to guard, so any segment the request line can hold (Node's 16 KB
      // maxHeaderSize) reaches its route, which names what is wrong with it: `sku`, `id`.
      maxParamLength: Math.max(16 * 1024, MAX_SKU_LENGTH + 1),
      // `/api/datasets/` is the list, not `/api/datasets/:id` with an empty id (a 400 "id: Too small").
      ignoreTrailingSlash: true,
    },
    // Requests refused before routing (an undecodable URL like /%c0%ae) skip every hook: answer them
    // here in the API's error shape, with the security headers the hooks would have set.
    frameworkErrors: (error, _request, reply) => {
      const plain = reply as unknown as FastifyReply;
      setSecurityHeaders(plain);
      void plain.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 400)
        .send({ error: 'bad request', code: 'invalid_request', details: [{ path: 'url', message: error.message }] });
    },
    // Behind a proxy the API stays honest about who asked only if told; we are not told, so no trustProxy.
  }) as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installStandardErrorResponses(app);
  installRequestChecks(app);

  // An empty body with Content-Type: application/json means "no body" (what fetch() sends for a bare POST).
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    markJsonText(request, body as string);
    return defaultJsonParser(request, body as string, done);
  });
  // Fastify also parses text/plain by default, handing a JSON route a string its schema refuses as
  // "not an object" (a 400 about the body, when the fault is the header). Here an empty text/plain
  // body is no body (what fetch(url, {method: 'POST', body: ''}) sends to a bare POST such as
  // reset), and any other is a 415 naming headers.content-type, as other media types are. The
  // upload routes replace it, for themselves only, with the raw stream.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    const error = new Error('a JSON route takes application/json, not text/plain') as Error & { statusCode: number; code: string };
    error.statusCode = 415;
    error.code = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
    return done(error, undefined);
  });

  installSecurityHeaders(app);
  const metrics = createApiMetrics(store, app.log);
  installHttpMetrics(app, metrics);
  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'If-None-Match', 'Idempotency-Key'],
      // Location: where a 201 put what it created; Idempotent-Replayed: an answer sent again for an Idempotency-Key.
      exposedHeaders: ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'Allow'],
      maxAge: 600,
    });
  }
  if (config.apiToken) installBearerAuth(app, config.apiToken);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Skucast API', description: 'Demand-forecast tuning at SKU scale (see docs/http-api.md).', version: '0.1.0' },
      components: config.apiToken ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {},
      security: config.apiToken ? [{ bearer: [] }] : [],
    },
    transform: jsonSchemaTransform,
  });
  // The docs page: Swagger UI's own files from this origin (no CDN, no inline script), so the
  // CSP every answer carries (security-headers.ts) holds for it too; no validator badge (it would
  // load an image from validator.swagger.io).
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    validatorUrl: false,
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false },
  });

  // On close (after the server stopped taking requests), requests still at work stop renewing
  // their Idempotency-Keys: a process on its way out holds none beyond the 5-minute bound.
  const closing = new AbortController();
  setMaxListeners(0, closing.signal); // one listener per request at work: as many as there are
  app.addHook('onClose', async () => closing.abort());
  for (const plugin of routePlugins) await app.register(plugin, { store, config, metrics, clock, closing: closing.signal });
  await registerWebApp(app, config.webDistDir);
  return app;
}
