import type { JobFilter } from '../../queue/job.js';
import * as shared from '../job-rows.js';

/** pg returns json columns already parsed (and int8 as numbers: see postgres-connection). */
export type JobRow = shared.JobRow<unknown>;
export type WorkerRow = shared.WorkerRow<unknown>;

export const parsedJson = (value: unknown): unknown => value;

export const jobFromRow = (row: JobRow) => shared.jobFromRow(row, parsedJson);
export const claimedFromRows = (rows: JobRow[]) => shared.claimedFromRows(rows, parsedJson);
export const workerFromRow = (row: WorkerRow) => shared.workerFromRow(row, parsedJson);

/** A JobFilter's lists bind as PostgreSQL arrays. */
export const jobFilterSql = (filter: JobFilter | undefined) =>
  shared.jobFilterSql(filter, (column, param, values) => ({
    sql: `${column} = ANY (:${param}::${column === 'id' ? 'bigint' : 'text'}[])`,
    value: values,
  }));

export {
  jobColumnsWithoutResult, rescueResult, storedProgress, summaryFromCounts, toJsonText, type CountRow, type RescueRow,
} from '../job-rows.js';
