import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryInteger } from '../schemas/query-integer.js';
import { accuracyCsv, forecastAccuracy } from '../../datasets/accuracy.js';
import { accuracySnapshot } from '../../datasets/accuracy-snapshot.js';
import { datasetAggregates } from '../../datasets/aggregates.js';
import { attributeBy } from '../../datasets/attribute-by.js';
import { aggregatesCsv } from '../../datasets/aggregates-csv.js';
import type { Dataset } from '../../datasets/dataset.js';
import type { Snapshot } from '../../datasets/planning-cycle-store.js';
import { newestSnapshotRefusal, takeSnapshot } from '../../datasets/snapshots.js';
import { snapshotNameTakenRefusal } from '../../datasets/snapshot-name.js';
import { findSnapshot, type SnapshotRef } from '../../datasets/snapshot-ref.js';
import { snapshotRefQuery } from '../schemas/snapshot-ref-query.js';
import type { Store } from '../../stores/store.js';
import { ApiError, conflict, notFound } from '../errors.js';
import { datasetIdParams } from './datasets-read.js';
import { csvHeaders, csvStream, exportDialect, loadDataset, refusingBadInput, requireSku } from './datasets-route-support.js';
import type { RouteOptions } from './route-plugin.js';
import { csvDialectQuery } from '../schemas/csv-dialect-query.js';
import { csvResponse, errorResponses } from '../schemas/error-schema.js';
import {
  accuracyReportSchema, aggregatesReportSchema, snapshotDeletedSchema, snapshotListSchema, snapshotNamedSchema, snapshotNamePatchSchema,
} from '../schemas/planning-schemas.js';

/**
 * Snapshots, forecast vs actual, and totals by attribute. Reading them first takes a snapshot that is due (a change
 * whose jobs all completed from cached results has no worker to notice it: the API does).
 */
const snapshotQuery = z.object({ snapshot: snapshotRefQuery().optional() });
const accuracyQuery = snapshotQuery.extend({
  sku: z.string().optional(),
  by: z.string().max(200).optional(),
  limit: queryInteger({ min: 1, max: 10000 }).default(100),
  offset: queryInteger({ min: 0 }).default(0),
});

/**
 * The snapshot a request names by id or name (`?snapshot=`), or undefined when it names none: 404
 * naming `snapshot` if the dataset has none of that id or name, 409 if two of its snapshots hold
 * the name (named before names were unique), their ids in the message and in `snapshotIds`.
 */
export async function loadSnapshot(store: Store, dataset: Dataset, ref: SnapshotRef | undefined): Promise<Snapshot | undefined> {
  if (ref === undefined) return undefined;
  const found = await findSnapshot(store, dataset.id, ref);
  if (found.outcome === 'missing') throw notFound(found.message, 'snapshot');
  if (found.outcome === 'ambiguous') throw new ApiError(409, found.message, [{ path: 'snapshot', message: found.message }], { snapshotIds: found.ids });
  return found.snapshot;
}

async function accuracyFor(store: Store, dataset: Dataset, ref: SnapshotRef | undefined) {
  // A name is read as the id it finds; the snapshot is read again by that id below (deleted since: 404).
  const id = (await loadSnapshot(store, dataset, ref))?.id;
  const { snapshot, actuals } = await accuracySnapshot(store, dataset, id);
  if (id !== undefined && !snapshot) throw notFound(`no snapshot ${id} of dataset '${dataset.id}'`, 'snapshot');
  if (!snapshot) {
    throw notFound(actuals
      ? `no snapshot of dataset '${dataset.id}' was made before its latest actuals`
      : `dataset '${dataset.id}' has no snapshot yet: one is kept when its forecasts are complete`, 'snapshot');
  }
  return { snapshot, actuals };
}

/** The path's snapshot: an id only (`?snapshot=` takes a name too; a path names one thing by its id), refused as queryInteger refuses (parseIntegerText keeps past-safe integers from PostgreSQL's bigint). */
const snapshotIdParams = datasetIdParams.extend({ snapshotId: queryInteger({ min: 1, what: 'snapshot id' }) });

/** accuracy.csv: `by` adds the SKUs' value of that attribute as a column (checked by attributeBy, like the figures' `by`). */
const accuracyCsvQuery = snapshotQuery.extend({ by: z.string().max(200).optional(), ...csvDialectQuery });

/** An empty `by` is refused by datasetAggregates, which can say what it takes (the dataset's attributes). */
const aggregatesQuery = z.object({ by: z.string().max(200).optional() });
const aggregatesCsvQuery = aggregatesQuery.extend(csvDialectQuery);

export const datasetsSnapshotsRoutes: FastifyPluginAsync<RouteOptions> = async (app, { store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/datasets/:id/snapshots', {
    schema: { summary: 'The snapshots of the forecasts shown, newest first', tags: ['datasets'], params: datasetIdParams, response: { 200: snapshotListSchema, ...errorResponses(400, 404) } },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    // A read: the snapshot it may take on the way is best effort (as for accuracy); the list is what was asked for.
    await takeSnapshot(store, dataset.id).catch((error: unknown) => request.log.warn({ datasetId: dataset.id, err: String(error) }, 'snapshot not taken'));
    return { snapshots: await store.listSnapshots(dataset.id) };
  });

  api.delete('/api/datasets/:id/snapshots/:snapshotId', {
    schema: {
      summary: 'Delete a snapshot and its items (a snapshot taken by mistake, or old ones to reclaim space); the dataset\'s newest is refused (409): it carries the dataset\'s snapshot mark',
      tags: ['datasets'], params: snapshotIdParams, response: { 200: snapshotDeletedSchema, ...errorResponses(400, 404, 409) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    const id = request.params.snapshotId;
    const out = await store.deleteSnapshot(dataset.id, id);
    if (out.outcome === 'missing') throw notFound(`no snapshot ${id} of dataset '${dataset.id}'`, 'snapshotId');
    if (out.outcome === 'newest') throw conflict(newestSnapshotRefusal(dataset.id, id), 'snapshotId');
    request.log.info({ datasetId: dataset.id, snapshotId: id, bytes: out.bytes, name: out.name }, 'delete snapshot');
    return { deleted: { id: out.id, bytes: out.bytes, name: out.name } };
  });

  api.patch('/api/datasets/:id/snapshots/:snapshotId', {
    schema: {
      summary: 'Name a snapshot ("S&OP Dec": to find it again and score it later, ?snapshot=S%26OP%20Dec) or clear its name (null); it labels the snapshot kept, no other is taken. A name is unique within the dataset, letter case and runs of spaces aside: one another snapshot holds is refused (409, its id in snapshotIds)',
      tags: ['datasets'], params: snapshotIdParams, body: snapshotNamePatchSchema, response: { 200: snapshotNamedSchema, ...errorResponses(400, 404, 409, 413, 415) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    const id = request.params.snapshotId;
    const snapshot = await store.nameSnapshot(dataset.id, id, request.body.name);
    if (snapshot === 'missing') throw notFound(`no snapshot ${id} of dataset '${dataset.id}'`, 'snapshotId');
    if ('taken' in snapshot) {
      const message = snapshotNameTakenRefusal(dataset.id, snapshot.taken);
      throw new ApiError(409, message, [{ path: 'name', message }], { snapshotIds: snapshot.taken.map((s) => s.id) });
    }
    request.log.info({ datasetId: dataset.id, snapshotId: id, name: snapshot.name }, 'name snapshot');
    return { snapshot };
  });

  api.get('/api/datasets/:id/accuracy', {
    schema: { summary: 'Forecast vs actual: a snapshot\'s forecasts against the actuals that came later, per SKU, per horizon step and in total', tags: ['datasets'], params: datasetIdParams, querystring: accuracyQuery,
      response: { 200: accuracyReportSchema, ...errorResponses(400, 404, 409) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    await requireSku(store, dataset, request.query.sku);
    const { snapshot, actuals } = await accuracyFor(store, dataset, request.query.snapshot);
    return refusingBadInput(() => forecastAccuracy(store, dataset, snapshot, actuals, request.query));
  });

  api.get('/api/datasets/:id/aggregates', {
    schema: { summary: 'Totals by attribute: per value of ?by= (store, category, ...) and for the dataset, the summed history and forecast with honest bands', tags: ['datasets'], params: datasetIdParams, querystring: aggregatesQuery,
      response: { 200: aggregatesReportSchema, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const dataset = await loadDataset(store, request.params.id);
    return refusingBadInput(() => datasetAggregates(store, dataset, request.query.by));
  });

  api.get('/api/datasets/:id/aggregates.csv', {
    schema: { summary: 'Totals as CSV, a row per group, date and side (by,value,date,kind,skus,actuals,original,cleaned,forecast,lo80,hi80,lo95,hi95,provisional)', tags: ['datasets'], params: datasetIdParams, querystring: aggregatesCsvQuery,
      response: { 200: csvResponse, ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const dialect = exportDialect(request.query);
    const dataset = await loadDataset(store, request.params.id);
    const report = await refusingBadInput(() => datasetAggregates(store, dataset, request.query.by));
    return reply.headers(csvHeaders(`${dataset.name}-totals${report.by ? `-by-${report.by}` : ''}.csv`)).send(csvStream([aggregatesCsv(report)], dialect));
  });

  api.get('/api/datasets/:id/accuracy.csv', {
    schema: { summary: 'Forecast vs actual as CSV, one row per SKU and horizon step (sku,[by,]model,step,date,forecast,actual,error,lo80,hi80,lo95,hi95)', tags: ['datasets'], params: datasetIdParams, querystring: accuracyCsvQuery,
      response: { 200: csvResponse, ...errorResponses(400, 404, 409) },
    },
  }, async (request, reply) => {
    const dialect = exportDialect(request.query);
    const dataset = await loadDataset(store, request.params.id);
    // Checked before the snapshot: a wrong by is a 400 naming it, whatever the snapshot.
    const attribute = request.query.by === undefined ? null : await refusingBadInput(() => attributeBy(store, dataset.id, request.query.by, 'no attribute column'));
    const by = attribute?.by ?? null;
    const { snapshot } = await accuracyFor(store, dataset, request.query.snapshot);
    // A named snapshot's name follows its number ("Umsatz-accuracy-2-S&OP_KW47.csv"), without the characters a file system refuses.
    const named = snapshot.name != null ? `-${snapshot.name.replace(/[\\/:*?"<>|\s]+/g, '_')}` : '';
    const name = `${dataset.name}-accuracy-${snapshot.id}${named}${by ? `-by-${by}` : ''}.csv`;
    return reply.headers(csvHeaders(name)).send(csvStream(accuracyCsv(store, dataset, snapshot, attribute && by ? { name: by, bySku: attribute.attributesBySku } : undefined), dialect));
  });
};
