import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queueUnmetWork } from '../../datasets/queue-unmet-work.js';
import { UnmetWorkCache } from '../../datasets/unmet-work-cache.js';
import { refuseBodyFields } from '../no-body.js';
import { errorResponses } from '../schemas/error-schema.js';
import { changingDataset, loadDataset } from './datasets-route-support.js';
import { datasetIdParams } from './datasets-read.js';
import type { RouteOptions } from './route-plugin.js';

const unmetCountSchema = z.object({
  skus: z.number(),
  jobs: z.number().describe('(SKU, model) pairs'),
  examples: z.array(z.string()).describe('Up to 5 of those SKUs, in SKU order'),
});

const unmetWorkSchema = z.object({
  skus: z.number().describe('SKUs with a (SKU, model) pair that neither a result nor an open job covers for the current settings and series, out of date or never ran (outOfDate + neverRan): what POST queues'),
  jobs: z.number().describe('Those (SKU, model) pairs'),
  examples: z.array(z.string()).describe('Up to 5 of those SKUs, in SKU order'),
  outOfDate: unmetCountSchema.describe('Pairs whose model has a result, made with other settings or data'),
  neverRan: unmetCountSchema.describe('Pairs whose model has no result at all'),
  failed: unmetCountSchema.describe('Pairs whose newest attempt at exactly the current input failed: not queued by POST (see POST /api/jobs/retry)'),
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
  const unmet = new UnmetWorkCache(store);

  api.get('/api/datasets/:id/unmet-work', {
    schema: {
      summary: 'SKUs whose forecasts were made with other settings or data than the current ones, with nothing queued for them',
      tags: ['datasets'], params: datasetIdParams, response: { 200: unmetWorkSchema, ...errorResponses(400, 404) },
    },
  }, async (request) => unmet.get(await loadDataset(store, request.params.id)));

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
