import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { importRows } from '../../datasets/import-rows.js';
import { planJobs } from '../../datasets/job-planner.js';
import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { DatasetGoneError } from '../../datasets/dataset-gone-error.js';
import { withFreshDataset } from '../../datasets/with-fresh-dataset.js';
import { isDatasetValidationError } from '../../datasets/dataset-validation-error.js';
import type { Dataset } from '../../datasets/dataset.js';
import { defaultReason, priorityForReason, type JobReason } from '../../queue/job-state.js';
import type { Store } from '../../stores/store.js';
import { badRequest, retryConflict } from '../errors.js';
import { idempotentRoute } from '../idempotent-route.js';
import { idempotencyKeyDocs } from '../schemas/idempotency-key-docs.js';
import { datasetLocationHeader, responseHeaderDocs } from '../schemas/response-header-docs.js';
import { createJobsBodySchema, createJobsResponseSchema, type CreateJobsBody } from '../schemas/create-jobs-schema.js';
import { errorSchema } from '../schemas/job-schemas.js';
import type { RouteOptions } from './route-plugin.js';
import { datasetLocation } from './datasets-route-support.js';

type CreateJobsAnswer = {
  batchId: string | null;
  datasetId: string | null;
  jobsCreated: number;
  jobsSkipped: number;
  jobsCancelled: number;
  jobsReused: number;
  skusProcessed: number;
  modelsPerSku: number;
  priority: number;
  warnings?: string[];
};

/** Form (a): rows of sales become a new dataset and its jobs, in one transaction (importRows). */
async function createFromRows(store: Store, body: CreateJobsBody, reason: JobReason): Promise<CreateJobsAnswer> {
  try {
    const imported = await importRows(store, body.data!, {
      models: body.models,
      method: body.method,
      reason,
      settings: body.settings,
      createJobs: true,
    });
    return {
      batchId: imported.enqueue?.batchId ?? null,
      datasetId: imported.datasetId,
      jobsCreated: imported.enqueue?.jobsCreated ?? 0,
      jobsSkipped: imported.jobsSkipped,
      jobsCancelled: imported.enqueue?.jobsCancelled ?? 0,
      jobsReused: imported.enqueue?.jobsReused ?? 0,
      skusProcessed: imported.skusProcessed,
      modelsPerSku: body.models.length,
      priority: priorityForReason(reason),
      // Said where the caller reads the answer: a dataset of SKUs all too short, or a date typed
      // into the future, used to be a silent 201 (its warnings only in GET /api/datasets/:id).
      warnings: imported.report.warnings,
    };
  } catch (error) {
    if (isDatasetValidationError(error)) throw badRequest(error.message, error.details, { report: error.report });
    throw error;
  }
}

/**
 * A dataset's forecasts read the results of its own models (`settings.models`) run with its own
 * method, so a job of another model or method would run and complete yet never show; worse, a
 * completed job of another method becomes its (SKU, model)'s newest result and hides the one of the
 * dataset's method. Such a request is refused, naming the field and how to change the settings
 * (a settings PATCH queues what it enables), as an override of a model not listed is.
 */
function refuseResultsNobodySees(dataset: Dataset, body: CreateJobsBody): void {
  const settings = `PATCH /api/datasets/${dataset.id}/settings`;
  const details = body.models.flatMap((modelId, i) => (dataset.settings.models.includes(modelId) ? [] : [{
    path: `models[${i}]`,
    message: `'${modelId}' is not one of this dataset's models (${dataset.settings.models.join(', ')}): its result would never show; add it to the dataset's models with ${settings}, which queues it`,
  }]));
  if (body.method !== undefined && body.method !== dataset.settings.method) {
    details.push({
      path: 'method',
      message: `this dataset forecasts with '${dataset.settings.method}': a '${body.method}' result would never show; change the dataset's method with ${settings}, which re-queues every SKU`,
    });
  }
  if (details.length > 0) throw badRequest(`dataset '${dataset.id}' does not forecast with ${details.map((d) => d.path).join(', ')}: the results would never show`, details);
}

const unknownDataset = (id: string) => badRequest(`unknown dataset '${id}'`, [{ path: 'datasetId', message: `unknown dataset '${id}'` }]);
const goneDataset = (id: string) => badRequest(`dataset '${id}' was deleted while the jobs were planned`, [
  { path: 'datasetId', message: `unknown dataset '${id}': it was deleted while the jobs were planned; nothing was queued` },
]);

/**
 * Form (b): jobs for SKUs of an existing dataset (the given one, else the newest). Planned from the
 * dataset's settings and the SKUs' series as read, enqueued only if both are still so
 * (enqueueIfUnchanged): a settings change, an edit or an append that lands in between would
 * otherwise leave jobs of the old horizon or values superseding its own. Refused, it is planned
 * again from the dataset as it is now (withFreshDataset); after five attempts, 409 naming `skus`;
 * found deleted meanwhile, 400 naming `datasetId`, whether it was named or taken as the newest.
 */
async function createFromSkus(store: Store, body: CreateJobsBody, reason: JobReason): Promise<CreateJobsAnswer> {
  let dataset: Dataset | null;
  if (body.datasetId !== undefined) {
    dataset = await store.getDataset(body.datasetId);
    if (!dataset) throw unknownDataset(body.datasetId);
  } else {
    dataset = await store.latestDataset();
    if (!dataset) {
      throw badRequest('there is no dataset yet: upload one, or send the sales as data', [
        { path: 'datasetId', message: 'no dataset to take the SKUs from' },
      ]);
    }
  }
  refuseResultsNobodySees(dataset, body);
  const skus = body.skus!;
  const datasetId = dataset.id;
  const missing = new Set(await store.missingSkus(datasetId, skus));
  if (missing.size > 0) {
    const details = skus.flatMap((sku, i) => (missing.has(sku) ? [{ path: `skus[${i}]`, message: `unknown SKU '${sku}' in dataset '${datasetId}'` }] : []));
    throw badRequest(`${missing.size} SKU(s) not in dataset '${datasetId}'`, details.slice(0, 100));
  }
  const read = await store.getSeriesMany(datasetId, skus);
  const batchId = randomUUID();
  const { skipped, enqueued } = await withFreshDataset(store, dataset, 'skus', async (now, attempt) => {
    // A settings change since may have dropped a model or changed the method asked for.
    if (attempt > 1) refuseResultsNobodySees(now, body);
    const series = attempt === 1 ? read : await store.getSeriesMany(datasetId, skus);
    // Fewer series than the SKUs checked (skus has no repeats): the dataset was deleted since
    // (its series with it), before the read above or after withFreshDataset's read of it. Planned
    // from none, nothing would reach enqueueIfUnchanged to be refused: 201 with no jobs. Refused
    // here instead, read again, and found gone (400 naming datasetId).
    if (series.length < skus.length) throw new DatasetChangedError(datasetId, 'skus');
    const plan = planJobs({ dataset: now, series, models: body.models, method: body.method ?? now.settings.method, reason });
    const seen = { settings: now.settings, series: Object.fromEntries(series.map((s) => [s.sku, s.updatedAt])) };
    const enqueued = plan.jobs.length > 0 ? await store.enqueueIfUnchanged(datasetId, plan.jobs, { batchId }, seen) : null;
    return { skipped: plan.skipped.length, enqueued };
  }).catch((error: unknown) => {
    // Deleted while the jobs were planned, named or taken as the newest: a 400 naming datasetId,
    // never a 409 to send again (without datasetId, a resend would queue for another dataset).
    if (error instanceof DatasetGoneError) throw goneDataset(datasetId);
    if (error instanceof DatasetChangedError) throw retryConflict(error.message, error.path, error.detail);
    throw error;
  });
  return {
    batchId,
    datasetId,
    jobsCreated: enqueued?.jobsCreated ?? 0,
    jobsSkipped: skipped,
    jobsCancelled: enqueued?.jobsCancelled ?? 0,
    jobsReused: enqueued?.jobsReused ?? 0,
    skusProcessed: skus.length,
    modelsPerSku: body.models.length,
    priority: priorityForReason(reason),
  };
}

export const jobsCreateRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store, clock, closing }) => {
  app.withTypeProvider<ZodTypeProvider>().post('/api/jobs', {
    schema: {
      summary: 'Create jobs from rows of sales (a new dataset) or for SKUs of a dataset',
      tags: ['jobs'],
      body: createJobsBodySchema,
      response: { 201: createJobsResponseSchema, 400: errorSchema, 409: errorSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema },
    },
    config: {
      swaggerTransform: idempotencyKeyDocs(responseHeaderDocs({
        201: { Location: { ...datasetLocationHeader, description: `Sent when the rows' form (\`data\`) made a dataset. ${datasetLocationHeader.description}` } },
      })),
    },
    ...idempotentRoute(store, { clock, closing }),
  }, async (request, reply) => {
    const body = request.body;
    const reason = (body.reason ?? defaultReason) as JobReason;
    const answer = body.data !== undefined ? await createFromRows(store, body, reason) : await createFromSkus(store, body, reason);
    request.log.info({ batchId: answer.batchId, datasetId: answer.datasetId, jobsCreated: answer.jobsCreated, reason }, 'enqueue');
    // The rows' form made a dataset: the 201 says where it is.
    if (body.data !== undefined && answer.datasetId) void reply.header('location', datasetLocation(answer.datasetId));
    return reply.code(201).send(answer);
  });
};

