import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { runForecast, type Frequency, type Metric, type MethodId } from '../../forecasting/index.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import { modelHistory } from '../../datasets/model-history.js';

/** GET and POST /api/datasets/:id/unmet-work against the real app and a SQLite store on a temp file. */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

function csv(): string {
  let out = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40], ['C', 10]] as const) {
    for (let i = 0; i < 30; i++) out += `${sku},${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${Math.round(level * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 12)) + (i % 3))}\n`;
  }
  return out;
}

async function importDataset(): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=seasonal_naive,simple_exponential_smoothing', headers: { 'content-type': 'text/csv' }, payload: csv() });
  expect(res.statusCode).toBe(201);
  await completeAllJobs(t.store);
  return res.json().datasetId;
}

/** A worker that finishes the first `n` jobs of the queue (SKU order), as one that was cancelled midway had. */
async function completeFirst(n: number): Promise<void> {
  for (const { job, jobId, leaseToken } of await t.store.claim({ workerId: 'w', limit: n, leaseMs: 60_000 })) {
    const { dates, values } = modelHistory((await t.store.getSeries(job.datasetId!, job.sku))!);
    const s = job.settings;
    const result = runForecast({ sku: job.sku, values, dates, frequency: s.frequency as Frequency, modelId: job.modelId, method: job.method as MethodId,
      settings: { horizon: s.horizon!, holdout: s.holdout!, metric: s.metric as Metric, intervalLevels: s.intervalLevels! } });
    expect(await t.store.complete({ jobId, leaseToken }, result)).toBe(true);
  }
}

const get = async (url: string) => (await t.app.inject({ method: 'GET', url })).json();

/** Each SKU's shown forecast length. */
async function horizons(id: string): Promise<Record<string, number>> {
  const { items } = await get(`/api/datasets/${id}/forecasts?limit=100`);
  return Object.fromEntries(items.map((i: { sku: string; forecast: { mean: number[] } | null }) => [i.sku, i.forecast?.mean.length ?? 0]));
}

describe('/api/datasets/:id/unmet-work', () => {
  it('counts the SKUs a cancelled settings change left with forecasts of the old settings, and queues what is missing in one click', async () => {
    const id = await importDataset();
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual({ skus: 0, jobs: 0, examples: [] });

    const patched = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 18 } });
    expect(patched.json()).toMatchObject({ jobsCreated: 6 });
    // Queued: covered by open jobs, nothing unmet.
    expect((await get(`/api/datasets/${id}/unmet-work`)).skus).toBe(0);
    // A's two jobs run, then the planner cancels the batch.
    await completeFirst(2);
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } })).json()).toEqual({ cancelled: 4 });
    // Settings say 18; A forecasts 18 steps, B and C still 12: the tile says 3 / 3 all the same.
    expect(await horizons(id)).toEqual({ A: 18, B: 12, C: 12 });
    expect((await get(`/api/datasets/${id}/forecasts?limit=1`)).portfolio).toMatchObject({ skus: 3, skusWithForecast: 3 });
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual({ skus: 2, jobs: 4, examples: ['B', 'C'] });

    const queued = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/unmet-work` });
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toMatchObject({ skus: 2, jobs: 4, jobsCreated: 4, jobsReused: 0 });
    const batch = await t.store.listJobs({ batchId: queued.json().batchId, limit: 100 });
    expect(batch.jobs.map((j) => `${j.sku}/${j.modelId}/${j.reason}`).sort()).toEqual([
      'B/seasonal_naive/manual_trigger', 'B/simple_exponential_smoothing/manual_trigger', 'C/seasonal_naive/manual_trigger', 'C/simple_exponential_smoothing/manual_trigger',
    ]);
    expect((await get(`/api/datasets/${id}/unmet-work`)).skus).toBe(0); // queued now
    await completeAllJobs(t.store);
    expect(await horizons(id)).toEqual({ A: 18, B: 18, C: 18 });
    // Nothing left: a second click queues nothing.
    expect((await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/unmet-work` })).json()).toMatchObject({ skus: 0, jobsCreated: 0, batchId: null });
  });

  it('a setting changed back to what every shown forecast was made with leaves nothing unmet', async () => {
    const id = await importDataset();
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 18 } });
    await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } });
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 12 } });
    // Back to the settings every shown forecast was made with: nothing unmet.
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual({ skus: 0, jobs: 0, examples: [] });
  });

  it('404 naming id for an unknown dataset; 400 naming a body field it does not take, nothing queued', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await t.app.inject({ method, url: '/api/datasets/nope/unmet-work' });
      expect(res.statusCode).toBe(404);
      expect(res.json().details[0].path).toBe('id');
    }
    const id = await importDataset();
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 18 } });
    await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } });
    const before = (await t.store.summary()).total;
    const bad = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/unmet-work`, payload: { skus: ['A'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('skus');
    expect((await t.store.summary()).total).toBe(before);
  });
});
