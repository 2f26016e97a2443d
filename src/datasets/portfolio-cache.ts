import type { Store } from '../stores/store.js';
import type { Dataset } from './dataset.js';
import { portfolioSummary, type PortfolioSummary } from './dataset-results.js';

interface Entry {
  version: number;
  choices: string; // the planner's choices the summary reflects: settings and overrides
  at: number;
  summary: PortfolioSummary;
}

/**
 * The portfolio of a dataset reads every SKU's results: seconds for 10,000 SKUs, too slow to
 * redo on every poll of GET /forecasts. This cache keeps one summary per dataset and store.
 *
 * Modes: fresh while nothing changed (same queue version, dataset settings and overrides);
 * while jobs keep changing (a queue draining: jobs pending or running), a summary up to `maxAgeMs`
 * old is served rather than recomputed on every request; after that it is recomputed. Once the
 * queue is idle a changed version is recomputed at once: the planner's app asks the moment the
 * queue says "all done", and an answer from before the last jobs would contradict it (it showed
 * "0 / 30" for seconds after a short run).
 */
export class PortfolioCache {
  private readonly entries = new WeakMap<Store, Map<string, Entry>>();

  constructor(private readonly maxAgeMs = 5000, private readonly now: () => number = Date.now) {}

  async get(store: Store, dataset: Dataset): Promise<PortfolioSummary> {
    const [{ version, pending, running }, overrides] = await Promise.all([store.summary(), store.getOverrides(dataset.id)]);
    const draining = pending + running > 0;
    const choices = JSON.stringify([dataset.settings, overrides]);
    let byDataset = this.entries.get(store);
    if (!byDataset) {
      byDataset = new Map();
      this.entries.set(store, byDataset);
    }
    const entry = byDataset.get(dataset.id);
    // A settings change or an override is the planner's own action: never answer with a summary from before it.
    if (entry && entry.choices === choices && (entry.version === version || (draining && this.now() - entry.at < this.maxAgeMs))) return entry.summary;
    const summary = await portfolioSummary(store, dataset);
    byDataset.set(dataset.id, { version, choices, at: this.now(), summary });
    return summary;
  }
}

export const portfolioCache = new PortfolioCache();
