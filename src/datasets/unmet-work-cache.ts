import type { Store } from '../stores/store.js';
import type { Dataset } from './dataset.js';
import { unmetWorkOf, type UnmetWork } from './queue-unmet-work.js';

/**
 * unmetWorkOf, remembered per dataset while nothing it reads has changed. The GET plans every
 * series on the API's event loop (20,000 SKUs x 5 models: about 0.6 s) and is asked on every
 * Forecasts page mount after its stale time, every idle transition, every tab. Its inputs are the
 * dataset (settings, and series: every series write touches the dataset's updatedAt) and the jobs
 * (every visible job write moves the queue's version, QueueSummary.version, read from counters):
 * with both unchanged the answer is the same. Requests that arrive while one is planned share it.
 * At most `limit` datasets are kept, the least recently asked dropped first.
 */
export class UnmetWorkCache {
  private readonly entries = new Map<string, { key: string; value: Promise<UnmetWork> }>();

  constructor(private readonly store: Store, private readonly limit = 32) {}

  async get(dataset: Dataset): Promise<UnmetWork> {
    const { version } = await this.store.summary();
    const key = `${dataset.updatedAt}:${version}`;
    const hit = this.entries.get(dataset.id);
    this.entries.delete(dataset.id);
    if (hit && hit.key === key) {
      this.entries.set(dataset.id, hit);
      return hit.value;
    }
    const value = unmetWorkOf(this.store, dataset);
    const entry = { key, value };
    this.entries.set(dataset.id, entry);
    // A failed plan is not remembered: the next request tries again.
    value.catch(() => {
      if (this.entries.get(dataset.id) === entry) this.entries.delete(dataset.id);
    });
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
