import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { SeriesChangedError } from '../../datasets/planning-cycle-store.js';
import type { DatasetStore } from '../../datasets/dataset-store.js';
import type { EnqueueResult } from '../../queue/job.js';
import {
  attributesFromRow, refuseChangedSettings, datasetFromRow, editedError, editsToText, modelResultFromRow, seriesColumns, seriesFromRow, seriesSummaryFromRow, skuOrderBy,
  type DatasetRow, type JobFateRow, jobFateFromRow, type ModelResultRow, type SeriesRow, type WorkInputRow, workInputFromRow,
} from './dataset-rows.js';
import type { PgContext } from './postgres-context.js';
import { analyzeAfterLargeEnqueue, enqueueInTransaction, enqueueNewDatasetJobs } from './postgres-enqueue.js';
import { deletePlanningCycle } from './postgres-planning-cycle.js';
import { pgArrayLiteral } from './pg-array-literal.js';

/** Series per INSERT: big enough to make few round trips, small enough to keep one statement's parameters modest. */
const seriesChunk = 1000;

/**
 * The datasets half, as on SQLite. Compound writes (a dataset with its series and jobs, an edit
 * with the jobs it re-queues) run in one transaction: if anything throws, nothing is stored.
 * Validation (finite numbers) happens before the transaction starts.
 */
export function postgresDatasets(ctx: PgContext): DatasetStore {
  return {
    async createDataset(dataset, series, jobs, enqueue) {
      const now = ctx.now();
      const chunks: Array<ReturnType<typeof seriesColumns>> = [];
      for (let i = 0; i < series.length; i += seriesChunk) chunks.push(seriesColumns(dataset.id, series.slice(i, i + seriesChunk)));
      const out = await ctx.tx(async (client) => {
        const { rows } = await ctx.run<DatasetRow>('dataset-insert', {
          id: dataset.id, name: dataset.name, frequency: dataset.frequency, settings: JSON.stringify(dataset.settings),
          report: JSON.stringify(dataset.report), skuCount: series.length, now,
        }, client);
        for (const chunk of chunks) await ctx.run('series-insert', { ...chunk, now }, client);
        const result = jobs && enqueue ? await enqueueNewDatasetJobs(ctx, client, dataset.id, jobs, enqueue) : null;
        return { dataset: datasetFromRow(rows[0]), enqueue: result };
      });
      void analyzeAfterLargeEnqueue(ctx, out.enqueue?.jobsCreated ?? 0);
      return out;
    },

    async getDataset(id) {
      const { rows } = await ctx.run<DatasetRow>('dataset-get', { id });
      return rows[0] ? datasetFromRow(rows[0]) : null;
    },

    async listDatasets() {
      return (await ctx.run<DatasetRow>('dataset-list')).rows.map(datasetFromRow);
    },

    async latestDataset() {
      const { rows } = await ctx.run<DatasetRow>('dataset-latest');
      return rows[0] ? datasetFromRow(rows[0]) : null;
    },

    async deleteDataset(id) {
      return ctx.tx(async (client) => {
        const { rows } = await ctx.sql('SELECT id FROM datasets WHERE id = :id FOR UPDATE', { id }, client);
        if (rows.length === 0) return false;
        await ctx.runFiltered('job-cancel', { datasetId: id }, { now: ctx.now(), error: 'cancelled: dataset deleted' }, client);
        await ctx.run('series-delete', { datasetId: id }, client);
        await ctx.run('override-delete', { datasetId: id }, client);
        await deletePlanningCycle(ctx, client, id);
        await ctx.run('dataset-delete', { id }, client);
        return true;
      });
    },

    async getSeries(datasetId, sku) {
      const { rows } = await ctx.run<SeriesRow>('series-get', { datasetId, sku });
      return rows[0] ? seriesFromRow(rows[0]) : null;
    },

    async getSeriesMany(datasetId, skus) {
      const { rows } = skus
        ? await ctx.run<SeriesRow>('series-some', { datasetId, skus })
        : await ctx.run<SeriesRow>('series-all', { datasetId });
      return rows.map(seriesFromRow);
    },

    async missingSkus(datasetId, skus) {
      if (skus.length === 0) return [];
      return (await ctx.run<{ sku: string }>('series-missing', { datasetId, skus })).rows.map((r) => r.sku);
    },

    async listSkus(datasetId, query) {
      const orderBy = skuOrderBy(query);
      // sku is COLLATE "C" (byte order, as SQLite sorts), under which lower() folds ASCII only: the
      // database's own collation folds Unicode ('ün' finds 'Ünïcødé') in any UTF-8 locale.
      const search = query.search ? ' AND strpos(lower(sku COLLATE "default"), lower(:search::text COLLATE "default")) > 0' : '';
      const params = { datasetId, search: query.search ?? null, limit: query.limit, offset: query.offset };
      // count and page in one statement: one snapshot, as the SQLite store reads them in one transaction
      const { rows } = await ctx.sql<SeriesRow & { total: number }>(
        `WITH matching AS (SELECT dataset_id, sku, attributes, length, volume, demand_class, updated_at FROM series
                            WHERE dataset_id = :datasetId${search})
         SELECT (SELECT count(*) FROM matching) AS total, page.*
           FROM (SELECT 1) AS one
           LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY ${orderBy}
                               LIMIT :limit OFFSET :offset) AS page ON true`,
        params,
      );
      const total = rows[0]?.total ?? 0;
      return { total, items: rows.filter((r) => r.sku !== null).map(seriesSummaryFromRow) };
    },

    async skuAttributes(datasetId) {
      const { rows } = await ctx.run<{ sku: string; attributes: unknown }>('series-attributes', { datasetId });
      return Object.fromEntries(rows.map((r) => [r.sku, attributesFromRow(r)]));
    },

    async updateSeries(datasetId, updates, jobs, enqueue, settingsSeen) {
      const now = ctx.now();
      // the last update of a SKU wins, as when they are applied one after the other
      const bySku = new Map(updates.map((u) => [u.sku, u]));
      const unique = [...bySku.values()];
      // one array literal a column, as seriesColumns sends them
      const params = {
        datasetId, now,
        skus: pgArrayLiteral(unique.map((u) => u.sku)),
        edits: pgArrayLiteral(unique.map((u) => editsToText(u.edits, `series ${u.sku} edits`))),
        volumes: pgArrayLiteral(unique.map((u) => u.volume)),
        demandClasses: pgArrayLiteral(unique.map((u) => u.demandClass)),
        seen: pgArrayLiteral(unique.map((u) => u.seen ?? null)),
      };
      return ctx.tx(async (client): Promise<EnqueueResult | null> => {
        // The dataset's row first, then its series: the order deleteDataset, appendActuals and
        // saveSnapshot lock in (series first deadlocked with them: 40P01).
        const dataset = await ctx.run<{ frequency: string; settings: unknown }>('dataset-touch', { id: datasetId, now }, client);
        if (dataset.rows.length === 0) throw new Error(`no dataset ${datasetId}`);
        refuseChangedSettings(datasetId, dataset.rows[0], settingsSeen);
        if (unique.length > 0) {
          const { rows } = await ctx.run<{ sku: string }>('series-update', params, client);
          if (rows.length !== unique.length) {
            const found = new Set(rows.map((r) => r.sku));
            const stale = unique.find((u) => !found.has(u.sku) && u.seen !== undefined);
            if (stale && (await ctx.run('series-get', { datasetId, sku: stale.sku }, client)).rows.length > 0) throw new SeriesChangedError(datasetId, stale.sku);
            throw new Error(`dataset ${datasetId} has no SKU ${unique.find((u) => !found.has(u.sku))!.sku}`);
          }
        }
        const stale = unique.length === 0 ? 0 : (await ctx.run('job-supersede-edited',
          { datasetId, skus: params.skus, now, error: editedError }, client)).rowCount ?? 0;
        const enqueued = jobs && enqueue ? await enqueueInTransaction(ctx, client, jobs, enqueue) : null;
        return enqueued ? { ...enqueued, jobsCancelled: enqueued.jobsCancelled + stale } : null;
      });
    },

    async enqueueIfUnchanged(datasetId, jobs, enqueue, seen) {
      const skus = Object.keys(seen.series);
      const out = await ctx.tx(async (client) => {
        // The dataset's row first, as every write of the dataset takes it (updateSeries): FOR SHARE
        // keeps its settings, and its series (written only under that row's lock), as compared
        // until this commits, while two of these enqueues, and requeue's FOR KEY SHARE, go on.
        // Accepted cost: a new FOR SHARE is granted ahead of a writer already waiting for the row,
        // so a steady burst of these for one dataset holds its writes (settings, edits, appends,
        // delete) off until it pauses; and several share holders make the lock a MultiXact.
        const locked = await ctx.sql<{ frequency: string; settings: unknown }>('SELECT frequency, settings FROM datasets WHERE id = :id FOR SHARE', { id: datasetId }, client);
        if (locked.rows.length === 0) throw new DatasetChangedError(datasetId, 'settings');
        refuseChangedSettings(datasetId, locked.rows[0], seen.settings);
        if (skus.length > 0) {
          const { rows } = await ctx.sql<{ sku: string; updated_at: number }>('SELECT sku, updated_at FROM series WHERE dataset_id = :datasetId AND sku = ANY(:skus::text[])',
            { datasetId, skus: pgArrayLiteral(skus) }, client);
          const now = new Map(rows.map((r) => [r.sku, r.updated_at]));
          const stale = skus.find((sku) => now.get(sku) !== seen.series[sku]);
          if (stale !== undefined) throw new SeriesChangedError(datasetId, stale);
        }
        return enqueueInTransaction(ctx, client, jobs, enqueue);
      });
      void analyzeAfterLargeEnqueue(ctx, out.jobsCreated);
      return out;
    },

    async updateSettings(datasetId, settings, jobs, enqueue, { seen, cancelOpen = false } = {}) {
      return ctx.tx(async (client) => {
        const changed = (await ctx.run('dataset-update-settings', { id: datasetId, settings: JSON.stringify(settings), now: ctx.now(), seen: seen ?? null }, client)).rowCount;
        if (changed === 0 && (await ctx.run('dataset-get', { id: datasetId }, client)).rows.length > 0) throw new DatasetChangedError(datasetId, 'settings');
        if (changed === 0) throw new Error(`no dataset ${datasetId}`);
        // Dataset row, then its job rows, then the enqueue lock: the order updateSeries takes them in.
        const cancelled = cancelOpen ? (await ctx.runFiltered('job-cancel', { datasetId }, { now: ctx.now(), error: 'cancelled' }, client)).rowCount ?? 0 : 0;
        return { enqueue: jobs && enqueue ? await enqueueInTransaction(ctx, client, jobs, enqueue) : null, cancelled };
      });
    },

    async setOverride(datasetId, sku, modelId) {
      if (modelId === null) await ctx.run('override-clear', { datasetId, sku });
      else await ctx.run('override-set', { datasetId, sku, modelId, now: ctx.now() });
    },

    async getOverrides(datasetId) {
      const { rows } = await ctx.run<{ sku: string; model_id: string }>('override-list', { datasetId });
      return Object.fromEntries(rows.map((r) => [r.sku, r.model_id]));
    },

    async latestResults(datasetId, skus) {
      if (skus && skus.length === 0) return [];
      const { rows } = skus
        ? await ctx.run<ModelResultRow>('job-latest-results-for-skus', { datasetId, skus })
        : await ctx.run<ModelResultRow>('job-latest-results', { datasetId });
      return rows.map(modelResultFromRow);
    },
    async workInputs(datasetId) {
      const { rows } = await ctx.run<WorkInputRow>('job-work-inputs', { datasetId });
      return rows.map(workInputFromRow);
    },
    async jobFates(datasetId, skus) {
      if (skus.length === 0) return [];
      const { rows } = await ctx.run<JobFateRow>('job-fates', { datasetId, skus });
      return rows.map(jobFateFromRow);
    },
  };
}
