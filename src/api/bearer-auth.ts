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
 * Requires `Authorization: Bearer <token>` on every /api route but /api/health, and on /metrics.
 * The static web app stays open: it holds no data, and it asks for the token itself.
 */
export function installBearerAuth(app: FastifyInstance, token: string): void {
  const expected = Buffer.from(token, 'utf8');
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    const docs = path === '/api/docs' || path.startsWith('/api/docs/');
    const guarded = (path === '/api' || path.startsWith('/api/') || path === '/metrics') && !openPaths.has(path) && !docs;
    if (!guarded || request.method === 'OPTIONS') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !tokenMatches(match[1].trim(), expected)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(401).send({
        error: match ? 'wrong API token' : 'missing API token',
        details: [{ path: 'headers.authorization', message: 'send "Authorization: Bearer <API_TOKEN>"' }],
      });
    }
  });
}
