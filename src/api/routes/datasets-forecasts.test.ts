import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createTestDatabase, storeKinds } from '../../../tests/support/test-database.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import type { Store } from '../../stores/store.js';
import { defaultBodyLimitBytes } from '../api-config.js';
import { buildApp } from '../app.js';

let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

// 36 months; STOPPED sells for two years then nothing for one (read as inactive: forecast 0).
const STOPPED = [70, 62, 48, 36, 22, 18, 10, 18, 28, 40, 58, 62, 62, 67, 50, 39, 29, 18, 13, 16, 26, 47, 68, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const SELLING = STOPPED.map((v, i) => (i < 24 ? v : 40 + (i % 3)));
const month = (i: number) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;

/**
 * A (forecast), S (stopped selling: inactive), F (its jobs failed), P (its jobs still running),
 * N (its jobs cancelled: no forecast, none coming).
 */
async function fiveFates(app: FastifyInstance = t.app, store: Store = t.store): Promise<string> {
  let file = 'sku,date,sales\n';
  for (const [sku, values] of [['A', SELLING], ['F', SELLING], ['N', SELLING], ['P', SELLING], ['S', STOPPED]] as const) {
    values.forEach((v, i) => (file += `${sku},${month(i)},${v}\n`));
  }
  const res = await app.inject({ method: 'POST', url: '/api/datasets?models=ets,croston', headers: { 'content-type': 'text/csv' }, payload: file });
  expect(res.statusCode, res.body).toBe(201);
  const { datasetId } = res.json();
  await store.cancel({ datasetId, sku: 'N' });
  for (const lease of await store.claim({ workerId: 'w', limit: 100, leaseMs: 600_000 })) {
    if (lease.job.sku === 'F') await store.fail(lease, 'boom');
    else if (lease.job.sku !== 'P') await store.release(lease); // P's stay running
  }
  await completeAllJobs(store);
  return datasetId;
}

describe('forecasts.csv', () => {
  it('says each SKU\'s status in a last column: forecast, inactive, pending, failed, none; a SKU without a forecast is one row with it (was: left out, the three cases alike)', async () => {
    const datasetId = await fiveFates();
    const workInputs = vi.spyOn(t.store, 'workInputs');
    const jobFates = vi.spyOn(t.store, 'jobFates');
    const lines = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv` })).body.trim().split('\n');
    // Jobs are read for the SKUs without a forecast only, and never the whole dataset's work.
    expect(workInputs).not.toHaveBeenCalled();
    expect(jobFates.mock.calls).toEqual([[datasetId, ['F', 'N', 'P']]]);
    // The existing columns keep their places: status is appended.
    expect(lines[0]).toBe('sku,date,model,forecast,lo80,hi80,lo95,hi95,status');
    const rows = lines.slice(1).map((l) => l.split(','));
    const statusOf = new Map(rows.map((r) => [r[0], r[8]]));
    expect(Object.fromEntries(statusOf)).toEqual({ A: 'forecast', F: 'failed', N: 'none', P: 'pending', S: 'inactive' });
    for (const sku of ['A', 'S']) expect(rows.filter((r) => r[0] === sku)).toHaveLength(12);
    for (const r of rows.filter((row) => row[0] === 'S')) expect(Number(r[3])).toBe(0);
    // No forecast: one row, the forecast's columns empty.
    for (const sku of ['F', 'N', 'P']) expect(rows.filter((r) => r[0] === sku)).toEqual([[sku, '', '', '', '', '', '', '', statusOf.get(sku)]]);
  });

  it('the forecasts JSON says the same status per SKU, a page and one SKU alike (was: from a snapshot only)', async () => {
    const datasetId = await fiveFates();
    const page = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?limit=10` })).json();
    expect(Object.fromEntries(page.items.map((i: { sku: string; status: string }) => [i.sku, i.status]))).toEqual({ A: 'forecast', F: 'failed', N: 'none', P: 'pending', S: 'inactive' });
    const one = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?sku=P` })).json();
    expect(one.items.map((i: { status: string }) => i.status)).toEqual(['pending']);
  });

  it('writes the dialect a German Excel opens (delimiter=semicolon, decimal=comma, bom=true), and refuses a decimal comma with the comma delimiter naming decimal', async () => {
    const datasetId = await fiveFates();
    const plain = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv` })).body;
    const excel = await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv?delimiter=semicolon&decimal=comma&bom=true` });
    expect(excel.statusCode).toBe(200);
    expect(excel.body.startsWith('\uFEFFsku;date;model;forecast;lo80;hi80;lo95;hi95;status\n')).toBe(true);
    const plainRows = plain.trim().split('\n').slice(1).map((l) => l.split(','));
    const excelRows = excel.body.slice(1).trim().split('\n').slice(1).map((l) => l.split(';'));
    expect(excelRows.length).toBe(plainRows.length);
    // The same values, the numbers with a decimal comma; at least one of them had decimals.
    expect(excelRows.map((r) => r.map((f, i) => (i >= 3 && i <= 7 ? f.replace(',', '.') : f)))).toEqual(plainRows);
    expect(excelRows.some((r) => /^\d+,\d+$/.test(r[3]))).toBe(true);
    const refused = await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv?decimal=comma` });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0]).toMatchObject({ path: 'decimal', message: expect.stringMatching(/needs another delimiter/) });
    for (const path of ['metrics.csv', 'aggregates.csv']) {
      const res = await t.app.inject({ url: `/api/datasets/${datasetId}/${path}?delimiter=tab` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body.split('\n')[0]).toContain('\t');
    }
  });

  const statusesOf = async (datasetId: string) => Object.fromEntries((await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv` })).body
    .trim().split('\n').slice(1).map((l) => l.split(',')).map((r) => [r[0], r[8]]));

  it('case A: a failure a newer cancelled job followed is not `failed`', async () => {
    const datasetId = await fiveFates();
    expect((await statusesOf(datasetId)).F).toBe('failed');
    // New actuals queue F's models at another input, and the planner cancels those jobs.
    await t.store.enqueue(['ets', 'croston'].map((modelId) => ({
      datasetId, sku: 'F', modelId, method: 'grid', reason: 'manual_trigger' as const, priority: 2, inputHash: `h2-${modelId}`,
    })), { batchId: 'actuals' });
    await t.store.cancel({ datasetId, sku: 'F', status: ['pending', 'running'] });
    expect((await statusesOf(datasetId)).F).toBe('none');
  });

  it('a newer job under another method, cancelled or failed, does not hide a failure under the current method: still `failed` (was: `none`)', async () => {
    const datasetId = await fiveFates(); // method grid: F's ets and croston failed at its current input
    await t.store.enqueue(['ets', 'croston'].map((modelId) => ({
      datasetId, sku: 'F', modelId, method: 'mle', reason: 'manual_trigger' as const, priority: 2, inputHash: `mle-${modelId}`, maxAttempts: 1,
    })), { batchId: 'mle' });
    for (const lease of await t.store.claim({ workerId: 'w', limit: 100, leaseMs: 600_000 })) {
      if (lease.job.modelId === 'croston') await t.store.fail(lease, 'boom');
      else await t.store.release(lease);
    }
    await t.store.cancel({ datasetId, sku: 'F', status: ['pending', 'running'] });
    expect((await statusesOf(datasetId)).F).toBe('failed');
  });

  it('case A: a failure at an input the SKU no longer has (actuals landed without jobs) is not `failed`', async () => {
    const datasetId = await fiveFates();
    const db = new Database(`${t.dir}/jobs.db`);
    db.prepare("UPDATE jobs SET input_hash = 'an-older-input' WHERE sku = 'F' AND status = 'failed'").run();
    db.close();
    expect((await statusesOf(datasetId)).F).toBe('none');
  });

  it('case B: failures of a model since removed from the settings say nothing: the SKU too short for the new model reads `none`', async () => {
    // F has 5 months: ets and croston run (with the holdout of 1 it allows) and fail; ensemble needs 6 and skips it.
    let file = 'sku,date,sales\n';
    SELLING.forEach((v, i) => (file += `A,${month(i)},${v}\n`));
    SELLING.slice(SELLING.length - 5).forEach((v, i) => (file += `F,${month(i + SELLING.length - 5)},${v}\n`));
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=ets,croston', headers: { 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId } = res.json();
    for (const lease of await t.store.claim({ workerId: 'w', limit: 100, leaseMs: 600_000 })) {
      if (lease.job.sku === 'F') {
        expect(lease.job.settings.holdout).toBe(1);
        await t.store.fail(lease, 'boom');
      } else await t.store.release(lease);
    }
    await completeAllJobs(t.store);
    expect((await statusesOf(datasetId)).F).toBe('failed');
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${datasetId}/settings`, payload: { models: ['ensemble'] } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().skusSkipped).toBe(1);
    await completeAllJobs(t.store);
    expect(await statusesOf(datasetId)).toEqual({ A: 'forecast', F: 'none' });
  });

  it('case B: a failure without an input hash (a seasonal model on a SKU under two years) of a SKU short of a new holdout is planned again with the holdout it allows, and reads `forecast`', async () => {
    // F has 20 months: its holt_winters job may borrow the pooled profile, so it has no hash.
    let file = 'sku,date,sales\n';
    SELLING.forEach((v, i) => (file += `A,${month(i)},${v}\n`));
    SELLING.slice(16).forEach((v, i) => (file += `F,${month(i + 16)},${v}\n`));
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=holt_winters', headers: { 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId } = res.json();
    for (const lease of await t.store.claim({ workerId: 'w', limit: 100, leaseMs: 600_000 })) {
      if (lease.job.sku === 'F') {
        expect(lease.job.inputHash ?? null).toBeNull();
        await t.store.fail(lease, 'boom');
      } else await t.store.release(lease);
    }
    await completeAllJobs(t.store);
    expect((await statusesOf(datasetId)).F).toBe('failed');
    // The same model, a holdout of 17 (which needs 21): F's 20 months get a holdout of 16 (was: skipped, `none`).
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${datasetId}/settings`, payload: { holdout: 17 } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().skusSkipped).toBe(0);
    const queued = (await t.store.listJobs({ datasetId, sku: 'F', status: ['pending'], limit: 10 })).jobs;
    expect(queued.map((j) => j.settings.holdout)).toEqual([16]);
    await completeAllJobs(t.store);
    expect(await statusesOf(datasetId)).toEqual({ A: 'forecast', F: 'forecast' });
  });

  it("a snapshot's forecasts.csv has the same columns and each SKU's status as it was when the snapshot was taken (was: empty on forecast rows, none without one)", async () => {
    const datasetId = await fiveFates();
    // A snapshot is kept once no job is open: P's are cancelled.
    await t.store.cancel({ datasetId, sku: 'P' });
    const { snapshots } = (await t.app.inject({ url: `/api/datasets/${datasetId}/snapshots` })).json();
    expect(snapshots.length).toBeGreaterThan(0);
    const csv = async () => (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv?snapshot=${snapshots[0].id}` })).body.trim().split('\n');
    const lines = await csv();
    expect(lines[0]).toBe('sku,date,model,forecast,lo80,hi80,lo95,hi95,status');
    const rows = lines.slice(1).map((l) => l.split(','));
    // S stopped selling: inactive, so a filter on `forecast` does not take its zeros for demand.
    expect(Object.fromEntries(rows.map((r) => [r[0], r[8]]))).toEqual({ A: 'forecast', S: 'inactive', F: 'failed', N: 'none', P: 'none' });
    for (const r of rows.filter((row) => row[0] === 'S')) expect(Number(r[3])).toBe(0);
    // What the snapshot recorded, not today's jobs: F's failure retried and completed since changes nothing in it.
    await t.app.inject({ method: 'POST', url: '/api/jobs/retry', payload: { datasetId } });
    await completeAllJobs(t.store);
    expect((await statusesOf(datasetId)).F).toBe('forecast');
    expect(Object.fromEntries((await csv()).slice(1).map((l) => l.split(',')).map((r) => [r[0], r[8]])).F).toBe('failed');
    // A snapshot taken before the status was recorded (migration 042) keeps the old reading: it
    // cannot tell inactive from forecast, so its forecast rows say nothing rather than `forecast`.
    const db = new Database(`${t.dir}/jobs.db`);
    db.prepare('DELETE FROM snapshot_item_status WHERE snapshot_id = ?').run(snapshots[0].id);
    db.close();
    const old = (await csv()).slice(1).map((l) => l.split(','));
    expect(Object.fromEntries(old.map((r) => [r[0], r[8]]))).toEqual({ A: '', S: '', F: 'none', N: 'none', P: 'none' });
  });
});

describe('forecasts JSON of a snapshot', () => {
  it("says each item's status as recorded when the snapshot was taken, as its forecasts.csv does: S read as stopped is `inactive` (was: no status, `inactive: null` alike for every item)", async () => {
    const datasetId = await fiveFates();
    await t.store.cancel({ datasetId, sku: 'P' });
    const { snapshots } = (await t.app.inject({ url: `/api/datasets/${datasetId}/snapshots` })).json();
    expect(snapshots.length).toBeGreaterThan(0);
    const read = async (query = '') => {
      const res = await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?snapshot=${snapshots[0].id}${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as { sku: string; status?: string | null; inactive: unknown; forecast: { mean: number[] } | null }[];
    };
    const items = await read();
    expect(Object.fromEntries(items.map((i) => [i.sku, i.status]))).toEqual({ A: 'forecast', F: 'failed', N: 'none', P: 'none', S: 'inactive' });
    // The run's figures are not kept: `inactive` stays null, `status` says it.
    for (const i of items) expect(i.inactive).toBeNull();
    expect(items.find((i) => i.sku === 'S')!.forecast!.mean.every((v) => v === 0)).toBe(true);
    expect((await read('&sku=S')).map((i) => [i.sku, i.status])).toEqual([['S', 'inactive']]);
    // The current forecasts say their status now (P's jobs were cancelled since); their `inactive` has the run's figures too.
    const live = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts` })).json().items as { sku: string; status?: unknown; inactive: unknown }[];
    expect(Object.fromEntries(live.map((i) => [i.sku, i.status]))).toEqual({ A: 'forecast', F: 'failed', N: 'none', P: 'none', S: 'inactive' });
    expect(live.find((i) => i.sku === 'S')!.inactive).not.toBeNull();
    // A snapshot taken before migration 042 recorded nothing: null, not a guess.
    const db = new Database(`${t.dir}/jobs.db`);
    db.prepare('DELETE FROM snapshot_item_status WHERE snapshot_id = ?').run(snapshots[0].id);
    db.close();
    expect(Object.fromEntries((await read()).map((i) => [i.sku, i.status]))).toEqual({ A: null, F: null, N: null, P: null, S: null });
  });

  it('a SKU added after the snapshot: status null, nothing recorded for it', async () => {
    const datasetId = await fiveFates();
    await t.store.cancel({ datasetId, sku: 'P' });
    const { snapshots } = (await t.app.inject({ url: `/api/datasets/${datasetId}/snapshots` })).json();
    const file = `sku,date,sales\n${SELLING.map((v, i) => `Z,${month(i)},${v}`).join('\n')}\n`;
    const added = await t.app.inject({ method: 'POST', url: `/api/datasets/${datasetId}/actuals`, headers: { 'content-type': 'text/csv' }, payload: file });
    expect(added.statusCode, added.body).toBeLessThan(300);
    const items = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?snapshot=${snapshots[0].id}` })).json().items as { sku: string; status: string | null; forecast: unknown }[];
    expect(items.find((i) => i.sku === 'Z')).toMatchObject({ status: null, forecast: null });
  });
});

describe.each(storeKinds('forecasts JSON of a snapshot'))('forecasts JSON of a snapshot on %s', (kind) => {
  it('gives each item the status the store recorded with the snapshot (was: none, inactive null alike)', async () => {
    const db = await createTestDatabase('snapshot-status', kind);
    const store = await db.open();
    const app = await buildApp({ store, logger: pino({ level: 'silent' }), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
    try {
      await store.migrate();
      const datasetId = await fiveFates(app, store);
      await store.cancel({ datasetId, sku: 'P' });
      const { snapshots } = (await app.inject({ url: `/api/datasets/${datasetId}/snapshots` })).json();
      const res = await app.inject({ url: `/api/datasets/${datasetId}/forecasts?snapshot=${snapshots[0].id}` });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { sku: string; status: string | null }[];
      expect(Object.fromEntries(items.map((i) => [i.sku, i.status]))).toEqual({ A: 'forecast', F: 'failed', N: 'none', P: 'none', S: 'inactive' });
    } finally {
      await app.close();
      await store.close();
      await db.cleanup();
    }
  });
});

describe('a SKU whose rows end before the file does (an export that omits zero rows)', () => {
  it('is forecast from the dataset\'s end, its missing tail filled with 0 and read as a stop like explicit zeros (was: a forecast dated in the dataset\'s past, status forecast, no warning)', async () => {
    let file = 'sku,date,sales\n';
    SELLING.forEach((v, i) => (file += `A,${month(i)},${v}\n`));
    // S sold for two years, then the export has no rows for it: no zero lines, as ERP exports write them.
    STOPPED.forEach((v, i) => (file += v > 0 ? `S,${month(i)},${v}\n` : ''));
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=ets,croston', headers: { 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.dateRange.end).toBe(month(35));
    expect(report.gaps).toEqual([{ sku: 'S', missing: 12 }]);
    expect(report.warnings).toContainEqual(expect.stringContaining("1 SKU has no rows after its last sale ('S' last on 2024-12-01, 12 months): its months up to the dataset's end, 2025-12-01, are filled with 0"));
    await completeAllJobs(t.store);
    const items: Array<{ sku: string; status: string; forecast: { dates: string[]; mean: number[] } }> = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?limit=10` })).json().items;
    const of = (sku: string) => items.find((i) => i.sku === sku)!;
    // Both start after the dataset's last date, on the same period: none is dated in the history.
    expect(of('S').forecast.dates[0]).toBe(month(36));
    expect(of('S').forecast.dates[0] > report.dateRange.end).toBe(true);
    expect(of('A').forecast.dates[0]).toBe(month(36));
    // The stop rule (docs/forecasting.md section 8) sees the zero tail as any history: inactive, forecast 0, as the explicit zeros in fiveFates.
    expect([of('S').status, of('A').status]).toEqual(['inactive', 'forecast']);
    expect(of('S').forecast.mean.every((v) => v === 0)).toBe(true);
    const csv = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv` })).body.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(csv.filter((r) => r[0] === 'S').every((r) => r[1] > report.dateRange.end && r[8] === 'inactive')).toBe(true);
  });
});

describe('a SKU shorter than the holdout plus 4 (finding 7: a new SKU got no forecast at all)', () => {
  it('of 5 periods (a holdout of 1, no cross-validation) shows the mean of its models, not the one lowest on the point held out (review finding 3: its spike, flat)', async () => {
    let file = 'sku,date,sales\n';
    SELLING.forEach((v, i) => (file += `A,${month(i)},${v}\n`));
    [12, 15, 9, 14, 30].forEach((v, i) => (file += `N,${month(SELLING.length - 5 + i)},${v}\n`));
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=ets,seasonal_naive,croston', headers: { 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(201);
    await completeAllJobs(t.store);
    const body = (await t.app.inject({ url: `/api/datasets/${res.json().datasetId}/forecasts?limit=100` })).json();
    const n = body.items.find((i: { sku: string }) => i.sku === 'N');
    expect(n.bestModel).toBe('ets+seasonal_naive+croston');
    expect(n.selection.how).toMatch(/^mean of the 3 models that fitted \(ets, seasonal_naive, croston\): too few points held out \(1\) to rank them; made on a short history \(5 periods, fewer than the 10 the holdout of 6 needs\) with a holdout of 1 instead of 6; its bands are the models' own/);
    // The seasonal naive, lowest on that point, forecast the spike (30) flat.
    expect(Math.max(...n.forecast.mean)).toBeLessThan(25);
    expect(n.error).toBeNull();
    expect(n.backtest.actual).toEqual([30]);
    expect(body.portfolio).toMatchObject({ skus: 2, skusWithForecast: 2, skusWithBacktest: 2 });
  });

  it('is forecast with the largest holdout it allows, says so, and without a holdout stays out of the portfolio WAPE; 2 points stay too short', async () => {
    // A and B: 36 months; N: the last 8 (holdout 4 of 6); Z: the last 4 (holdout 0); T: the last 2 (too short).
    let file = 'sku,date,sales\n';
    const last = (sku: string, n: number) => SELLING.slice(SELLING.length - n).forEach((v, i) => (file += `${sku},${month(i + SELLING.length - n)},${v}\n`));
    SELLING.forEach((v, i) => (file += `A,${month(i)},${v}\n`));
    SELLING.forEach((v, i) => (file += `B,${month(i)},${v + 5}\n`));
    last('N', 8);
    last('Z', 4);
    last('T', 2);
    const res = await t.app.inject({ method: 'POST', url: '/api/datasets?models=naive,croston', headers: { 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.tooShort).toEqual([{ sku: 'T', length: 2, needed: 4 }]);
    const holdouts = (await t.store.listJobs({ datasetId, limit: 100 })).jobs.map((j) => `${j.sku}/${j.modelId}/${j.settings.holdout}`).sort();
    expect(holdouts).toEqual(['A/croston/6', 'A/naive/6', 'B/croston/6', 'B/naive/6', 'N/croston/4', 'N/naive/4', 'Z/croston/0', 'Z/naive/0']);
    await completeAllJobs(t.store);
    const body = (await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts?limit=100` })).json();
    const item = (sku: string) => body.items.find((i: { sku: string }) => i.sku === sku);
    expect(item('N').forecast).not.toBeNull();
    expect(item('N').backtest.actual).toHaveLength(4);
    expect(item('N').selection.how).toMatch(/made on a short history \(8 periods, fewer than the 10 the holdout of 6 needs\) with a holdout of 4 instead of 6; its bands are the models' own, not calibrated \(too few cross-validation errors to measure them by\)$/);
    expect(item('Z').forecast).not.toBeNull();
    expect(item('Z').backtest).toBeNull();
    expect(item('Z').selection.how).toMatch(/made on a short history \(4 periods, fewer than the 10 the holdout of 6 needs\) with no holdout: nothing was scored.*; its bands are the models' own, not calibrated/);
    expect(item('A').selection.how).not.toMatch(/short history/);
    expect(item('T').forecast).toBeNull();
    const statuses = Object.fromEntries((await t.app.inject({ url: `/api/datasets/${datasetId}/forecasts.csv` })).body
      .trim().split('\n').slice(1).map((l) => l.split(',')).map((r) => [r[0], r[8]]));
    expect(statuses).toEqual({ A: 'forecast', B: 'forecast', N: 'forecast', T: 'none', Z: 'forecast' });
    // Z has no backtest: it is counted as forecast, not in the WAPE (A, B and N are).
    expect(body.portfolio).toMatchObject({ skus: 5, skusWithForecast: 4, skusWithBacktest: 3 });
  });
});
