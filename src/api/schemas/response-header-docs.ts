import { jsonSchemaTransform } from 'fastify-type-provider-zod';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type Transformed = { schema: Record<string, unknown>; url: string };
/** A response header as @fastify/swagger writes it into an OpenAPI response (`description` goes beside the schema). */
export type HeaderDoc = Record<string, unknown> & { description: string };

/** The dataset a 201 created (datasets-route-support.ts datasetLocation), sent again on a replay. */
export const datasetLocationHeader: HeaderDoc = {
  type: 'string',
  description: 'Where the dataset created is: `/api/datasets/{id}` (the `datasetId` of the body), relative to this origin; sent again on an Idempotency-Key replay',
};

/**
 * A route's swaggerTransform (`config`) that declares the headers its answers carry, by status
 * (`{201: {Location: ...}}`), on the operation only: the routes set them themselves, and a
 * response schema holds the body. Merged with the headers `inner` declared (an upload's body docs,
 * another transform); idempotencyKeyDocs merges its own over these.
 */
export function responseHeaderDocs(headers: Record<string, Record<string, HeaderDoc>>, inner: (document: TransformInput) => unknown = jsonSchemaTransform) {
  return (document: TransformInput): Transformed => {
    const transformed = inner(document) as Transformed;
    const response = { ...(transformed.schema.response ?? {}) } as Record<string, Record<string, unknown>>;
    for (const [code, named] of Object.entries(headers)) {
      if (!response[code]) throw new Error(`${document.url}: headers declared on ${code}, an answer the route does not declare`);
      response[code] = { ...response[code], headers: { ...(response[code].headers as object | undefined), ...named } };
    }
    return { ...transformed, schema: { ...transformed.schema, response } };
  };
}
