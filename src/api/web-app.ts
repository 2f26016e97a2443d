import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFoundBody } from './errors.js';
import { allowedMethods, methodNotAllowed } from './method-not-allowed.js';

const notBuiltText =
  'Skucast API is running, but the web app is not built.\n' +
  'Run `npm run build` (or `npm start`), then reload this page. The API is at /api (see /api/openapi.json).\n';

function isApiPath(url: string): boolean {
  const p = url.split('?')[0];
  return p === '/api' || p.startsWith('/api/') || p === '/metrics';
}

/**
 * Vite's build output: a file missing there (a chunk of the previous build asked for by a tab
 * opened before a deploy) is a 404, not index.html served as JavaScript.
 */
function isAssetPath(url: string): boolean {
  return url.split('?')[0].startsWith('/assets/');
}

/** The longest file name Linux, macOS and Windows take, in bytes. */
const NAME_MAX = 255;

function hasUnnameableSegment(url: string): boolean {
  return url.split('?')[0].split('/').some((segment) => {
    let name = segment;
    try {
      name = decodeURIComponent(segment);
    } catch { /* an undecodable segment is measured as sent */ }
    return Buffer.byteLength(name) > NAME_MAX;
  });
}

/**
 * Serves the built web app (web/dist) at /, with every other non-API GET answered by index.html
 * so client-side routes survive a reload. API paths that match nothing get the JSON 404, or the
 * 405 with `Allow` when the path has routes for other methods (`PUT /api/datasets`).
 */
export async function registerWebApp(app: FastifyInstance, webDistDir: string | undefined): Promise<void> {
  const indexFile = webDistDir ? path.join(webDistDir, 'index.html') : null;
  const built = indexFile !== null && existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: webDistDir!,
      prefix: '/',
      wildcard: true,
      index: ['index.html'],
      setHeaders(reply, filePath) {
        // Vite fingerprints assets; index.html must be revalidated so a new build is picked up.
        reply.header('Cache-Control', filePath.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send(notBuiltText));
  }

  if (built) {
    // The static files' catch-all route sees every GET no API route matched. An API path is never
    // a file, and a segment longer than a file name can be (255 bytes) names none: @fastify/static
    // would answer those 403 Forbidden (it cannot verify the spelling of such a path), so they go
    // straight to the handler below, a JSON 404 naming `url` under /api, index.html elsewhere.
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url !== '/*') return;
      if (isApiPath(request.url) || hasUnnameableSegment(request.url)) return reply.callNotFound();
    });
  }

  app.setNotFoundHandler((request, reply) => {
    if (built && (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url) && !isAssetPath(request.url)) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    const allowed = isApiPath(request.url) ? allowedMethods(app, request.url) : [];
    if (allowed.length > 0) {
      return reply.code(405).header('Allow', allowed.join(', ')).send(methodNotAllowed(request.method, request.url, allowed).body);
    }
    return reply.code(404).send(notFoundBody(request.method, request.url));
  });
}
