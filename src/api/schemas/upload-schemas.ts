import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryInteger } from './query-integer.js';

/**
 * The options of the upload routes (POST /api/datasets, its actuals, the cleaning file), as
 * query-string parameters or multipart fields before the file. Strict: an unknown key (`dryrun`
 * for `dryRun`) is a 400 naming it, never an option silently dropped, as POST /api/jobs refuses an
 * unknown JSON key. Every value is the text sent: the routes check values themselves
 * (datasets-import.ts importOptionsFrom), so a query option and the same multipart field are
 * refused alike.
 */
const given = (description: string) => z.string({
  error: (issue) => (Array.isArray(issue.input) ? 'given more than once: give it once (a list is one comma list)' : undefined),
}).optional().describe(description);

const flag = (description: string) => given(`${description}: true or false (also 1/0, yes/no); given without a value (\`?dryRun\`, an empty field) it means true`);

/** What an import and its actuals both read the file by. */
const readOptions = {
  mapping: given('JSON {sku, date, quantity, attributes}: sku a column or a list of columns (a composite key), attributes columns kept per SKU; a column by its header or its number from 1 (the way to choose between two columns of one name); default: detected'),
  dateFormat: given('tokens such as DD.MM.YYYY or MM/DD/YY HH:mm:ss; default: detected'),
  format: given('long, wide or auto (default)'),
  delimiter: given(', ; | or tab (also comma, semicolon, pipe, tab); default: sniffed'),
  charset: given('utf-8 or windows-1252, for a file with no byte order mark (the Content-Type\'s charset otherwise)'),
  weekStart: given('monday..sunday: the first day of a week'),
  sheet: given('an .xlsx upload: the sheet to read (default: the first)'),
  headerRow: given('the header\'s line, from 1 (an .xlsx: its sheet row); default: the first line, or the first below a report title (datasets.md)'),
  maxRejected: given('strict mode: an integer from 0; a file with more rejected lines than this is refused (400 naming maxRejected and the first of them), nothing stored; default: any number, reported and skipped'),
};

export const importOptionsSchema = z.strictObject({
  name: given('the dataset\'s name (default: the file\'s name)'),
  ...readOptions,
  frequency: given('daily, weekly, monthly, quarterly or yearly: aggregate to it (default: detected)'),
  models: given('a comma list of model ids (GET /api/models)'),
  method: given('the parameter search method (GET /api/models)'),
  horizon: given('periods to forecast (an integer)'),
  holdout: given('periods held out to score the models (an integer)'),
  metric: given('the metric the models are ranked by (the 3 lowest join the ensemble in the default mix)'),
  fillGaps: given('zero or report'),
  createJobs: flag('queue the forecasting jobs (default true)'),
  dryRun: flag('preview: the report and the detected mapping, nothing stored (default false)'),
});

export const actualsOptionsSchema = z.strictObject({
  ...readOptions,
  mapping: given('JSON as for an import; default: the dataset\'s own columns, those the file has, the others detected; {} to detect'),
  absentSkus: given('keep (default) or zero: the dataset\'s SKUs the file has no line for get 0 for the file\'s periods after their own history'),
  dryRun: flag('check: the same answer as the append would give, with dryRun: true, nothing written (no snapshot, actuals record, audit or jobs) (default false)'),
  basedOn: given("the check's datasetUpdatedAt: the append is refused (409 conflict_state naming basedOn, nothing stored) when the dataset changed since the check"),
});

export const cleaningOptionsSchema = z.strictObject({
  charset: readOptions.charset,
});

export const sampleCsvQuerySchema = z.object({
  skus: queryInteger({ min: 1, max: 20000 }).default(200)
    .describe('how many SKUs (default 200)'),
});

const csvBody = z.string().describe('the CSV file (UTF-8, UTF-16 with its byte order mark, or Windows-1252 when declared)');
const xlsxBody = z.string().meta({ format: 'binary', description: 'an Excel workbook (.xlsx)' });
const filePart = z.string().meta({ format: 'binary', description: 'the CSV or .xlsx file; the option fields go before it' });

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * A swaggerTransform (route `config`) that documents a request body the route reads itself. The
 * routes take the raw stream or the multipart parts in their handlers, so the body must not be in
 * `schema.body`, where Fastify would validate it; it is added to the route's OpenAPI operation
 * only, after the zod transform of the rest of its schema.
 */
function documentedBody(content: Record<string, z.ZodType>) {
  return (document: TransformInput) => {
    const transformed = jsonSchemaTransform(document) as { schema: Record<string, unknown>; url: string };
    const body = {
      content: Object.fromEntries(Object.entries(content).map(([type, schema]) => {
        const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
        return [type, { schema: json }];
      })),
    };
    return { ...transformed, schema: { ...transformed.schema, body } };
  };
}

/** POST /api/datasets and its actuals: a CSV body, an .xlsx body, or the multipart field `file` after the option fields. */
export const uploadBodyDocs = (options: z.ZodObject) => documentedBody({
  'text/csv': csvBody,
  'multipart/form-data': options.extend({ file: filePart }),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': xlsxBody,
});

/** POST /api/datasets/:id/cleaning: a CSV body of sku, date, value rows. */
export const cleaningBodyDocs = documentedBody({ 'text/csv': z.string().describe('a CSV of sku, date, value rows') });
