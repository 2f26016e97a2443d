import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { absentSkusChoices, appendActuals, type AbsentSkus } from '../../datasets/actuals.js';
import { answerActuals } from '../../datasets/actuals-answer.js';
import { ActualsCheckStaleError } from '../../datasets/actuals-check-stale-error.js';
import { ActualsConflictError } from '../../datasets/actuals-conflict-error.js';
import type { CsvImportOptions } from '../../datasets/import-dataset.js';
import { badRequest, conflict, retryConflict } from '../errors.js';
import { idempotentRoute } from '../idempotent-route.js';
import { changingDataset, checkFields, datasetUploadTakes, loadDataset } from './datasets-route-support.js';
import type { RouteOptions } from './route-plugin.js';
import { errorResponses, importErrorSchema } from '../schemas/error-schema.js';
import { idempotencyKeyDocs } from '../schemas/idempotency-key-docs.js';
import { actualsAppendedSchema, actualsListSchema } from '../schemas/planning-schemas.js';
import { actualsOptionsSchema, uploadBodyDocs } from '../schemas/upload-schemas.js';

/**
 * POST /api/datasets/:id/actuals: new actuals for a dataset, in any form the import takes (a
 * text/csv body or the multipart field `file`; mapping, dateFormat, format, delimiter as for
 * POST /api/datasets, the dataset's own mapping by default; `absentSkus` keep or zero for the
 * dataset's SKUs the file has no line for, appendActuals; `dryRun` the check: the same answer,
 * nothing written, as an import's upload check). Registered inside the import plugin,
 * whose CSV and multipart parsers it shares. GET lists the actuals appended so far.
 */
/** The import's reader of an upload; `check` refuses options sent as multipart fields before the file is read. */
type ReadUpload = (request: FastifyRequest, check: (fields: Record<string, string | undefined>) => void) => Promise<{ source: AsyncIterable<Uint8Array>; fields: Record<string, string | undefined> }>;
type ReadOptions = (fields: Record<string, string | undefined>) => CsvImportOptions;

/** Options that shape a new dataset, not actuals: refused, naming where they belong. */
const datasetOnly = ['name', 'models', 'method', 'horizon', 'holdout', 'metric', 'fillGaps', 'createJobs', 'frequency'];

const whereItBelongs = (option: string) => {
  if (option === 'frequency') return "actuals take the dataset's frequency";
  if (option === 'name' || option === 'createJobs') return 'an option of a new dataset (POST /api/datasets), not of its actuals';
  return 'a dataset setting: change it with PATCH /api/datasets/:id/settings';
};

/**
 * A dataset option given to actuals, even without a value (`?createJobs` would otherwise append for
 * real), is refused by name with where it belongs, before the strict schema would call it unknown.
 */
function refuseDatasetOptions(fields: Record<string, unknown>): void {
  const given = datasetOnly.filter((f) => fields[f] !== undefined);
  if (given.length > 0) {
    throw badRequest(`${given[0]} is not an actuals option`, given.map((f) => ({ path: f, message: whereItBelongs(f) })));
  }
}

/** `drain`: reads an upload to its end, for an Idempotency-Key already answered (idempotent-route.ts). */
export function datasetsActualsRoutes(upload: ReadUpload, readOptions: ReadOptions, drain: (source: AsyncIterable<Uint8Array>) => Promise<void>): FastifyPluginAsync<RouteOptions> {
  const readActuals = (request: FastifyRequest) => upload(request, (sent) => {
    refuseDatasetOptions(sent);
    checkFields(actualsOptionsSchema, sent);
  });
  return async (app, { store, clock, closing }) => {
    app.withTypeProvider<ZodTypeProvider>().post('/api/datasets/:id/actuals', {
      schema: { summary: 'Append actuals to a dataset: new periods, revised values, new SKUs; re-queue the SKUs that changed (dryRun: check what it would do, nothing written)', tags: ['datasets'],
        querystring: actualsOptionsSchema,
        response: { 200: actualsAppendedSchema, 400: importErrorSchema, ...errorResponses(404, 409, 413, 415, 422) },
      },
      config: { swaggerTransform: idempotencyKeyDocs(uploadBodyDocs(actualsOptionsSchema)), takes: { error: 'an actuals upload is a CSV file', send: datasetUploadTakes.send } },
      // Before the schema's check, which would call a dataset option only unknown.
      preValidation: async (request) => refuseDatasetOptions(request.query as Record<string, unknown>),
      ...idempotentRoute(store, { clock, closing, readBody: async (request) => drain((await readActuals(request)).source) }),
    }, async (request, reply) => {
      const dataset = await loadDataset(store, (request.params as { id: string }).id);
      const { source, fields } = await readActuals(request);
      const absentSkus = fields.absentSkus === undefined || fields.absentSkus === '' ? undefined : fields.absentSkus;
      if (absentSkus !== undefined && !(absentSkusChoices as readonly string[]).includes(absentSkus)) {
        throw badRequest('invalid absentSkus', [{ path: 'absentSkus', message: `must be one of ${absentSkusChoices.join(', ')}: keep leaves the SKUs the file has no line for as they were, zero gives them 0 for the file's periods after their own history` }]);
      }
      const basedOn = fields.basedOn === undefined || fields.basedOn === '' ? undefined : Number(fields.basedOn);
      if (basedOn !== undefined && !(Number.isSafeInteger(basedOn) && basedOn >= 0)) {
        throw badRequest('invalid basedOn', [{ path: 'basedOn', message: "must be the datasetUpdatedAt a check (dryRun) answered, a whole number" }]);
      }
      const options = { ...readOptions(fields), absentSkus: absentSkus as AbsentSkus | undefined, ...(basedOn !== undefined ? { basedOn } : {}) };
      // A check compares with nothing: basedOn there would be silently ignored (the CLI refuses it too).
      if (basedOn !== undefined && options.dryRun) {
        throw badRequest('basedOn is for the append that follows a check, not for a check (dryRun)', [{ path: 'basedOn', message: 'a check (dryRun) compares with nothing: send basedOn with the append, the datasetUpdatedAt this check answers' }]);
      }
      // Deleted while the file was read and merged (the store found no dataset, or none of its
      // series, or a retry after a refusal found it gone): changingDataset answers it as any request
      // for it after the delete, a 404 naming id, not a 500 or a 409 to send again.
      const outcome = await changingDataset(store, dataset.id, () => appendActuals(store, dataset, source, options)).catch((error: unknown) => {
        // Other uploads kept changing a SKU of this file: the client sends it again.
        if (error instanceof ActualsConflictError) throw retryConflict(error.message, error.path, error.detail);
        // The dataset changed since the check the append was sent with: check again.
        if (error instanceof ActualsCheckStaleError) throw conflict(error.message, error.path, error.detail);
        throw error;
      });
      request.log.info({ datasetId: dataset.id, actualsId: outcome.actuals?.id ?? null, skusChanged: outcome.skusChanged, jobsCreated: outcome.jobsCreated }, outcome.dryRun ? 'actuals check' : 'actuals');
      return reply.code(200).send(answerActuals(outcome));
    });

    app.get('/api/datasets/:id/actuals', {
      schema: { summary: 'The actuals appended to a dataset, newest first', tags: ['datasets'], response: { 200: actualsListSchema, ...errorResponses(404) } },
    }, async (request) => {
      const dataset = await loadDataset(store, (request.params as { id: string }).id);
      return { actuals: await store.listActuals(dataset.id) };
    });
  };
}
