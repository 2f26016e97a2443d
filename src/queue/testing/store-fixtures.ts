import type { Store } from '../../stores/store.js';
import type { Job, ListJobsQuery, NewJob } from '../job.js';
import { priorityForReason, type JobReason } from '../job-state.js';

/** What every conformance case gets: the store under test, a clock it moves, more connections. */
export interface StoreSuite {
  readonly store: Store;
  /** The injected clock, epoch ms: set or advance it, the store must follow. */
  readonly clock: { now: number };
  /** A second instance on the same database (a second process would open one like it). */
  another(): Promise<Store>;
}

export const t0 = 1_750_000_000_000;

let skuCounter = 0;

/** A job with sensible defaults; every call is new work (its own SKU) unless told otherwise. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  const reason: JobReason = overrides.reason ?? 'manual_trigger';
  return {
    datasetId: 'ds-1',
    sku: `SKU-${++skuCounter}`,
    modelId: 'ets',
    method: 'grid',
    reason,
    priority: priorityForReason(reason),
    settings: { horizon: 12, holdout: 6 },
    ...overrides,
  };
}

/**
 * A dataset row with no series, for cases whose jobs an operator requeues: requeue leaves the jobs
 * of a dataset that does not exist (deleted: nothing to run them on).
 */
export async function bareDataset(store: Store, id = 'ds-1'): Promise<void> {
  await store.createDataset({
    id, name: id, frequency: 'monthly',
    report: { rows: 0, skus: 0, dateRange: null, frequency: 'monthly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [] },
    settings: { horizon: 12, holdout: 6, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero' },
  }, [], null, null);
}

export function jobs(n: number, overrides: Partial<NewJob> = {}): NewJob[] {
  return Array.from({ length: n }, () => newJob(overrides));
}

/** Every job matching the query, walked through listJobs pages (a store-agnostic "real count"). */
export async function allJobs(store: Store, filter: Omit<ListJobsQuery, 'limit' | 'cursor'> = {}, pageSize = 97): Promise<Job[]> {
  const out: Job[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const result = await store.listJobs({ ...filter, limit: pageSize, cursor });
    out.push(...result.jobs);
    cursor = result.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('listJobs never ended');
}

/** Resolves when `fired` becomes true, or rejects after timeoutMs (watch cases: a signal, not a sleep). */
export function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 2);
    };
    tick();
  });
}
