import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import type { Store } from '../../stores/store.js';

/**
 * A retry's completion is kept in a snapshot of its own (review-integrator finding 1): a cancel or
 * a failure leaves the queue idle, so the partial forecasts are kept; the retry puts the same job
 * ids back, and once they completed no snapshot was due (the mark was the newest job id), so "How
 * did we do" scored only the SKUs the partial snapshot had. Through the real app on a real SQLite
 * file and, with DATABASE_URL, a PostgreSQL schema; snapshots are taken by the reads (no worker).
 */
describe.each(storeKinds('snapshots after a retry'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('retry-snapshot', kind));
  });
  afterEach(async () => close());

  const skus = ['S1', 'S2', 'S3', 'S4', 'S5'];
  const month = (k: number) => `${2020 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
  type SnapshotRow = { id: number; cause: string; skuCount: number; skusWithForecast: number };

  async function call(method: 'GET' | 'POST', url: string, payload?: unknown, contentType?: string) {
    const res = await app.inject({ method, url, payload: payload as string, headers: contentType ? { 'content-type': contentType } : undefined });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  }
  const snapshots = async (id: string) => (await call('GET', `/api/datasets/${id}/snapshots`)).snapshots as SnapshotRow[];

  async function imported(): Promise<string> {
    let csv = 'sku,date,sales\n';
    for (const [i, sku] of skus.entries()) for (let k = 0; k < 24; k++) csv += `${sku},${month(k)},${10 * (i + 1) + (k % 4)}\n`;
    return (await call('POST', '/api/datasets?models=naive', csv, 'text/csv')).datasetId as string;
  }

  /** Asserts the dataset's newest snapshot is a new one keeping every SKU's forecast, and that reading again takes no other. */
  async function completeSnapshot(id: string, before: SnapshotRow[]): Promise<SnapshotRow> {
    const after = await snapshots(id);
    expect(after.map((s) => s.id).slice(1)).toEqual(before.map((s) => s.id));
    expect(after[0]).toMatchObject({ skuCount: 5, skusWithForecast: 5 });
    expect((await snapshots(id)).map((s) => s.id)).toEqual(after.map((s) => s.id)); // nothing changed: no duplicate
    return after[0];
  }

  it('cancel, snapshot of the partial forecasts, retry: once the retried jobs complete a new snapshot keeps every SKU, and forecast vs actual scores it', async () => {
    const id = await imported();
    expect(await call('POST', '/api/jobs/cancel', { datasetId: id, sku: 'S4' })).toEqual({ cancelled: 1 });
    await completeAllJobs(store);
    const partial = await snapshots(id);
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatchObject({ cause: 'import', skuCount: 5, skusWithForecast: 4 });

    expect(await call('POST', '/api/jobs/retry', { datasetId: id, status: ['cancelled'] })).toEqual({ requeued: 1 });
    expect((await snapshots(id)).map((s) => s.id)).toEqual([partial[0].id]); // S4's job is open: none due
    await completeAllJobs(store);
    const complete = await completeSnapshot(id, partial);
    expect(complete.cause).toBe('import'); // read from the dataset's newest job, as for any snapshot

    // The month after: forecast vs actual scores the snapshot planners saw last, every SKU of it.
    const actuals = `sku,date,sales\n${skus.map((sku) => `${sku},${month(24)},20`).join('\n')}\n`;
    await call('POST', `/api/datasets/${id}/actuals`, actuals, 'text/csv');
    const accuracy = await call('GET', `/api/datasets/${id}/accuracy?limit=100`);
    expect(accuracy.snapshot.id).toBe(complete.id);
    expect(accuracy.portfolio.points).toBe(5);
  });

  it('a failed job retried on its own (POST /api/jobs/:id/retry, same id): its completion is kept in a new snapshot', async () => {
    const id = await imported();
    const claimed = await store.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 });
    const s2 = claimed.find((c) => c.job.sku === 'S2')!;
    await store.fail(s2, 'boom');
    for (const c of claimed) if (c !== s2) await store.release(c);
    await completeAllJobs(store);
    const partial = await snapshots(id);
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatchObject({ skuCount: 5, skusWithForecast: 4 });

    expect(await call('POST', `/api/jobs/${s2.jobId}/retry`)).toEqual({ requeued: 1 });
    expect((await snapshots(id)).map((s) => s.id)).toEqual([partial[0].id]);
    await completeAllJobs(store);
    await completeSnapshot(id, partial);
  });
});
