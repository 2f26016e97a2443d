import { runForecast, type Frequency, type Metric, type MethodId } from '../../forecasting/index.js';
import type { Store } from '../../stores/store.js';
import { modelHistory } from '../model-history.js';

/**
 * For tests: runs every pending job as a worker would, through the store's real claim and
 * complete, with real engine output (runForecast on the stored series).
 */
export async function completeAllJobs(store: Store, workerId = 'test-worker'): Promise<number> {
  let done = 0;
  for (;;) {
    const claimed = await store.claim({ workerId, limit: 50, leaseMs: 60_000 });
    if (claimed.length === 0) return done;
    for (const { job, jobId, leaseToken } of claimed) {
      const series = await store.getSeries(job.datasetId!, job.sku);
      if (!series) throw new Error(`job ${jobId}: no series for ${job.sku}`);
      const s = job.settings;
      const { dates, values } = modelHistory(series);
      const result = runForecast({
        sku: job.sku,
        values,
        dates,
        frequency: s.frequency as Frequency,
        modelId: job.modelId,
        method: job.method as MethodId,
        settings: { horizon: s.horizon!, holdout: s.holdout!, metric: s.metric as Metric, intervalLevels: s.intervalLevels! },
      });
      if (!(await store.complete({ jobId, leaseToken }, result))) throw new Error(`job ${jobId}: complete was fenced`);
      done++;
    }
  }
}
