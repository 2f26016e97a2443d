import type { Job, JobFilter, JobPage, ListJobsQuery } from '../queue/job.js';
import { terminalStatuses, type JobStatus } from '../queue/job-state.js';

/**
 * The keyset cursor of listJobs, shared by every adapter so pages look the same whatever the store.
 * Order: running (by id), then pending in the order claim takes them (by priority, turn, id: datasets
 * take turns within a priority), then the rest (by id, newest first).
 * Each group is read with its own indexed query; a cursor names the group and the last key seen.
 * Opaque to callers: base64url of JSON.
 */
export type JobGroup = 'running' | 'pending' | 'finished';
export const jobGroups: readonly JobGroup[] = ['running', 'pending', 'finished'];

export interface JobCursor {
  group: JobGroup;
  priority: number;
  id: number;
  /** The pending job's turn (0 in cursors made before turns existed). */
  turn: number;
}

export function groupOf(status: JobStatus): JobGroup {
  return status === 'running' || status === 'pending' ? status : 'finished';
}

export function groupStatuses(group: JobGroup): JobStatus[] {
  return group === 'finished' ? [...terminalStatuses] : [group];
}

export function cursorAfter(job: Job, turn = 0): string {
  const key: JobCursor = { group: groupOf(job.status), priority: job.priority, id: job.id, turn };
  return Buffer.from(JSON.stringify([key.group, key.priority, key.id, key.turn])).toString('base64url');
}

/** Throws a RangeError (the API turns it into a 400 on `cursor`) when the cursor is not one of ours. */
export function decodeCursor(cursor: string): JobCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('invalid cursor');
  }
  if (
    !Array.isArray(parsed) || (parsed.length !== 3 && parsed.length !== 4) || !jobGroups.includes(parsed[0]) ||
    // Safe integers: a larger one would reach PostgreSQL's bigint as out of range (a 500, not a 400).
    !Number.isSafeInteger(parsed[1]) || !Number.isSafeInteger(parsed[2]) || (parsed.length === 4 && !Number.isSafeInteger(parsed[3]))
  ) {
    throw new RangeError('invalid cursor');
  }
  return { group: parsed[0], priority: parsed[1], id: parsed[2], turn: parsed[3] ?? 0 };
}

/** One group a listing reads, with the key to resume after (the cursor's in its own group, else from the start). */
export interface GroupRead {
  group: JobGroup;
  keys: { afterId: number; afterPriority: number; afterTurn: number; beforeId: number };
}

/**
 * What listJobs reads, in order: the groups from the cursor's on, less those the status filter
 * rules out; `wanted` rows in all (one more than the limit tells whether a next page exists).
 * Throws a RangeError on a bad limit or cursor.
 */
export function listingPlan(query: ListJobsQuery): { wanted: number; reads: GroupRead[] } {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError(`limit must be a positive integer: ${query.limit}`);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const groups = jobGroups.slice(cursor ? jobGroups.indexOf(cursor.group) : 0)
    .filter((group) => !query.status || groupStatuses(group).some((s) => query.status!.includes(s)));
  const reads = groups.map((group): GroupRead => {
    const resume = cursor?.group === group;
    return {
      group,
      keys: {
        afterId: resume ? cursor.id : 0,
        afterPriority: resume ? cursor.priority : Number.MIN_SAFE_INTEGER,
        afterTurn: resume ? cursor.turn : Number.MIN_SAFE_INTEGER,
        beforeId: resume ? cursor.id : Number.MAX_SAFE_INTEGER,
      },
    };
  });
  return { wanted: query.limit + 1, reads };
}

/** The page of the rows a listing read: at most `limit` jobs, and a cursor when there were more. */
export function listingPage<Row extends { turn?: number | null }>(rows: Row[], limit: number, toJob: (row: Row) => Job): JobPage {
  const jobs = rows.slice(0, limit).map(toJob);
  return { jobs, nextCursor: rows.length > limit ? cursorAfter(jobs[jobs.length - 1], Number(rows[limit - 1].turn ?? 0)) : null };
}

/** The filter of a listing's `withSummary` counts: its scope (batch, dataset, SKU, ids), not its status. */
export function summaryScope(query: ListJobsQuery): JobFilter {
  const scope: JobFilter = {};
  if (query.batchId !== undefined) scope.batchId = query.batchId;
  if (query.datasetId !== undefined) scope.datasetId = query.datasetId;
  if (query.sku !== undefined) scope.sku = query.sku;
  if (query.ids !== undefined) scope.ids = query.ids;
  return scope;
}
