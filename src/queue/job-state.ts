/**
 * The job state machine: the one table every other part of the queue follows.
 * Each transition has one verb, used unchanged by the Store method, the SQL file,
 * the worker's log line and docs/state-machine.md.
 */
export const jobStatuses = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const transitions = {
  enqueue: { from: [], to: 'pending' }, // a new row (or `completed` at once when a cached result is reused)
  claim: { from: ['pending'], to: 'running' },
  renew: { from: ['running'], to: 'running' },
  progress: { from: ['running'], to: 'running' },
  complete: { from: ['running'], to: 'completed' },
  fail: { from: ['running'], to: 'failed' },
  retry: { from: ['running'], to: 'pending' }, // run_at = now + backoff, the attempt counts
  release: { from: ['running'], to: 'pending' }, // graceful shutdown, the attempt is given back
  rescue: { from: ['running'], to: 'pending' }, // lease expired; `failed` once attempts reach maxAttempts
  cancel: { from: ['pending', 'running'], to: 'cancelled' },
  supersede: { from: ['pending', 'running'], to: 'cancelled' }, // a newer job for the same work arrived
  requeue: { from: ['failed', 'cancelled'], to: 'pending' }, // an operator's retry: attempts start again
} as const satisfies Record<string, { from: readonly JobStatus[]; to: JobStatus }>;

export type Transition = keyof typeof transitions;

export const terminalStatuses: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export function canTransition(verb: Transition, from: JobStatus): boolean {
  return (transitions[verb].from as readonly JobStatus[]).includes(from);
}

/** Reasons a job may be created for, and the priority each gets (lower runs first), as the seed app did. */
export const reasonPriorities = {
  manual_edit_data_cleaning: 1,
  csv_upload_data_cleaning: 1,
  settings_change: 2,
  config: 2,
  dataset_upload: 3,
  actuals_append: 3, // new actuals for an existing dataset (appendActuals); was dataset_upload, read as an import
  initial_import: 3,
  manual_trigger: 3,
} as const;

export type JobReason = keyof typeof reasonPriorities;
export const jobReasons = Object.keys(reasonPriorities) as JobReason[];
export const defaultReason: JobReason = 'manual_trigger';

export function priorityForReason(reason: JobReason): number {
  return reasonPriorities[reason];
}

export function isJobReason(value: unknown): value is JobReason {
  return typeof value === 'string' && Object.hasOwn(reasonPriorities, value);
}
