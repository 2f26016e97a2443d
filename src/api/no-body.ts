import { badRequest } from './errors.js';

/**
 * The verbs that take no body (clear-completed, reset, one job's cancel and retry) accept none, an
 * empty one or `{}`; a field sent to them is a 400 naming it, since the client believed it meant
 * something (`{"batchId": ...}` to clear-completed would otherwise delete every completed job).
 * Checked here rather than by a body schema: the OpenAPI document would then require a body of
 * every caller (@fastify/swagger marks any declared body required), and the web app sends none.
 */
export function refuseBodyFields(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('invalid body: this route takes no body', [{ path: 'body', message: 'send no body, or {}' }]);
  }
  const keys = Object.keys(body);
  if (keys.length === 0) return;
  const details = keys.slice(0, 50).map((key) => ({ path: key, message: `unknown field '${key}'` }));
  const more = keys.length > 1 ? ` (and ${keys.length - 1} more)` : '';
  throw badRequest(`invalid body: ${keys[0]}: unknown field '${keys[0]}'${more}`, details);
}
