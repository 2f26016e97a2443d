import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import pino from 'pino';
import { defaultBodyLimitBytes } from '../api-config.js';
import { buildApp } from '../app.js';
import { appendActuals } from '../../datasets/actuals.js';
import { SeriesChangedError } from '../../datasets/planning-cycle-store.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import type { Store } from '../../stores/store.js';
import { importDataset } from './imported-dataset-fixture.js';

/** Actuals, snapshots and accuracy against the real app, a real SQLite file and the real engine. */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

const models = 'seasonal_naive,simple_exponential_smoothing';
const month = (k: number) => `${2020 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
const value = (level: number, k: number) => Math.round(level * (1 + 0.3 * Math.sin((2 * Math.PI * k) / 12)) + (k % 3));

/** Three SKUs, 30 months (2020-01 to 2022-06). */
function history(): string {
  let out = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40], ['C', 10]] as const) {
    for (let k = 0; k < 30; k++) out += `${sku},${month(k)},${value(level, k)}\n`;
  }
  return out;
}

/** Six new months of A and B (C has none), A's 2022-03 revised, and a new SKU D. */
function actuals(): string {
  let out = 'sku,date,sales\n';
  for (const [sku, level] of [['A', 100], ['B', 40]] as const) {
    for (let k = 30; k < 36; k++) out += `${sku},${month(k)},${value(level, k) + 7}\n`;
  }
  out += `A,${month(26)},999\n`;
  for (let k = 0; k < 36; k++) out += `D,${month(k)},${20 + (k % 4)}\n`;
  return out;
}

const post = (url: string, payload: string) => t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload });
const get = async (url: string) => {
  const res = await t.app.inject({ url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** An app over t.store whose appendActuals is `append` (a race staged at the write); the caller closes it. */
function appWithAppendActuals(append: (target: Store, ...args: Parameters<Store['appendActuals']>) => ReturnType<Store['appendActuals']>) {
  const store = new Proxy(t.store, {
    get(target, prop) {
      if (prop === 'appendActuals') return (...args: Parameters<Store['appendActuals']>) => append(target, ...args);
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
  return buildApp({ store, logger: pino({ level: 'silent' }), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
}

const forecastDataset = () => importDataset(t.app, t.store, history(), models);

describe('POST /api/datasets/:id/actuals', () => {
  it('appends new periods, revises values with an audit, adds SKUs, and re-queues only the SKUs that changed', async () => {
    const id = await forecastDataset();
    // A planner's edits: one on a period the actuals revise, one on a period they leave alone.
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/skus/A`, payload: { edits: [{ date: month(26), value: 1 }, { date: month(5), value: 2 }] } });
    expect(edit.statusCode).toBe(200);
    await completeAllJobs(t.store);
    const before = await get(`/api/datasets/${id}/forecasts?limit=10`);
    // No worker ran these jobs to notice the end (the e2e test has real ones): reading takes the snapshot.
    expect((await get(`/api/datasets/${id}/snapshots`)).snapshots.map((s: { cause: string }) => s.cause)).toEqual(['edits']);
    // Some work pending for A and C when the actuals arrive: A's is superseded, C's is left.
    await t.store.enqueue(['A', 'C'].map((sku) => ({ datasetId: id, sku, modelId: 'seasonal_naive', method: 'grid', reason: 'manual_trigger' as const, priority: 2, settings: {} })), { batchId: 'manual', reuse: false });

    const res = await post(`/api/datasets/${id}/actuals`, actuals());
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ skusChanged: 3, skusAdded: 1, valuesRevised: 1, jobsCreated: 6, jobsCancelled: 1 });
    expect(body.revisions).toEqual([{ sku: 'A', date: month(26), previous: value(100, 26), value: 999 }]);
    const queued = (await t.store.listJobs({ batchId: body.batchId, limit: 100 })).jobs;
    expect(new Set(queued.map((j) => j.sku))).toEqual(new Set(['A', 'B', 'D']));
    expect(new Set(queued.map((j) => j.reason))).toEqual(new Set(['actuals_append']));
    const manual = (await t.store.listJobs({ batchId: 'manual', limit: 10 })).jobs;
    expect(manual.map((j) => [j.sku, j.status]).sort()).toEqual([['A', 'cancelled'], ['C', 'pending']]);

    const a = await get(`/api/datasets/${id}/skus/A`);
    expect(a.dates).toHaveLength(36);
    expect(a.dates[35]).toBe(month(35));
    expect(a.original[26]).toBe(999);
    expect(a.edits).toEqual({ 5: 2 }); // the edit of the revised period gave way; the other survived
    const c = await get(`/api/datasets/${id}/skus/C`);
    expect(c.dates).toHaveLength(30);
    const dataset = await get(`/api/datasets/${id}`);
    expect(dataset.skuCount).toBe(4);
    expect(dataset.report.dateRange).toEqual({ start: month(0), end: month(35) });

    // The same file again changes nothing and queues nothing.
    const again = await post(`/api/datasets/${id}/actuals`, actuals());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ skusChanged: 0, jobsCreated: 0, batchId: null, actualsId: null });

    await t.store.cancel({ batchId: 'manual' });
    await completeAllJobs(t.store);
    const after = await get(`/api/datasets/${id}/forecasts?limit=10`);
    for (const sku of ['A', 'B', 'D']) expect(after.items.find((i: { sku: string }) => i.sku === sku).forecast.dates[0]).toBe(month(36));

    // Snapshots: the one before the actuals (taken by the actuals verb or on read) and the one after.
    const { snapshots } = await get(`/api/datasets/${id}/snapshots`);
    expect(snapshots.map((s: { cause: string }) => s.cause)).toEqual(['actuals', 'edits']);
    const [latest, earlier] = snapshots;
    expect(earlier).toMatchObject({ skuCount: 3, skusWithForecast: 3, forecastStart: month(30), historyEnd: month(29) });
    // C had no new actuals: its forecast from month 30, before the history's end, does not date the snapshot.
    expect(latest).toMatchObject({ skuCount: 4, forecastStart: month(36), historyEnd: month(35) });
    const kept = await get(`/api/datasets/${id}/forecasts?limit=10&snapshot=${earlier.id}`);
    for (const item of before.items) {
      const k = kept.items.find((i: { sku: string }) => i.sku === item.sku);
      expect(k.forecast.mean).toEqual(item.forecast.mean);
      expect(k.forecast.upper95).toEqual(item.forecast.upper95);
      expect(k.bestModel).toBe(item.bestModel);
    }

    // Forecast vs actual, by default against the snapshot before the latest actuals.
    const acc = await get(`/api/datasets/${id}/accuracy`);
    expect(acc.snapshot.id).toBe(earlier.id);
    let abs = 0;
    let act = 0;
    let points = 0;
    const current = new Map([['A', a], ['B', await get(`/api/datasets/${id}/skus/B`)], ['C', c]]);
    for (const item of before.items) {
      const s = current.get(item.sku)!;
      item.forecast.dates.forEach((d: string, k: number) => {
        const i = s.dates.indexOf(d);
        if (i < 0) return;
        abs += Math.abs(s.original[i] - item.forecast.mean[k]);
        act += Math.abs(s.original[i]);
        points++;
      });
    }
    expect(points).toBe(12);
    expect(acc.portfolio.points).toBe(12);
    expect(acc.portfolio.wape).toBe(Math.round((100000 * abs) / act) / 1000);
    expect(acc.items.map((i: { sku: string }) => i.sku).sort()).toEqual(['A', 'B']);
    expect(acc.byStep).toHaveLength(6);
    expect(acc.byStep[0].points).toBe(2);
    const csv = await t.app.inject({ url: `/api/datasets/${id}/accuracy.csv` });
    expect(csv.body.split('\n')[0]).toBe('sku,model,step,date,forecast,actual,error,lo80,hi80,lo95,hi95');
    expect(csv.body.trim().split('\n')).toHaveLength(13);
  });

  it('absentSkus=zero gives the SKUs the file has no line for 0 for its periods after their own history, never over a value they have; keep (the default) leaves them and says so', async () => {
    const id = await forecastDataset();
    // Months 30 and 31 for A only; B and C sold nothing and the export left them out.
    const file = (level: number) => `sku,date,sales\nA,${month(30)},${level}\nA,${month(31)},${level}\n`;
    const kept = await post(`/api/datasets/${id}/actuals`, file(120));
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().report.warnings.at(-1)).toMatch(/^2 of the dataset's SKUs have no line in this file \(B, C\): their histories are left as they were/);
    expect((await get(`/api/datasets/${id}/skus/B`)).dates.at(-1)).toBe(month(29));
    // C got month 30 from elsewhere (a value it has): zero never writes over it.
    expect((await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nC,${month(30)},9\n`)).statusCode).toBe(200);
    const zero = await post(`/api/datasets/${id}/actuals?absentSkus=zero`, file(130));
    expect(zero.statusCode, zero.body).toBe(200);
    expect(zero.json().report.warnings).toContain("2 of the dataset's SKUs have no line in this file (B, C): both got 0 for the file's periods after their own history (absentSkus=zero)");
    // A's lines only restate its stored months: B's and C's 0s are no new periods of the file's (revised.onlyHistory).
    expect(zero.json().revised).toMatchObject({ skus: 1, onlyHistory: true, old: false });
    const b = await get(`/api/datasets/${id}/skus/B`);
    expect(b.dates.slice(-2)).toEqual([month(30), month(31)]);
    expect(b.original.slice(-2)).toEqual([0, 0]);
    const c = await get(`/api/datasets/${id}/skus/C`);
    expect(c.dates.slice(-2)).toEqual([month(30), month(31)]);
    expect(c.original.slice(-2)).toEqual([9, 0]);
    expect(zero.json().skusChanged).toBe(3); // A revised to 130, B and C extended: all three re-forecast
  });

  it('absentSkus=zero with a file of none of the dataset\'s SKUs is a 400 naming absentSkus, and nothing is written (was: A, B and C all got 0)', async () => {
    const id = await forecastDataset();
    const res = await post(`/api/datasets/${id}/actuals?absentSkus=zero`, `sku,date,sales\nX,${month(30)},5\n`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toBe("the file's only SKU (X) is not in the dataset: with absentSkus=zero every SKU of the dataset would get 0 for the file's periods; nothing was appended");
    expect(res.json().details[0].path).toBe('absentSkus');
    expect((await get(`/api/datasets/${id}/skus/A`)).dates).toHaveLength(30);
    expect(await t.store.listActuals(id)).toEqual([]);
    expect((await t.app.inject({ url: `/api/datasets/${id}/skus/X` })).statusCode).toBe(404);
  });

  it('a date whose forecast would pass 9999-12-31 is a 400 for actuals (naming its line) and for a longer horizon (naming horizon), as on import; nothing written', async () => {
    // Monthly, horizon 12: 9998-12 is the last month whose forecast fits.
    const file = 'sku,date,sales\n' + Array.from({ length: 12 }, (_, m) => `A,9998-${String(m + 1).padStart(2, '0')}-01,10`).join('\n');
    const created = await post('/api/datasets?createJobs=false&models=naive', file);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().datasetId as string;
    const res = await post(`/api/datasets/${id}/actuals`, 'sku,date,sales\nA,9999-06-01,7\n');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toBe("date '9999-06-01' on line 2 is too late: a forecast of 12 monthly periods after it would run past 9999-12-31; nothing was appended");
    expect(res.json().details[0].path).toBe('line 2');
    expect((await get(`/api/datasets/${id}/skus/A`)).dates).toHaveLength(12);
    expect(await t.store.listActuals(id)).toEqual([]);
    expect((await t.store.summary()).total).toBe(0);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/settings`, payload: { horizon: 24 } });
    expect(patch.statusCode, patch.body).toBe(400);
    expect(patch.json().details[0].path).toBe('horizon');
    expect((await t.store.getDataset(id))!.settings.horizon).toBe(12);
    expect((await t.store.summary()).total).toBe(0);
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const id = await forecastDataset();
    const total = (await t.store.summary()).total;
    const bad = await post(`/api/datasets/${id}/actuals?horizon=3`, actuals());
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('horizon');
    const empty = await post(`/api/datasets/${id}/actuals`, 'sku,date,sales\n');
    expect(empty.statusCode).toBe(400);
    const badDelimiter = await post(`/api/datasets/${id}/actuals?delimiter=xx`, actuals());
    expect(badDelimiter.statusCode).toBe(400);
    expect(badDelimiter.json().details[0].path).toBe('delimiter');
    // A comma file read with the semicolon asked for has one column: refused, not read as sniffed.
    const semicolon = await post(`/api/datasets/${id}/actuals?delimiter=;`, actuals());
    expect(semicolon.statusCode).toBe(400);
    const badAbsent = await post(`/api/datasets/${id}/actuals?absentSkus=drop`, actuals());
    expect(badAbsent.statusCode).toBe(400);
    expect(badAbsent.json().details[0].path).toBe('absentSkus');
    const missing = await post('/api/datasets/nope/actuals', actuals());
    expect(missing.statusCode).toBe(404);
    expect((await t.store.summary()).total).toBe(total);
    expect(await t.store.listActuals(id)).toEqual([]);
    const noSnapshot = await t.app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=99` });
    expect(noSnapshot.statusCode).toBe(404);
  });

  it('refuses an option it does not take, given without a value too (?createJobs), or unknown, in the query or as a field; nothing appended', async () => {
    const id = await forecastDataset();
    const total = (await t.store.summary()).total;
    const refusals: Array<[string, string]> = [['createJobs', 'createJobs'], ['createJobs=', 'createJobs'], ['models=', 'models'], ['bogus=1', 'bogus'], ['dryrun=true', 'dryrun']];
    for (const [query, path] of refusals) {
      const res = await post(`/api/datasets/${id}/actuals?${query}`, actuals());
      expect(res.statusCode, query).toBe(400);
      expect(res.json().details.map((d: { path: string }) => d.path), query).toEqual([path]);
    }
    const boundary = '----skucast';
    for (const [name, value] of [['bogus', '1'], ['createJobs', '']]) {
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
        + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${actuals()}\r\n--${boundary}--\r\n`;
      const res = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().details.map((d: { path: string }) => d.path), name).toEqual([name]);
    }
    expect((await t.store.summary()).total).toBe(total);
    expect(await t.store.listActuals(id)).toEqual([]);
  });

  it('a ?sku= the dataset does not have is a 404 naming sku (forecasts now and of a snapshot, accuracy), not a 200 with nothing', async () => {
    const id = await forecastDataset();
    expect((await post(`/api/datasets/${id}/actuals`, actuals())).statusCode).toBe(200);
    const [earlier] = (await get(`/api/datasets/${id}/snapshots`)).snapshots.slice(-1);
    for (const url of [`forecasts?sku=Z`, `forecasts?sku=Z&snapshot=${earlier.id}`, 'accuracy?sku=Z', `accuracy?sku=Z&snapshot=${earlier.id}`]) {
      const res = await t.app.inject({ url: `/api/datasets/${id}/${url}` });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({ error: `no SKU 'Z' in dataset '${id}'`, code: 'not_found', details: [{ path: 'sku', message: `no SKU 'Z' in dataset '${id}'` }] });
    }
    // A SKU the dataset has answers, even where there is nothing for it (D came with the actuals, after the snapshot).
    expect((await get(`/api/datasets/${id}/accuracy?sku=A`)).items.map((i: { sku: string }) => i.sku)).toEqual(['A']);
    expect((await get(`/api/datasets/${id}/accuracy?sku=D`)).items).toEqual([]);
    expect((await get(`/api/datasets/${id}/forecasts?sku=D&snapshot=${earlier.id}`)).items).toEqual([]);
    expect((await get(`/api/datasets/${id}/forecasts?sku=B`)).items.map((i: { sku: string }) => i.sku)).toEqual(['B']);
  });
});

describe('actuals by default read with the dataset\'s own columns, long or wide', () => {
  /** V0, V1: 24 months (2022-01 to 2023-12), wide, semicolons and decimal commas. */
  function wideHistory(): string {
    const months = Array.from({ length: 24 }, (_, k) => `${2022 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
    return [`Item;${months.join(';')}`, ...['V0', 'V1'].map((sku, i) => `${sku};${months.map((_, k) => `${10 + i + (k % 5)},5`).join(';')}`)].join('\n') + '\n';
  }

  it('a wide dataset takes a wide file and a long one (the report\'s labels for its date and quantity are no columns)', async () => {
    const imported = await post(`/api/datasets?models=${models}`, wideHistory());
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    expect(imported.json().report.format).toBe('wide');

    const wide = await post(`/api/datasets/${id}/actuals`, 'Item;2024-01;2024-02\nV0;1,5;2,5\nV1;3;4\n');
    expect(wide.statusCode, wide.body).toBe(200);
    expect(wide.json()).toMatchObject({ skusChanged: 2, periodsAdded: 4, valuesRevised: 0, historyEnd: '2024-02-01' });
    expect(wide.json().report.format).toBe('wide');

    const long = await post(`/api/datasets/${id}/actuals`, 'Item;Month;Qty\nV1;2024-03;7,25\n');
    expect(long.statusCode, long.body).toBe(200);
    expect(long.json()).toMatchObject({ skusChanged: 1, periodsAdded: 1, historyEnd: '2024-03-01' });
    const v1 = await get(`/api/datasets/${id}/skus/V1`);
    expect(v1.dates.slice(-3)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(v1.original.slice(-3)).toEqual([3, 4, 7.25]);

    // The usual monthly append of a wide dataset: one month, one date column.
    const oneMonth = await post(`/api/datasets/${id}/actuals`, 'Item;2024-04\nV0;9\n');
    expect(oneMonth.statusCode, oneMonth.body).toBe(200);
    expect(oneMonth.json()).toMatchObject({ skusChanged: 1, periodsAdded: 2, historyEnd: '2024-04-01' });
    expect(oneMonth.json().report.format).toBe('wide');
  });

  it('a long dataset takes a wide file; columns the file has are the dataset\'s, a renamed one is found as an import finds it', async () => {
    const id = await forecastDataset();
    const wide = await post(`/api/datasets/${id}/actuals`, `sku,${month(30)},${month(31)}\nA,5,6\n`);
    expect(wide.statusCode, wide.body).toBe(200);
    expect(wide.json()).toMatchObject({ skusChanged: 1, periodsAdded: 2 });
    const renamed = await post(`/api/datasets/${id}/actuals`, `sku,date,units\nB,${month(30)},9\n`);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().report.mapping).toEqual({ sku: 'sku', date: 'date', quantity: 'units' });
    expect((await get(`/api/datasets/${id}/skus/B`)).original[30]).toBe(9);
  });
});

describe('actuals of a dataset with a SKU named Total', () => {
  it('a SKU the dataset already has is never dropped from its actuals as a pivot table\'s total', async () => {
    // "Total" is a SKU (a brand): mid-file, its values no sum, so the import kept it (with a warning).
    let text = 'sku,date,qty\n';
    for (const [sku, level] of [['A1', 5], ['Total', 50], ['Z9', 1]] as const) {
      for (let k = 0; k < 12; k++) text += `${sku},${month(36 + k)},${level + k}\n`;
    }
    const imported = await post('/api/datasets?models=seasonal_naive', text);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().report.skus).toBe(3);
    const id = imported.json().datasetId as string;

    // January's actuals, sorted by SKU as an export would be: Total now comes last, larger than A1.
    const res = await post(`/api/datasets/${id}/actuals`, `sku,date,qty\nA1,${month(48)},8\nTotal,${month(48)},80\n`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.warnings.join('\n')).not.toMatch(/dropped 'Total'/);
    expect(res.json().skusChanged).toBe(2);
    const total = await get(`/api/datasets/${id}/skus/Total`);
    expect(total.original.at(-1)).toBe(80);
  });
});

describe('actuals dates in the dataset\'s day order', () => {
  /** A and B, 2023-01 to 2024-03 month-first (`02/01/2023` is February): the second part never changes. */
  function monthFirst(): string {
    let out = 'sku,date,qty\n';
    for (const sku of ['A', 'B']) {
      for (let k = 0; k < 15; k++) out += `${sku},${String((k % 12) + 1).padStart(2, '0')}/01/${2023 + Math.floor(k / 12)},${k < 12 ? 10 * (k + 1) : 101 + k - 12}\n`;
    }
    return out;
  }

  async function monthFirstDataset() {
    const res = await post(`/api/datasets?models=${models}`, monthFirst());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().report).toMatchObject({ dayOrder: 'mdy', dateRange: { start: '2023-01-01', end: '2024-03-01' } });
    return res.json().datasetId as string;
  }

  it('a month-first dataset reads 04/01/2024 as April: a new period, not a revision of January', async () => {
    const id = await monthFirstDataset();
    expect((await get(`/api/datasets/${id}`)).report.dayOrder).toBe('mdy');
    const res = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nA,04/01/2024,555\nB,04/01/2024,666\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ skusChanged: 2, periodsAdded: 2, valuesRevised: 0, revisions: [], historyEnd: '2024-04-01' });
    expect(res.json().report.warnings).toEqual([]);
    const a = await get(`/api/datasets/${id}/skus/A`);
    expect(a.dates.slice(-2)).toEqual(['2024-03-01', '2024-04-01']);
    expect(a.original.slice(-4)).toEqual([101, 102, 103, 555]);
  });

  it('a 10-day daily export for a month-first monthly dataset is ten days of January, not nine invented months, and its partial month keeps the stored January', async () => {
    const id = await monthFirstDataset();
    let file = 'sku,date,qty\n';
    for (let d = 1; d <= 10; d++) file += `A,01/${String(d).padStart(2, '0')}/24 10:00,2\n`;
    const res = await post(`/api/datasets/${id}/actuals`, file);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // Ten days of January never replace the whole January stored (101, not 20).
    expect(body).toMatchObject({ periodsAdded: 0, valuesRevised: 0, revisions: [], skusChanged: 0, actualsId: null });
    expect(body.partial).toEqual({ provisional: 0, kept: 1, settled: 0, values: [{ sku: 'A', period: '2024-01-01', value: 20, previous: 101, stored: 'complete', outcome: 'kept' }] });
    expect(body.report.partialPeriods).toEqual([expect.objectContaining({ period: '2024-01-01', days: 10, of: 31, values: { provisional: 0, kept: 1 } })]);
    expect(body.report.warnings.join('\n')).toMatch(/partial periods, never written over a complete value: the last \(2024-01-01\)/);
    const a = await get(`/api/datasets/${id}/skus/A`);
    expect(a.dates).toHaveLength(15);
    expect(a.original[12]).toBe(101);
  });

  it('a dataset imported before the order was kept reads as before, but says it guessed', async () => {
    const id = await monthFirstDataset();
    const stored = (await t.store.getDataset(id))!;
    const legacy = { ...stored, report: { ...stored.report } };
    delete legacy.report.dayOrder;
    const outcome = await appendActuals(t.store, legacy, ['sku,date,qty\nA,04/01/2024,555\n']);
    // Read day-first as before: 4 January. A lone day that is neither end of its month is a
    // partial period now, so January's stored value is kept (was: revised to 555).
    expect(outcome).toMatchObject({ periodsAdded: 0, valuesRevised: 0, partial: { kept: 1 } });
    expect(outcome.report.partialPeriods).toMatchObject([{ from: '2024-01-04', to: '2024-01-04', days: 1 }]);
    expect(outcome.report.warnings.join('\n')).toMatch(/^dates like '04\/01\/2024' could be day-first or month-first, and the dataset keeps no order to follow/m);
  });
});

describe('actuals on the dataset\'s calendar', () => {
  const day = (d: number) => new Date(Date.UTC(2024, 0, 7) + d * 86_400_000).toISOString().slice(0, 10); // day(0): a Sunday

  it('daily actuals of a dataset of Sunday weeks are summed into its Sunday weeks, not ISO Monday weeks that revise the wrong week', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `W,${day(7 * w)},${10 + w}\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().report.weekStart).toBe('sunday');
    const id = imported.json().datasetId as string;
    // Two whole Sunday-to-Saturday weeks of daily sales, from the history's last week on; and a new SKU.
    let daily = 'sku,date,units\n';
    for (let d = 7 * 19; d < 7 * 21; d++) daily += `W,${day(d)},1\nN,${day(d)},2\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ periodsAdded: 3, valuesRevised: 1, revisions: [{ sku: 'W', date: day(7 * 19), previous: 29, value: 7 }] });
    expect(res.json().report.partialPeriods).toBeUndefined();
    const w = await get(`/api/datasets/${id}/skus/W`);
    expect(w.dates.slice(-3)).toEqual([day(7 * 18), day(7 * 19), day(7 * 20)]);
    expect(w.original.slice(-3)).toEqual([28, 7, 7]);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual([day(7 * 19), day(7 * 20)]);
    // A week start other than the dataset's is refused, naming it.
    const other = await post(`/api/datasets/${id}/actuals?weekStart=monday`, daily);
    expect(other.statusCode).toBe(400);
    expect(other.json().details[0].path).toBe('weekStart');
  });

  it('daily actuals with one day of an old week between whole ones name that week as partial and keep it (QA: 74 -> 777, no warning)', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `W,${day(7 * w)},${70 + w}\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    // Week 2 restated whole, the Tuesday of week 9 corrected, two whole weeks after the history:
    // week 9 is neither end of the file, which is all an import checks.
    let daily = `sku,date,units\nW,${day(7 * 9 + 2)},777\n`;
    for (const d of [...Array.from({ length: 7 }, (_, k) => 7 * 2 + k), ...Array.from({ length: 14 }, (_, k) => 7 * 20 + k)]) daily += `W,${day(d)},1\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.partialPeriods).toEqual([{ edge: 'inside', period: day(7 * 9), from: day(7 * 9 + 2), to: day(7 * 9 + 2), days: 1, of: 7, values: { provisional: 0, kept: 1 } }]);
    expect(res.json().report.warnings.join('\n')).toContain(`partial periods, never written over a complete value: the period (${day(7 * 9)}) has data from ${day(7 * 9 + 2)} to ${day(7 * 9 + 2)} only, 1 of its 7 days (1 SKU kept the stored value)`);
    // Its one day is more than the week stored: the planner is told to restate the week whole.
    expect(res.json().report.warnings.join('\n')).toContain(`(W ${day(7 * 9)}: 777 against 79): send the whole period to restate it`);
    const w = await get(`/api/datasets/${id}/skus/W`);
    expect(w.original[9]).toBe(79);
    expect(w.original[2]).toBe(7);
    // A file of whole weeks names none.
    let whole = 'sku,date,units\n';
    for (let d = 7 * 22; d < 7 * 24; d++) whole += `W,${day(d)},1\n`;
    const quiet = await post(`/api/datasets/${id}/actuals`, whole);
    expect(quiet.statusCode, quiet.body).toBe(200);
    expect(quiet.json().report.partialPeriods).toBeUndefined();
  });

  it('a week_ending column of Sundays makes Monday-to-Sunday weeks: a week of daily actuals Monday to Sunday is that one week, whole (was: Sunday weeks, split 6 + 1 days, 60 of 70 units dropped)', async () => {
    // day(0) is Sunday 2024-01-07; 47 weeks ending on Sundays, to 2024-11-24.
    let file = 'week_ending,product_id,units\n';
    for (let w = 0; w < 47; w++) file += `${day(7 * w)},P1,100\n${day(7 * w)},P2,50\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    const { report } = imported.json();
    expect(report.weekStart).toBe('monday');
    expect(report.warnings).toContain("the column 'week_ending' dates each week by its last day, a sunday: read as weeks from monday to sunday, each dated by its monday (weekStart=monday; give weekStart to choose another)");
    const id = imported.json().datasetId as string;
    expect((await get(`/api/datasets/${id}/skus/P1`)).dates.at(-1)).toBe('2024-11-18');
    // The week ending Sunday 1 December, day by day from Monday 25 November: 10 a day.
    let daily = 'date,product_id,units\n';
    for (let d = 0; d < 7; d++) daily += `${new Date(Date.UTC(2024, 10, 25 + d)).toISOString().slice(0, 10)},P1,10\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.partialPeriods).toBeUndefined();
    expect(res.json().report.weekStart).toBe('monday');
    const p1 = await get(`/api/datasets/${id}/skus/P1`);
    expect(p1.dates.at(-1)).toBe('2024-11-25');
    expect(p1.original.at(-1)).toBe(70);
    expect(p1.provisional).toEqual({});
    // The next week as one line dated on its Sunday, as the history was: that whole week.
    const next = await post(`/api/datasets/${id}/actuals`, 'week_ending,product_id,units\n2024-12-08,P1,90\n');
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().report.partialPeriods).toBeUndefined();
    expect(next.json().report.warnings.join('\n')).not.toContain('dates each week by its last day');
    const after = await get(`/api/datasets/${id}/skus/P1`);
    expect(after.dates.slice(-2)).toEqual(['2024-11-25', '2024-12-02']);
    expect(after.original.slice(-2)).toEqual([70, 90]);
  });

  it('a weekly dataset imported before report.weekStart was kept takes its weeks from its series\' own weekday (QA: ISO weeks revised 28 to 1)', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `W,${day(7 * w)},${10 + w}\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    // As a version before weekStart was recorded left it.
    const db = new Database(path.join(t.dir, 'jobs.db'));
    try {
      expect(db.prepare("UPDATE datasets SET report = json_remove(report, '$.weekStart') WHERE id = ?").run(id).changes).toBe(1);
    } finally {
      db.close();
    }
    expect((await get(`/api/datasets/${id}`)).report.weekStart).toBeUndefined();
    let daily = 'sku,date,units\n';
    for (let d = 7 * 19; d < 7 * 21; d++) daily += `W,${day(d)},1\nN,${day(d)},2\n`;
    // A week start other than the series' is refused, naming it, before anything changes.
    const other = await post(`/api/datasets/${id}/actuals?weekStart=monday`, daily);
    expect(other.statusCode).toBe(400);
    expect(other.json().details[0]).toMatchObject({ path: 'weekStart', message: expect.stringContaining('sunday') });
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ periodsAdded: 3, valuesRevised: 1, revisions: [{ sku: 'W', date: day(7 * 19), previous: 29, value: 7 }] });
    const w = await get(`/api/datasets/${id}/skus/W`);
    expect(w.dates.slice(-3)).toEqual([day(7 * 18), day(7 * 19), day(7 * 20)]);
    expect(w.original.slice(-3)).toEqual([28, 7, 7]);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual([day(7 * 19), day(7 * 20)]);
  });

  it('a new SKU of a month-end dataset is dated by month ends like the others, so totals keep one date a month', async () => {
    const ends = ['2024-01-31', '2024-02-29', '2024-03-31'];
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, `sku,date,qty\n${ends.map((d, k) => `A,${d},${k + 1}`).join('\n')}\n`);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    const res = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nA,2024-04-01,4\nN,2024-03-01,7\nN,2024-04-01,8\n');
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/A`)).dates).toEqual([...ends, '2024-04-30']);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual(['2024-03-31', '2024-04-30']);
    // A file of only new SKUs is dated the same way.
    const only = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nM,2024-04-01,5\n');
    expect(only.statusCode, only.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/M`)).dates).toEqual(['2024-04-30']);
    const totals = await get(`/api/datasets/${id}/aggregates`);
    expect(totals.total.history.dates).toEqual([...ends, '2024-04-30']);
    expect(totals.total.history.original).toEqual([1, 2, 3 + 7, 4 + 8 + 5]);
  });

  it('a dataset already mixed (month ends and starts) dates every new SKU by its most common convention, whichever SKUs the file revises', async () => {
    const ends = ['2024-01-31', '2024-02-29', '2024-03-31'];
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, `sku,date,qty\n${['A', 'B', 'S'].flatMap((sku) => ends.map((d, k) => `${sku},${d},${k + 1}`)).join('\n')}\n`);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    // S on month starts, as a new SKU was dated before b702f5d: two series on ends, one on starts.
    const db = new Database(path.join(t.dir, 'jobs.db'));
    try {
      expect(db.prepare("UPDATE series SET dates = ? WHERE dataset_id = ? AND sku = 'S'").run(JSON.stringify(['2024-01-01', '2024-02-01', '2024-03-01']), id).changes).toBe(1);
    } finally {
      db.close();
    }
    // One file revises S (on starts), the other A (on ends): their new SKUs get one date a month all the same.
    const first = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nS,2024-04-01,4\nN,2024-04-01,7\n');
    expect(first.statusCode, first.body).toBe(200);
    const second = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nA,2024-04-01,4\nM,2024-04-01,8\n');
    expect(second.statusCode, second.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual(['2024-04-30']);
    expect((await get(`/api/datasets/${id}/skus/M`)).dates).toEqual(['2024-04-30']);
    // S keeps its own convention: a dataset already mixed is not repaired.
    expect((await get(`/api/datasets/${id}/skus/S`)).dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
  });

  it('the partial period of daily actuals for a month-end dataset is named by the date it is stored under (2024-11-30), not the month\'s first day', async () => {
    const ends = ['2024-08-31', '2024-09-30', '2024-10-31'];
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, `sku,date,qty\n${ends.map((d, k) => `A,${d},${k + 1}`).join('\n')}\n`);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    let daily = 'sku,date,qty\n';
    for (let d = 1; d <= 10; d++) daily += `A,2024-11-${String(d).padStart(2, '0')},2\nN,2024-11-${String(d).padStart(2, '0')},1\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    const { report, historyEnd } = res.json();
    expect(historyEnd).toBe('2024-11-30');
    expect((await get(`/api/datasets/${id}/skus/A`)).dates.at(-1)).toBe('2024-11-30');
    expect(report.partialPeriods).toEqual([{ edge: 'last', period: '2024-11-30', from: '2024-11-01', to: '2024-11-10', days: 10, of: 30, values: { provisional: 2, kept: 0 } }]);
    const warning = report.warnings.find((w: string) => w.startsWith('partial periods'));
    expect(warning).toContain('the last (2024-11-30) has data from 2024-11-01 to 2024-11-10 only, 10 of its 30 days (2 SKUs written as provisional)');
    // Provisional, named by the date each series keeps: the first file with all of November replaces them.
    expect(res.json().partial).toMatchObject({ provisional: 2, kept: 0 });
    expect((await get(`/api/datasets/${id}/skus/A`)).provisional).toEqual({ '2024-11-30': { from: '2024-11-01', to: '2024-11-10', value: 20, periodDays: 30 } });
    expect((await get(`/api/datasets/${id}/skus/N`)).provisional).toEqual({ '2024-11-30': { from: '2024-11-01', to: '2024-11-10', value: 10, periodDays: 30 } });
    expect(report.warnings.join('\n')).not.toContain('(2024-11-01)');
  });
});

describe('appending actuals while a planner edits', () => {
  it('an edit that lands between the merge\'s read and its write survives: the store refuses the stale write and the merge runs again', async () => {
    const id = await forecastDataset();
    let appends = 0;
    // The planner's edit of A (a period the actuals leave alone) commits just before the append's transaction.
    const racing = new Proxy(t.store, {
      get(target, prop) {
        if (prop === 'appendActuals') {
          return async (...args: Parameters<Store['appendActuals']>) => {
            if (appends++ === 0) await target.updateSeries(id, [{ sku: 'A', edits: { 3: 77 }, volume: 1, demandClass: 'smooth' }], null, null);
            return target.appendActuals(...args);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Store;
    const dataset = (await t.store.getDataset(id))!;
    const outcome = await appendActuals(racing, dataset, [actuals()]);
    expect(appends).toBe(2);
    expect(outcome).toMatchObject({ skusChanged: 3, valuesRevised: 1 });
    const a = (await t.store.getSeries(id, 'A'))!;
    expect(a.edits).toEqual({ 3: 77 });
    expect(a.length).toBe(36);
    expect(a.original[26]).toBe(999);
    expect(await t.store.listActuals(id)).toHaveLength(1);
  });
});

describe('appending actuals while another append adds the same new SKU', () => {
  it('the later one merges with what the earlier one added: its value is a revision, not a failed insert', async () => {
    const id = await forecastDataset();
    const dataset = (await t.store.getDataset(id))!;
    let appends = 0;
    // Another upload adding SKU N commits between this one's read (N unknown) and its write.
    const racing = new Proxy(t.store, {
      get(target, prop) {
        if (prop === 'appendActuals') {
          return async (...args: Parameters<Store['appendActuals']>) => {
            if (appends++ === 0) await appendActuals(target, dataset, [`sku,date,sales\nN,${month(30)},5\n`]);
            return target.appendActuals(...args);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Store;
    const outcome = await appendActuals(racing, dataset, [`sku,date,sales\nN,${month(30)},7\nN,${month(31)},8\n`]);
    expect(outcome).toMatchObject({ skusAdded: 0, skusChanged: 1, periodsAdded: 1, revisions: [{ sku: 'N', date: month(30), previous: 5, value: 7 }] });
    const n = (await t.store.getSeries(id, 'N'))!;
    expect(n.original).toEqual([7, 8]);
    expect(await t.store.listActuals(id)).toHaveLength(2);
    expect((await get(`/api/datasets/${id}`)).skuCount).toBe(4);
    expect((await get(`/api/datasets/${id}`)).report.skus).toBe(4);
  });
});

describe('appending actuals while other uploads keep changing the same SKU', () => {
  it('when the merge runs out of attempts the answer is a 409 naming the file and the SKU, and nothing is stored', async () => {
    const id = await forecastDataset();
    let appends = 0;
    // Another upload wins every time: each write finds N changed since its read.
    const app = await appWithAppendActuals(async () => {
      appends++;
      throw new SeriesChangedError(id, 'N');
    });
    try {
      const res = await app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: `sku,date,sales\nN,${month(30)},7\n` });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toMatch(/another upload changed SKU N while this file was merged; send the file again/);
      expect(res.json().details).toEqual([{ path: 'file', message: expect.stringContaining('SKU N') }]);
      expect(res.json().code).toBe('conflict_retry');
    } finally {
      await app.close();
    }
    expect(appends).toBeGreaterThan(1);
    expect(await t.store.getSeries(id, 'N')).toBeNull();
    expect(await t.store.listActuals(id)).toHaveLength(0);
  });

  it.each([
    ['revising its SKUs', `sku,date,sales\nA,${month(30)},7\n`],
    ['adding a SKU', `sku,date,sales\nN,${month(30)},7\n`],
  ])('a dataset deleted while a file %s was merged answers 404 naming id, not a 500', async (_what, file) => {
    const id = await forecastDataset();
    const app = await appWithAppendActuals(async (target, ...args) => {
      await target.deleteDataset(id);
      return target.appendActuals(...args);
    });
    try {
      const res = await app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: file });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().details).toEqual([{ path: 'id', message: `no dataset '${id}'` }]);
    } finally {
      await app.close();
    }
    expect(await t.store.getSeries(id, 'N')).toBeNull();
    expect(await t.store.listActuals(id)).toEqual([]);
  });

  it('a dataset deleted after a refused attempt answers 404 naming id, not a 409 to send again', async () => {
    const id = await forecastDataset();
    let appends = 0;
    // Another upload changed a SKU of the file, then the dataset was deleted before the next attempt.
    const app = await appWithAppendActuals(async (target) => {
      appends++;
      await target.deleteDataset(id);
      throw new SeriesChangedError(id, 'A');
    });
    try {
      const res = await app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: `sku,date,sales\nA,${month(30)},7\n` });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().details).toEqual([{ path: 'id', message: `no dataset '${id}'` }]);
    } finally {
      await app.close();
    }
    expect(appends).toBe(1);
  });

  it('eight uploads at once adding the same new SKU: each is stored or answers 409, never 500', async () => {
    const id = await forecastDataset();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => post(`/api/datasets/${id}/actuals`, `sku,date,sales\nN,${month(30)},${k + 1}\nA,${month(30)},${k + 1}\n`)));
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c !== 200 && c !== 409), answers.map((r) => r.body).join('\n')).toEqual([]);
    expect(codes).toContain(200);
    expect(await t.store.listActuals(id)).toHaveLength(codes.filter((c) => c === 200).length);
    expect((await get(`/api/datasets/${id}`)).skuCount).toBe(4);
  });
});

describe('GET /api/datasets/:id/accuracy after the month to date', () => {
  const daily = (ym: string, from: number, to: number) => {
    let out = 'sku,date,sales\n';
    for (const sku of ['A', 'B', 'C']) for (let d = from; d <= to; d++) out += `${sku},${ym}-${String(d).padStart(2, '0')},3\n`;
    return out;
  };

  it('by default scores the newest snapshot before the latest actuals that has a point: after July whole then August 1-5, the snapshot before July, not the one that forecast August alone (was: 0 points, an empty view)', async () => {
    const id = await forecastDataset();
    const july = await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nA,${month(30)},90\nB,${month(30)},35\nC,${month(30)},9\n`);
    expect(july.statusCode, july.body).toBe(200);
    await completeAllJobs(t.store);
    const toDate = await post(`/api/datasets/${id}/actuals`, daily('2022-08', 1, 5));
    expect(toDate.statusCode, toDate.body).toBe(200);
    expect(toDate.json().partial.provisional).toBe(3);
    expect([toDate.json().lastDate, toDate.json().historyEnd]).toEqual(['2022-08-01', '2022-08-01']);
    await completeAllJobs(t.store);
    const { snapshots } = await get(`/api/datasets/${id}/snapshots`);
    const beforeJuly = snapshots.find((s: { historyEnd: string }) => s.historyEnd === month(29));
    const afterJuly = snapshots.find((s: { historyEnd: string }) => s.historyEnd === month(30));
    expect(beforeJuly && afterJuly).toBeTruthy();
    const reads = vi.spyOn(t.store, 'snapshotItems');
    const report = await get(`/api/datasets/${id}/accuracy`);
    expect(report.snapshot.id).toBe(beforeJuly.id);
    expect(report.portfolio.points).toBe(3);
    // The search (the newer snapshot, then this one) and the scoring read items 3 times; asked
    // again, as the view does every 5 s, the dataset unchanged: only the scoring reads them.
    const first = reads.mock.calls.length;
    expect((await get(`/api/datasets/${id}/accuracy`)).snapshot.id).toBe(beforeJuly.id);
    expect(reads.mock.calls.length - first).toBe(1);
    reads.mockRestore();
    // The one after July forecast August, which has only its first five days: nothing to score, and the answer says why.
    const newer = await get(`/api/datasets/${id}/accuracy?snapshot=${afterJuly.id}`);
    expect(newer.portfolio.points).toBe(0);
    expect(newer.provisional).toEqual([{ period: '2022-08-01', from: '2022-08-01', to: '2022-08-05', periodDays: 31, skus: 3 }]);
    expect((await get(`/api/datasets/${id}/accuracy?snapshot=${afterJuly.id}&sku=B`)).provisional).toEqual([{ period: '2022-08-01', from: '2022-08-01', to: '2022-08-05', periodDays: 31, skus: 1 }]);
  });

  it('tries every snapshot newest first, not one per history end: a SKU absent from July holds every snapshot\'s history end at June, and the one before July is still found (was: "Nothing to score yet")', async () => {
    const id = await forecastDataset();
    // C has no line in July, nor in August's days: its forecast still starts in July.
    const july = await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nA,${month(30)},90\nB,${month(30)},35\n`);
    expect(july.statusCode, july.body).toBe(200);
    await completeAllJobs(t.store);
    let days = 'sku,date,sales\n';
    for (const sku of ['A', 'B']) for (let d = 1; d <= 5; d++) days += `${sku},2022-08-0${d},3\n`;
    expect((await post(`/api/datasets/${id}/actuals`, days)).statusCode).toBe(200);
    await completeAllJobs(t.store);
    const { snapshots } = await get(`/api/datasets/${id}/snapshots`);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    const first = snapshots[snapshots.length - 1];
    expect(new Set(snapshots.map((s: { historyEnd: string }) => s.historyEnd))).toEqual(new Set([month(29)]));
    const report = await get(`/api/datasets/${id}/accuracy`);
    expect(report.snapshot.id).toBe(first.id);
    expect(report.portfolio.points).toBe(2);
    expect(report.starts).toEqual([{ period: month(30), skus: 3 }]);
    expect(report.startsLabel).toBe(month(30));
    // The newest one's forecastStart is C's July; A and B forecast from August: the answer says how many start where.
    const newest = await get(`/api/datasets/${id}/accuracy?snapshot=${snapshots[0].id}`);
    expect(newest.snapshot.forecastStart).toBe(month(30));
    expect(newest.starts).toEqual([{ period: month(30), skus: 1 }, { period: month(31), skus: 2 }]);
    // The label the CLI prints and the web app shows (its dates in the reader's format), made once here; the snapshot's whole, whatever `sku`.
    expect(newest.startsLabel).toBe(`${month(31)} (1 SKU from ${month(30)})`);
    expect((await get(`/api/datasets/${id}/accuracy?snapshot=${snapshots[0].id}&sku=A`)).startsLabel).toBe(newest.startsLabel);
  });

  it('tries one snapshot per actuals append: of the snapshots between July and August\'s days (SKU edits), the newest alone is read, and requests at once share one search (was: every snapshot, per request: 7.7 s for 41 of 3,000 SKUs)', async () => {
    const id = await forecastDataset();
    expect((await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nA,${month(30)},90\nB,${month(30)},35\nC,${month(30)},9\n`)).statusCode).toBe(200);
    await completeAllJobs(t.store);
    await get(`/api/datasets/${id}/snapshots`); // taken, as the worker would once the jobs are done
    let snapshots = [];
    for (let k = 0; k < 4; k++) {
      const edit = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${id}/skus/A`, payload: { edits: [{ date: month(k), value: 50 + k }] } });
      expect(edit.statusCode, edit.body).toBe(200);
      await completeAllJobs(t.store);
      ({ snapshots } = await get(`/api/datasets/${id}/snapshots`));
    }
    // Five snapshots between the two appends: July's and one per edit.
    const beforeJuly = snapshots.find((s: { historyEnd: string }) => s.historyEnd === month(29));
    const afterJuly = snapshots.filter((s: { historyEnd: string }) => s.historyEnd === month(30));
    expect(afterJuly).toHaveLength(5);
    expect((await post(`/api/datasets/${id}/actuals`, daily('2022-08', 1, 5))).statusCode).toBe(200);
    await completeAllJobs(t.store);
    const reads = vi.spyOn(t.store, 'snapshotItems');
    const [one, two] = await Promise.all([get(`/api/datasets/${id}/accuracy`), get(`/api/datasets/${id}/accuracy`)]);
    expect([one.snapshot.id, two.snapshot.id]).toEqual([beforeJuly.id, beforeJuly.id]);
    expect(one.portfolio.points).toBe(3);
    // One search: the newest after July (nothing whole since: August's days), then the one before
    // July, found; then each request's scoring reads it.
    expect(reads.mock.calls.map(([snapshotId]) => snapshotId)).toEqual([afterJuly[0].id, beforeJuly.id, beforeJuly.id, beforeJuly.id]);
    reads.mockRestore();
  });

  it('with nothing whole to score since any snapshot, keeps the newest before the latest actuals and names the days to date', async () => {
    const id = await forecastDataset();
    expect((await post(`/api/datasets/${id}/actuals`, daily('2022-07', 1, 5))).statusCode).toBe(200);
    await completeAllJobs(t.store);
    const report = await get(`/api/datasets/${id}/accuracy`);
    expect(report.portfolio.points).toBe(0);
    expect(report.snapshot.historyEnd).toBe(month(29));
    // Two names for two things: the actuals' latest date (the month to date's period) is lastDate,
    // historyEnd there its former name with the same value; a snapshot's historyEnd is the last whole month.
    const [latest] = (await get(`/api/datasets/${id}/actuals`)).actuals;
    expect([latest.lastDate, latest.historyEnd]).toEqual([month(30), month(30)]);
    expect(report.actuals).toMatchObject({ lastDate: month(30), historyEnd: month(30) });
    expect(report.provisional).toEqual([{ period: '2022-07-01', from: '2022-07-01', to: '2022-07-05', periodDays: 31, skus: 3 }]);
  });
});

describe('GET /api/datasets/:id/snapshots', () => {
  it('lists the snapshots even when the one it would take on the way cannot be stored', async () => {
    const id = await forecastDataset();
    const failing = new Proxy(t.store, {
      get(target, prop) {
        if (prop === 'saveSnapshot') return async () => { throw new Error('database is locked'); };
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Store;
    const app = await buildApp({
      store: failing, logger: pino({ level: 'silent' }),
      config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes },
    });
    try {
      const res = await app.inject({ url: `/api/datasets/${id}/snapshots` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ snapshots: [] });
    } finally {
      await app.close();
    }
    // The real store takes it on the next read.
    expect((await get(`/api/datasets/${id}/snapshots`)).snapshots).toHaveLength(1);
  });
  it('a snapshot names the history\'s end by the stored period (2024-12-01), not the file\'s last day (2024-12-15), for monthly data dated mid-month', async () => {
    let csv = 'sku,date,sales\n';
    for (const sku of ['A', 'B']) for (let m = 1; m <= 12; m++) csv += `${sku},2024-${String(m).padStart(2, '0')}-15,${10 + m}\n`;
    const imported = await post(`/api/datasets?models=${models}`, csv);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    await completeAllJobs(t.store);
    expect((await get(`/api/datasets/${id}/skus/A`)).dates.at(-1)).toBe('2024-12-01');
    const { snapshots } = await get(`/api/datasets/${id}/snapshots`);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ historyEnd: '2024-12-01', forecastStart: '2025-01-01' });
  });
});
