import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { maxIdempotencyKeyLength } from '../idempotency-key.js';

type Transform = (document: Parameters<typeof jsonSchemaTransform>[0]) => { schema: Record<string, unknown>; url: string };

const keyHeader = {
  type: 'string',
  minLength: 1,
  maxLength: maxIdempotencyKeyLength,
  description: 'Optional. 1 to 255 printable ASCII characters (a UUID): the same request sent again with the same key within 24 hours is '
    + 'answered with the first answer, nothing done twice (Idempotent-Replayed: true); the key with another request is a 422, '
    + 'while the first is still running a 409 with Retry-After. Only 2xx answers are kept; a 4xx gives the key back. docs/http-api.md, "Idempotency-Key".',
};
const replayedHeader = { type: 'string', enum: ['true'], description: 'Present on an answer sent again for an Idempotency-Key' };
const retryAfterHeader = { type: 'integer', minimum: 1, description: 'Present on the 409 of an Idempotency-Key still in flight: the seconds to wait before sending the request again' };

/**
 * A route's swaggerTransform (`config`) that documents the Idempotency-Key request header, and
 * Idempotent-Replayed on its 2xx answers and Retry-After on its 409, on the operation only: idempotent-route.ts reads and
 * checks the header itself (a `schema.headers` would have Fastify replace request.headers with
 * what the schema let through). `inner`: the route's own transform (an upload's body docs).
 */
export function idempotencyKeyDocs(inner: (document: Parameters<typeof jsonSchemaTransform>[0]) => unknown = jsonSchemaTransform): Transform {
  return (document) => {
    const transformed = inner(document) as { schema: Record<string, unknown>; url: string };
    const response = Object.fromEntries(Object.entries((transformed.schema.response ?? {}) as Record<string, Record<string, unknown>>)
      .map(([code, schema]) => [code, /^2\d\d$/.test(code) ? { ...schema, headers: { ...(schema.headers as object | undefined), 'Idempotent-Replayed': replayedHeader } }
        : code === '409' ? { ...schema, headers: { ...(schema.headers as object | undefined), 'Retry-After': retryAfterHeader } } : schema]));
    return {
      ...transformed,
      schema: { ...transformed.schema, headers: { type: 'object', properties: { 'Idempotency-Key': keyHeader } }, response },
    };
  };
}
