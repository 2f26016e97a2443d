import type { JobFilter } from '../../queue/job.js';
import { jobStatuses } from '../../queue/job-state.js';
import * as shared from '../job-rows.js';

/** SQLite returns json columns as text. */
export type JobRow = shared.JobRow<string>;
export type WorkerRow = shared.WorkerRow<string>;

export const jobFromRow = (row: JobRow) => shared.jobFromRow(row, JSON.parse);
export const claimedFromRows = (rows: JobRow[]) => shared.claimedFromRows(rows, JSON.parse);
export const workerFromRow = (row: WorkerRow) => shared.workerFromRow(row, JSON.parse);

/**
 * A JobFilter's lists bind as JSON text, read back with json_each; except statuses, an enum, which
 * are written in as checked literals: the planner then seeks jobs_finished_status (migration 009)
 * instead of walking the table for `?status=failed`.
 */
export const jobFilterSql = (filter: JobFilter | undefined) =>
  shared.jobFilterSql(filter, (column, param, values) => {
    if (column === 'status' && values.every((v) => (jobStatuses as readonly unknown[]).includes(v))) {
      return { sql: `status IN (${values.map((v) => `'${v}'`).join(', ')})`, value: JSON.stringify(values) };
    }
    return { sql: `${column} IN (SELECT value FROM json_each(:${param}))`, value: JSON.stringify(values) };
  });

export {
  jobColumnsWithoutResult, rescueResult, storedProgress, summaryFromCounts, toJsonText, type CountRow,
} from '../job-rows.js';
