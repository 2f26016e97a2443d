import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queueUnmetWork, unmetWorkOf } from '../../datasets/queue-unmet-work.js';
import { refuseBodyFields } from '../no-body.js';
import { errorResponses } from '../schemas/error-schema.js';
import { changingDataset, loadDataset } from './datasets-route-support.js';
import { datasetIdParams } from './datasets-read.js';
import type { RouteOptions } from './route-plugin.js';

const unmetWorkSchema = z.object({
  skus: z.number().describe('SKUs whose shown forecast was not made with the current settings and series (or that have none), with no job queued for them'),
  jobs: z.number().describe('(SKU, model) pairs of those SKUs that neither a result nor an open job covers'),
  examples: z.array(z.string()).describe('Up to 5 of those SKUs, in SKU order'),
});

const unmetWorkQueuedSchema = unmetWorkSchema.extend({
  batchId: z.string().nullable(),
  jobsCreated: z.number(),
  jobsReused: z.number().describe('Of jobsCreated, completed at once from a result made with the same input (a setting changed back)'),
});

/**
 * `/api/datasets/:id/unmet-work`: what the dataset's settings call for that nothing covers (a
 * cancelled settings change leaves some SKUs forecast with the old settings), and the one click
 * that queues it.
 */
export const datasetsUnmetWorkRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/datasets/:id/unmet-work', {
    schema: {
      summary: 'SKUs whose forecasts were made with other settings or data than the current ones, with nothing queued for them',
      tags: ['datasets'], params: datasetIdParams, response: { 200: unmetWorkSchema, ...errorResponses(400, 404) },
    },
  }, async (request) => unmetWorkOf(store, await loadDataset(store, request.params.id)));

  api.post('/api/datasets/:id/unmet-work', {
    schema: {
      summary: 'Queue that work (manual_trigger), and only it, with the current settings',
      tags: ['datasets'], params: datasetIdParams, response: { 200: unmetWorkQueuedSchema, ...errorResponses(400, 404, 409) },
    },
  }, async (request) => {
    refuseBodyFields(request.body);
    const dataset = await loadDataset(store, request.params.id);
    const result = await changingDataset(store, dataset.id, () => queueUnmetWork(store, dataset));
    request.log.info({ datasetId: dataset.id, batchId: result.batchId, jobsCreated: result.jobsCreated, reason: 'manual_trigger' }, 'enqueue');
    return result;
  });
};
