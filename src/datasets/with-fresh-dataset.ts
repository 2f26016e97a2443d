import { setTimeout as delay } from 'node:timers/promises';
import type { Store } from '../stores/store.js';
import type { Dataset } from './dataset.js';
import { DatasetChangedError } from './dataset-changed-error.js';
import { DatasetGoneError } from './dataset-gone-error.js';
import { SeriesChangedError } from './planning-cycle-store.js';

/**
 * PostgreSQL chose this write's transaction to end a deadlock (40P01): it rolled back whole, so it
 * is planned and tried again like a refusal. A method change cancels a dataset's open jobs in its
 * transaction, and a cancel of many rows can meet a worker's batched completes in another order.
 */
function isDeadlock(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01';
}

/** Attempts before a client is told to send it again (409). */
export const maxAttempts = 5;
/** The longest pause before the second attempt; it doubles with each attempt (at most 0.3 s in all). */
export const backoffMs = 20;

export interface FreshDatasetOptions {
  /**
   * The error to end with when the last refusal was of a series (SeriesChangedError) rather than
   * DatasetChangedError naming `path`: an append names the SKU other uploads kept changing.
   */
  seriesConflict?: (sku: string, attempts: number) => Error;
}

/**
 * Runs a write planned from `dataset` (its settings, its series, its results), and plans it again
 * from the dataset as it is now when the store refuses it because the dataset, or a series the
 * write read, changed in between (DatasetChangedError, SeriesChangedError): `write` gets the
 * dataset as it is now and the attempt's number (from 2 on it reads its series again). Bounded:
 * writes that keep colliding end as DatasetChangedError naming `path` (HTTP 409), not an endless
 * wait; a random pause lets writes that collided stop colliding in step. A dataset found deleted
 * after a refusal ends as DatasetGoneError at once: there is nothing to send again.
 */
export async function withFreshDataset<T>(store: Pick<Store, 'getDataset'>, dataset: Dataset, path: string, write: (dataset: Dataset, attempt: number) => Promise<T>,
  options: FreshDatasetOptions = {}): Promise<T> {
  let deadlocks = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write(dataset, attempt);
    } catch (error) {
      if (isDeadlock(error)) deadlocks++;
      else if (!(error instanceof DatasetChangedError) && !(error instanceof SeriesChangedError)) throw error;
      if (attempt < maxAttempts) await delay(Math.random() * backoffMs * 2 ** (attempt - 1));
      // Read again after every refusal, the last one too: a dataset deleted meanwhile is gone, not
      // changed (the store refuses a write of a deleted dataset as changed).
      const fresh = await store.getDataset(dataset.id);
      if (!fresh) throw new DatasetGoneError(dataset.id);
      if (attempt >= maxAttempts) {
        if (error instanceof SeriesChangedError && options.seriesConflict) throw options.seriesConflict(error.sku, attempt);
        throw new DatasetChangedError(dataset.id, path, attempt, deadlocks);
      }
      dataset = fresh;
    }
  }
}
