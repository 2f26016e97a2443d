import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';

/**
 * The bulk verbs scoped by a dataset that is gone, through the real app on a real SQLite file and,
 * with DATABASE_URL, a PostgreSQL schema: the answer follows GET /api/jobs/status's rule (a dataset
 * whose jobs are still listed by its id is not "no dataset").
 */
describe.each(storeKinds('bulk job verbs on a deleted dataset'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('jobs-actions', kind));
  });
  afterEach(async () => close());

  const months = (n: number) => Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

  /** A dataset with one failed and one pending job, then deleted (which cancels the pending one). */
  async function deletedDatasetWithJobs(): Promise<string> {
    const data = months(24).map((date, i) => ({ sku: 'A', date, sales: 10 + (i % 5) }));
    const created = await app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive', 'naive'] } });
    expect(created.statusCode, created.body).toBe(201);
    const { datasetId } = created.json() as { datasetId: string };
    const [claimed] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await store.fail(claimed, 'boom');
    expect((await app.inject({ method: 'DELETE', url: `/api/datasets/${datasetId}` })).statusCode).toBe(200);
    return datasetId;
  }

  const verbs = [
    ['/api/jobs/cancel', {}],
    ['/api/jobs/retry', {}],
    ['/api/jobs/retry', { status: ['failed', 'cancelled'] }],
  ] as const;

  it("answers 409 naming datasetId while the deleted dataset's jobs are listed by its id (was 404 'no dataset'), changing nothing", async () => {
    const datasetId = await deletedDatasetWithJobs();
    const listed = await app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${datasetId}` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().jobs.map((j: { status: string }) => j.status).sort()).toEqual(['cancelled', 'failed']);
    const before = await store.summary();
    for (const [url, extra] of verbs) {
      const res = await app.inject({ method: 'POST', url, payload: { datasetId, ...extra } });
      expect(res.statusCode, `${url} ${res.body}`).toBe(409);
      expect(res.json().details, url).toEqual([{ path: 'datasetId', message: expect.stringContaining(`dataset '${datasetId}' was deleted`) }]);
    }
    expect(await store.summary()).toEqual(before);
  });

  it('answers 404 naming datasetId once no job of the deleted dataset is left, as GET /api/jobs/status does', async () => {
    const datasetId = await deletedDatasetWithJobs();
    expect((await app.inject({ method: 'POST', url: '/api/jobs/reset' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${datasetId}` })).statusCode).toBe(404);
    for (const [url, extra] of verbs) {
      const res = await app.inject({ method: 'POST', url, payload: { datasetId, ...extra } });
      expect(res.statusCode, `${url} ${res.body}`).toBe(404);
      expect(res.json()).toEqual({ error: `no dataset '${datasetId}'`, code: 'not_found', details: [{ path: 'datasetId', message: `no dataset '${datasetId}'` }] });
    }
  });
});
