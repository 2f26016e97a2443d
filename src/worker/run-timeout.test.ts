import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSettings, ImportReport } from '../datasets/dataset.js';
import type { JobHandler } from '../queue/job-handler.js';
import { openHarness, RecordingLogger, type Harness } from '../queue/testing/runner-harness.js';
import { startWorker, type WorkerHandle } from './run-worker.js';
import { defaultRunTimeoutS, runTimeoutS } from './run-timeout.js';
import { ThreadPool } from './thread-pool.js';

const spinThread = new URL('./testing/spin-thread.mjs', import.meta.url);
let h: Harness;
let worker: WorkerHandle | null = null;
let pool: ThreadPool | null = null;

beforeEach(async () => {
  h = await openHarness();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await worker?.stop({ graceful: false });
  worker = null;
  await pool?.close();
  pool = null;
  await h.close();
});

/** A handler whose fit runs in a real worker thread and never returns (a 10^9 ms spin, deaf to messages). */
function hangingThreadHandler(replaced: string[], onSpinning: () => void): JobHandler {
  pool = new ThreadPool(spinThread, 1, { onReplaced: (reason) => replaced.push(reason) });
  const p = pool;
  return { run: (_job, ctx) => p.run({ spinMs: 1e9 }, { signal: ctx.signal, onProgress: onSpinning }) };
}

describe('run timeout', () => {
  it('defaults by model family: short for naive models, long for arima and ensemble', () => {
    expect(defaultRunTimeoutS('naive')).toBe(60);
    expect(defaultRunTimeoutS('holt_winters')).toBe(300);
    expect(defaultRunTimeoutS('ets')).toBe(900);
    expect(defaultRunTimeoutS('arima')).toBe(1_800);
    expect(defaultRunTimeoutS('ensemble')).toBe(1_800);
    expect(defaultRunTimeoutS('a_model_from_the_future')).toBe(600);
    // the dataset's setting wins over the worker's flag, which wins over the family default
    expect(runTimeoutS({ modelId: 'arima' }, {})).toBe(1_800);
    expect(runTimeoutS({ modelId: 'arima' }, { workerS: 120 })).toBe(120);
    expect(runTimeoutS({ modelId: 'arima' }, { datasetS: 30, workerS: 120 })).toBe(30);
  });

  it('terminates the real thread of a fit that never returns, fails the attempt and retries it with backoff', async () => {
    const [id] = await h.enqueue([{ maxAttempts: 2, modelId: 'arima' }]);
    // The retry's backoff is full jitter (random() * 1 s): a draw under 1 / 1,000 made it 0, the
    // job claimable at once, and the idle worker claimed it again before the checks below (a CI
    // run saw attempts 2, running). Pinned: 500 ms.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const logger = new RecordingLogger();
    const replaced: string[] = [];
    let spins = 0;
    let spinning!: () => void;
    let began = new Promise<void>((resolve) => (spinning = resolve));
    const handler = hangingThreadHandler(replaced, () => { spins++; spinning(); });
    worker = await startWorker({ store: h.store, logger, handler, concurrency: 1, clock: h.clock, runTimeoutS: 2, heartbeatMs: 60_000 });
    await began;
    await h.clock.advance(1_999);
    expect((await h.store.getJob(id))!.status).toBe('running');
    await h.clock.advance(1);
    await logger.waitFor('retry');
    let job = (await h.store.getJob(id))!;
    expect(job).toMatchObject({ status: 'pending', attempts: 1, error: 'timed out after 2 s' });
    expect(job.runAt).toBeGreaterThan(h.clock.now()); // the usual backoff, not an immediate re-run
    expect(replaced).toEqual(['abort']); // the spinning thread was terminated and replaced
    expect(pool!.threadCount).toBe(1);

    spins = 0;
    began = new Promise<void>((resolve) => (spinning = resolve));
    await h.clock.advance(job.runAt - h.clock.now() + 1_000); // past the backoff and one backstop poll
    await began; // the second attempt spins in the fresh thread
    expect(spins).toBeGreaterThan(0);
    await h.clock.advance(2_000);
    await logger.waitFor('fail');
    job = (await h.store.getJob(id))!;
    expect(job).toMatchObject({ status: 'failed', attempts: 2, error: 'Failed after 2 attempts: timed out after 2 s' });
    expect(replaced).toEqual(['abort', 'abort']);
    expect(worker.runner.counters).toMatchObject({ timedOut: 2, retried: 1, failed: 1, released: 0 });
  });

  it("uses the dataset's runTimeoutS over the worker's flag", async () => {
    const settings: DatasetSettings = { horizon: 6, holdout: 2, models: ['arima'], method: 'grid', metric: 'mase', intervalLevels: [80], fillGaps: 'zero', runTimeoutS: 1 };
    const report: ImportReport = { rows: 8, skus: 1, dateRange: { start: '2024-01-01', end: '2024-08-01' }, frequency: 'monthly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [] };
    const dates = Array.from({ length: 8 }, (_, i) => `2024-0${i + 1}-01`);
    await h.store.createDataset({ id: 'ds-t', name: 'timeouts', frequency: 'monthly', settings, report },
      [{ sku: 'A', dates, original: [1, 2, 3, 4, 5, 6, 7, 8], edits: {}, length: 8, volume: 36, demandClass: 'smooth' }], null, null);
    const [id] = await h.enqueue([{ datasetId: 'ds-t', sku: 'A', modelId: 'arima', maxAttempts: 1 }]);
    const logger = new RecordingLogger();
    let spinning!: () => void;
    const began = new Promise<void>((resolve) => (spinning = resolve));
    const handler = hangingThreadHandler([], () => spinning());
    worker = await startWorker({ store: h.store, logger, handler, concurrency: 1, clock: h.clock, runTimeoutS: 600, heartbeatMs: 60_000 });
    await began;
    await h.clock.advance(1_000);
    await logger.waitFor('fail');
    expect((await h.store.getJob(id))!.error).toBe('Failed after 1 attempt: timed out after 1 s');
  });
});
