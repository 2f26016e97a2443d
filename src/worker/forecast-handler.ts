import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatasetStore } from '../datasets/dataset-store.js';
import { inputHash } from '../datasets/job-planner.js';
import { forecastSku, InputDataError, type ForecastInput, type ForecastResult } from '../forecasting/index.js';
import type { Job } from '../queue/job.js';
import { JsonText } from '../queue/json-text.js';
import type { JobContext, JobHandler } from '../queue/job-handler.js';
import type { QueueLogger } from '../queue/queue-logger.js';
import type { QueueStore } from '../queue/queue-store.js';
import { forecastInputFor } from './forecast-input.js';
import type { ThreadPayload } from './optimization-thread.js';
import { SeasonalProfileSource } from './seasonal-profile-source.js';
import { ThreadPool } from './thread-pool.js';

/** The compiled thread entry; it exists only in dist/ (see the modes of ForecastHandler). */
export const optimizationThreadUrl = new URL('./optimization-thread.js', import.meta.url);

export function threadFileExists(): boolean {
  return optimizationThreadUrl.protocol === 'file:' && existsSync(fileURLToPath(optimizationThreadUrl));
}

/**
 * A fit allocates many short-lived arrays (candidate parameters, CV windows, forecasts): with V8's
 * default young generation (48 MB: 16 MB semi-spaces) a tenth of an optimization thread's CPU
 * went to garbage collection (bench:e2e --cpu-prof). Twice that young generation: 2.7% fewer
 * instructions for bench:sku-cost at 48 months (callgrind, 45.70 G against 44.48 G with the same
 * semi-space on the main thread), for up to 48 MB more per thread (the two semi-spaces commit
 * 32 MB more once a fit fills them; the rest is new-large-object room). bench:e2e, this against
 * the default, four interleaved pairs of 2,000 SKUs: 5.6% less wall time, 5.3% less CPU, no pair
 * slower (docs/datasets.md). Only the young generation changes: the old generation, stack and code
 * range stay as for a thread without limits, and --max-old-space-size still applies to the
 * threads. A V8 flag wins over these limits: NODE_OPTIONS=--max-semi-space-size=N sets every
 * thread's semi-spaces to N MB (the thread's worker_threads.resourceLimits still reports 96).
 */
export const FIT_THREAD_LIMITS = { maxYoungGenerationSizeMb: 96 } as const;

/**
 * Each optimization thread is posted its next fit while it runs the current one, so it starts that
 * fit the moment it posts a result instead of idling until the main thread has read the result,
 * settled the job and answered (bench:e2e: the threads were idle 12-15% of the time). Tasks
 * posted behind a running fit can still be withdrawn (an abort, or a thread with room taking the
 * oldest task not started).
 */
export const FIT_THREAD_DEPTH = 2;

/**
 * ForecastHandler runs a job's optimization: it loads the SKU's series, builds the engine input
 * from the job's model, method and frozen settings, and runs it in a worker thread of the pool.
 *
 * Modes: with a pool (the normal case, from the compiled dist/) every fit runs in a thread and an
 * abort terminates it; without one (under vitest, where optimization-thread.js does not exist as
 * a file) fits run inline on the calling thread and an abort is only seen between progress steps.
 */
export class ForecastHandler implements JobHandler {
  private readonly pool: ThreadPool | null;
  private readonly profiles: SeasonalProfileSource;

  constructor(
    private readonly store: Pick<DatasetStore, 'getSeries' | 'getDataset' | 'getSeriesMany' | 'skuAttributes'> & Pick<QueueStore, 'enqueue'>,
    options: { threads: number; inline?: boolean; logger?: QueueLogger },
  ) {
    const logger = options.logger;
    const pool = options.inline || !threadFileExists()
      ? null
      : new ThreadPool(optimizationThreadUrl, options.threads, {
        onReplaced: (reason) => logger?.info({ event: 'thread', reason }, reason === 'abort'
          ? 'Worker: terminated an aborted optimization thread and started a fresh one'
          : 'Worker: an optimization thread died; started a fresh one'),
        resourceLimits: FIT_THREAD_LIMITS,
        depth: FIT_THREAD_DEPTH,
      });
    this.pool = pool;
    // A pooled profile's CPU (a page of daily SKUs: ~70 ms) runs in the optimization threads, as
    // every fit does: the main thread keeps only reads and lease renewals. Never aborted: the
    // profile is cached for every short SKU of the dataset, not just the job that asked.
    this.profiles = new SeasonalProfileSource(store, pool
      ? (page, frequency, through) => pool.run<Array<number[] | null>>({ contributions: { page, frequency, through } } satisfies ThreadPayload, { signal: new AbortController().signal })
      : undefined);
  }

  /**
   * With a pool, a job's fit may wait in the pool's queue for a thread (the worker holds a few
   * more jobs than threads, so each thread's next input is read and ready when its fit ends):
   * the run timeout starts when the fit gets its thread (ctx.runStarted), not at run().
   */
  get queuesRuns(): boolean {
    return this.pool !== null;
  }

  /** Whether fits run in threads (false: inline fallback). */
  get threaded(): boolean {
    return this.pool !== null;
  }

  get threadCount(): number {
    return this.pool?.threadCount ?? 0;
  }

  /** The forecast: as JSON text from a thread (stored as it is), as a value when inline. */
  async run(job: Job, ctx: JobContext): Promise<ForecastResult | JsonText> {
    if (!job.datasetId) {
      throw new InputDataError(`Job ${job.id} (SKU '${job.sku}') has no dataset to forecast from: upload the SKU's sales history and run it again.`);
    }
    const series = await this.store.getSeries(job.datasetId, job.sku);
    if (!series) {
      throw new InputDataError(`SKU '${job.sku}' is no longer in dataset ${job.datasetId} (the dataset or the SKU was removed): upload its history again and re-run.`);
    }
    const input = forecastInputFor(job, series);
    // The result is stored under job.inputHash and reused by any later job with that hash, so it
    // must be computed from exactly the input the hash names. An edit committed between a plan's
    // read and its enqueue (POST /api/jobs and settings changes read series outside the enqueue's
    // transaction), or a new engine version since the job was queued, would file this input's
    // forecast under another input's key. Such a job is superseded instead: the same work is
    // enqueued again under the hash of what was read (reused at once if that result exists), and
    // this job's own writes are then fenced; the error below only reaches the log.
    const hash = job.inputHash ? inputHash(job.sku, job.modelId, job.method, job.settings, input.dates ?? [], input.values) : null;
    if (hash !== null && hash !== job.inputHash) {
      // This enqueue is the one write a run makes that its lease does not fence: a job cancelled
      // or lost meanwhile must not queue its work again (the runner aborts the signal on a loss).
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const { datasetId, sku, modelId, method, reason, priority, maxAttempts, settings } = job;
      const replaced = await this.store.enqueue([{ datasetId, sku, modelId, method, reason, priority, maxAttempts, settings, inputHash: hash }],
        { batchId: `rehash-${job.id}-${Date.now()}` });
      throw new InputDataError(`SKU '${job.sku}' changed after job ${job.id} was queued (its input no longer matches the job's input hash): `
        + `superseded by job ${replaced.firstId}, queued for the current history.`);
    }
    // A short SKU may borrow its dataset's yearly season (forecastSku keeps it only where
    // cross-validation shows it helps). Only a job filed under no input hash: a pooled profile
    // depends on other SKUs, which a hash does not name, so a hashed result must not use one
    // (the planner leaves such jobs unhashed: job-planner.ts).
    const profile = job.inputHash ? undefined : await this.profiles.profileFor(job.datasetId, series, input);
    if (profile) input.seasonalProfile = profile;
    if (this.pool) {
      const json = await this.pool.run<string>({ input } satisfies ThreadPayload, { signal: ctx.signal, onProgress: ctx.reportProgress, onStart: ctx.runStarted });
      return new JsonText(json);
    }
    return runInline(input, ctx);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

function runInline(input: ForecastInput, ctx: JobContext): ForecastResult {
  if (ctx.signal.aborted) throw ctx.signal.reason;
  ctx.runStarted?.();
  return forecastSku(input, (fraction) => {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    ctx.reportProgress(Math.round(fraction * 100));
  });
}

/** Bad input data: retrying cannot help, so the runner fails the job at once. */
export function isInputDataError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'InputDataError';
}
