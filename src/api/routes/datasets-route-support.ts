import { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Dataset, SeriesRecord } from '../../datasets/dataset.js';
import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { isDatasetValidationError } from '../../datasets/dataset-validation-error.js';
import { charsetOf, charsets, type Charset } from '../../datasets/text-charset.js';
import type { Store } from '../../stores/store.js';
import { csvDialect, CsvDialectError, defaultCsvDialect, inDialect, type CsvDialect } from '../../datasets/csv-dialect.js';
import { bomWanted } from '../schemas/csv-dialect-query.js';
import { ApiError, badRequest, notFound, retryConflict } from '../errors.js';
import { refuseNul } from '../request-checks.js';

/** What every dataset route shares: the 404 for an unknown dataset or SKU, and refusals as the API's 400. */
export async function loadDataset(store: Store, id: string): Promise<Dataset> {
  const dataset = await store.getDataset(id);
  if (!dataset) throw notFound(`no dataset '${id}'`, 'id');
  return dataset;
}

const unknownSku = (dataset: Dataset, sku: string) => notFound(`no SKU '${sku}' in dataset '${dataset.id}'`, 'sku');

/** A SKU's series of the dataset, or 404. */
export async function loadSeries(store: Store, dataset: Dataset, sku: string): Promise<SeriesRecord> {
  const series = await store.getSeries(dataset.id, sku);
  if (!series) throw unknownSku(dataset, sku);
  return series;
}

/**
 * 404 naming `sku` unless the dataset has that SKU. For reads that take `?sku=` as "this SKU alone"
 * (forecasts, accuracy): a typo would otherwise answer 200 with nothing, which reads as "no forecast yet".
 */
export async function requireSku(store: Store, dataset: Dataset, sku: string | undefined): Promise<void> {
  if (sku !== undefined && (await store.missingSkus(dataset.id, [sku])).length > 0) throw unknownSku(dataset, sku);
}

/**
 * Runs `work`, turning a DatasetValidationError into 400 `{error, details, report?}`, and a
 * DatasetChangedError (other writes kept landing between the plan and its write) into 409.
 */
export async function refusingBadInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDatasetValidationError(error)) {
      throw badRequest(error.message, error.details, {
        ...(error.report ? { report: error.report } : {}),
        ...(error.columns ? { columns: error.columns } : {}),
        ...(error.sheets ? { sheets: error.sheets } : {}),
      });
    }
    // Other writes kept landing between this change's plan and its write: nothing stored, send it again.
    if (error instanceof DatasetChangedError) throw retryConflict(error.message, error.path, error.detail);
    throw error;
  }
}

/**
 * refusingBadInput for a change of one dataset: deleted while the change was planned or written
 * (the store found no dataset, or the change's retries found it gone), it is answered as any
 * request for it after the delete (404 naming `id`), not as a 500 or a 409 to send again.
 */
export async function changingDataset<T>(store: Store, datasetId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await refusingBadInput(work);
  } catch (error) {
    if ((!(error instanceof ApiError) || error.statusCode === 409) && (await store.getDataset(datasetId)) === null) throw notFound(`no dataset '${datasetId}'`, 'id');
    throw error;
  }
}

/**
 * Checks upload options sent as multipart fields against the route's strict options schema, the
 * one Fastify checks the query string against: refused alike, in the same 400 (errors.ts names
 * each unknown key).
 */
export function checkFields(schema: z.ZodType, fields: Record<string, string | undefined>): void {
  // A NUL in a field is refused as in a query parameter or JSON string (request-checks.ts).
  refuseNul(fields, 'fields');
  const result = schema.safeParse(fields);
  if (result.success) return;
  throw Object.assign(new Error('invalid fields'), {
    statusCode: 400,
    validationContext: 'fields',
    validation: result.error.issues.map((issue) => ({ keyword: issue.code, instancePath: `/${issue.path.join('/')}`, message: issue.message, params: issue })),
  });
}

/** `DATASET_UPLOAD_LIMIT_MB` as set: 0.05 MB, 1024 MB (not "0 MB" for a limit under one). */
export function uploadLimitText(uploadLimitBytes: number): string {
  const mb = uploadLimitBytes / 1048576;
  if (mb < 0.01) return uploadLimitBytes === 1 ? '1 byte' : `${uploadLimitBytes} bytes`;
  return `${mb >= 100 ? Math.round(mb) : Number(mb.toPrecision(4))} MB`;
}

export function tooLarge(uploadLimitBytes: number): ApiError {
  return new ApiError(413, 'upload too large', [{ path: 'file', message: `the limit is ${uploadLimitText(uploadLimitBytes)} (DATASET_UPLOAD_LIMIT_MB)` }]);
}

/** A body that breaks off or is not the multipart it claims to be: the client's fault, a 400. */
export function unreadable(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return badRequest('the upload could not be read', [{ path: 'file', message: `the request body ended early or is malformed (${(error as Error)?.message ?? String(error)})` }]);
}

/**
 * Counts bytes as they pass and stops the upload past the limit; a broken stream is a 400.
 * `after` runs once the stream is read, before the import stores anything, and may refuse it.
 */
export async function* limited(stream: AsyncIterable<Uint8Array>, uploadLimitBytes: number, isTruncated?: () => boolean, after?: () => Promise<void>): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  const chunks = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw unreadable(error);
    }
    if (next.done) break;
    bytes += next.value.length;
    if (bytes > uploadLimitBytes) throw tooLarge(uploadLimitBytes);
    yield next.value;
  }
  if (isTruncated?.()) throw tooLarge(uploadLimitBytes);
  await after?.();
}

/** The charset label of a `Content-Type: text/csv; charset=windows-1252` header, if it has one. */
export function contentTypeCharset(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
}

/**
 * The encoding a CSV body declares: the `charset` option, else its Content-Type's charset (the
 * option wins); a label that names neither UTF-8 nor Windows-1252 is a 400 naming where it was.
 */
export function declaredCharset(option: string | undefined, contentType: string | undefined): Charset | undefined {
  const fromHeader = contentTypeCharset(contentType);
  const label = option || fromHeader;
  if (label === undefined) return undefined;
  const charset = charsetOf(label);
  if (!charset) {
    throw badRequest('unsupported charset', [{ path: option ? 'charset' : 'headers.content-type', message: `charset must be ${charsets.join(' or ')}, not '${label}'` }]);
  }
  return charset;
}

/** A 201's Location: the dataset it created (RFC 9110), so a client need not build the path. */
export function datasetLocation(datasetId: string): string {
  return `/api/datasets/${encodeURIComponent(datasetId)}`;
}

/** Streams an async sequence of text chunks as a CSV download. */
export function csvHeaders(filename: string): Record<string, string> {
  // The ASCII name for old clients, and the real one (RFC 6266/5987 `filename*`) that browsers
  // prefer: a dataset "Umsatz März" downloaded as Umsatz_M_rz-forecasts.csv.
  const ascii = filename.replace(/[^\w.-]+/g, '_');
  const utf8 = ascii === filename ? '' : `; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${ascii}"${utf8}`,
  };
}

/** The query's CSV dialect (csv-dialect.ts); a refusal is a 400 naming `delimiter` or `decimal`. */
export function exportDialect(query: { delimiter?: string; decimal?: string; bom?: string }): CsvDialect {
  try {
    return csvDialect({ delimiter: query.delimiter, decimal: query.decimal, bom: bomWanted(query.bom) });
  } catch (error) {
    if (error instanceof CsvDialectError) throw badRequest(error.message, [{ path: error.field, message: error.message }]);
    throw error;
  }
}

/**
 * CSV chunks as a reply body. The route's 200 is documented as text/csv (a string, for the
 * OpenAPI document); the body is a stream, which Fastify sends as it comes, never serialized.
 */
export function csvStream(chunks: AsyncIterable<string> | Iterable<string>, dialect: CsvDialect = defaultCsvDialect): string {
  return Readable.from(inDialect(chunks, dialect)) as unknown as string;
}

/** The 415 of an import or actuals upload (errors.ts refusedMediaType). */
export const datasetUploadTakes = {
  error: 'a dataset upload is a CSV file',
  send: 'text/csv, an .xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) or multipart/form-data with a "file"',
};
