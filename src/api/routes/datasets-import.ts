import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { mappingRequestFrom, type MappingRequest } from '../../datasets/column-mapping.js';
import { delimiterChoices, delimiterNamed } from '../../datasets/csv-sniff.js';
import { DatasetValidationError } from '../../datasets/dataset-validation-error.js';
import type { DatasetSettings, Frequency } from '../../datasets/dataset.js';
import { settingsProblems } from '../../datasets/dataset-settings.js';
import { weekdays, type Weekday } from '../../datasets/period-grid.js';
import { importCsv, type CsvImportOptions } from '../../datasets/import-dataset.js';
import { importAnswer } from '../../datasets/import-answer.js';
import { sampleCsvChunks } from '../../datasets/sample-dataset.js';
import type { Store } from '../../stores/store.js';
import { charsetOf, charsets, type Charset } from '../../datasets/text-charset.js';
import { defaultUploadLimitBytes } from '../api-config.js';
import { refuseNul } from '../request-checks.js';
import { ApiError, badRequest, refusedMediaType } from '../errors.js';
import { fingerprintOf, idempotentRoute } from '../idempotent-route.js';
import { canonicalJson } from '../request-fingerprint.js';
import { datasetsActualsRoutes } from './datasets-actuals.js';
import { checkFields, csvHeaders, datasetLocation, datasetUploadTakes, csvStream, declaredCharset, limited, refusingBadInput, tooLarge, unreadable } from './datasets-route-support.js';
import type { RouteOptions } from './route-plugin.js';
import { datasetImportedSchema } from '../schemas/dataset-schemas.js';
import { idempotencyKeyDocs } from '../schemas/idempotency-key-docs.js';
import { datasetLocationHeader, responseHeaderDocs } from '../schemas/response-header-docs.js';
import { csvResponse, errorResponses, importErrorSchema } from '../schemas/error-schema.js';
import { parseIntegerText } from '../schemas/query-integer.js';
import { importOptionsSchema, sampleCsvQuerySchema, uploadBodyDocs } from '../schemas/upload-schemas.js';

/**
 * POST /api/datasets: a CSV as a text/csv body or the multipart field `file`, streamed into the
 * importer (never buffered whole), options in the query string or multipart fields.
 * POST /api/datasets/sample: the built-in sample (a JSON body). Multipart and the raw CSV body
 * parsers are registered for the upload routes only (the import and its actuals), with their own
 * size limit (ApiConfig.uploadLimitBytes, from DATASET_UPLOAD_LIMIT_MB, default 1024), since
 * uploads are far larger than JSON bodies.
 */
const rawTypes = [
  'text/csv', 'text/plain', 'application/csv', 'text/tab-separated-values', 'application/octet-stream', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
const frequencies: Frequency[] = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

type Fields = Record<string, string | undefined>;

/**
 * Multipart fields that follow the file (`curl -F file=@x.csv -F frequency=monthly`) arrive
 * after the import has read the file: silently ignoring them would import daily data as asked
 * monthly, or store a dry run. Once the file is read the rest of the parts are read too, and any
 * part there is refused by name; so is any parser refusal queued behind the file (a 31st field,
 * a second file, a field declared JSON that is not, a prototype name), which request.file() drops.
 */
function refuseLateParts(nextPart: () => Promise<Multipart | undefined>): () => Promise<void> {
  return async () => {
    const late: string[] = [];
    for (let part = await nextPart(); part; part = await nextPart()) {
      if (part.type === 'file') part.file.resume();
      late.push(partName(part));
    }
    if (late.length > 0) {
      throw badRequest(`${late.join(', ')} came after the file`, late.map((name) => ({
        path: name,
        message: 'multipart fields after the file are not read: send them before the file, or in the query string',
      })));
    }
  };
}

/** A part's field name, or null when its Content-Disposition names none (busboy then leaves it undefined, whatever the types say). */
const fieldNameOf = (part: Multipart): string | null => (typeof part.fieldname === 'string' && part.fieldname !== '' ? part.fieldname : null);
/** As a refusal's path, which is always a string. */
const partName = (part: Multipart) => fieldNameOf(part) ?? '(unnamed part)';

/**
 * A parser refusal from @fastify/multipart or busboy as the API's own. `received`: the fields
 * read so far, to name the field declared JSON that is not (the parser's error names none).
 */
function multipartRefusal(error: unknown, uploadLimitBytes: number, received: ReadonlySet<string>): unknown {
  const { statusCode, code } = error as { statusCode?: number; code?: string };
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') {
    // mapping is the one option that is JSON; a field that is not, sent as application/json, is
    // the rare case, and is named as the fields as a whole.
    const path = received.has('mapping') ? 'fields' : 'mapping';
    return badRequest(`invalid ${path}: a field declared application/json is not JSON`, [{
      path, message: 'a multipart field sent as Content-Type: application/json must be JSON, like {"sku":"Item","date":"Week","quantity":"Units"}',
    }]);
  }
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return new ApiError(413, 'too many form fields', [{ path: 'fields', message: 'at most 30 form fields' }]);
  if (code === 'FST_FILES_LIMIT') return badRequest('more than one file in the upload', [{ path: 'file', message: 'send one file per upload' }]);
  if (statusCode === 413) return tooLarge(uploadLimitBytes);
  if (statusCode !== undefined && statusCode < 500) return error;
  return unreadable(error);
}

/** Query-string options, each given once: `?models=a&models=b` is refused (a comma list is the form). */
function singleValues(query: Record<string, unknown>): Fields {
  const fields: Fields = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw badRequest(`${name} is given more than once`, [{ path: name, message: 'give it once (models take a comma list)' }]);
    if (value !== undefined) fields[name] = String(value);
  }
  return fields;
}

function bool(fields: Fields, name: string, fallback: boolean): boolean {
  const v = fields[name];
  if (v === undefined) return fallback;
  // Present without a value (`?dryRun`, `-F dryRun=`) is the flag given: a preview asked for so
  // must never import for real.
  if (v === '') return true;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw badRequest(`invalid ${name}`, [{ path: name, message: `expected true or false, got '${v}'` }]);
}

function int(fields: Fields, name: string): number | undefined {
  const v = fields[name];
  if (v === undefined || v === '') return undefined;
  // As every integer query parameter reads (query-integer.ts); the option's own range is checked with the import's other settings.
  const parsed = parseIntegerText(v, { min: 0 });
  if (!parsed.ok) throw badRequest(`invalid ${name}`, [{ path: name, message: parsed.message }]);
  return parsed.value;
}

/** The import options from query-string or multipart fields, each refusal naming its field. */
export function importOptionsFrom(fields: Fields): CsvImportOptions {
  let mapping: MappingRequest | undefined;
  if (fields.mapping) {
    try {
      const parsed = JSON.parse(fields.mapping) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      mapping = mappingRequestFrom(parsed as Record<string, unknown>);
    } catch (error) {
      if (error instanceof DatasetValidationError) throw badRequest(error.message, error.details);
      throw badRequest('invalid mapping', [{ path: 'mapping', message: 'must be JSON like {"sku":"Item","date":"Week","quantity":"Units"} or {"sku":["Store","Item"],"attributes":["Category"]}' }]);
    }
  }
  const format = fields.format;
  if (format !== undefined && format !== 'long' && format !== 'wide' && format !== 'auto') {
    throw badRequest('invalid format', [{ path: 'format', message: "must be 'long', 'wide' or 'auto'" }]);
  }
  let charset: Charset | undefined;
  if (fields.charset) {
    charset = charsetOf(fields.charset) ?? undefined;
    if (!charset) throw badRequest('invalid charset', [{ path: 'charset', message: `must be ${charsets.join(' or ')} (a file with a byte order mark is read as its mark says)` }]);
  }
  const frequency = fields.frequency as Frequency | undefined;
  if (frequency !== undefined && !frequencies.includes(frequency)) {
    throw badRequest('invalid frequency', [{ path: 'frequency', message: `must be one of ${frequencies.join(', ')}` }]);
  }
  const weekStart = fields.weekStart ? fields.weekStart.toLowerCase() as Weekday : undefined;
  if (weekStart !== undefined && !weekdays.includes(weekStart)) {
    throw badRequest('invalid weekStart', [{ path: 'weekStart', message: `must be one of ${weekdays.join(', ')}` }]);
  }
  // Not trimmed: a tab is a delimiter.
  const delimiter = fields.delimiter === undefined || fields.delimiter === '' ? undefined : delimiterNamed(fields.delimiter);
  if (delimiter === null) throw badRequest('invalid delimiter', [{ path: 'delimiter', message: `must be ${delimiterChoices}, not '${fields.delimiter}'` }]);
  const headerRow = int(fields, 'headerRow');
  if (headerRow !== undefined && headerRow < 1) throw badRequest('invalid headerRow', [{ path: 'headerRow', message: `the header's line counts from 1, got ${headerRow}` }]);
  const settings: Partial<DatasetSettings> = {};
  const horizon = int(fields, 'horizon');
  const holdout = int(fields, 'holdout');
  if (horizon !== undefined) settings.horizon = horizon;
  if (holdout !== undefined) settings.holdout = holdout;
  if (fields.metric) settings.metric = fields.metric as DatasetSettings['metric'];
  if (fields.fillGaps) settings.fillGaps = fields.fillGaps as DatasetSettings['fillGaps'];
  // These come as top-level fields here, so a refusal names them so (`horizon`, not `settings.horizon`).
  const problems = settingsProblems(settings, '');
  if (problems.length > 0) throw badRequest(`invalid ${problems[0].path}: ${problems[0].message}`, problems);
  const models = fields.models ? fields.models.split(',').map((m) => m.trim()).filter(Boolean) : undefined;
  return {
    name: fields.name,
    mapping,
    dateFormat: fields.dateFormat || undefined,
    format: format as CsvImportOptions['format'],
    delimiter,
    charset,
    frequency,
    weekStart,
    sheet: fields.sheet || undefined,
    headerRow,
    models,
    method: fields.method || undefined,
    settings,
    createJobs: bool(fields, 'createJobs', true),
    dryRun: bool(fields, 'dryRun', false),
    maxRejected: int(fields, 'maxRejected'),
  };
}

/**
 * The upload's file and options. `check` sees the options sent as multipart fields before the
 * file is read (the query string was checked by the route's schema): an unknown or misplaced one
 * is refused with nothing read. A request with an Idempotency-Key has its multipart fields, file
 * name and file bytes fed to its fingerprint as they are read (idempotent-route.ts).
 */
async function upload(request: FastifyRequest, uploadLimitBytes: number, check: (fields: Fields) => void): Promise<{ source: AsyncIterable<Uint8Array>; fields: Fields; filename?: string }> {
  const query = singleValues((request.query ?? {}) as Record<string, unknown>);
  const fingerprint = fingerprintOf(request);
  const hashed = (source: AsyncIterable<Uint8Array>) => (fingerprint ? fingerprint.passing('file', source) : source);
  if (request.isMultipart()) {
    const parts = request.parts()[Symbol.asyncIterator]();
    const given = new Set<string>();
    const nextPart = async (): Promise<Multipart | undefined> => {
      try {
        const next = await parts.next();
        return next.done ? undefined : next.value;
      } catch (error) {
        throw multipartRefusal(error, uploadLimitBytes, given);
      }
    };
    // The fields before the file, in the order sent (the first of a repeated name counts).
    const fields: Fields = { ...query };
    let file: MultipartFile | undefined;
    for (let part = await nextPart(); part; part = await nextPart()) {
      if (part.type === 'file') {
        file = part;
        break;
      }
      const name = partName(part);
      // busboy cuts a field at fieldSize and says so; a silently shortened option is no option.
      if (part.valueTruncated || part.fieldnameTruncated) throw new ApiError(413, 'a form field is too large', [{ path: name, message: 'form fields are limited to 64 KB' }]);
      if (given.has(name)) continue;
      given.add(name);
      // A field sent as application/json arrives parsed: back to its JSON text.
      fields[name] = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
    }
    if (!file) throw badRequest('no file in the upload', [{ path: 'file', message: 'send the CSV as the multipart field "file"' }]);
    // A part whose Content-Disposition names no field (a stray quote before name=) has none: the
    // refusal still names a path, as every 4xx does.
    const fileField = fieldNameOf(file);
    if (fileField !== 'file') {
      throw badRequest('the CSV goes in the field "file"', [{ path: fileField ?? 'file', message: fileField ? 'expected the field "file"' : 'the file part names no field: expected name="file" in its Content-Disposition' }]);
    }
    const sent = Object.fromEntries([...given].map((name) => [name, fields[name]]));
    check(sent);
    // The file's name becomes the dataset's when no `name` is given.
    refuseNul({ filename: file.filename }, 'file');
    fingerprint?.add('fields', canonicalJson(sent)).add('filename', file.filename ?? '');
    const stream = file.file;
    return { source: hashed(limited(stream, uploadLimitBytes, () => stream.truncated, refuseLateParts(nextPart))), fields, filename: file.filename };
  }
  if (!request.body) throw badRequest('no CSV in the request', [{ path: 'body', message: 'send text/csv or multipart/form-data with a "file"' }]);
  // Another parser (JSON, say) already turned the body into a value: it is not a CSV upload.
  // Named as every refusal of a header is (errors.ts: `headers.content-type`).
  if (!(request.body instanceof Readable)) {
    throw refusedMediaType(request);
  }
  // `Content-Type: text/csv; charset=windows-1252` declares the encoding as the charset option does (which wins).
  const charset = declaredCharset(query.charset, request.headers['content-type']);
  if (charset !== undefined) query.charset = charset;
  return { source: hashed(limited(request.body, uploadLimitBytes)), fields: query };
}

/** Reads an upload to its end and drops it: what an Idempotency-Key already answered needs of it (its fingerprint). */
async function drain(source: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of source) {
    // read, hashed on the way (upload), and dropped
  }
}

/** POST /api/datasets and the actuals: the routes that read an upload, in the scope of its parsers. */
async function uploadRoutes(app: FastifyInstance, store: Store, uploadLimitBytes: number, timers: Pick<RouteOptions, 'clock' | 'closing'>): Promise<void> {
  const readImport = (request: FastifyRequest) => upload(request, uploadLimitBytes, (sent) => checkFields(importOptionsSchema, sent));
  app.withTypeProvider<ZodTypeProvider>().post('/api/datasets', {
    schema: { summary: 'Import a sales CSV as a dataset (and queue its jobs)', tags: ['datasets'], querystring: importOptionsSchema,
      response: { 201: datasetImportedSchema, 200: datasetImportedSchema, 400: importErrorSchema, ...errorResponses(409, 413, 415, 422) },
    },
    config: { swaggerTransform: idempotencyKeyDocs(responseHeaderDocs({ 201: { Location: datasetLocationHeader } }, uploadBodyDocs(importOptionsSchema))), takes: datasetUploadTakes },
    ...idempotentRoute(store, { ...timers, readBody: async (request) => drain((await readImport(request)).source) }),
  }, async (request, reply) => {
    const { source, fields, filename } = await readImport(request);
    const options = importOptionsFrom(fields);
    if (!options.name && filename) options.name = filename.replace(/\.(csv|tsv|txt|xlsx)$/i, '');
    const outcome = await refusingBadInput(() => importCsv(store, source, options));
    request.log.info({ datasetId: outcome.datasetId, skus: outcome.report.skus, rows: outcome.report.rows, jobsCreated: outcome.jobsCreated }, options.dryRun ? 'import dry run' : 'import');
    if (!options.dryRun && outcome.datasetId) void reply.header('location', datasetLocation(outcome.datasetId));
    return reply.code(options.dryRun ? 200 : 201).send(importAnswer(outcome, options.dryRun ?? false));
  });

  // Actuals are uploaded like a dataset, through the same parsers.
  await app.register(datasetsActualsRoutes((request, check) => upload(request, uploadLimitBytes, check), importOptionsFrom, drain), { store, ...timers });
}

export const datasetsImportRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store, config, clock, closing }) => {
  const uploadLimitBytes = config?.uploadLimitBytes ?? defaultUploadLimitBytes;
  // The upload parsers are scoped to the two upload routes: the sample import beside them is a
  // JSON route, and would otherwise read a text/plain or multipart body as if it were its options.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, { limits: { fileSize: uploadLimitBytes, files: 1, fields: 30, fieldSize: 64 * 1024 } });
    // The raw request stream is the body: the importer reads it chunk by chunk.
    uploads.removeContentTypeParser('text/plain'); // the root's, which reads an empty body as none and refuses the rest
    uploads.addContentTypeParser(rawTypes, (_request, payload, done) => done(null, payload));
    await uploadRoutes(uploads, store, uploadLimitBytes, { clock, closing });
  });

  // The same sample as a file, for a newcomer to look at or edit before uploading.
  app.withTypeProvider<ZodTypeProvider>().get('/api/datasets/sample.csv', {
    schema: { summary: 'The built-in sample dataset as CSV (sku,date,sales)', tags: ['datasets'], querystring: sampleCsvQuerySchema, response: { 200: csvResponse, ...errorResponses(400) } },
  }, async (request, reply) => {
    const { skus } = request.query;
    return reply.headers(csvHeaders('sample-sales.csv')).send(csvStream(sampleCsvChunks({ skus })));
  });

  const sampleFields = ['skus', 'models', 'method', 'createJobs', 'name'];
  app.post('/api/datasets/sample', {
    schema: { summary: 'Load the built-in sample dataset', tags: ['datasets'], response: { 201: datasetImportedSchema, 400: importErrorSchema, ...errorResponses(409, 413, 415, 422) } },
    config: { swaggerTransform: idempotencyKeyDocs(responseHeaderDocs({ 201: { Location: datasetLocationHeader } })) },
    ...idempotentRoute(store, { clock, closing }),
  }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalid body', [{ path: 'body', message: 'the body must be a JSON object' }]);
    // A misspelt option (`createJob: false`) was dropped and the sample imported with jobs queued.
    const unknown = Object.keys(body).filter((key) => !sampleFields.includes(key));
    if (unknown.length > 0) throw badRequest(`unknown field '${unknown[0]}'`, unknown.map((key) => ({ path: key, message: `unknown field '${key}'` })));
    if (body.createJobs !== undefined && typeof body.createJobs !== 'boolean') {
      throw badRequest('invalid createJobs', [{ path: 'createJobs', message: 'must be true or false' }]);
    }
    const skus = body.skus ?? 200;
    if (typeof skus !== 'number' || !Number.isInteger(skus) || skus < 1 || skus > 20000) {
      throw badRequest('invalid skus', [{ path: 'skus', message: 'must be an integer from 1 to 20000' }]);
    }
    const fields: Fields = {};
    for (const key of sampleFields.filter((f) => f !== 'skus')) {
      const v = body[key];
      if (v !== undefined) fields[key] = Array.isArray(v) ? v.join(',') : String(v);
    }
    const options = importOptionsFrom(fields);
    options.name ??= `Sample (${skus} SKUs, monthly)`;
    const outcome = await refusingBadInput(() => importCsv(store, sampleCsvChunks({ skus }), options));
    request.log.info({ datasetId: outcome.datasetId, skus, jobsCreated: outcome.jobsCreated }, 'import sample');
    return reply.code(201).header('location', datasetLocation(outcome.datasetId as string)).send(importAnswer(outcome, false));
  });
};
