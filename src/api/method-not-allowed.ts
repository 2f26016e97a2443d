import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/** The methods a route of this API may have; OPTIONS is CORS's, answered for every path when it is on. */
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods the router has a route for at this URL (a concrete one, `/api/jobs/17/cancel`, its
 * query string and trailing slashes ignored as the router ignores them), in the order of
 * `methods`. A wildcard route (the web app's static files, `GET /*`) matches any path and so says
 * nothing about this one: it is left out.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  return methods.filter((method) => {
    const route = app.findRoute({ method, url });
    return route !== null && !Object.hasOwn(route.params ?? {}, '*');
  });
}

/**
 * The 405 of a known path asked with a method it does not take (`DELETE /api/jobs/status`), in the
 * error shape: the detail names `method`; the caller sets `Allow` to `allowed`.
 */
export function methodNotAllowed(method: string, url: string, allowed: readonly string[]): ApiError {
  const path = url.split('?')[0];
  const takes = allowed.join(', ');
  return new ApiError(405, `${method} is not allowed on ${path}: it takes ${takes}`, [
    { path: 'method', message: `${method} is not one of the methods of ${path} (${takes})` },
  ]);
}
