import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { m3Monthly, monthOf } from '../../../tests/support/m3-planning-data.js';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { memberSd } from '../../datasets/aggregates.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';

/**
 * Totals by attribute on a store x item dataset of real M3 series (three stores, four items,
 * forecast by the real engine on a real SQLite file): each store's history and forecast are the
 * sums of its SKUs'; the bands of a sum lie between independent members and the sum of the bands.
 */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

const stores = ['North', 'South', 'West'];
const items = ['I1', 'I2', 'I3', 'I4'];

function storeItemCsv(): string {
  const series = m3Monthly(12);
  let csv = 'store,item,category,month,units\n';
  stores.forEach((store, s) => items.forEach((item, i) => {
    series[s * 4 + i].train.slice(0, 40).forEach((v, k) => (csv += `${store},${item},${i < 2 ? 'dairy' : 'frozen'},${monthOf(k)},${v}\n`));
  }));
  return csv;
}

interface Sku { sku: string; dates: string[]; original: number[]; cleaned: number[] }
interface Forecast { sku: string; forecast: { dates: string[]; mean: number[]; lower95: number[]; upper95: number[] } }

describe('GET /api/datasets/:id/aggregates', () => {
  it('store-level totals equal the sums of their SKUs, history and forecast, with bands between independent and fully correlated members', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ sku: ['store', 'item'], attributes: ['category'], date: 'month', quantity: 'units' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=seasonal_naive,simple_exponential_smoothing&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: storeItemCsv() });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    await completeAllJobs(t.store);

    const agg = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=store` });
    expect(agg.statusCode, agg.body).toBe(200);
    const body = agg.json();
    expect(body.attributes).toEqual(['category', 'item', 'store']);
    expect(body.groups.map((g: { value: string }) => g.value)).toEqual(stores);
    const forecasts: Forecast[] = (await t.app.inject({ url: `/api/datasets/${id}/forecasts?limit=100` })).json().items;
    const skus = new Map<string, Sku>();
    for (const f of forecasts) skus.set(f.sku, (await t.app.inject({ url: `/api/datasets/${id}/skus/${encodeURIComponent(f.sku)}` })).json());

    const check = (group: { skus: number; history: Sku; forecast: Forecast['forecast'] & { lower80: number[]; upper80: number[] } }, members: string[]) => {
      expect(group.skus).toBe(members.length);
      group.history.dates.forEach((d, k) => {
        const sum = members.reduce((a, m) => a + skus.get(m)!.original[skus.get(m)!.dates.indexOf(d)], 0);
        expect(group.history.original[k]).toBeCloseTo(sum, 5);
      });
      expect(group.history.dates).toHaveLength(40);
      group.forecast.dates.forEach((d, k) => {
        const mine = members.map((m) => forecasts.find((f) => f.sku === m)!.forecast);
        const at = mine.map((f) => f.dates.indexOf(d));
        expect(group.forecast.mean[k]).toBeCloseTo(mine.reduce((a, f, j) => a + f.mean[at[j]], 0), 5);
        // Each member's band as mean +- 1.96 sd (a lower bound cut at zero read from the upper half: memberSd).
        const widths = mine.map((f, j) => 2 * 1.959963984540054 * memberSd(f.mean[at[j]], f.lower95[at[j]], f.upper95[at[j]], 1.959963984540054));
        const width = 2 * (group.forecast.upper95[k] - group.forecast.mean[k]); // the lower bound may be cut at zero
        expect(width).toBeLessThanOrEqual(widths.reduce((a, b) => a + b, 0) * 1.0001);
        expect(width).toBeGreaterThanOrEqual(Math.sqrt(widths.reduce((a, b) => a + b * b, 0)) * 0.9999);
        expect(group.forecast.lower95[k]).toBeLessThanOrEqual(group.forecast.lower80[k]);
        expect(group.forecast.upper80[k]).toBeLessThanOrEqual(group.forecast.upper95[k]);
        expect(group.forecast.lower80[k]).toBeLessThanOrEqual(group.forecast.mean[k]);
      });
      expect(group.forecast.dates[0]).toBe(monthOf(40));
    };
    stores.forEach((store, s) => check(body.groups[s], items.map((i) => `${store} / ${i}`)));
    check(body.total, [...skus.keys()]);
    for (const g of body.groups) expect(g.correlation).toBeGreaterThanOrEqual(0);

    const byCategory = (await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=category` })).json();
    expect(byCategory.groups.map((g: { value: string; skus: number }) => [g.value, g.skus])).toEqual([['dairy', 6], ['frozen', 6]]);
    const totalOnly = (await t.app.inject({ url: `/api/datasets/${id}/aggregates` })).json();
    expect(totalOnly).toMatchObject({ by: null, groups: [] });
    expect(totalOnly.total.forecast.mean).toEqual(body.total.forecast.mean);

    const bad = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=colour` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ path: 'by' });
    // An empty by= is refused in words, with what it takes (was zod's "Too small: expected string to have >=1 characters").
    const empty = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=` });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({
      error: "by is empty: name one of the SKUs' attributes ('category', 'item', 'store'), or leave by out for the dataset's total alone",
      details: [{ path: 'by', message: "empty: the SKUs have 'category', 'item', 'store'; without by, the dataset's total alone" }],
    });
    expect((await t.app.inject({ url: '/api/datasets/nope/aggregates' })).statusCode).toBe(404);

    // Actuals in the dataset's own columns (its composite key by default): a new month for one store.
    let actuals = 'store,item,category,month,units\n';
    for (const item of items) actuals += `West,${item},x,${monthOf(40)},100\n`;
    const appended = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: actuals });
    expect(appended.statusCode, appended.body).toBe(200);
    expect(appended.json()).toMatchObject({ skusChanged: 4, skusAdded: 0, periodsAdded: 4 });
    expect((await t.store.getSeries(id, 'West / I1'))!.attributes).toEqual({ store: 'West', item: 'I1', category: 'dairy' });
  });

  it('SKUs whose histories end apart (an actuals file without the SKUs that sold nothing): the summed forecast starts after the summed history, on the dates every member forecasts (was: the lagging SKU\'s forecast alone on a month the others have actuals for, beside its history)', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ sku: ['store', 'item'], attributes: ['category'], date: 'month', quantity: 'units' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=seasonal_naive&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: storeItemCsv() });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    await completeAllJobs(t.store);
    // Month 40 for every SKU but North / I1, which the export left out.
    let actuals = 'store,item,category,month,units\n';
    for (const store of stores) items.forEach((item, i) => {
      if (store !== 'North' || item !== 'I1') actuals += `${store},${item},${i < 2 ? 'dairy' : 'frozen'},${monthOf(40)},100\n`;
    });
    const appended = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: actuals });
    expect(appended.statusCode, appended.body).toBe(200);
    expect(appended.json().report.warnings).toContain("1 of the dataset's SKUs have no line in this file (North / I1): their histories are left as they were; if they sold nothing in these periods, send them with 0 or append with absentSkus=zero (exports often leave such rows out), or their forecasts start at a period the others have actuals for");
    await completeAllJobs(t.store);

    const forecasts: Forecast[] = (await t.app.inject({ url: `/api/datasets/${id}/forecasts?limit=100` })).json().items;
    const lagging = forecasts.find((f) => f.sku === 'North / I1')!.forecast;
    expect(lagging.dates[0]).toBe(monthOf(40)); // its own forecast still starts at the month the others have actuals for
    const horizon = lagging.dates.length;
    const { total, groups } = (await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=store` })).json();
    expect(total.history.dates.at(-1)).toBe(monthOf(40));
    expect(total.history.skus.at(-1)).toBe(11);
    expect(total.history.skus.at(-2)).toBe(12);
    // Months 41 on, less the last one, which North / I1's horizon does not reach: every member in each.
    expect(total.forecast.dates).toEqual(Array.from({ length: horizon - 1 }, (_, k) => monthOf(41 + k)));
    expect(total.forecast.skus).toBe(12);
    total.forecast.dates.forEach((d: string, k: number) => {
      expect(total.forecast.mean[k]).toBeCloseTo(forecasts.reduce((a, f) => a + f.forecast.mean[f.forecast.dates.indexOf(d)], 0), 5);
    });
    const north = groups.find((g: { value: string }) => g.value === 'North');
    expect(north.forecast.dates[0]).toBe(monthOf(41));
    expect(north.forecast.skus).toBe(4);
    // A store with no lagging member forecasts its whole horizon.
    expect(groups.find((g: { value: string }) => g.value === 'South').forecast.dates).toHaveLength(horizon);
  });

  it('by names an attribute in any case when only one matches ignoring case (?by=store for a Store column); two that differ only in case stay a 400', async () => {
    let csv = 'SKU,Store,Category,category,Month,Units\n';
    for (const [sku, store] of [['A', 'North'], ['B', 'North'], ['C', 'South']]) {
      for (let k = 0; k < 12; k++) csv += `${sku},${store},toys,games,${monthOf(k)},${k + 1}\n`;
    }
    const mapping = encodeURIComponent(JSON.stringify({ sku: 'SKU', date: 'Month', quantity: 'Units', attributes: ['Store', 'Category', 'category'] }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=naive&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    for (const by of ['store', 'Store', 'STORE']) {
      const agg = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=${by}` });
      expect(agg.statusCode, agg.body).toBe(200);
      expect(agg.json().by).toBe('Store');
      expect(agg.json().groups.map((g: { value: string; skus: number }) => [g.value, g.skus])).toEqual([['North', 2], ['South', 1]]);
    }
    expect((await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=category` })).json().groups.map((g: { value: string }) => g.value)).toEqual(['games']);
    const ambiguous = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=CATEGORY` });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().details[0]).toMatchObject({ path: 'by' });
    expect(ambiguous.json().error).toContain("'Category', 'category'");
  });

  it('a dataset keeping neither the 80% nor the 95% band (intervalLevels [90]) still gets bands for its totals, from the band it keeps (QA: zero width, a certain total)', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ sku: ['store', 'item'], attributes: ['category'], date: 'month', quantity: 'units' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=seasonal_naive&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: storeItemCsv() });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { intervalLevels: [90] } });
    expect(patched.statusCode, patched.body).toBe(200);
    await completeAllJobs(t.store);
    const [first] = (await t.app.inject({ url: `/api/datasets/${id}/forecasts?limit=1` })).json().items;
    expect(first.forecast).toMatchObject({ lower80: null, upper95: null, intervals: [{ level: 90 }] });

    const total = (await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=store` })).json().total;
    total.forecast.dates.forEach((_d: string, k: number) => {
      expect(total.forecast.upper80[k]).toBeGreaterThan(total.forecast.mean[k]);
      expect(total.forecast.upper95[k]).toBeGreaterThan(total.forecast.upper80[k]);
    });
  });

  it('members whose forecast has no band: their holdout error gives their spread, one with neither is counted and the band marked partial (was: a store of SKUs without intervals had a band of zero width, and nothing said so)', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ sku: ['store', 'item'], attributes: ['category'], date: 'month', quantity: 'units' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=seasonal_naive&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: storeItemCsv() });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    await completeAllJobs(t.store);
    // West's results as a model (or an engine version) that keeps no interval stores them; West / I4's
    // also without a holdout, as for a history too short to hold any out.
    const db = new Database(path.join(t.dir, 'jobs.db'));
    try {
      expect(db.prepare("UPDATE jobs SET result = json_set(result, '$.forecast.intervals', json('[]')) WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku LIKE 'West / %'").run(id).changes).toBe(4);
      // Kept by a result of an engine before 1.4: no cross-validation, so the holdout's RMS (stepSd's fallback).
      expect(db.prepare("SELECT count(*) AS n FROM jobs WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku LIKE 'West / %' AND json_extract(result, '$.cv') IS NOT NULL").get(id)).toEqual({ n: 4 });
      db.prepare("UPDATE jobs SET result = json_remove(result, '$.cv') WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku LIKE 'West / %'").run(id);
      db.prepare("UPDATE jobs SET result = json_set(result, '$.holdout', json('{\"length\":0,\"dates\":[],\"actual\":[],\"forecast\":[],\"metrics\":null}')) WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = ?) AND sku = 'West / I4'").run(id);
    } finally {
      db.close();
    }
    const forecasts: Array<Forecast & { forecast: { upper95: number[] | null }; backtest: { actual: number[]; fitted: number[] } | null }> =
      (await t.app.inject({ url: `/api/datasets/${id}/forecasts?limit=100` })).json().items;
    const west = forecasts.filter((f) => f.sku.startsWith('West / ')).sort((a, b) => (a.sku < b.sku ? -1 : 1));
    expect(west.map((f) => [f.forecast.upper95, f.backtest === null])).toEqual([[null, false], [null, false], [null, false], [null, true]]);

    const body = (await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=store` })).json();
    const westGroup = body.groups.find((g: { value: string }) => g.value === 'West');
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // Each of I1 to I3: sd = the RMS of its holdout errors; I4's is unknown and left out.
    const sds = west.slice(0, 3).map((f) => Math.sqrt(sum(f.backtest!.actual.map((a, k) => (a - f.backtest!.fitted[k]) ** 2)) / f.backtest!.actual.length));
    const rho = westGroup.correlation as number;
    const sd = Math.sqrt(sum(sds.map((s) => s * s)) + rho * (sum(sds) ** 2 - sum(sds.map((s) => s * s))));
    expect(sd).toBeGreaterThan(0);
    // (to the answer's rounding of the correlation, 1e-6)
    westGroup.forecast.dates.forEach((_d: string, k: number) => {
      expect(Math.abs(westGroup.forecast.upper95[k] - westGroup.forecast.mean[k] - 1.959963984540054 * sd) / sd).toBeLessThan(1e-5);
    });
    const i4 = sum(west[3].forecast.mean);
    expect(westGroup.spread).toEqual({
      fromBand: 0, fromHoldout: 3, fromCv: 0, unknown: 1, status: 'partial',
      unknownShare: Math.round((i4 / sum(west.flatMap((f) => f.forecast.mean))) * 1e6) / 1e6,
    });
    for (const g of body.groups.filter((x: { value: string }) => x.value !== 'West')) {
      expect(g.spread).toEqual({ fromBand: 4, fromHoldout: 0, fromCv: 0, unknown: 0, unknownShare: 0, status: 'complete' });
    }
    expect(body.total.spread).toMatchObject({ fromBand: 8, fromHoldout: 3, unknown: 1, status: 'partial' });
    expect(body.total.spread.unknownShare).toBeGreaterThan(0);
  });
});
