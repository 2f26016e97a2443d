/**
 * A planner's dataset where most SKUs have three years and a few new ones only ten months, all
 * sharing their category's season: imported as CSV through the real API, forecast by the real
 * worker (runner, ForecastHandler with its pooled profiles, the engine) on a real SQLite store,
 * read back as the app shows it. The new SKUs' forecasts carry their category's season. And a
 * daily CSV: period 7 in the models, the 365-day season from the SKU's own two years on top.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../support/api-test-app.js';
import { RecordingLogger } from '../../src/queue/testing/runner-harness.js';
import { startWorker, type WorkerHandle } from '../../src/worker/run-worker.js';
import { systemClock } from '../../src/queue/clock.js';
import type { ForecastResult } from '../../src/forecasting/index.js';
import { correlation, dailySeries, retailSku, RETAIL_SEASON } from '../../src/forecasting/seasonal-profile/seasonal-profile-fixtures.js';

// Garden goods peak in late spring and summer: a season unlike the toys' December.
const GARDEN_SEASON = [0.5, 0.6, 0.9, 1.3, 1.6, 1.7, 1.5, 1.2, 0.9, 0.7, 0.5, 0.5];

let t: ApiTestApp;
let worker: WorkerHandle | null = null;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await worker?.stop({ graceful: false });
  worker = null;
  await t.close();
});

function datasetCsv(): string {
  let csv = 'sku,category,month,units\n';
  const add = (sku: string, category: string, s: { dates: string[]; values: number[] }) => {
    s.dates.forEach((d, i) => { csv += `${sku},${category},${d.slice(0, 7)},${s.values[i]}\n`; });
  };
  for (let k = 0; k < 6; k++) add(`TOY-${k}`, 'toys', retailSku(36, 40 + 12 * k, 10 + k));
  for (let k = 0; k < 6; k++) add(`GARDEN-${k}`, 'garden', retailSku(36, 60 + 9 * k, 30 + k, GARDEN_SEASON));
  add('TOY-NEW', 'toys', retailSku(10, 70, 99));
  add('GARDEN-NEW', 'garden', retailSku(10, 70, 98, GARDEN_SEASON));
  return csv;
}

describe('a short SKU borrows its category\'s season', () => {
  it('10-month SKUs forecast their category\'s year; the app says the profile was borrowed and from how many SKUs', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ sku: 'sku', attributes: ['category'], date: 'month', quantity: 'units' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: datasetCsv() });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId, jobsCreated } = res.json() as { datasetId: string; jobsCreated: number };
    expect(jobsCreated).toBe(14 * 5); // the five default models
    const logger = new RecordingLogger();
    worker = await startWorker({ store: t.store, logger, handler: 'forecast', concurrency: 1, clock: systemClock });
    await Promise.race([logger.waitFor('complete', {}, jobsCreated), logger.waitFor('fail')]);
    expect(logger.entries.filter((e) => e.obj.event === 'fail').map((e) => e.msg)).toEqual([]);

    const items = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?limit=100` })).json().items as Array<{
      sku: string; bestModel: string; selection: { how: string; members: string[] } | null; forecast: { dates: string[]; mean: number[] };
    }>;
    const item = (sku: string) => items.find((i) => i.sku === sku)!;
    for (const [sku, season, group] of [['TOY-NEW', RETAIL_SEASON, 'toys'], ['GARDEN-NEW', GARDEN_SEASON, 'garden']] as const) {
      const it = item(sku);
      expect(it.forecast.dates[0]).toBe('2025-01-01');
      // The forecast the app shows follows the category's year, not a flat line.
      expect(correlation(it.forecast.mean, [...season]), `${sku}: ${it.forecast.mean.map(Math.round).join(',')}`).toBeGreaterThan(0.9);
      // Its peak month is the category's, and the swing of a season (a trend line has neither).
      const peak = it.forecast.mean.indexOf(Math.max(...it.forecast.mean));
      expect(Math.abs(peak - season.indexOf(Math.max(...season)))).toBeLessThanOrEqual(1);
      expect(Math.max(...it.forecast.mean) / Math.min(...it.forecast.mean)).toBeGreaterThan(1.8);
      expect(it.selection!.how).toContain(`seasonal profile borrowed from 6 SKUs of this dataset (category = ${group})`);
      const results = (await t.store.latestResults(datasetId, [sku])).map((r) => r.result as ForecastResult);
      const borrowed = results.filter((r) => r.seasonalProfile?.source === 'pooled');
      expect(borrowed.map((r) => r.model).sort()).toEqual(expect.arrayContaining(['ets', 'ensemble']));
      for (const r of borrowed) {
        expect(r.seasonalProfile).toMatchObject({ period: 12, skus: 6, scope: `category = ${group}`, through: '2023-12-01', decidedBy: 'cross-validation' });
        expect(r.seasonalProfile!.cvWith!).toBeLessThan(r.seasonalProfile!.cvWithout!);
      }
      // Croston models a rate, not a season: it never borrows.
      expect(results.find((r) => r.model === 'croston')?.seasonalProfile).toBeUndefined();
    }
    // The three-year SKUs fit their own season: none borrows.
    for (const r of (await t.store.latestResults(datasetId, ['TOY-0', 'GARDEN-3'])).map((x) => x.result as ForecastResult)) {
      expect(r.seasonalProfile).toBeUndefined();
    }
  });
});

describe('daily data: the weekly season in the models, the yearly one from two years of history', () => {
  it('a daily CSV gets period 7 in every seasonal model and its own 365-day season on top; the app says so', async () => {
    const long = dailySeries({ days: 1095, seed: 4 });
    const young = dailySeries({ days: 400, seed: 5, start: [2023, 11, 27] }); // ends the same day, 13 months long
    let csv = 'sku,date,units\n';
    long.dates.forEach((d, i) => { csv += `LONG,${d},${long.values[i]}\n`; });
    young.dates.forEach((d, i) => { csv += `YOUNG,${d},${young.values[i]}\n`; });
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=ets,seasonal_naive,croston', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId, jobsCreated, report } = res.json() as { datasetId: string; jobsCreated: number; report: { frequency: string } };
    expect(report.frequency).toBe('daily');
    const logger = new RecordingLogger();
    worker = await startWorker({ store: t.store, logger, handler: 'forecast', concurrency: 1, clock: systemClock });
    await Promise.race([logger.waitFor('complete', {}, jobsCreated), logger.waitFor('fail')]);
    expect(logger.entries.filter((e) => e.obj.event === 'fail').map((e) => e.msg)).toEqual([]);
    const results = (await t.store.latestResults(datasetId)).map((r) => r.result as ForecastResult);
    const of = (sku: string, model: string) => results.find((r) => r.sku === sku && r.model === model)!;
    for (const model of ['ets', 'seasonal_naive']) {
      expect(of('LONG', model).seasonalPeriod).toBe(7);
      expect(of('LONG', model).forecast.mean).toHaveLength(14); // the daily default horizon
      expect(of('LONG', model).seasonalProfile).toMatchObject({ source: 'own', period: 365, decidedBy: 'seasonal strength' });
      expect(of('YOUNG', model).seasonalPeriod).toBe(7);
      // One SKU cannot pool a dataset's year (three are needed); a year and a month is not two.
      expect(of('YOUNG', model).seasonalProfile).toBeUndefined();
    }
    expect(of('LONG', 'croston').seasonalProfile).toBeUndefined();
    const items = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?limit=10` })).json().items as Array<{ sku: string; selection: { how: string } | null }>;
    expect(items.find((i) => i.sku === 'LONG')!.selection!.how).toContain("yearly season from the SKU's own history laid over the weekly one");
  });
});
