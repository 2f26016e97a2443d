import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../tests/support/api-test-app.js';
import { completeAllJobs } from '../datasets/testing/complete-jobs.js';

/**
 * The response schemas refuse (500) an answer that does not fit them, and the database holds what
 * every earlier version wrote: a settings object from before a setting existed, a job result whose
 * JSON turned a NaN into null. Those rows are edited here in the real SQLite file the app reads,
 * and the routes must still answer: settings read with their defaults, an unusable result counts
 * as no result for its model, undefined metrics read as null.
 */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

function csv(): string {
  let out = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40]] as const) {
    for (let m = 0; m < 30; m++) {
      const date = `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
      out += `${sku},${date},${Math.round(level * (1 + 0.3 * Math.sin((2 * Math.PI * m) / 12)) + (m % 3))}\n`;
    }
  }
  return out;
}

/** Runs raw SQL on the app's database file, as an older version (or an operator) left it. */
function edit(sql: string, ...params: unknown[]): number {
  const db = new Database(path.join(t.dir, 'jobs.db'));
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}

async function get(url: string) {
  const res = await t.app.inject({ url });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json();
}

describe('rows written by older versions', () => {
  it('a dataset whose stored settings lack a setting reads with its default', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/datasets?models=seasonal_naive', headers: { 'content-type': 'text/csv' }, payload: csv() });
    const id = created.json().datasetId as string;
    expect(edit("UPDATE datasets SET settings = json_remove(settings, '$.fillGaps', '$.intervalLevels') WHERE id = ?", id)).toBe(1);

    const one = await get(`/api/datasets/${id}`);
    expect(one.settings).toMatchObject({ fillGaps: 'zero', intervalLevels: [80, 95], models: ['seasonal_naive'] });
    expect((await get('/api/datasets')).datasets[0].settings.fillGaps).toBe('zero');
    expect(await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 6 } }).then((r) => r.json().settings))
      .toMatchObject({ horizon: 6, fillGaps: 'zero' });
  });

  it('a stored result with a null in its forecast is no result for its model; null metrics read as null', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/datasets?models=seasonal_naive,simple_exponential_smoothing', headers: { 'content-type': 'text/csv' }, payload: csv() });
    const id = created.json().datasetId as string;
    await completeAllJobs(t.store);
    // JSON.stringify(NaN) is null: what a writer that let a NaN through would have stored.
    expect(edit("UPDATE jobs SET result = json_set(result, '$.forecast.mean[2]', json('null')) WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku = 'A' AND model_id = 'seasonal_naive'", id)).toBe(1);
    expect(edit("UPDATE jobs SET result = json_set(result, '$.forecast.intervals[0].upper[0]', json('null')) WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku = 'B' AND model_id = 'seasonal_naive'", id)).toBe(1);
    expect(edit("UPDATE jobs SET result = json_remove(json_set(result, '$.holdout.metrics.mae', json('null')), '$.holdout.metrics.wape') WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku = 'A' AND model_id = 'simple_exponential_smoothing'", id)).toBe(1);

    const forecasts = await get(`/api/datasets/${id}/forecasts`);
    const bySku = Object.fromEntries(forecasts.items.map((i: { sku: string }) => [i.sku, i]));
    expect(bySku.A.models.map((m: { modelId: string }) => m.modelId)).toEqual(['simple_exponential_smoothing']);
    expect(bySku.A.bestModel).toBe('simple_exponential_smoothing');
    expect(bySku.A.models[0].metrics).toMatchObject({ mae: null, wape: null, rmse: expect.any(Number) });
    expect(bySku.A.forecast.mean.every((v: unknown) => typeof v === 'number')).toBe(true);
    expect(bySku.B.models.map((m: { modelId: string }) => m.modelId)).toEqual(['simple_exponential_smoothing']);
    expect(forecasts.portfolio).toMatchObject({ skus: 2, skusWithForecast: 2 });

    const csvRes = await t.app.inject({ url: `/api/datasets/${id}/forecasts.csv` });
    expect(csvRes.statusCode).toBe(200);
    expect(csvRes.body).not.toMatch(/,seasonal_naive,/);
    const { snapshots } = await get(`/api/datasets/${id}/snapshots`);
    const kept = await get(`/api/datasets/${id}/forecasts?snapshot=${snapshots[0].id}`);
    expect(kept.items.map((i: { bestModel: string }) => i.bestModel)).toEqual(['simple_exponential_smoothing', 'simple_exponential_smoothing']);
    await get(`/api/datasets/${id}/aggregates`);
  });
});
