import { z } from 'zod';
import { errorCodes } from '../errors.js';
import { importReportSchema } from './dataset-schemas.js';

/**
 * The one error body of the API (src/api/errors.ts): `{error, code, details: [{path, message}]}`. Loose:
 * a refusal may carry more (an import's `report`, an upload's `columns`), which the serializer
 * must not strip.
 */
export const errorSchema = z.looseObject({
  error: z.string(),
  /** What kind of refusal, to branch on (docs/http-api.md, "Error codes"); `error` is for people. */
  code: z.enum(errorCodes),
  details: z.array(z.object({ path: z.string(), message: z.string() })),
});

/** A refused upload (dataset, actuals, cleaning): the error, what the import saw, the file's header row. */
export const importErrorSchema = errorSchema.extend({
  report: importReportSchema.optional(),
  /** The file's header row, when its columns were the problem (for a mapping step). */
  columns: z.array(z.string()).optional(),
  /** An .xlsx refused as read from its first sheet when it has others: every sheet, to choose one (`sheet`). */
  sheets: z.array(z.string()).optional(),
});

/** `{400: errorSchema, 404: errorSchema, ...}` for a route's refusals. */
export function errorResponses<const C extends number>(...codes: C[]): Record<C, typeof errorSchema> {
  return Object.fromEntries(codes.map((code) => [code, errorSchema])) as Record<C, typeof errorSchema>;
}

/** A CSV download: the document says text/csv; the body is streamed, never serialized. */
export const csvResponse = { description: 'CSV (UTF-8), sent as an attachment', content: { 'text/csv': { schema: z.string() } } };
