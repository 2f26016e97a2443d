import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, badRequest, formatFieldPath } from './errors.js';

/**
 * Checks every request meets at the edge, on every /api route alike.
 *
 * - A NUL character (U+0000) in any string the request carries: PostgreSQL cannot store one (a
 *   500 "invalid byte sequence for encoding UTF8: 0x00") and SQLite stored it, so the two stores
 *   disagreed. Refused here, the same on both: 400 naming the query parameter, body field or
 *   multipart field (`data[0].sku`), and 404 naming a path parameter (`id`, `sku`), the answer of
 *   any id that names nothing. Uploads' multipart fields are read by their routes, which call
 *   refuseNul (datasets-route-support.ts checkFields); a CSV body with one is refused as binary
 *   in its first 8 KB, and naming its line after them (csv-record-stream.ts); an .xlsx cannot
 *   carry one (XML has none; Excel's _x0000_ escape reads as the five letters).
 * - An unknown query parameter (`?snapshotId=` for `?snapshot=`): every /api route's query schema
 *   is made strict (a route without one takes none), as the uploads' options always were, so a
 *   misspelt parameter is a 400 naming it (errors.ts adds "did you mean"), never a wider answer.
 */

const nul = '\u0000';

/** A parsed JSON object or query (not a stream, a Buffer or a multipart part). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // The query parser's objects have a prototype that itself has none.
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** One value met in the walk: where it is, as a link to its parent (no path copied per level). */
interface Visit { value: unknown; key?: string | number; parent?: Visit }

function pathOf(visit: Visit, root: string, last?: string): string {
  const keys: Array<string | number> = last === undefined ? [] : [last];
  for (let v: Visit | undefined = visit; v && v.key !== undefined; v = v.parent) keys.push(v.key);
  if (root) keys.push(root);
  return formatFieldPath(keys.reverse()) || root;
}

/**
 * The path (`data[3].sku`) of the first string or key holding a NUL, walking without recursion
 * (a body may nest 100,000 deep before its schema refuses it) and in linear time.
 */
export function nulPath(value: unknown, root = ''): string | undefined {
  const stack: Visit[] = [{ value }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    const item = visit.value;
    if (typeof item === 'string') {
      if (item.includes(nul)) return pathOf(visit, root);
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], key: i, parent: visit });
    } else if (isPlainObject(item)) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        if (key.includes(nul)) return pathOf(visit, root, key.replaceAll(nul, '\\u0000'));
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return undefined;
}

const nulMessage = 'contains a NUL character (\\u0000), which no text the API stores may hold';

/** 400 naming the first field of `value` (query, body, multipart fields) that holds a NUL. */
export function refuseNul(value: unknown, what: string): void {
  const path = nulPath(value);
  if (path !== undefined) throw badRequest(`invalid ${what}: ${path} ${nulMessage}`, [{ path, message: nulMessage }]);
}

/**
 * Requests whose JSON text held no `\u0000` escape, marked by the JSON parser (app.ts): JSON can
 * carry a NUL only so (a raw one is a parse error), so their parsed body holds none and is not
 * walked. The walk of a 16 MB body cost about as much as its JSON.parse, with the loop blocked.
 */
const jsonWithoutNul = new WeakSet<FastifyRequest>();
export function markJsonText(request: FastifyRequest, text: string): void {
  if (!text.includes('\\u0000')) jsonWithoutNul.add(request);
}

function checkRequest(request: FastifyRequest): void {
  const params = nulPath(request.params);
  if (params !== undefined) {
    const message = `${params} ${nulMessage}, so it names nothing`;
    throw new ApiError(404, message, [{ path: params, message: `${nulMessage}, so it names nothing` }]);
  }
  refuseNul(request.query, 'querystring');
  // A parsed JSON body (as its schema read it); an upload's raw stream or multipart parts are not walked here.
  if (!jsonWithoutNul.has(request)) refuseNul(request.body, 'body');
}

/** Where these checks apply: the API's own routes (Swagger UI's files under /api/docs are not ours). */
const checked = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');
// A health probe or a fetch of the contract may carry a monitor's or a proxy's cache-buster
// (`?_=1733500000`): they take no parameter, so none can be misspelt, and a 400 would page an
// operator for nothing. They still refuse a NUL like every route.
export const anyQueryPaths: ReadonlySet<string> = new Set(['/api/health', '/api/openapi.json']);

/** Installs both checks; call before any route is registered. */
export function installRequestChecks(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!checked(route.url) || anyQueryPaths.has(route.url)) return;
    const schema = (route.schema ??= {}) as { querystring?: unknown };
    const query = schema.querystring;
    if (query === undefined) schema.querystring = z.strictObject({});
    else if (query instanceof z.ZodObject) schema.querystring = query.strict();
    else throw new Error(`route ${route.method} ${route.url}: its querystring schema must be a zod object, to refuse unknown parameters`);
  });
  // `_`, the cache-buster jQuery and many HTTP clients add (`?_=1733500000`), means nothing to
  // any route: dropped before validation rather than refused.
  app.addHook('preValidation', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object' && '_' in query && checked(request.routeOptions.url ?? '')) delete query._;
  });
  // After the route's schema: a value of the wrong type is named by it (`data[0].sku: expected
  // string`), and what passes it is checked here before any handler reads it.
  app.addHook('preHandler', async (request) => {
    if (checked(request.routeOptions.url ?? '')) checkRequest(request);
  });
}
