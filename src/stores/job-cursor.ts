import type { Job } from '../queue/job.js';
import type { JobStatus } from '../queue/job-state.js';

/**
 * The keyset cursor of listJobs, shared by every adapter so pages look the same whatever the store.
 * Order: running (by id), then pending (by priority, id), then the rest (by id, newest first).
 * Each group is read with its own indexed query; a cursor names the group and the last key seen.
 * Opaque to callers: base64url of JSON.
 */
export type JobGroup = 'running' | 'pending' | 'finished';
export const jobGroups: readonly JobGroup[] = ['running', 'pending', 'finished'];

export interface JobCursor {
  group: JobGroup;
  priority: number;
  id: number;
}

export function groupOf(status: JobStatus): JobGroup {
  return status === 'running' || status === 'pending' ? status : 'finished';
}

export function groupStatuses(group: JobGroup): JobStatus[] {
  return group === 'finished' ? ['completed', 'failed', 'cancelled'] : [group];
}

export function cursorAfter(job: Job): string {
  const key: JobCursor = { group: groupOf(job.status), priority: job.priority, id: job.id };
  return Buffer.from(JSON.stringify([key.group, key.priority, key.id])).toString('base64url');
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
    !Array.isArray(parsed) || parsed.length !== 3 || !jobGroups.includes(parsed[0]) ||
    !Number.isInteger(parsed[1]) || !Number.isInteger(parsed[2])
  ) {
    throw new RangeError('invalid cursor');
  }
  return { group: parsed[0], priority: parsed[1], id: parsed[2] };
}
