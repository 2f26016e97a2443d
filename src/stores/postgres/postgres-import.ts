import pg from 'pg';
import type { Dataset, SeriesRecord } from '../../datasets/dataset.js';
import type { Job } from '../../queue/job.js';
import type { JobColumns, JobTurnRow, OverrideRow } from '../sqlite/sqlite-copy-source.js';
import type { SqliteIdCounters } from '../sqlite/sqlite-id-counters.js';
import type { PlanningCycleTable } from '../sqlite/sqlite-planning-cycle-rows.js';
import { seriesColumns } from './dataset-rows.js';
import { parsePostgresUrl, poolConfig } from './postgres-connection.js';
import { createPgContext } from './postgres-context.js';
import { migratePostgres } from './postgres-migrate.js';
import { toJsonText } from './job-rows.js';

/** What `skucast migrate-store` writes into: rows as they were, ids included. */
export interface PostgresImportTarget {
  dataset(dataset: Dataset): Promise<void>;
  series(datasetId: string, series: SeriesRecord[]): Promise<void>;
  /** A dataset's overrides as stored (the Store interface leaves out when each was set). */
  overrides(datasetId: string, overrides: OverrideRow[]): Promise<void>;
  /** A page of jobs, with the columns the Store's Job leaves out (turn, rescues) by id: 0 for a job missing there. */
  jobs(jobs: Job[], columns: Map<number, JobColumns>): Promise<void>;
  /** job_turns as stored, after the jobs. */
  jobTurns(rows: JobTurnRow[]): Promise<void>;
  /** A page of one planning-cycle table's rows, columns as SQLite stores them (the same names here). */
  planningCycle(table: PlanningCycleTable, rows: Record<string, unknown>[]): Promise<void>;
  /** The highest ids the source ever gave: the sequences continue after them, not only after the ids copied. */
  idCounters(counters: SqliteIdCounters): void;
}

type Row = Record<string, unknown>;

/** The first field of `row` holding a NUL character (U+0000), at any depth of its JSON values. */
function nulField(row: object): string | undefined {
  for (const [field, value] of Object.entries(row)) {
    if (typeof value === 'string' ? value.includes('\u0000') : value !== null && typeof value === 'object' && (JSON.stringify(value) ?? '').includes('\\u0000')) return field;
  }
  return undefined;
}

/**
 * Runs one insert of `rows` into `table`. PostgreSQL cannot store a NUL character in text
 * ("invalid byte sequence for encoding UTF8: 0x00", which names no table, row or value), and SQLite
 * can (the API stored such names and SKUs before it refused them): such a failure is rethrown
 * naming the table, the row's key and its field, so the row can be fixed in the SQLite file.
 */
async function copying<T extends object>(table: string, rows: readonly T[], keyOf: (row: T) => string, insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '22021' && code !== '22P05' && !/0x00/.test((error as Error)?.message ?? '')) throw error;
    for (const row of rows) {
      const field = nulField(row);
      if (field === undefined) continue;
      throw new Error(
        `cannot copy ${table} row ${keyOf(row)}: its ${field} contains a NUL character (\\u0000), which PostgreSQL cannot store; ` +
        'nothing was copied: remove the character from that row in the SQLite database (or delete the row) and run migrate-store again',
        { cause: error },
      );
    }
    throw error;
  }
}

/** A planning-cycle row's key, as its table keys it. */
function planningCycleKey(row: Row): string {
  const keys = ['id', 'seq', 'snapshot_id', 'actuals_id', 'dataset_id', 'sku', 'date'].filter((k) => row[k] !== undefined && row[k] !== null);
  return keys.map((k) => `${k} ${JSON.stringify(row[k])}`).join(', ');
}

/**
 * Each planning-cycle table's import statement, and the SQLite column that fills each of its
 * parameters. Data, not code, so postgres-import.test.ts can hold it against both schemas: a
 * column added to either side later fails that test instead of being dropped by the copy.
 */
export const planningCycleImports: Record<PlanningCycleTable, { query: string; columns: Record<string, string> }> = {
  actuals: {
    query: 'import-actuals',
    columns: {
      seqs: 'seq', ids: 'id', datasetIds: 'dataset_id', batchIds: 'batch_id', createdAts: 'created_at', markBefores: 'mark_before',
      skusChanged: 'skus_changed', skusAdded: 'skus_added', periodsAdded: 'periods_added', valuesRevised: 'values_revised',
      historyEnds: 'history_end', reports: 'report',
    },
  },
  actuals_revisions: {
    query: 'import-actuals-revisions',
    columns: { actualsIds: 'actuals_id', datasetIds: 'dataset_id', skus: 'sku', dates: 'date', previous: 'previous', values: 'value' },
  },
  snapshots: {
    query: 'import-snapshots',
    columns: {
      ids: 'id', datasetIds: 'dataset_id', marks: 'mark', causes: 'cause', createdAts: 'created_at', historyEnds: 'history_end',
      forecastStarts: 'forecast_start', forecastEnds: 'forecast_end', skuCounts: 'sku_count', skusWithForecast: 'skus_with_forecast',
      bytes: 'bytes', portfolios: 'portfolio',
    },
  },
  snapshot_items: {
    query: 'import-snapshot-items',
    columns: {
      snapshotIds: 'snapshot_id', skus: 'sku', modelIds: 'model_id', selectedBys: 'selected_by', errors: 'error', dates: 'dates', vals: 'vals',
    },
  },
  snapshot_item_status: {
    query: 'import-snapshot-item-status',
    columns: { snapshotIds: 'snapshot_id', skus: 'sku', statuses: 'status' },
  },
  snapshot_names: {
    query: 'import-snapshot-names',
    columns: { snapshotIds: 'snapshot_id', names: 'name' },
  },
  retry_marks: {
    query: 'import-retry-marks',
    columns: { datasetIds: 'dataset_id', marks: 'mark' },
  },
};

/**
 * Brings the target schema up to date, then runs `fill` inside ONE transaction on one
 * connection: the copy lands whole or not at all. Refuses a target that already holds rows in
 * any table it copies into (copied ids and keys would clash with them). Advances the id
 * sequences before committing, so new jobs, datasets, snapshots and actuals continue after the
 * copied ones and after every id the source ever gave (import-sequences.sql: job ids are the
 * planning cycle's clock).
 */
export async function importIntoPostgres<T>(
  url: string, fill: (target: PostgresImportTarget) => Promise<T>, options: { now?: () => number } = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const settings = parsePostgresUrl(url);
  const pool = new pg.Pool({ ...poolConfig(settings), max: 2 });
  pool.on('error', () => undefined);
  const ctx = createPgContext(pool, settings, now);
  try {
    await migratePostgres(pool, settings, now);
    return await ctx.tx(async (client) => {
      const { rows } = await ctx.run<Record<string, number>>('import-count', {}, client);
      const held = Object.entries(rows[0]).filter(([, n]) => Number(n) > 0).map(([table, n]) => `${n} ${table}`);
      if (held.length > 0) {
        const list = held.length === 1 ? held[0] : `${held.slice(0, -1).join(', ')} and ${held[held.length - 1]}`;
        throw new Error(`the target already holds ${list}: migrate-store copies into an empty database (or schema) only`);
      }
      let counters: SqliteIdCounters = { jobs: 0, snapshots: 0, actuals: 0 };
      const target: PostgresImportTarget = {
        async dataset(d) {
          await copying('datasets', [d], (row) => `id ${JSON.stringify(row.id)}`, () => ctx.run('import-datasets', {
            id: d.id, name: d.name, frequency: d.frequency, settings: JSON.stringify(d.settings), report: JSON.stringify(d.report),
            skuCount: d.skuCount, createdAt: d.createdAt, updatedAt: d.updatedAt,
          }, client));
        },
        async series(datasetId, series) {
          if (series.length === 0) return;
          await copying('series', series, (row) => `dataset_id ${JSON.stringify(datasetId)}, sku ${JSON.stringify(row.sku)}`,
            () => ctx.run('import-series', { ...seriesColumns(datasetId, series), updatedAts: series.map((s) => s.updatedAt) }, client));
        },
        async overrides(datasetId, overrides) {
          if (overrides.length === 0) return;
          await copying('overrides', overrides, (row) => `dataset_id ${JSON.stringify(datasetId)}, sku ${JSON.stringify(row.sku)}`, () => ctx.run('import-overrides', {
            datasetId, skus: overrides.map((o) => o.sku), modelIds: overrides.map((o) => o.model_id), updatedAts: overrides.map((o) => o.updated_at),
          }, client));
        },
        async jobs(jobs, columns) {
          if (jobs.length === 0) return;
          const col = <K extends keyof Job>(key: K) => jobs.map((j) => j[key]);
          await copying('jobs', jobs, (row) => `id ${row.id}`, () => ctx.run('import-jobs', {
            now: now(),
            ids: col('id'), batchIds: col('batchId'), datasetIds: col('datasetId'), skus: col('sku'), modelIds: col('modelId'),
            methods: col('method'), reasons: col('reason'), priorities: col('priority'),
            turns: jobs.map((j) => columns.get(j.id)?.turn ?? 0), statuses: col('status'), progresses: col('progress'),
            attempts: col('attempts'), maxAttempts: col('maxAttempts'), rescues: jobs.map((j) => columns.get(j.id)?.rescues ?? 0), errors: col('error'),
            results: jobs.map((j) => toJsonText(j.result)), settings: jobs.map((j) => JSON.stringify(j.settings ?? {})),
            inputHashes: col('inputHash'), workerIds: col('workerId'), createdAts: col('createdAt'), updatedAts: col('updatedAt'),
            startedAts: col('startedAt'), finishedAts: col('finishedAt'), runAts: col('runAt'),
          }, client));
        },
        async jobTurns(rows) {
          if (rows.length === 0) return;
          await copying('job_turns', rows, (row) => `dataset_key ${JSON.stringify(row.dataset_key)}`, () => ctx.run('import-job-turns', {
            datasetKeys: rows.map((r) => r.dataset_key), priorities: rows.map((r) => r.priority), lastTurns: rows.map((r) => r.last_turn),
          }, client));
        },
        async planningCycle(table, rows) {
          if (rows.length === 0) return;
          const { query, columns } = planningCycleImports[table];
          const params = Object.fromEntries(Object.entries(columns).map(([param, name]) => [param, rows.map((r) => r[name] ?? null)]));
          await copying(table, rows, planningCycleKey, () => ctx.run(query, params, client));
        },
        idCounters(given) {
          counters = given;
        },
      };
      const out = await fill(target);
      await ctx.run('import-sequences', { ...counters }, client);
      return out;
    });
  } finally {
    await pool.end();
  }
}
