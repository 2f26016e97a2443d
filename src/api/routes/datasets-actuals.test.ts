import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import pino from 'pino';
import { defaultBodyLimitBytes } from '../api-config.js';
import { buildApp } from '../app.js';
import { appendActuals } from '../../datasets/actuals.js';
import { SeriesChangedError } from '../../datasets/planning-cycle-store.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import type { Store } from '../../stores/store.js';
import { getOk, month2020 as month, postCsv, seasonalValue as value, threeSkuDataset } from './imported-dataset-fixture.js';

/**
 * POST /api/datasets/:id/actuals against the real app, a real SQLite file and the real engine: new
 * periods and SKUs, revisions and their audit, re-queueing, refusals, and merges racing other writes.
 */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

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

const post = (url: string, payload: string) => postCsv(t.app, url, payload);
const get = (url: string) => getOk(t.app, url);
const forecastDataset = () => threeSkuDataset(t.app, t.store);

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
