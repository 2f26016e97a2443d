import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatasetValidationError } from '../datasets/dataset-validation-error.js';
import { SnapshotGoneError } from '../datasets/snapshot-gone-error.js';
import { didYouMean, knownQueryParameters } from './query-names.js';

/**
 * The one error shape of the HTTP API: `{error, code, details: [{path, message}]}`, with `code` a
 * stable name to branch on (errorCodes), `error` one sentence for people, and `path` naming the
 * field as a client wrote it (`models[1]`, `data[3].sales`). Every refusal goes through here,
 * so a client can always point at what it sent wrong: a 4xx carries at least one detail (a 404 or
 * 409 names the path or query parameter, `id`, `sku`, `snapshot`; an unknown route `url`); only
 * the server's own failures (500, 503) have `details: []`.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * The `code` of every error body: what kind of refusal it is, in words that never change once
 * published (snake_case, as Stripe's and GitHub's codes; the kind, as RFC 9457's `type`). One per
 * status but for 409, which says whether sending the same request again can succeed:
 * `conflict_retry` (other writes kept landing while it was planned; nothing stored, send it again)
 * or `conflict_state` (the thing is in a state that refuses it: a finished job, the newest snapshot).
 * docs/http-api.md holds the table; a new code is added at the end, never renamed.
 */
export const errorCodes = [
  'invalid_request', 'unauthorized', 'not_found', 'method_not_allowed', 'conflict_state', 'conflict_retry',
  'payload_too_large', 'unsupported_media_type', 'unavailable', 'internal', 'idempotency_key_reused',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The code of a status, for refusals that have one kind only (every status but 409's retry). */
export function errorCodeOf(status: number): ErrorCode {
  switch (status) {
    case 401: return 'unauthorized';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 409: return 'conflict_state';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 503: return 'unavailable';
    default: return status >= 500 ? 'internal' : 'invalid_request';
  }
}

export interface ErrorBody {
  error: string;
  code: ErrorCode;
  details: ErrorDetail[];
  [extra: string]: unknown;
}

/** A refusal a route decides on (unknown id, wrong state, unknown SKU...). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra members of the body, e.g. an import `report`. */
    readonly extra: Record<string, unknown> = {},
    readonly code: ErrorCode = errorCodeOf(statusCode),
  ) {
    super(message);
  }

  get body(): ErrorBody {
    return { error: this.message, code: this.code, details: this.details, ...this.extra };
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = [], extra?: Record<string, unknown>) =>
  new ApiError(400, message, details, extra);
/** 404: `path` names the parameter that names nothing (`id`, `sku`, `snapshot`). */
export const notFound = (message: string, path: string, detail = message) => new ApiError(404, message, [{ path, message: detail }]);
/** 409 `conflict_state`: `path` names the parameter whose thing is in the wrong state (`id`, `snapshotId`, `datasetId`). */
export const conflict = (message: string, path: string, detail = message) => new ApiError(409, message, [{ path, message: detail }]);
/**
 * 409 `conflict_retry`: other writes kept landing while this one was planned (DatasetChangedError,
 * ActualsConflictError); nothing was stored and the same request sent again can succeed. `path`
 * names what to send again (`settings`, `skus`, the upload's `file`).
 */
export const retryConflict = (message: string, path: string, detail = message) =>
  new ApiError(409, message, [{ path, message: detail }], {}, 'conflict_retry');

/** `['data', 3, 'sales']` or `/data/3/sales` -> `data[3].sales`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey> | string): string {
  const segments = typeof path === 'string' ? path.split('/').filter((s) => s !== '') : path.map(String);
  let out = '';
  for (const segment of segments) {
    const text = String(segment);
    if (/^\d+$/.test(text)) out += `[${text}]`;
    else out += out === '' ? text : `.${text}`;
  }
  return out;
}

/** Codes a database driver throws when it cannot be reached (node net errors and PostgreSQL's). */
const unavailableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_NOTADB',
]);

/**
 * Whether an error means "the database is unreachable" (-> 503) rather than a bug (-> 500).
 * Adapters may throw an error named `StoreUnavailableError`; otherwise the driver's code decides.
 * A closed better-sqlite3 handle throws a TypeError "The database connection is not open".
 */
export function isStoreUnavailableError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'StoreUnavailableError') return true;
    if (typeof code === 'string' && unavailableCodes.has(code)) return true;
    if (typeof message === 'string' && /connection is not open|Connection terminated|pool (has ended|after calling end)|database is closed/i.test(message)) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const maxDetails = 50;

/**
 * A JSON route sent no object at all (`null`, nothing, a bare number): zod's "expected object,
 * received null" speaks of its own types; say what to send instead.
 */
function wholeBodyMessage(issue: { instancePath: string; message?: string }, where: string): string | undefined {
  if (where !== 'body' || formatFieldPath(issue.instancePath) !== '') return undefined;
  const sent = /^Invalid input: expected object, received (\w+)$/.exec(issue.message ?? '')?.[1];
  if (!sent) return undefined;
  const what = sent === 'undefined' ? 'no body' : sent === 'null' ? 'null' : `a JSON ${sent}`;
  return `send a JSON object (the request sent ${what})`;
}

/**
 * `known`: for an unknown query parameter or upload field, the names the route takes, to say
 * which one a misspelt name most likely meant (`snapshotId` -> `did you mean 'snapshot'?`).
 */
function validationBody(error: FastifyError & { validationContext?: string }, known: readonly string[] = []): ErrorBody {
  const validation = (error.validation ?? []) as Array<{ instancePath: string; message?: string; keyword?: string; params?: { keys?: unknown } }>;
  const where = error.validationContext ?? 'body';
  const details = validation.flatMap((issue) => {
    // zod reports unknown keys at the object holding them: name each key, the thing to remove.
    const keys = issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys) ? issue.params.keys.map(String) : [];
    if (keys.length > 0) {
      const at = formatFieldPath(issue.instancePath);
      const hint = (key: string) => {
        const near = at === '' ? didYouMean(key, known) : undefined;
        return near ? ` (did you mean '${near}'?)` : '';
      };
      return keys.map((key) => ({ path: at ? `${at}.${key}` : key, message: `unknown field '${key}'${hint(key)}` }));
    }
    return [{ path: formatFieldPath(issue.instancePath) || where, message: wholeBodyMessage(issue, where) ?? issue.message ?? 'invalid value' }];
  });
  const first = details[0];
  const count = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  const error_ = first ? `invalid ${where}: ${first.path}: ${first.message}${count}` : `invalid ${where}`;
  // A 50 MB upload can hold a million bad rows: name the first ones, count the rest.
  return { error: error_, code: 'invalid_request', details: details.slice(0, maxDetails) };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What a route's body is, for its 415: `error` the sentence, `send` the media types it takes.
     * Unset: a JSON route ("a JSON route takes application/json, not ...").
     */
    takes?: { error: string; send: string };
  }
}

/**
 * The 415 of a body whose media type the route does not take, the same from every route and from
 * Fastify itself (no parser for the type): it names the type received and what to send instead.
 */
export function refusedMediaType(request: FastifyRequest): ApiError {
  const header = request.headers['content-type'];
  const received = header === undefined || header.trim() === '' ? 'a body with no Content-Type' : header;
  const takes = request.routeOptions.config?.takes;
  const error = takes?.error ?? `a JSON route takes application/json, not ${received}`;
  const message = takes ? `send ${takes.send}, not ${received}` : error;
  return new ApiError(415, error, [{ path: 'headers.content-type', message }]);
}

/** What a 4xx thrown by Fastify or a plugin (not by a route) is about: the header it read, or the body. */
function frameworkErrorPath(error: FastifyError): string {
  if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'headers.content-type';
  if (error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return 'headers.content-length';
  return 'body';
}

/** Installs the error and not-found handlers that give every failure the one shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // Fastify's own 415 ("Unsupported Media Type": no parser for the type) said neither what came nor what to send.
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') error = refusedMediaType(request) as unknown as FastifyError;
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.body);
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      const where = (error as { validationContext?: string }).validationContext;
      const known = where === 'querystring' || where === 'fields' ? knownQueryParameters(request) : [];
      return reply.code(400).send(validationBody(error, known));
    }
    if ((error as unknown) instanceof SnapshotGoneError) {
      // Deleted between its lookup and its items: as if it had not been found.
      return reply.code(404).send(notFound(error.message, 'snapshot').body);
    }
    if (isDatasetValidationError(error)) {
      return reply.code(400).send(badRequest(error.message, error.details.slice(0, maxDetails), { report: error.report }).body);
    }
    if (isStoreUnavailableError(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply.code(503).send(new ApiError(503, `database unavailable: ${errorMessage(error)}`).body);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(new ApiError(413, 'request body too large', [{ path: 'body', message: error.message }]).body);
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.code(400).send(badRequest('malformed JSON body', [{ path: 'body', message: error.message }]).body);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(badRequest('empty JSON body', [{ path: 'body', message: error.message }]).body);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const details = (error as { details?: unknown }).details;
      const named = Array.isArray(details) && details.length > 0
        ? details.slice(0, maxDetails)
        : [{ path: frameworkErrorPath(error), message: error.message }];
      return reply.code(status).send(new ApiError(status, error.message, named).body);
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(new ApiError(500, 'internal error').body);
  });
}

/** An unknown path under /api: the detail names the URL, the one thing the client sent wrong. */
export function notFoundBody(method: string, url: string): ErrorBody {
  const route = `${method} ${url.split('?')[0]}`;
  return notFound(`no route ${route}`, 'url').body;
}
