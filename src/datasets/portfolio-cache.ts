import type { Store } from '../stores/store.js';
import type { Dataset } from './dataset.js';
import { portfolioSummary, type PortfolioSummary } from './dataset-results.js';

interface Entry {
  /** Which computation made it: a slower, older one finishing last does not replace a newer one's. */
  seq: number;
  version: number;
  choices: string; // the planner's choices the summary reflects: settings and overrides
  at: number;
  summary: PortfolioSummary;
}

/** A computation under way: requests for the same dataset and choices wait for it. */
interface Flight {
  version: number;
  choices: string;
  promise: Promise<PortfolioSummary>;
}

/**
 * The portfolio of a dataset reads every SKU's results: seconds for 10,000 SKUs, too slow to
 * redo on every poll of GET /forecasts. This cache keeps one summary per dataset and store.
 *
 * Modes: fresh while nothing changed (same queue version, dataset settings and overrides);
 * while jobs keep changing (a queue draining: jobs pending or running, of any dataset), a summary
 * up to `maxAgeMs` old (counted from when its computation ended, so full scans are that far apart
 * however long one takes) is served rather than recomputed on every request; after that it is
 * recomputed. Once the queue is idle a changed
 * version is recomputed at once: the planner's app asks the moment the queue says "all done",
 * and an answer from before the last jobs would contradict it (it showed "0 / 30" for seconds
 * after a short run). One computation at a time per dataset: a request that comes while one
 * runs for the same choices waits for it (for the same version, or any while draining), so the
 * browsers that all ask when the queue goes idle start one summary, not one each.
 */
export class PortfolioCache {
  private readonly entries = new WeakMap<Store, Map<string, Entry>>();
  private readonly flights = new WeakMap<Store, Map<string, Flight>>();
  private seq = 0;

  constructor(
    private readonly maxAgeMs = 5000,
    private readonly now: () => number = Date.now,
    private readonly compute: (store: Store, dataset: Dataset) => Promise<PortfolioSummary> = portfolioSummary,
  ) {}

  async get(store: Store, dataset: Dataset): Promise<PortfolioSummary> {
    const [{ version, pending, running }, overrides] = await Promise.all([store.summary(), store.getOverrides(dataset.id)]);
    const draining = pending + running > 0;
    const choices = JSON.stringify([dataset.settings, overrides]);
    const byDataset = perStore(this.entries, store);
    const entry = byDataset.get(dataset.id);
    // A settings change or an override is the planner's own action: never answer with a summary from before it.
    if (entry && entry.choices === choices && (entry.version === version || (draining && this.now() - entry.at < this.maxAgeMs))) return entry.summary;
    const flights = perStore(this.flights, store);
    const flight = flights.get(dataset.id);
    if (flight && flight.choices === choices && (flight.version === version || draining)) return flight.promise;
    const seq = ++this.seq;
    const promise = this.compute(store, dataset).then((summary) => {
      const current = byDataset.get(dataset.id);
      if (!current || current.seq < seq) byDataset.set(dataset.id, { seq, version, choices, at: this.now(), summary });
      return summary;
    }).finally(() => {
      if (flights.get(dataset.id)?.promise === promise) flights.delete(dataset.id);
    });
    flights.set(dataset.id, { version, choices, promise });
    return promise;
  }
}

function perStore<T>(maps: WeakMap<Store, Map<string, T>>, store: Store): Map<string, T> {
  let map = maps.get(store);
  if (!map) maps.set(store, (map = new Map()));
  return map;
}

export const portfolioCache = new PortfolioCache();
