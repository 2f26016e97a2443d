/**
 * The worker with the real forecast handler, across processes: fits run in worker threads of
 * `node server.js worker`, so the main thread keeps renewing leases during a long fit, and a
 * cancel terminates the thread doing the fit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJob } from '../../src/queue/job.js';
import type { ForecastResult } from '../../src/forecasting/index.js';
import type { Store } from '../../src/stores/store.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-database.js';
import { createDailyDataset } from '../support/test-datasets.js';
import { pollUntil, startSkucast, stopAll } from '../support/skucast-process.js';

const HISTORY = 30_000;
/** The shortest lease `skucast worker --lease-ms` takes: renewed every third of it. */
const LEASE_MS = 1000;
/** A history whose ets fit outlasts that lease several times over (30,000 points took 1.6 s on a loaded 2-core machine). */
const LONG_HISTORY = 3 * HISTORY;
let db: TestDatabase;
let store: Store;

async function enqueue(jobs: Array<Partial<NewJob>>): Promise<number[]> {
  const result = await store.enqueue(
    jobs.map((j) => ({ datasetId: 'daily', sku: 'A', modelId: 'naive', method: 'grid', reason: 'manual_trigger', priority: 3, settings: { horizon: 14, holdout: 28 }, ...j })),
    { batchId: `b-${Math.random()}`, supersede: false, reuse: false },
  );
  return Array.from({ length: result.jobsCreated }, (_, i) => result.firstId! + i);
}

const finished = (id: number) => async () => {
  const job = await store.getJob(id);
  return job && ['completed', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
};

describe.each(storeKinds('forecast worker'))('forecast worker on %s', (kind) => {
  beforeEach(async () => {
    db = await createTestDatabase('forecast', kind);
    store = await db.open();
  });

  afterEach(async () => {
    const leaked = await stopAll();
    await store.close();
    await db.cleanup();
    expect(leaked, 'processes left running by the test').toEqual([]);
  });

  it('keeps renewing a short lease while a long fit runs in its thread: one attempt, never rescued', async () => {
    // Long enough that the fit outlasts the lease several times even as the engine gets faster.
    await createDailyDataset(store, 'daily', ['A'], LONG_HISTORY);
    const [id] = await enqueue([{ modelId: 'ets', method: 'grid' }]);
    const w = startSkucast('fitter', ['worker', '--handler', 'forecast', '--concurrency', '1', '--lease-ms', String(LEASE_MS)], db.env);
    const job = await pollUntil('the fit to finish', finished(id), 60_000, 100);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    const claim = w.events('claim').find((l) => l.jobId === id)!;
    const done = w.events('complete').find((l) => l.jobId === id)!;
    console.info(`[e2e] ets fit on ${LONG_HISTORY} points took ${done.durationMs} ms with a ${LEASE_MS} ms lease; renewals: ${w.events('renew').length}`);
    expect(job.status).toBe('completed');
    expect(job.attempts).toBe(1);
    expect(job.progress).toBe(100);
    const result = job.result as ForecastResult;
    expect(result.model).toBe('ets');
    expect(result.forecast.mean).toHaveLength(14);
    expect(result.forecast.dates[0]).toBe(new Date(Date.UTC(2015, 0, 1 + LONG_HISTORY)).toISOString().slice(0, 10)); // the day after the history
    expect(claim).toMatchObject({ jobId: id, sku: 'A', modelId: 'ets', method: 'grid', attempt: 1 });
    expect(done).toMatchObject({ jobId: id, sku: 'A', modelId: 'ets', attempt: 1, workerId: claim.workerId });
    // The fit outlived its lease several times over; only renewals from the main thread kept it:
    // at least one per lease it outlived (else the lease would have lapsed), never fewer than two.
    const durationMs = done.durationMs as number;
    expect(durationMs).toBeGreaterThan(2 * LEASE_MS);
    const renewals = w.events('renew').filter((l) => l.jobId === id);
    expect(renewals.length).toBeGreaterThanOrEqual(Math.max(2, Math.floor(durationMs / LEASE_MS)));
    expect(renewals.every((l) => l.leaseMs === LEASE_MS && l.workerId === claim.workerId)).toBe(true);
    expect(w.events('fenced')).toEqual([]);
    expect(w.events('rescue')).toEqual([]);
  });

  it('--run-timeout-s: a fit past its timeout has its thread terminated, fails, retries with backoff, then fails for good', async () => {
    await createDailyDataset(store, 'daily', ['A'], HISTORY); // an ets fit here takes seconds, well past 1 s
    const [slow, quick] = await enqueue([{ modelId: 'ets', method: 'grid', maxAttempts: 2 }, { modelId: 'naive', priority: 4 }]);
    const w = startSkucast('timeout', ['worker', '--handler', 'forecast', '--concurrency', '1', '--run-timeout-s', '1'], db.env);
    const job = await pollUntil('the timed-out fit to fail', finished(slow), 60_000, 100);
    const next = await pollUntil('the next job', finished(quick), 60_000, 100);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(job).toMatchObject({ status: 'failed', attempts: 2, result: null, error: 'Failed after 2 attempts: timed out after 1 s' });
    expect(w.events('timeout').map((l) => [l.jobId, l.timeoutMs])).toEqual([[slow, 1_000], [slow, 1_000]]);
    expect(w.events('retry').map((l) => [l.jobId, l.error])).toEqual([[slow, 'timed out after 1 s']]);
    expect(w.events('release')).toEqual([]); // failed, never handed back
    expect(w.events('thread').filter((l) => l.reason === 'abort')).toHaveLength(2); // each hung thread terminated
    expect(next.status).toBe('completed'); // the fresh thread goes on with the next job
  });

  it('cancelling a running fit terminates its thread; the worker goes on with the next job', async () => {
    await createDailyDataset(store, 'daily', ['A', 'B'], 6_000);
    const [slow, next] = await enqueue([{ sku: 'A', modelId: 'ets', method: 'grid' }, { sku: 'B', modelId: 'naive' }]);
    const w = startSkucast('cancel-fit', ['worker', '--handler', 'forecast', '--concurrency', '1', '--shutdown-ms', '200'], db.env);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === slow, 30_000);
    // Let the fit get going (its first progress write), then cancel it.
    await pollUntil('progress on the long fit', async () => ((await store.getJob(slow))!.progress > 0 ? true : undefined), 30_000, 20);
    const cancelledAt = Date.now();
    expect(await store.cancel({ ids: [slow] })).toBe(1);
    await w.waitForLine((l) => l.event === 'thread' && l.reason === 'abort', 10_000);
    const stoppedAfter = Date.now() - cancelledAt;
    const job = await pollUntil('the next job', finished(next), 30_000);
    console.info(`[e2e] cancel to terminated thread: ${stoppedAfter} ms; next job ${job.status}`);
    expect(job.status).toBe('completed');
    expect(await store.getJob(slow)).toMatchObject({ status: 'cancelled', result: null });
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(w.events('cancel').map((l) => l.jobId)).toEqual([slow]);
    expect(w.events('complete').map((l) => l.jobId)).toEqual([next]);
  });
});
