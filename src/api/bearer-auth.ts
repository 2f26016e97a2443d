import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Routes reachable without the token: health (a monitor must reach it) and the API's contract,
 * both as the document (/api/openapi.json) and as the docs page with the copy it loads
 * (/api/docs/...): a browser shows the page before anyone types a token, and the contract is no
 * secret, so the two forms of the same document answer alike.
 */
const openPaths = new Set(['/api/health', '/api/openapi.json']);

function tokenMatches(given: string, expected: Buffer): boolean {
  const buffer = Buffer.from(given, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time flat on a length miss.
  if (buffer.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(buffer, expected);
}

/**
 * The path the token rule is decided on: the route Fastify matched when it is one of ours (its
 * pattern, however the URL spelt it: `/metrics/` with trailing slashes ignored, `/metric%73`),
 * else the URL's path with its escapes decoded and trailing slashes dropped. Deciding on the raw
 * URL let `/metrics/` through once trailing slashes reached the route.
 */
function guardedPathOf(route: string | undefined, url: string): string {
  if (route && route !== '*' && route !== '/*') return route;
  let path = url.split('?')[0];
  try {
    path = decodeURIComponent(path);
  } catch {
    // a malformed escape: decided on as written (the router refuses it anyway)
  }
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/** Whether a route's path (or a request's, as guardedPathOf reads it) needs the token when one is set. */
export function isGuardedPath(path: string): boolean {
  const docs = path === '/api/docs' || path.startsWith('/api/docs/');
  return (path === '/api' || path.startsWith('/api/') || path === '/metrics') && !openPaths.has(path) && !docs;
}

/**
 * Requires `Authorization: Bearer <token>` on every /api route but /api/health, and on /metrics.
 * The static web app stays open: it holds no data, and it asks for the token itself.
 */
export function installBearerAuth(app: FastifyInstance, token: string): void {
  const expected = Buffer.from(token, 'utf8');
  app.addHook('onRequest', async (request, reply) => {
    if (!isGuardedPath(guardedPathOf(request.routeOptions.url, request.url)) || request.method === 'OPTIONS') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !tokenMatches(match[1].trim(), expected)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(401).send({
        error: match ? 'wrong API token' : 'missing API token',
        code: 'unauthorized',
        details: [{ path: 'headers.authorization', message: 'send "Authorization: Bearer <API_TOKEN>"' }],
      });
    }
  });
}
