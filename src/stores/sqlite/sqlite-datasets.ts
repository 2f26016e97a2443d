import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { SeriesChangedError } from '../../datasets/planning-cycle-store.js';
import type { DatasetStore } from '../../datasets/dataset-store.js';
import type { EnqueueResult } from '../../queue/job.js';
import {
  attributesFromRow, refuseChangedSettings, attributesToText, datasetFromRow, editedError, editsToText, modelResultFromRow, numbersToText, provisionalToText, seriesFromRow, seriesSummaryFromRow, skuOrderBy,
  type DatasetRow, type JobFateRow, jobFateFromRow, type ModelResultRow, type SeriesRow, type WorkInputRow, workInputFromRow,
} from './dataset-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { enqueueInTransaction, wakeAfterEnqueue } from './sqlite-enqueue.js';
import { deletePlanningCycle } from './sqlite-planning-cycle.js';

/**
 * The datasets half. Compound writes (a dataset with its series and jobs, an edit with the jobs
 * it re-queues) run in one BEGIN IMMEDIATE transaction: if anything throws, nothing is stored.
 */
export function sqliteDatasets(ctx: SqliteContext): DatasetStore {
  const getDatasetRow = (id: string) => ctx.stmt('dataset-get').get({ id }) as DatasetRow | undefined;

  return {
    async createDataset(dataset, series, jobs, enqueue) {
      const now = ctx.now();
      const out = ctx.write(() => {
        ctx.stmt('dataset-insert').run({
          id: dataset.id, name: dataset.name, frequency: dataset.frequency, settings: JSON.stringify(dataset.settings),
          report: JSON.stringify(dataset.report), skuCount: series.length, now,
        });
        const insert = ctx.stmt('series-insert');
        for (const s of series) {
          insert.run({
            datasetId: dataset.id, sku: s.sku, attributes: attributesToText(s.attributes, `series ${s.sku} attributes`), dates: JSON.stringify(s.dates),
            original: numbersToText(s.original, `series ${s.sku} original`), edits: editsToText(s.edits, `series ${s.sku} edits`),
            provisional: provisionalToText(s.provisional, `series ${s.sku} provisional`), length: s.length, volume: s.volume, demandClass: s.demandClass, now,
          });
        }
        const result = jobs && enqueue ? enqueueInTransaction(ctx, jobs, enqueue) : null;
        return { dataset: datasetFromRow(getDatasetRow(dataset.id)!), enqueue: result };
      });
      wakeAfterEnqueue(ctx, out.enqueue);
      return out;
    },

    async getDataset(id) {
      const row = getDatasetRow(id);
      return row ? datasetFromRow(row) : null;
    },

    async listDatasets() {
      return (ctx.stmt('dataset-list').all() as DatasetRow[]).map(datasetFromRow);
    },

    async latestDataset() {
      const row = ctx.stmt('dataset-latest').get() as DatasetRow | undefined;
      return row ? datasetFromRow(row) : null;
    },

    async deleteDataset(id) {
      const out = ctx.write(() => {
        if (!getDatasetRow(id)) return null;
        const { stmt: cancel, params } = ctx.filtered('job-cancel', { datasetId: id });
        const cancelled = cancel.run({ ...params, now: ctx.now(), error: 'cancelled: dataset deleted' }).changes;
        ctx.stmt('series-delete').run({ datasetId: id });
        ctx.stmt('override-delete').run({ datasetId: id });
        deletePlanningCycle(ctx, id);
        ctx.stmt('dataset-delete').run({ id });
        return { cancelled };
      });
      if (out && out.cancelled > 0) ctx.wake('cancel');
      return out !== null;
    },

    async getSeries(datasetId, sku) {
      const row = ctx.stmt('series-get').get({ datasetId, sku }) as SeriesRow | undefined;
      return row ? seriesFromRow(row) : null;
    },

    async getSeriesMany(datasetId, skus) {
      const rows = skus
        ? ctx.stmt('series-some').all({ datasetId, skus: JSON.stringify(skus) })
        : ctx.stmt('series-all').all({ datasetId });
      return (rows as SeriesRow[]).map(seriesFromRow);
    },

    async missingSkus(datasetId, skus) {
      if (skus.length === 0) return [];
      return (ctx.stmt('series-missing').all({ datasetId, skus: JSON.stringify(skus) }) as Array<{ sku: string }>).map((r) => r.sku);
    },

    async listSkus(datasetId, query) {
      const orderBy = skuOrderBy(query);
      // SQLite's lower() folds ASCII only; unicode_contains (sqlite-store.ts) folds the rest but costs
      // a call into JavaScript, so only SKUs with a non-ASCII character (fewer characters than bytes)
      // pay it. On 100,000 SKUs ASCII codes cost what ASCII folding alone did; names that are all
      // non-ASCII about four times that (docs/datasets.md, SKU search). The search is folded once, here.
      const search = query.search
        ? ' AND (CASE WHEN length(sku) = length(CAST(sku AS BLOB)) THEN instr(lower(sku), :search) > 0 ELSE unicode_contains(sku, :search) END)'
        : '';
      const params = { datasetId, search: query.search?.toLowerCase() ?? null, limit: query.limit, offset: query.offset };
      return ctx.read(() => {
        const { total } = ctx.prepare(`SELECT count(*) AS total FROM series WHERE dataset_id = :datasetId${search}`)
          .get(params) as { total: number };
        const rows = ctx.prepare(
          `SELECT dataset_id, sku, attributes, length, volume, demand_class, updated_at FROM series
            WHERE dataset_id = :datasetId${search}
            ORDER BY ${orderBy} LIMIT +:limit OFFSET +:offset`, // +: planned once, not per binding (job-claim.sql)
        ).all(params) as SeriesRow[];
        return { total, items: rows.map(seriesSummaryFromRow) };
      });
    },

    async skuAttributes(datasetId) {
      const rows = ctx.stmt('series-attributes').all({ datasetId }) as Array<{ sku: string; attributes: string }>;
      return Object.fromEntries(rows.map((r) => [r.sku, attributesFromRow(r)]));
    },

    async updateSeries(datasetId, updates, jobs, enqueue, settingsSeen) {
      const now = ctx.now();
      const result = ctx.write((): EnqueueResult | null => {
        const dataset = ctx.stmt('dataset-touch').get({ id: datasetId, now }) as { frequency: string; settings: string } | undefined;
        if (!dataset) throw new Error(`no dataset ${datasetId}`);
        refuseChangedSettings(datasetId, dataset, settingsSeen);
        const update = ctx.stmt('series-update');
        for (const u of updates) {
          const changed = update.run({
            datasetId, sku: u.sku, edits: editsToText(u.edits, `series ${u.sku} edits`), volume: u.volume,
            demandClass: u.demandClass, now, seen: u.seen ?? null,
          }).changes;
          if (changed === 0 && u.seen !== undefined && ctx.stmt('series-get').get({ datasetId, sku: u.sku })) throw new SeriesChangedError(datasetId, u.sku);
          if (changed === 0) throw new Error(`dataset ${datasetId} has no SKU ${u.sku}`);
        }
        const supersede = ctx.stmt('job-supersede-edited');
        let stale = 0;
        for (const sku of new Set(updates.map((u) => u.sku))) stale += supersede.run({ datasetId, sku, now, error: editedError }).changes;
        const enqueued = jobs && enqueue ? enqueueInTransaction(ctx, jobs, enqueue) : null;
        return enqueued ? { ...enqueued, jobsCancelled: enqueued.jobsCancelled + stale } : null;
      });
      wakeAfterEnqueue(ctx, result);
      return result;
    },

    async enqueueIfUnchanged(datasetId, jobs, options, seen) {
      const result = ctx.write((): EnqueueResult => {
        const dataset = ctx.stmt('dataset-get').get({ id: datasetId }) as { frequency: string; settings: string } | undefined;
        if (!dataset) throw new DatasetChangedError(datasetId, 'settings');
        refuseChangedSettings(datasetId, dataset, seen.settings);
        const read = ctx.prepare('SELECT updated_at FROM series WHERE dataset_id = :datasetId AND sku = :sku');
        for (const [sku, updatedAt] of Object.entries(seen.series)) {
          const row = read.get({ datasetId, sku }) as { updated_at: number } | undefined;
          if (row?.updated_at !== updatedAt) throw new SeriesChangedError(datasetId, sku);
        }
        return enqueueInTransaction(ctx, jobs, options);
      });
      wakeAfterEnqueue(ctx, result);
      return result;
    },

    async updateSettings(datasetId, settings, jobs, options, { seen, cancelOpen = false } = {}) {
      let cancelled = 0;
      const enqueue = ctx.write((): EnqueueResult | null => {
        const changed = ctx.stmt('dataset-update-settings').run({ id: datasetId, settings: JSON.stringify(settings), now: ctx.now(), seen: seen ?? null }).changes;
        if (changed === 0 && ctx.stmt('dataset-get').get({ id: datasetId })) throw new DatasetChangedError(datasetId, 'settings');
        if (changed === 0) throw new Error(`no dataset ${datasetId}`);
        if (cancelOpen) {
          const { stmt: cancel, params } = ctx.filtered('job-cancel', { datasetId });
          cancelled = cancel.run({ ...params, now: ctx.now(), error: 'cancelled' }).changes;
        }
        return jobs && options ? enqueueInTransaction(ctx, jobs, options) : null;
      });
      if (cancelled > 0) ctx.wake('cancel');
      wakeAfterEnqueue(ctx, enqueue);
      return { enqueue, cancelled };
    },

    async setOverride(datasetId, sku, modelId) {
      ctx.write(() => {
        if (modelId === null) ctx.stmt('override-clear').run({ datasetId, sku });
        else ctx.stmt('override-set').run({ datasetId, sku, modelId, now: ctx.now() });
      });
    },

    async getOverrides(datasetId) {
      const rows = ctx.stmt('override-list').all({ datasetId }) as Array<{ sku: string; model_id: string }>;
      return Object.fromEntries(rows.map((r) => [r.sku, r.model_id]));
    },

    async latestResults(datasetId, skus) {
      if (skus && skus.length === 0) return [];
      const rows = (skus
        ? ctx.stmt('job-latest-results-for-skus').all({ datasetId, skus: JSON.stringify(skus) })
        : ctx.stmt('job-latest-results').all({ datasetId })) as ModelResultRow[];
      return rows.map(modelResultFromRow);
    },
    async workInputs(datasetId) {
      return (ctx.stmt('job-work-inputs').all({ datasetId }) as WorkInputRow[]).map(workInputFromRow);
    },
    async jobFates(datasetId, skus) {
      if (skus.length === 0) return [];
      return (ctx.stmt('job-fates').all({ datasetId, skus: JSON.stringify(skus) }) as JobFateRow[]).map(jobFateFromRow);
    },
  };
}
