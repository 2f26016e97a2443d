import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { holdoutZeroWarning } from '../../datasets/holdout-warning.js';
import { changeSettings } from '../../datasets/requeue-edits.js';
import { changingDataset, loadDataset } from './datasets-route-support.js';
import type { RouteOptions } from './route-plugin.js';
import { datasetDeletedSchema, datasetListSchema, datasetSchema, settingsChangedSchema } from '../schemas/dataset-schemas.js';
import { errorResponses } from '../schemas/error-schema.js';

/** Datasets as a whole: list, one with its report, delete (cancelling its jobs), settings. */
export const datasetIdParams = z.object({ id: z.string().min(1).max(200) });

const settingsPatchSchema = z.object({
  horizon: z.number().int().min(1).max(1000).optional(),
  holdout: z.number().int().min(0).max(1000).optional(),
  models: z.array(z.string()).min(1).optional(),
  method: z.string().optional(),
  metric: z.string().optional(),
  intervalLevels: z.array(z.number()).min(1).optional(),
  /** Seconds one attempt may run; null goes back to the model family's default. Bounds: settingsProblems. */
  runTimeoutS: z.number().nullable().optional(),
}).strict();

export const datasetsReadRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/datasets', { schema: { summary: 'Every dataset, newest first', tags: ['datasets'], response: { 200: datasetListSchema } } }, async () => {
    const datasets = await store.listDatasets();
    return { datasets: [...datasets].sort((a, b) => b.createdAt - a.createdAt) };
  });

  api.get('/api/datasets/:id', {
    schema: { summary: 'One dataset with its import report', tags: ['datasets'], params: datasetIdParams, response: { 200: datasetSchema, ...errorResponses(400, 404) } },
  }, async (request) =>
    loadDataset(store, request.params.id));

  api.delete('/api/datasets/:id', { schema: { summary: 'Delete a dataset, its series and overrides; cancel its jobs', tags: ['datasets'], params: datasetIdParams, response: { 200: datasetDeletedSchema, ...errorResponses(400, 404) } },
  }, async (request) => {
    await loadDataset(store, request.params.id);
    const deleted = await store.deleteDataset(request.params.id);
    request.log.info({ datasetId: request.params.id }, 'delete dataset');
    return { deleted };
  });

  api.patch('/api/datasets/:id/settings', {
    schema: { summary: 'Change settings; re-queues (settings_change) when results change', tags: ['datasets'], params: datasetIdParams, body: settingsPatchSchema,
      response: { 200: settingsChangedSchema, ...errorResponses(400, 404, 409, 413, 415) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    const result = await changingDataset(store, dataset.id, () => changeSettings(store, dataset, request.body as Parameters<typeof changeSettings>[2]));
    request.log.info({ datasetId: dataset.id, batchId: result.batchId, jobsCreated: result.jobsCreated, reason: 'settings_change' }, 'enqueue');
    // Accepted, but said as the import report and Settings say it: holdout 0 changes the forecast, not only its scoring.
    return { ...result, warnings: result.settings.holdout === 0 ? [holdoutZeroWarning(result.settings.models)] : [] };
  });
};
