import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryInteger } from '../schemas/query-integer.js';
import { snapshotRefQuery } from '../schemas/snapshot-ref-query.js';
import { datasetForecasts, forecastsCsv, forecastsCsvOptions, metricsCsv } from '../../datasets/dataset-results.js';
import { portfolioCache } from '../../datasets/portfolio-cache.js';
import { snapshotForecasts, snapshotForecastsCsv } from '../../datasets/snapshot-forecasts.js';
import { datasetIdParams } from './datasets-read.js';
import { loadSnapshot } from './datasets-snapshots.js';
import { csvHeaders, csvStream, exportDialect, loadDataset, requireSku } from './datasets-route-support.js';
import { csvDialectQuery } from '../schemas/csv-dialect-query.js';
import { badRequest } from '../errors.js';
import type { RouteOptions } from './route-plugin.js';
import { csvResponse, errorResponses } from '../schemas/error-schema.js';
import { forecastsResponseSchema } from '../schemas/forecast-schemas.js';

/** Results: per SKU the selected model and forecast, the portfolio's accuracy, and CSV exports. */
const forecastsQuery = z.object({
  sku: z.string().optional(),
  snapshot: snapshotRefQuery().optional(), // what a snapshot kept instead of the current forecasts: its id or its name
  limit: queryInteger({ min: 1, max: 1000 }).default(100),
  offset: queryInteger({ min: 0 }).default(0),
});

const snapshotParam = z.object({
  snapshot: snapshotRefQuery().optional(),
  // 0 is refused (R review finding 7): each row is rounded on its own, so 500 SKUs at 0.3 a week
  // exported as 0 and a pivot of the file totalled 0 where the forecast's total is 150.
  decimals: queryInteger({ min: 1, max: 6 }).optional()
    .describe('round forecast, lo80, hi80, lo95 and hi95 to this many decimals (1 to 6; 0 is refused: rounded row by row, slow movers at 0.3 would export as 0 and sum to 0); without it they keep the full precision of every export (6 decimals). The web app asks for 2'),
  ...csvDialectQuery,
});

/** `snapshot` is named only to be refused: a snapshot keeps the forecasts shown, not every model's metrics. */
const metricsQuery = z.object({ snapshot: z.string().optional(), ...csvDialectQuery });
const snapshotKeepsNoMetrics = "a snapshot keeps the forecasts shown, not every model's metrics: metrics.csv is always the current one";

export const datasetsForecastsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/datasets/:id/forecasts', {
    schema: { summary: 'Per SKU the chosen forecast (bestModel: a model or a mix), every model\'s metrics; portfolio accuracy', tags: ['datasets'], params: datasetIdParams, querystring: forecastsQuery,
      response: { 200: forecastsResponseSchema, ...errorResponses(400, 404, 409) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    await requireSku(store, dataset, request.query.sku);
    const snapshot = await loadSnapshot(store, dataset, request.query.snapshot);
    if (snapshot) return snapshotForecasts(store, dataset, snapshot, request.query);
    return datasetForecasts(store, dataset, request.query, (s, d) => portfolioCache.get(s, d));
  });

  api.get('/api/datasets/:id/forecasts.csv', {
    schema: { summary: 'The selected forecasts as CSV (sku,[the dataset\'s attributes as imported, e.g. store,category,]date,model,forecast,lo80,hi80,lo95,hi95,status: forecast, inactive, pending, failed or none, a SKU without a forecast one row); ?snapshot=ID (or its name) for a snapshot\'s; ?decimals=N rounds the values', tags: ['datasets'], params: datasetIdParams, querystring: snapshotParam,
      response: { 200: csvResponse, ...errorResponses(400, 404, 409) },
    },
  }, async (request, reply) => {
    const dialect = exportDialect(request.query);
    const dataset = await loadDataset(store, request.params.id);
    const snapshot = await loadSnapshot(store, dataset, request.query.snapshot);
    const { decimals } = request.query;
    if (snapshot) return reply.headers(csvHeaders(`${dataset.name}-forecasts-${snapshot.id}.csv`)).send(csvStream(snapshotForecastsCsv(store, snapshot, await forecastsCsvOptions(store, dataset, decimals)), dialect));
    return reply.headers(csvHeaders(`${dataset.name}-forecasts.csv`)).send(csvStream(forecastsCsv(store, dataset, { decimals }), dialect));
  });

  api.get('/api/datasets/:id/metrics.csv', {
    schema: { summary: 'Every model\'s holdout metrics per SKU as CSV (now: a snapshot keeps no metrics, so ?snapshot= is refused)', tags: ['datasets'], params: datasetIdParams, querystring: metricsQuery,
      response: { 200: csvResponse, ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const dialect = exportDialect(request.query);
    const dataset = await loadDataset(store, request.params.id);
    // As `skucast export --metrics --snapshot` refuses it: answering with today's metrics would pass them off as the snapshot's.
    if (request.query.snapshot !== undefined) throw badRequest(snapshotKeepsNoMetrics, [{ path: 'snapshot', message: snapshotKeepsNoMetrics }]);
    return reply.headers(csvHeaders(`${dataset.name}-metrics.csv`)).send(csvStream(metricsCsv(store, dataset), dialect));
  });
};
