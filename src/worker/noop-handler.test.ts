import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../queue/clock.js';
import { bareDataset } from '../queue/testing/store-fixtures.js';
import { openHarness, RecordingLogger, type Harness } from '../queue/testing/runner-harness.js';
import { noopRefusesForecastWork } from './noop-handler.js';
import { startWorker, type WorkerHandle } from './run-worker.js';
import { refuseNoopOnDatasets } from './worker-command.js';

/**
 * The noop handler (benchmarks) on a queue that holds forecast work: a noop result stored under a
 * job's input hash was reused as that SKU's forecast for good (jobsReused: 1, nothing shown).
 */
let h: Harness;
let worker: WorkerHandle | null = null;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await worker?.stop({ graceful: false });
  worker = null;
  await h.close();
});

describe('the noop handler', () => {
  it('on a test database (--noop-with-datasets) completes forecast work too: the chaos run posts rows of sales', async () => {
    const [forecast] = await h.enqueue([{ sku: 'A', inputHash: 'hash-A', maxAttempts: 1 }]);
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'noop', noopForecastWork: true, concurrency: 1, workerId: 'w-noop', clock: systemClock });
    await logger.waitFor('complete');
    expect(await h.store.getJob(forecast)).toMatchObject({ status: 'completed' });
  });

  it('completes a job without an input hash, refuses forecast work (one with a hash), and the refused result is never reused', async () => {
    const [plain, forecast] = await h.enqueue([{ sku: 'BENCH' }, { sku: 'A', inputHash: 'hash-A', maxAttempts: 1 }]);
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'noop', concurrency: 2, workerId: 'w-noop', clock: systemClock });
    await logger.waitFor('complete');
    await logger.waitFor('fail');
    expect(await h.store.getJob(plain)).toMatchObject({ status: 'completed' });
    expect(await h.store.getJob(forecast)).toMatchObject({ status: 'failed', error: expect.stringContaining(noopRefusesForecastWork) });

    const again = await h.store.enqueue([{ datasetId: null, sku: 'A', modelId: 'naive', method: 'grid', reason: 'manual_trigger', priority: 1, inputHash: 'hash-A' }],
      { batchId: 'requeue', supersede: false });
    expect(again.jobsReused).toBe(0);
  });

  it('skucast worker --handler noop refuses a database that holds datasets, closing the store', async () => {
    await expect(refuseNoopOnDatasets(h.store)).resolves.toBeUndefined(); // none yet: a benchmark's queue
    await bareDataset(h.store, 'sales');
    let closed = false;
    const store = { ...h.store, close: async () => void (closed = true) };
    await expect(refuseNoopOnDatasets(store)).rejects.toThrow(/--handler noop \(benchmarks\) refuses a database that holds datasets \(1, e\.g\. 'sales'\).*--noop-with-datasets/);
    expect(closed).toBe(true);
  });
});
