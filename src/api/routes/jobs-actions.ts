import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Job, JobFilter } from '../../queue/job.js';
import { canTransition } from '../../queue/job-state.js';
import { conflict, notFound } from '../errors.js';
import { refuseBodyFields } from '../no-body.js';
import { cancelFilterSchema, errorSchema, jobIdParamsSchema, jobWithResultSchema, retryFilterSchema } from '../schemas/job-schemas.js';
import type { Store } from '../../stores/store.js';
import type { RouteOptions } from './route-plugin.js';

function filterOf(body: { batchId?: string; datasetId?: string; sku?: string }): JobFilter {
  const filter: JobFilter = {};
  if (body.batchId !== undefined) filter.batchId = body.batchId;
  if (body.datasetId !== undefined) filter.datasetId = body.datasetId;
  if (body.sku !== undefined) filter.sku = body.sku;
  return filter;
}

/**
 * An operator's verb on one job: 404 when there is no such job, 409 (`refusal` names the status)
 * when its status does not allow the verb, before the write and after a write that changed
 * nothing (the job moved on between the read and the write).
 */
async function transitionOne(
  store: Store, id: number, verb: 'cancel' | 'requeue', refusal: (status: string) => string,
  write: (job: Job) => Promise<number>,
): Promise<number> {
  const job = await store.getJob(id);
  if (!job) throw notFound(`no job ${id}`, 'id');
  if (!canTransition(verb, job.status)) throw conflict(refusal(job.status), 'id');
  const changed = await write(job);
  if (changed === 0) throw conflict(refusal((await store.getJob(id))?.status ?? 'gone'), 'id');
  return changed;
}

/** 409 for a job whose dataset was deleted: the store will not requeue it (no series left to run it on). */
async function refuseOrphan(store: Store, job: Job): Promise<void> {
  if (job.datasetId === null || (await store.getDataset(job.datasetId))) return;
  throw conflict(`job ${job.id} belongs to dataset '${job.datasetId}', which was deleted: there is nothing to run it on`, 'id');
}

/**
 * When a bulk verb scoped by a dataset changed nothing because there is no such dataset: 404 naming
 * `datasetId` if no job of that id is left either (a misspelt id would otherwise answer 200 with 0,
 * which reads as "nothing to do"), 409 naming it if some are (a deleted dataset: GET /api/jobs/status
 * still lists its jobs, so "no dataset" would contradict the listing the caller acted on; the delete
 * cancelled them and the store requeues none, so the verb can never change anything there). The rule
 * is GET /api/jobs/status's. Asked only after a write that changed nothing, so a verb that did
 * something pays no dataset read.
 */
async function refuseMissingDataset(store: Store, filter: JobFilter, changed: number, deletedWhy: string): Promise<void> {
  if (changed > 0 || filter.datasetId === undefined || (await store.getDataset(filter.datasetId))) return;
  const left = await store.listJobs({ datasetId: filter.datasetId, limit: 1 });
  if (left.jobs.length > 0) throw conflict(`dataset '${filter.datasetId}' was deleted: ${deletedWhy}`, 'datasetId');
  throw notFound(`no dataset '${filter.datasetId}'`, 'datasetId');
}

/** One job, and the operator's verbs on jobs: cancel, requeue ("retry"), prune ("clear completed"), reset. */
export const jobsActionsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/jobs/:id', {
    schema: { summary: 'One job, with its result', tags: ['jobs'], params: jobIdParamsSchema, response: { 200: jobWithResultSchema, 404: errorSchema } },
  }, async (request) => {
    const job = await store.getJob(request.params.id);
    if (!job) throw notFound(`no job ${request.params.id}`, 'id');
    return job;
  });

  api.post('/api/jobs/:id/cancel', {
    schema: {
      summary: 'Cancel a pending or running job', tags: ['jobs'], params: jobIdParamsSchema,
      response: { 200: z.object({ cancelled: z.number() }), 400: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema, 415: errorSchema },
    },
  }, async (request) => {
    refuseBodyFields(request.body);
    const { id } = request.params;
    const cancelled = await transitionOne(store, id, 'cancel', (status) => `job ${id} is already ${status}`,
      () => store.cancel({ ids: [id] }));
    request.log.info({ jobId: id }, 'cancel');
    return { cancelled };
  });

  api.post('/api/jobs/:id/retry', {
    schema: {
      summary: 'Requeue a failed or cancelled job (not one of a deleted dataset, nor one a newer job replaced)', tags: ['jobs'], params: jobIdParamsSchema,
      response: { 200: z.object({ requeued: z.number() }), 400: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema, 415: errorSchema },
    },
  }, async (request) => {
    refuseBodyFields(request.body);
    const { id } = request.params;
    const requeued = await transitionOne(store, id, 'requeue', (status) => `job ${id} is ${status}: only failed or cancelled jobs can be retried`,
      async (job) => {
        await refuseOrphan(store, job);
        const changed = await store.requeue({ ids: [id], status: [job.status] });
        if (changed > 0) return changed;
        // The store left it: say why rather than "job N is failed" (the dataset went meanwhile, or newer work replaced it).
        await refuseOrphan(store, job);
        const now = await store.getJob(id);
        if (now && now.status === job.status) throw conflict(`job ${id} was replaced by a newer job for the same work: retry that one`, 'id');
        return 0;
      });
    request.log.info({ jobId: id }, 'requeue');
    return { requeued };
  });

  api.post('/api/jobs/cancel', {
    schema: {
      summary: 'Cancel the pending and running jobs that match (404 naming datasetId for a dataset that does not exist and has no job left, 409 for a deleted one whose jobs are)', tags: ['jobs'], body: cancelFilterSchema,
      response: { 200: z.object({ cancelled: z.number() }), 400: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema, 415: errorSchema },
    },
  }, async (request) => {
    const filter = filterOf(request.body);
    filter.status = request.body.status ?? ['pending', 'running'];
    const cancelled = await store.cancel(filter);
    await refuseMissingDataset(store, filter, cancelled, 'the delete cancelled its jobs, so there is nothing left to cancel');
    request.log.info({ filter, cancelled }, 'cancel');
    return { cancelled };
  });

  api.post('/api/jobs/retry', {
    schema: {
      summary: 'Requeue failed jobs (and cancelled ones when status says) that match (404 naming datasetId for a dataset that does not exist and has no job left, 409 for a deleted one whose jobs are)', tags: ['jobs'], body: retryFilterSchema,
      response: { 200: z.object({ requeued: z.number() }), 400: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema, 415: errorSchema },
    },
  }, async (request) => {
    const body = request.body ?? {};
    const filter = filterOf(body);
    filter.status = body.status && body.status.length > 0 ? body.status : ['failed'];
    const requeued = await store.requeue(filter);
    await refuseMissingDataset(store, filter, requeued, 'there is nothing to run its jobs on');
    request.log.info({ filter, requeued }, 'requeue');
    return { requeued };
  });

  api.post('/api/jobs/clear-completed', {
    schema: { summary: 'Delete completed jobs', tags: ['jobs'], response: { 200: z.object({ deleted: z.number() }), 400: errorSchema, 413: errorSchema, 415: errorSchema } },
  }, async (request) => {
    refuseBodyFields(request.body);
    // +1: a job that finished in this very millisecond is completed too.
    const deleted = await store.prune({ before: Date.now() + 1, statuses: ['completed'] });
    request.log.info({ deleted }, 'prune');
    return { deleted };
  });

  api.post('/api/jobs/reset', {
    schema: { summary: 'Cancel running jobs, then delete every job', tags: ['jobs'], response: { 200: z.object({ cancelled: z.number(), deleted: z.number() }), 400: errorSchema, 413: errorSchema, 415: errorSchema } },
  }, async (request) => {
    refuseBodyFields(request.body);
    const result = await store.reset();
    request.log.info(result, 'reset');
    return result;
  });
};
