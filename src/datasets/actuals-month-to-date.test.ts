import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import type { Job } from '../queue/job.js';
import { appendActuals } from './actuals.js';
import type { Dataset } from './dataset.js';
import { importCsv } from './import-dataset.js';

/**
 * The month to date uploaded day by day into a monthly dataset, through the real verbs on a real
 * SQLite file: it changes every SKU's provisional last month and no SKU's whole months, so a job
 * that may borrow the pooled profile (a seasonal model on a SKU under two years: no input hash)
 * would compute what its SKU already has. Such jobs are queued again once whole months change.
 */
let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-mtd-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const SEASON = [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.1, 1, 1.1, 1.5, 1.9];
const month = (i: number) => `${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`; // month(0): January 2022

/** Months `from` to 35 (December 2024) of a seasonal SKU. */
function monthly(sku: string, from: number, level: number): string {
  let out = '';
  for (let i = from; i < 36; i++) out += `${sku},${month(i)},${Math.round(level * SEASON[i % 12] * (1 + 0.01 * i) * (1 + 0.03 * Math.sin(i * 7 + level)))}\n`;
  return out;
}

/** Days `from` to `to` of January 2025 (or `monthIndex` of 2025), `perDay` units a day for each SKU. */
function days(skus: string[], from: number, to: number, monthIndex = 0, perDay = 10): string {
  let out = 'sku,date,units\n';
  for (let d = from; d <= to; d++) for (const sku of skus) out += `${sku},2025-${String(monthIndex + 1).padStart(2, '0')}-${String(d).padStart(2, '0')},${perDay}\n`;
  return out;
}

const LONG = ['L0', 'L1', 'L2', 'L3'];
const SHORT = ['S14', 'S16', 'S20'];
const ALL = [...LONG, ...SHORT];
const MODELS = ['ets', 'seasonal_naive', 'naive'];

/** Four long SKUs (36 months) and three short ones (14, 16 and 20 months), all to December 2024. */
async function dataset(skus: { long: string[]; short: string[] } = { long: LONG, short: SHORT }, models = MODELS): Promise<Dataset> {
  let file = 'sku,month,units\n';
  skus.long.forEach((sku, k) => { file += monthly(sku, 0, 100 + 20 * k); });
  for (const sku of skus.short) file += monthly(sku, 36 - Number(sku.slice(1)), 80);
  const imported = await importCsv(store, [file], { frequency: 'monthly', models });
  return (await store.getDataset(imported.datasetId!))!;
}

async function jobsOf(filter: { batchId?: string; datasetId?: string }): Promise<Job[]> {
  return (await store.listJobs({ ...filter, limit: 1000 })).jobs;
}
const unhashed = (jobs: Job[]) => jobs.filter((j) => j.inputHash === null).map((j) => `${j.sku}/${j.modelId}`).sort();
const borrowing = SHORT.flatMap((sku) => [`${sku}/ets`, `${sku}/seasonal_naive`]).sort();

describe('the month to date, day by day, into a monthly dataset', () => {
  it('queues no job without an input hash while no whole month changes; the append that completes January queues them again', async () => {
    const ds = await dataset();
    const imported = await jobsOf({ datasetId: ds.id });
    expect(unhashed(imported)).toEqual(borrowing); // the short SKUs' seasonal models may borrow the pool

    for (const to of [2, 3, 4]) {
      const out = await appendActuals(store, ds, [days(ALL, 1, to)]);
      expect(out.skusChanged).toBe(ALL.length); // every SKU's January to date, provisional
      expect(out.partial.provisional).toBe(ALL.length);
      const queued = await jobsOf({ batchId: out.batchId! });
      // Was: all six, every day, recomputing the forecasts the short SKUs already had.
      expect(unhashed(queued)).toEqual([]);
      expect(out).toMatchObject({ jobsCreated: ALL.length * MODELS.length - borrowing.length, jobsSkipped: borrowing.length });
      expect(queued.length).toBe(out.jobsCreated);
    }
    // The short SKUs' jobs from the import were neither superseded nor replaced.
    const open = await jobsOf({ datasetId: ds.id });
    expect(unhashed(open.filter((j) => j.status === 'pending'))).toEqual(borrowing);
    expect(open.filter((j) => j.inputHash === null).map((j) => j.id).sort()).toEqual(imported.filter((j) => j.inputHash === null).map((j) => j.id).sort());

    // January whole: every SKU's model history gains it, and the pool may move.
    const whole = await appendActuals(store, ds, [days(ALL, 1, 31)]);
    expect(whole.partial.settled).toBe(ALL.length);
    expect(unhashed(await jobsOf({ batchId: whole.batchId! }))).toEqual(borrowing);
    expect(whole).toMatchObject({ jobsCreated: ALL.length * MODELS.length, jobsSkipped: 0 });

    // February to date: none again.
    const february = await appendActuals(store, ds, [days(ALL, 1, 2, 1)]);
    expect(unhashed(await jobsOf({ batchId: february.batchId! }))).toEqual([]);
  });

  it('any whole-month change queues them as before: L0\'s December revised beside everyone\'s January to date', async () => {
    const ds = await dataset();
    await appendActuals(store, ds, [days(ALL, 1, 2)]);
    const december = days(['L0'], 1, 31).replace(/2025-01-/g, '2024-12-');
    const out = await appendActuals(store, ds, [december + days(ALL, 1, 3).replace('sku,date,units\n', '')]);
    expect(out.revisions).toContainEqual(expect.objectContaining({ sku: 'L0', date: '2024-12-01', value: 310 }));
    expect(out.partial).toMatchObject({ settled: 0, provisional: ALL.length });
    expect(unhashed(await jobsOf({ batchId: out.batchId! }))).toEqual(borrowing);
    expect(out.jobsSkipped).toBe(0);
  });

  it('a new SKU joins the pool: its first month to date queues the short SKUs\' jobs too', async () => {
    const ds = await dataset();
    await appendActuals(store, ds, [days(ALL, 1, 2)]);
    const out = await appendActuals(store, ds, [days([...ALL, 'N'], 1, 3)]);
    expect(out.skusAdded).toBe(1);
    expect(unhashed(await jobsOf({ batchId: out.batchId! }))).toEqual(borrowing);
  });

  it('short SKUs and seasonal models only: the month to date is stored and queues nothing (batchId null), so the snapshot mark stays', async () => {
    const ds = await dataset({ long: [], short: SHORT }, ['ets', 'seasonal_naive']);
    await appendActuals(store, ds, [days(SHORT, 1, 2)]);
    const before = await store.datasetProgress(ds.id);
    const out = await appendActuals(store, ds, [days(SHORT, 1, 3)]);
    expect(out).toMatchObject({ skusChanged: SHORT.length, batchId: null, jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, jobsSkipped: borrowing.length });
    expect(out.actuals).toMatchObject({ batchId: null, skusChanged: SHORT.length });
    expect((await store.getSeries(ds.id, 'S14'))!.provisional).toEqual({ '2025-01-01': { from: '2025-01-01', to: '2025-01-03', value: 30 } });
    expect(await store.datasetProgress(ds.id)).toEqual(before);
  });
});
