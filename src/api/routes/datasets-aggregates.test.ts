import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { m3Monthly, monthOf } from '../../../tests/support/m3-planning-data.js';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { memberSd } from '../../datasets/member-spread.js';
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

    // aggregates.csv: the same figures as a long table, the total's rows first, then each store's.
    const csv = await t.app.inject({ url: `/api/datasets/${id}/aggregates.csv?by=Store` });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/filename="[^"]*-totals-by-store\.csv"/);
    const lines = csv.body.trimEnd().split('\n');
    expect(lines[0]).toBe('by,value,date,kind,skus,actuals,original,cleaned,forecast,lo80,hi80,lo95,hi95,provisional');
    const rows = lines.slice(1).map((l) => l.split(','));
    const groupRows = (by: string, value: string, kind: string) => rows.filter((r) => r[0] === by && r[1] === value && r[3] === kind);
    for (const [by, value, series] of [['', '', body.total], ...body.groups.map((g: { value: string }) => ['store', g.value, g])] as Array<[string, string, typeof body.total]>) {
      const history = groupRows(by, value, 'history');
      expect(history.map((r) => r[2])).toEqual(series.history.dates);
      history.forEach((r, k) => {
        expect(Number(r[6])).toBeCloseTo(series.history.original[k], 5);
        expect(Number(r[4])).toBe(series.history.skus[k]);
        expect(r.slice(8)).toEqual(['', '', '', '', '', '0']); // no forecast, no provisional value
      });
      const forecast = groupRows(by, value, 'forecast');
      expect(forecast.map((r) => r[2])).toEqual(series.forecast.dates);
      forecast.forEach((r, k) => {
        expect(r.slice(8, 13).map(Number)).toEqual([series.forecast.mean[k], series.forecast.lower80[k], series.forecast.upper80[k], series.forecast.lower95[k], series.forecast.upper95[k]].map((v: number) => Math.round(v * 1e6) / 1e6));
        expect(r[6]).toBe('');
        expect(r[13]).toBe('0');
      });
    }
    expect(rows).toHaveLength(4 * (40 + body.total.forecast.dates.length));
    const csvBad = await t.app.inject({ url: `/api/datasets/${id}/aggregates.csv?by=colour` });
    expect(csvBad.statusCode).toBe(400);
    expect(csvBad.json().details[0]).toMatchObject({ path: 'by' });

    const bad = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=colour` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ path: 'by' });
    // An empty by= is refused in words, with what it takes (was zod's "Too small: expected string to have >=1 characters").
    const empty = await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=` });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({
      error: "by is empty: name one of the SKUs' attributes ('category', 'item', 'store'), or leave by out for the dataset's total alone",
      code: 'invalid_request',
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

    // Forecast vs actual by store: only West has an actual yet; its total's forecast against its total.
    const accuracy = await t.app.inject({ url: `/api/datasets/${id}/accuracy?by=store` });
    expect(accuracy.statusCode, accuracy.body).toBe(200);
    const acc = accuracy.json();
    expect(acc.by).toBe('store');
    expect(acc.groups.map((g: { value: string; skus: number; points: number }) => [g.value, g.skus, g.points])).toEqual([['North', 0, 0], ['South', 0, 0], ['West', 4, 4]]);
    const west = body.groups.find((g: { value: string }) => g.value === 'West').forecast.mean[0] as number;
    expect(acc.groups[2].summed.points).toBe(1);
    expect(acc.groups[2].summed.wape).toBeCloseTo((100 * Math.abs(400 - west)) / 400, 2);
    expect(acc.groups[2].summed.bias).toBeCloseTo((100 * (west - 400)) / 400, 2);
    expect(acc.summed).toEqual(acc.groups[2].summed);
    const accBad = await t.app.inject({ url: `/api/datasets/${id}/accuracy?by=colour` });
    expect(accBad.statusCode).toBe(400);
    expect(accBad.json().details[0]).toMatchObject({ path: 'by' });
    // accuracy.csv by store: the store column after the SKU, every row its SKU's store (the figures' by, in the file).
    const accCsv = await t.app.inject({ url: `/api/datasets/${id}/accuracy.csv?by=Store` });
    expect(accCsv.statusCode, accCsv.body).toBe(200);
    expect(accCsv.headers['content-disposition']).toMatch(/-by-store\.csv/);
    const [head, ...accRows] = accCsv.body.trim().split('\n').map((line) => line.split(','));
    expect(head).toEqual(['sku', 'store', 'model', 'step', 'date', 'forecast', 'actual', 'error', 'lo80', 'hi80', 'lo95', 'hi95']);
    expect(accRows).toHaveLength(4);
    for (const r of accRows) expect([r[0], r[1]]).toEqual([`West / ${r[0].split(' / ')[1]}`, 'West']);
    expect((await t.app.inject({ url: `/api/datasets/${id}/accuracy.csv` })).body.split('\n')[0]).toBe('sku,model,step,date,forecast,actual,error,lo80,hi80,lo95,hi95');
    const accCsvBad = await t.app.inject({ url: `/api/datasets/${id}/accuracy.csv?by=colour` });
    expect(accCsvBad.statusCode).toBe(400);
    expect(accCsvBad.json().details[0]).toMatchObject({ path: 'by' });
  });

  it('SKUs whose histories end apart (an actuals file without the SKUs that sold nothing, one SKU a month ahead): the history ends where most SKUs\' do, the forecast after it, a leading SKU\'s actual in its place, every date saying how many SKUs it sums (was: the lagging SKU\'s forecast alone on a month the others have actuals for)', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ sku: ['store', 'item'], attributes: ['category'], date: 'month', quantity: 'units' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?models=seasonal_naive&mapping=${mapping}`, headers: { 'content-type': 'text/csv' }, payload: storeItemCsv() });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    await completeAllJobs(t.store);
    const append = async (rows: Array<[store: string, item: string, k: number]>) => {
      let csv = 'store,item,category,month,units\n';
      for (const [store, item, k] of rows) csv += `${store},${item},${items.indexOf(item) < 2 ? 'dairy' : 'frozen'},${monthOf(k)},100\n`;
      const appended = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: csv });
      expect(appended.statusCode, appended.body).toBe(200);
      await completeAllJobs(t.store);
      return appended.json();
    };
    // Month 40 for every SKU but North / I1, which the export left out; then month 41 for South / I1 alone.
    const first = await append(stores.flatMap((store) => items.filter((item) => store !== 'North' || item !== 'I1').map((item): [string, string, number] => [store, item, 40])));
    expect(first.report.warnings).toContain("1 of the dataset's SKUs has no line in this file (North / I1): its history is left as it was; if it sold nothing in these periods, send it with 0 (absentSkus=zero; CLI --absent-skus zero; in the web app, \"SKUs not in the file sold nothing\"), or its forecast starts at a period the others have actuals for");
    await append([['South', 'I1', 41]]);

    const forecasts: Forecast[] = (await t.app.inject({ url: `/api/datasets/${id}/forecasts?limit=100` })).json().items;
    const of = (sku: string) => forecasts.find((f) => f.sku === sku)!.forecast;
    expect(of('North / I1').dates[0]).toBe(monthOf(40)); // its own forecast starts at the month the others have actuals for
    expect(of('South / I1').dates[0]).toBe(monthOf(42));
    const horizon = of('North / I1').dates.length;
    const { total, groups } = (await t.app.inject({ url: `/api/datasets/${id}/aggregates?by=store` })).json();
    expect(total.history.dates.at(-1)).toBe(monthOf(40));
    expect(total.history.skus.slice(-2)).toEqual([12, 11]);
    // Months 41 to 40 + horizon: South / I1's actual in month 41, North / I1's horizon ends a month early.
    expect(total.forecast.dates).toEqual(Array.from({ length: horizon }, (_, k) => monthOf(41 + k)));
    expect(total.forecast.skus).toEqual([...Array<number>(horizon - 1).fill(12), 11]);
    expect(total.forecast.actuals).toEqual([1, ...Array<number>(horizon - 1).fill(0)]);
    const skus = (await Promise.all(forecasts.map(async (f) => (await t.app.inject({ url: `/api/datasets/${id}/skus/${encodeURIComponent(f.sku)}` })).json()))) as Sku[];
    total.forecast.dates.forEach((d: string, k: number) => {
      const forecast = forecasts.reduce((a, f) => a + (f.forecast.dates.includes(d) ? f.forecast.mean[f.forecast.dates.indexOf(d)] : 0), 0);
      const actual = skus.reduce((a, s) => a + (s.dates.includes(d) ? s.cleaned[s.dates.indexOf(d)] : 0), 0);
      expect(total.forecast.mean[k]).toBeCloseTo(forecast + actual, 5);
    });
    const north = groups.find((g: { value: string }) => g.value === 'North');
    expect(north.forecast.dates[0]).toBe(monthOf(41));
    expect(north.forecast.skus.at(-1)).toBe(3);
    // A store with no lagging member sums all four on every date.
    expect(groups.find((g: { value: string }) => g.value === 'West').forecast.skus).toEqual(Array<number>(horizon).fill(4));

    // South / I1's month 42 appended, its new forecast still waiting: its forecast made before it is
    // not summed on month 42 beside that actual (was: both, the SKU counted twice).
    const early = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: `store,item,category,month,units\nSouth,I1,dairy,${monthOf(42)},100\n` });
    expect(early.statusCode, early.body).toBe(200);
    const waiting = (await t.app.inject({ url: `/api/datasets/${id}/aggregates` })).json().total;
    expect(waiting.forecast.dates.slice(0, 2)).toEqual([monthOf(41), monthOf(42)]);
    expect(waiting.forecast.skus.slice(0, 2)).toEqual([12, 12]);
    expect(waiting.forecast.actuals.slice(0, 2)).toEqual([1, 1]);
  });

  it('with no forecast yet (every job waiting) the history runs to its last date and there is no forecast', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=naive&createJobs=false', headers: { 'content-type': 'text/csv' }, payload: `sku,month,units\nA,${monthOf(0)},1\nA,${monthOf(1)},2\nB,${monthOf(0)},3\nB,${monthOf(1)},4\nB,${monthOf(2)},5\n` });
    expect(res.statusCode, res.body).toBe(201);
    const { total } = (await t.app.inject({ url: `/api/datasets/${res.json().datasetId}/aggregates` })).json();
    // A's rows end a month before the file's: its missing month is a gap, filled with 0 (fillGaps=zero), so both count there.
    expect(total.history).toMatchObject({ dates: [monthOf(0), monthOf(1), monthOf(2)], original: [4, 6, 5], skus: [2, 2, 2] });
    expect(total.forecast).toBeNull();
  });

  it('the month to date is a forecast date of the total: its SKUs\' forecasts of the whole month are summed there, not their days to date (was: 90 of ten days as the history\'s last month, the forecast a month later); a SKU\'s days to date on a month the others have whole are summed in history and counted provisional', async () => {
    let csv = 'sku,month,units\n';
    for (const sku of ['A', 'B', 'C']) for (let k = 0; k < 24; k++) csv += `${sku},${monthOf(k)},${100 + k}\n`;
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=naive', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    await completeAllJobs(t.store);
    // Ten days of the next month, daily, for every SKU: a provisional month.
    const month = monthOf(24).slice(0, 8);
    const tenDays = (sku: string) => Array.from({ length: 10 }, (_, d) => `${sku},${month}${String(d + 1).padStart(2, '0')},3\n`).join('');
    const appended = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: `sku,day,units\n${['A', 'B', 'C'].map(tenDays).join('')}` });
    expect(appended.statusCode, appended.body).toBe(200);
    expect(appended.json().partial.provisional).toBe(3);
    await completeAllJobs(t.store);
    const skuForecasts: Forecast[] = (await t.app.inject({ url: `/api/datasets/${id}/forecasts?limit=100` })).json().items;
    // Each SKU's forecast starts at the month to date (its models saw the whole months only: naive, 123).
    for (const f of skuForecasts) expect([f.forecast.dates[0], f.forecast.mean[0]]).toEqual([monthOf(24), 123]);
    const { total } = (await t.app.inject({ url: `/api/datasets/${id}/aggregates` })).json();
    expect(total.history.dates.at(-1)).toBe(monthOf(23));
    expect(total.history.provisional.every((n: number) => n === 0)).toBe(true);
    expect(total.forecast.dates[0]).toBe(monthOf(24));
    expect([total.forecast.mean[0], total.forecast.skus[0], total.forecast.actuals[0], total.forecast.provisional[0]]).toEqual([369, 3, 0, 0]);

    // A and B's whole month arrives; C's is still to date: the month is the total's history's last, C's 30 counted provisional.
    const whole = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: `sku,month,units\nA,${monthOf(24)},130\nB,${monthOf(24)},140\n` });
    expect(whole.statusCode, whole.body).toBe(200);
    await completeAllJobs(t.store);
    const after = (await t.app.inject({ url: `/api/datasets/${id}/aggregates` })).json().total;
    expect(after.history.dates.at(-1)).toBe(monthOf(24));
    expect([after.history.original.at(-1), after.history.skus.at(-1), after.history.provisional.at(-1)]).toEqual([300, 3, 1]);
    expect(after.history.provisional.at(-2)).toBe(0);
    // The days C's sum covers, and the month's: the web app names the point "... so far (10 of N days)".
    const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    expect(after.history.provisionalSpan.at(-1)).toEqual({ from: `${month}01`, to: `${month}10`, periodDays: days });
    expect(after.history.provisionalSpan.at(-2)).toBeNull();
    expect(after.forecast.dates[0]).toBe(monthOf(25));
    expect(after.forecast.skus[0]).toBe(3);
    const rows = (await t.app.inject({ url: `/api/datasets/${id}/aggregates.csv` })).body.trimEnd().split('\n').map((l) => l.split(','));
    const last = rows.filter((r) => r[3] === 'history').at(-1)!;
    expect([last[2], last[4], last[6], last[13]]).toEqual([monthOf(24), '3', '300', '1']);
  });

  it('SKUs discontinued long ago, more of them than the live ones, do not end the total\'s history where theirs ended: only SKUs still forecast past the latest history count', async () => {
    let csv = 'sku,month,units\n';
    for (const sku of ['L1', 'L2', 'L3']) for (let k = 0; k < 40; k++) csv += `${sku},${monthOf(k)},${50 + (k % 5)}\n`;
    for (const sku of ['D1', 'D2', 'D3', 'D4', 'D5']) for (let k = 0; k < 12; k++) csv += `${sku},${monthOf(k)},${20 + (k % 3)}\n`;
    // fillGaps=report leaves the D's missing tails out, so their series and stale forecasts end early (zero fills them to month 39).
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=naive&fillGaps=report', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().datasetId as string;
    await completeAllJobs(t.store);
    const { total } = (await t.app.inject({ url: `/api/datasets/${id}/aggregates` })).json();
    expect(total.history.dates.at(-1)).toBe(monthOf(39));
    expect(total.history.skus.slice(10, 13)).toEqual([8, 8, 3]);
    expect(total.forecast.dates[0]).toBe(monthOf(40));
    expect(total.forecast.skus.every((n: number) => n === 3)).toBe(true);
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
