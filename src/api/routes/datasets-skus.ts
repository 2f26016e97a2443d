import type { FastifyPluginAsync } from 'fastify';
import { skuFromSegment } from '../sku-segment.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { queryInteger } from '../schemas/query-integer.js';
import { forecastItems } from '../../datasets/dataset-forecasts.js';
import { forecastPages } from '../../datasets/dataset-results.js';
import type { Dataset, SkuQuery } from '../../datasets/dataset.js';
import { applyCleaningFile, editSeries } from '../../datasets/requeue-edits.js';
import { seriesDetail } from '../../datasets/series-editing.js';
import { cleanedValues } from '../../datasets/series-values.js';
import { isModelId } from '../../forecasting/index.js';
import type { Store } from '../../stores/store.js';
import { defaultUploadLimitBytes } from '../api-config.js';
import { ApiError, badRequest, refusedMediaType } from '../errors.js';
import { datasetIdParams } from './datasets-read.js';
import { declaredCharset, limited, loadDataset, changingDataset, loadSeries, requireSku } from './datasets-route-support.js';
import type { RouteOptions } from './route-plugin.js';
import { errorResponses, importErrorSchema } from '../schemas/error-schema.js';
import { cleaningAppliedSchema, overrideSetSchema, seriesDetailSchema, seriesEditedSchema, skuPageSchema } from '../schemas/sku-schemas.js';
import { cleaningBodyDocs, cleaningOptionsSchema } from '../schemas/upload-schemas.js';

/** The cleaning step: SKUs paged and searchable, one SKU's values and outliers, edits, overrides. */
const skuParams = datasetIdParams.extend({ sku: z.string().min(1) });

const skuListQuery = z.object({
  search: z.string().max(200).optional(),
  sort: z.enum(['sku', 'volume', 'length', 'demandClass', 'error']).default('sku'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: queryInteger({ min: 1, max: 1000 }).default(50),
  offset: queryInteger({ min: 0 }).default(0),
});

const patchSchema = z.object({
  edits: z.array(z.object({ date: z.string(), value: z.number() }).strict()).optional(),
  reset: z.array(z.string()).optional(),
  acceptOutliers: z.union([z.boolean(), z.array(z.string())]).optional(),
  undoAll: z.boolean().optional(),
}).strict();

const emptyPatch = 'nothing to change: give edits, reset, acceptOutliers or undoAll';

const SPARKLINE_POINTS = 48;

function sparkline(values: number[]): number[] {
  if (values.length <= SPARKLINE_POINTS) return values;
  return values.slice(values.length - SPARKLINE_POINTS);
}

async function skuRows(store: Store, dataset: Dataset, skus: string[]) {
  const [series, results, overrides] = await Promise.all([
    store.getSeriesMany(dataset.id, skus),
    store.latestResults(dataset.id, skus),
    store.getOverrides(dataset.id),
  ]);
  const bySku = new Map(series.map((s) => [s.sku, s]));
  // The page was listed by an earlier statement: a dataset deleted since has no series left.
  if (bySku.size < new Set(skus).size) await loadDataset(store, dataset.id);
  return forecastItems(skus.filter((sku) => bySku.has(sku)), dataset, results, overrides).map((item) => {
    const s = bySku.get(item.sku)!;
    return {
      sku: item.sku, attributes: s.attributes, length: s.length, volume: s.volume, demandClass: s.demandClass,
      bestModel: item.bestModel, error: item.error, backtested: item.backtest !== null, sparkline: sparkline(cleanedValues(s)),
    };
  });
}

export const datasetsSkusRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store, config }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/datasets/:id/skus', {
    schema: { summary: 'SKUs of a dataset, paged and searchable', tags: ['datasets'], params: datasetIdParams, querystring: skuListQuery,
      response: { 200: skuPageSchema, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    const q = request.query;
    if (q.sort !== 'error') {
      const page = await store.listSkus(dataset.id, { search: q.search, sort: q.sort as SkuQuery['sort'], order: q.order, limit: q.limit, offset: q.offset });
      return { total: page.total, items: await skuRows(store, dataset, page.items.map((i) => i.sku)) };
    }
    // Sorting by error needs every SKU's selection: read them all, page in memory.
    const errors: Array<{ sku: string; error: number | null }> = [];
    const needle = q.search?.toLowerCase();
    for await (const items of forecastPages(store, dataset)) {
      for (const item of items) if (!needle || item.sku.toLowerCase().includes(needle)) errors.push({ sku: item.sku, error: item.error });
    }
    const sign = q.order === 'asc' ? 1 : -1;
    errors.sort((a, b) => (a.error === null ? 1 : b.error === null ? -1 : sign * (a.error - b.error)) || a.sku.localeCompare(b.sku));
    return { total: errors.length, items: await skuRows(store, dataset, errors.slice(q.offset, q.offset + q.limit).map((e) => e.sku)) };
  });

  api.get('/api/datasets/:id/skus/:sku', {
    schema: { summary: "One SKU's original and cleaned values, with suggested outliers", tags: ['datasets'], params: skuParams, response: { 200: seriesDetailSchema, ...errorResponses(400, 404) } },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    const series = await loadSeries(store, dataset, skuFromSegment(request.params.sku));
    return seriesDetail(series, dataset.frequency);
  });

  api.patch('/api/datasets/:id/skus/:sku', {
    schema: { summary: "Edit a SKU's values; re-queues its jobs (manual_edit_data_cleaning, priority 1)", tags: ['datasets'], params: skuParams, body: patchSchema,
      response: { 200: seriesEditedSchema, ...errorResponses(400, 404, 409, 413, 415) },
    },
  }, async (request) => {
    if (Object.values(request.body).every((v) => v === undefined)) throw badRequest(emptyPatch, [{ path: 'body', message: emptyPatch }]);
    const dataset = await loadDataset(store, request.params.id);
    const series = await loadSeries(store, dataset, skuFromSegment(request.params.sku));
    const result = await changingDataset(store, dataset.id, () => editSeries(store, dataset, series, request.body));
    if (result.changed) request.log.info({ datasetId: dataset.id, sku: series.sku, batchId: result.batchId, jobsCreated: result.jobsCreated, reason: 'manual_edit_data_cleaning' }, 'enqueue');
    return result;
  });

  // The CSV parsers live in a scope of their own, the cleaning upload's: beside the JSON routes
  // they would hand an edit sent as text/plain to its schema as a stream, a 400 instead of a 415.
  await app.register(async (upload) => {
    upload.removeContentTypeParser('text/plain'); // the root's, which reads an empty body as none and refuses the rest
    upload.addContentTypeParser(['text/csv', 'text/plain', 'application/csv'], (_request, payload, done) => done(null, payload));
    upload.withTypeProvider<ZodTypeProvider>().post('/api/datasets/:id/cleaning', {
      schema: { summary: 'Apply a cleaning CSV (sku, date, value); re-queues touched SKUs (csv_upload_data_cleaning)', tags: ['datasets'], params: datasetIdParams,
        querystring: cleaningOptionsSchema,
        response: { 200: cleaningAppliedSchema, 400: importErrorSchema, ...errorResponses(404, 409, 413, 415) },
      },
      config: { swaggerTransform: cleaningBodyDocs, takes: { error: 'a cleaning upload is a CSV file', send: 'text/csv' } },
    }, async (request) => {
      const dataset = await loadDataset(store, request.params.id);
      if (!request.body) throw badRequest('no CSV in the request', [{ path: 'body', message: 'send the cleaning CSV as a text/csv body' }]);
      // Another parser (JSON, say) already turned the body into a value: refused as the import refuses it.
      if (!(request.body instanceof Readable)) {
        throw refusedMediaType(request);
      }
      // Declared as for an import: the refusal of a Windows-1252 byte tells the planner to.
      const charset = declaredCharset(request.query.charset, request.headers['content-type']);
      // Held to DATASET_UPLOAD_LIMIT_MB as the import is: a 413 as the bytes pass it, not a file read whole.
      const source = limited(request.body, config?.uploadLimitBytes ?? defaultUploadLimitBytes);
      const result = await changingDataset(store, dataset.id, () => applyCleaningFile(store, dataset, source, charset));
      request.log.info({ datasetId: dataset.id, batchId: result.batchId, skusTouched: result.skusTouched, reason: 'csv_upload_data_cleaning' }, 'enqueue');
      return result;
    });
  });

  api.put('/api/datasets/:id/skus/:sku/override', {
    schema: { summary: "A planner's choice of model for a SKU (null clears it)", tags: ['datasets'], params: skuParams, body: z.object({ modelId: z.string().nullable() }).strict(),
      response: { 200: overrideSetSchema, ...errorResponses(400, 404, 413, 415) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    const sku = skuFromSegment(request.params.sku);
    await requireSku(store, dataset, sku);
    const { modelId } = request.body;
    if (modelId !== null && !isModelId(modelId)) throw badRequest(`unknown model '${modelId}'`, [{ path: 'modelId', message: `unknown model '${modelId}'` }]);
    if (modelId !== null && !dataset.settings.models.includes(modelId)) {
      const message = `'${modelId}' is not one of this dataset's models (${dataset.settings.models.join(', ')}): enable it in the settings first`;
      throw badRequest(message, [{ path: 'modelId', message }]);
    }
    await store.setOverride(dataset.id, sku, modelId);
    return { sku, modelId };
  });
};
