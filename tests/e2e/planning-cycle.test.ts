/**
 * The planning cycle end to end, with real processes: `node server.js api` and `node server.js
 * worker` on a fresh database (SQLite; PostgreSQL too when DATABASE_URL is set). Real M3 monthly
 * series are forecast; six months of actuals arrive for some of them; exactly those SKUs are
 * re-forecast; the accuracy the API reports equals what the forecasts shown before the append
 * give on those actuals, computed here independently; the same file again queues nothing; the CLI
 * agrees. Snapshots are taken by the worker that settles a dataset's last job.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/stores/store.js';
import { actualsCsv, historyCsv, m3Monthly, monthOf } from '../support/m3-planning-data.js';
import { pollUntil, serverJs, startSkucast, stopAll, type SkucastProcess } from '../support/skucast-process.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-database.js';
import { freePort } from '../support/free-port.js';

const models = 'damped_trend,seasonal_naive,simple_exponential_smoothing';

interface Item { sku: string; bestModel: string; forecast: { dates: string[]; mean: number[] } | null }

let db: TestDatabase;
let store: Store;
let dir: string;
let baseUrl: string;
let api: SkucastProcess;
let worker: SkucastProcess;
let worker2: SkucastProcess;

async function call(method: string, url: string, body?: string) {
  const res = await fetch(`${baseUrl}${url}`, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'text/csv' } } : {}) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

async function forecasts(datasetId: string, query = ''): Promise<Item[]> {
  const res = await call('GET', `/api/datasets/${datasetId}/forecasts?limit=1000${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json().items;
}

/** The dataset's jobs are all settled and the worker has logged its snapshot number `n`. */
async function settledWithSnapshots(datasetId: string, n: number) {
  await pollUntil('the jobs to settle', async () => {
    const s = await store.summary({ datasetId });
    return s.pending + s.running === 0 ? true : undefined;
  }, 180_000, 200);
  return pollUntil(`snapshot ${n} (taken by the worker)`, async () => {
    const list = await store.listSnapshots(datasetId);
    return list.length >= n ? list : undefined;
  }, 30_000, 100);
}

describe.each(storeKinds('planning cycle e2e'))('planning cycle on %s', (kind) => {
  beforeEach(async () => {
    db = await createTestDatabase('cycle', kind);
    store = await db.open();
    dir = mkdtempSync(path.join(tmpdir(), 'skucast-cycle-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = { ...db.env, PORT: String(port), HOST: '127.0.0.1' };
    api = startSkucast('api', ['api'], env);
    await pollUntil('the API', () => fetch(`${baseUrl}/api/health`).then((r) => r.ok || undefined).catch(() => undefined), 30_000, 100);
    // Two worker processes: both see the last jobs settle; one snapshot per change all the same.
    worker = startSkucast('worker', ['worker', '--concurrency', '1'], env);
    worker2 = startSkucast('worker2', ['worker', '--concurrency', '1'], env);
  }, 60_000);

  afterEach(async () => {
    for (const p of [worker, worker2, api]) {
      if (p?.running) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
    }
    const leaked = await stopAll();
    await store.close();
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
    expect(leaked).toEqual([]);
  }, 60_000);

  it('actuals re-forecast exactly the SKUs that changed, and the accuracy matches the forecasts shown before', async () => {
    const series = m3Monthly(12);
    const changed = series.slice(0, 8); // six months of actuals for these; none for the last four
    const created = await call('POST', `/api/datasets?models=${models}&name=M3`, historyCsv(series));
    expect(created.status, created.text).toBe(201);
    const datasetId = created.json().datasetId as string;
    const [first] = await settledWithSnapshots(datasetId, 1);
    expect(first).toMatchObject({ cause: 'import', skuCount: 12, skusWithForecast: 12, historyEnd: monthOf(49), forecastStart: monthOf(50) });
    // Either worker may take either snapshot: in id order, whoever logged it.
    const taken = () => [...worker.events('snapshot'), ...worker2.events('snapshot')].map((l) => l.snapshotId as number).sort((a, b) => a - b);
    await pollUntil('the worker to log its snapshot', async () => (taken().length > 0 ? true : undefined), 10_000, 50);
    expect(taken()).toEqual([first.id]);

    const before = await forecasts(datasetId);
    expect(before.every((i) => i.forecast && i.forecast.dates[0] === monthOf(50))).toBe(true);

    // Six periods of actuals for eight SKUs.
    const file = actualsCsv(changed, 6);
    const appended = await call('POST', `/api/datasets/${datasetId}/actuals`, file);
    expect(appended.status, appended.text).toBe(200);
    const body = appended.json();
    expect(body).toMatchObject({ skusChanged: 8, skusAdded: 0, periodsAdded: 48, valuesRevised: 0, jobsCreated: 24, jobsCancelled: 0 });

    // The same file again changes nothing and queues nothing.
    const total = (await store.summary({ datasetId })).total;
    const again = await call('POST', `/api/datasets/${datasetId}/actuals`, file);
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ skusChanged: 0, jobsCreated: 0, batchId: null });
    expect((await store.summary({ datasetId })).total).toBe(total);

    const snapshots = await settledWithSnapshots(datasetId, 2);
    // The batch's 24 jobs, read once it has settled (a listing taken while the workers run is one
    // snapshot too: postgres-listing-snapshot.test.ts).
    const queued = await store.listJobs({ batchId: body.batchId, limit: 1000 });
    expect(queued.jobs).toHaveLength(24);
    expect(new Set(queued.jobs.map((j) => j.sku))).toEqual(new Set(changed.map((s) => s.id)));
    expect(new Set(queued.jobs.map((j) => j.reason))).toEqual(new Set(['actuals_append']));
    expect(snapshots.map((s) => s.cause)).toEqual(['actuals', 'import']);
    await pollUntil('the worker to log its snapshot', async () => (taken().length > 1 ? true : undefined), 10_000, 50);
    expect(taken()).toEqual([first.id, snapshots[0].id]);
    expect(snapshots[0]).toMatchObject({ historyEnd: monthOf(55), skuCount: 12 });

    // Exactly the changed SKUs were re-forecast; their forecasts now start after the new last period.
    const after = await forecasts(datasetId);
    for (const item of after) {
      const isChanged = changed.some((s) => s.id === item.sku);
      expect(item.forecast!.dates[0], item.sku).toBe(isChanged ? monthOf(56) : monthOf(50));
    }
    const all = await store.listJobs({ datasetId, limit: 1000 });
    const perSku = new Map<string, number>();
    for (const j of all.jobs) perSku.set(j.sku, (perSku.get(j.sku) ?? 0) + 1);
    for (const s of series) expect(perSku.get(s.id), s.id).toBe(changed.includes(s) ? 6 : 3);

    // Forecast vs actual, computed here from the forecasts shown before the append.
    let abs = 0;
    let sumActual = 0;
    let bias = 0;
    let points = 0;
    const monthSums = Array.from({ length: 6 }, () => ({ forecast: 0, actual: 0 }));
    for (const s of changed) {
      const shown = before.find((i) => i.sku === s.id)!.forecast!;
      for (let k = 0; k < 6; k++) {
        expect(shown.dates[k]).toBe(monthOf(50 + k));
        monthSums[k].forecast += shown.mean[k];
        monthSums[k].actual += s.test[k];
        abs += Math.abs(s.test[k] - shown.mean[k]);
        bias += shown.mean[k] - s.test[k];
        sumActual += Math.abs(s.test[k]);
        points++;
      }
    }
    const acc = await call('GET', `/api/datasets/${datasetId}/accuracy?limit=100`);
    expect(acc.status, acc.text).toBe(200);
    const report = acc.json();
    expect(report.snapshot.id).toBe(first.id);
    expect(report.portfolio.points).toBe(points);
    expect(report.portfolio.wape).toBe(Math.round((100_000 * abs) / sumActual) / 1000);
    expect(report.portfolio.bias).toBe(Math.round((100_000 * bias) / sumActual) / 1000);
    expect(report.items).toHaveLength(8);
    expect(report.byStep.map((s: { points: number }) => s.points)).toEqual([8, 8, 8, 8, 8, 8]);
    expect(report).toMatchObject({ by: null, attributes: [], groups: [], summed: { points: 6 } });
    // Of the total: the summed forecast against the summed actuals, month by month.
    const totalAbs = monthSums.reduce((a, m) => a + Math.abs(m.actual - m.forecast), 0);
    const totalActual = monthSums.reduce((a, m) => a + Math.abs(m.actual), 0);
    expect(report.summed.wape).toBe(Math.round((100_000 * totalAbs) / totalActual) / 1000);
    const shownThen = await forecasts(datasetId, `&snapshot=${first.id}`);
    expect(shownThen.map((i) => i.forecast!.mean)).toEqual(before.map((i) => i.forecast!.mean));
    const csv = await call('GET', `/api/datasets/${datasetId}/accuracy.csv`);
    expect(csv.text.trim().split('\n')).toHaveLength(1 + points);

    // The CLI: the same accuracy, and the same actuals again change nothing.
    const env = { ...process.env, ...db.env, LOG_LEVEL: 'silent' };
    const cli = spawnSync(process.execPath, [serverJs, 'accuracy', datasetId, '--out', path.join(dir, 'acc.csv')], { env, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`portfolio\\s+WAPE\\s+${report.portfolio.wape.toFixed(1)} %`));
    expect(readFileSync(path.join(dir, 'acc.csv'), 'utf8')).toBe(csv.text);
    const actualsFile = path.join(dir, 'actuals.csv');
    writeFileSync(actualsFile, file);
    const again2 = spawnSync(process.execPath, [serverJs, 'actuals', datasetId, actualsFile], { env, encoding: 'utf8' });
    expect(again2.status, again2.stderr).toBe(0);
    expect(again2.stdout).toContain('nothing changed: no job queued');
    const badAbsent = spawnSync(process.execPath, [serverJs, 'actuals', datasetId, actualsFile, '--absent-skus', 'drop'], { env, encoding: 'utf8' });
    expect(badAbsent.status).not.toBe(0);
    expect(badAbsent.stderr).toContain("option '--absent-skus <choice>' argument 'drop' is invalid. expected keep or zero");
    const noAttribute = spawnSync(process.execPath, [serverJs, 'accuracy', datasetId, '--by', 'store'], { env, encoding: 'utf8' });
    expect(noAttribute.status).toBe(1);
    expect(noAttribute.stderr).toMatch(/^skucast accuracy: .*store.*no attributes/);
    const bad = spawnSync(process.execPath, [serverJs, 'accuracy', datasetId, '--snapshot', '999'], { env, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('no snapshot 999');
  }, 300_000);
});
