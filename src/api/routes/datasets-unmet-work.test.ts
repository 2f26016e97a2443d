import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { runForecast, type Frequency, type Metric, type MethodId } from '../../forecasting/index.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import { modelHistory } from '../../datasets/model-history.js';
import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';

/** GET and POST /api/datasets/:id/unmet-work against the real app and a SQLite store on a temp file. */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Three SKUs of `months` monthly points: under 24, a seasonal model may borrow the pooled profile (its jobs have no input hash). */
function csv(months = 30): string {
  let out = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40], ['C', 10]] as const) {
    for (let i = 0; i < months; i++) out += `${sku},${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${Math.round(level * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 12)) + (i % 3))}\n`;
  }
  return out;
}

async function importDataset(months = 30, query = ''): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=seasonal_naive,simple_exponential_smoothing${query}`, headers: { 'content-type': 'text/csv' }, payload: csv(months) });
  expect(res.statusCode).toBe(201);
  await completeAllJobs(t.store);
  return res.json().datasetId;
}

const none = { skus: 0, jobs: 0, examples: [] };
const nothingUnmet = { ...none, outOfDate: none, neverRan: none, failed: none };

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
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual(nothingUnmet);

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
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual({ skus: 2, jobs: 4, examples: ['B', 'C'], outOfDate: { skus: 2, jobs: 4, examples: ['B', 'C'] }, neverRan: none, failed: none });

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

  it('counts SKUs under two years, whose seasonal jobs have no input hash, by the settings their forecasts were made with', async () => {
    const id = await importDataset(20);
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual(nothingUnmet);
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 6 } });
    await completeFirst(2);
    await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } });
    expect(await horizons(id)).toEqual({ A: 6, B: 12, C: 12 });
    expect(await get(`/api/datasets/${id}/unmet-work`)).toMatchObject({ skus: 2, jobs: 4, examples: ['B', 'C'], outOfDate: { skus: 2, jobs: 4 } });
    expect((await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/unmet-work` })).json()).toMatchObject({ jobsCreated: 4 });
    await completeAllJobs(t.store);
    expect(await horizons(id)).toEqual({ A: 6, B: 6, C: 6 });
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual(nothingUnmet);
  });

  it('an edit of a short SKU after its forecast counts it out of date', async () => {
    const id = await importDataset(20);
    const edited = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/skus/B`, payload: { edits: [{ date: '2020-04-01', value: 999 }] } });
    expect(edited.statusCode).toBe(200);
    // The edit's jobs cancelled: B's forecasts were made from the series before the edit, seasonal_naive's without a hash.
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } })).json()).toEqual({ cancelled: 2 });
    expect(await get(`/api/datasets/${id}/unmet-work`)).toMatchObject({ skus: 1, jobs: 2, examples: ['B'], outOfDate: { skus: 1, jobs: 2 } });
  });

  it('a model that failed for the current input is counted apart and left out of the click; never ran is counted apart', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=seasonal_naive,simple_exponential_smoothing', headers: { 'content-type': 'text/csv' }, payload: csv() });
    const id = res.json().datasetId;
    const [first] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(await t.store.fail(first, 'diverged')).toBe(true);
    await completeAllJobs(t.store);
    const failedOne = { skus: 1, jobs: 1, examples: [first.job.sku] };
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual({ ...nothingUnmet, failed: failedOne });
    expect((await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/unmet-work` })).json()).toMatchObject({ jobsCreated: 0, batchId: null, failed: failedOne });

    const never = await importDataset(30, '&createJobs=false');
    expect(await get(`/api/datasets/${never}/unmet-work`)).toEqual({ ...nothingUnmet, skus: 3, jobs: 6, examples: ['A', 'B', 'C'], neverRan: { skus: 3, jobs: 6, examples: ['A', 'B', 'C'] } });
  });

  it('plans again only when the dataset or the jobs changed: a repeated GET reads no series', async () => {
    const id = await importDataset();
    let reads = 0;
    const getSeriesMany = t.store.getSeriesMany.bind(t.store);
    t.store.getSeriesMany = async (...args) => (reads++, getSeriesMany(...args));
    await get(`/api/datasets/${id}/unmet-work`);
    await get(`/api/datasets/${id}/unmet-work`);
    expect(reads).toBe(1);
    // A job write (the settings change's) and a dataset write each plan anew, and the answer follows.
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 18 } });
    reads = 0;
    await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } });
    expect(await get(`/api/datasets/${id}/unmet-work`)).toMatchObject({ skus: 3, jobs: 6 });
    expect(reads).toBe(1);
  });

  it('a setting changed back to what every shown forecast was made with leaves nothing unmet', async () => {
    const id = await importDataset();
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 18 } });
    await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } });
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 12 } });
    // Back to the settings every shown forecast was made with: nothing unmet.
    expect(await get(`/api/datasets/${id}/unmet-work`)).toEqual(nothingUnmet);
  });

  it('409 conflict_retry naming id when other writes of the dataset keep landing while it is planned, nothing queued', async () => {
    const id = await importDataset();
    await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 18 } });
    await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { datasetId: id } });
    const before = (await t.store.summary()).total;
    t.store.updateSettings = async () => { throw new DatasetChangedError(id, 'settings'); };
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/unmet-work` });
    expect(res.statusCode).toBe(409);
    expect(res.json().details[0].path).toBe('id');
    expect(res.json().code).toBe('conflict_retry'); // the same request sent again can succeed
    expect((await t.store.summary()).total).toBe(before);
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
