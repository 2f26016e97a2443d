import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../stores/open-store.js';
import { createPostgresTestSchema, postgresTestUrl } from '../stores/postgres/postgres-test-schema.js';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import type { Job } from '../queue/job.js';
import type { ForecastResult } from '../forecasting/index.js';
import { ForecastHandler } from '../worker/forecast-handler.js';
import { appendActuals } from './actuals.js';
import type { Dataset } from './dataset.js';
import { importCsv } from './import-dataset.js';
import { changeSettings, editSeries } from './requeue-edits.js';

/**
 * The month to date uploaded day by day into a monthly dataset, through the real verbs on a real
 * SQLite file, with every job run by the real ForecastHandler (inline). A short SKU's seasonal
 * job may borrow the dataset's pooled profile: its key names the pool (job-planner.ts), which the
 * month to date does not change, so its result is reused; anything the pool is made from does.
 */
const pgUrl = postgresTestUrl('the month to date on PostgreSQL');
const backends: Array<[string, () => Promise<{ store: Store; close: () => Promise<void> }>]> = [
  ['SQLite', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skucast-mtd-'));
    const store = await openSqliteStore(path.join(dir, 'jobs.db'));
    await store.migrate();
    return { store, close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }],
  ...(pgUrl ? [['PostgreSQL', async () => {
    const schema = await createPostgresTestSchema(pgUrl, 'mtd');
    const store = await openStore({ databaseUrl: schema.url });
    return { store, close: async () => { await store.close(); await schema.drop(); } };
  }] as [string, () => Promise<{ store: Store; close: () => Promise<void> }>]] : []),
];
let store: Store;
let close: () => Promise<void>;
afterEach(async () => {
  await close();
});

const SEASON = [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.1, 1, 1.1, 1.5, 1.9];
const month = (i: number) => `${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`; // month(0): January 2022

/** Months `from` to 35 (December 2024) of a seasonal SKU. */
function monthly(sku: string, from: number, level: number): string {
  let out = '';
  for (let i = from; i < 36; i++) out += `${sku},${month(i)},${Math.round(level * SEASON[i % 12] * (1 + 0.01 * i) * (1 + 0.03 * Math.sin(i * 7 + level)))}\n`;
  return out;
}

/** Days `from` to `to` of January 2025, 10 units a day for each SKU. */
function days(skus: string[], from: number, to: number): string {
  let out = 'sku,date,units\n';
  for (let d = from; d <= to; d++) for (const sku of skus) out += `${sku},2025-01-${String(d).padStart(2, '0')},10\n`;
  return out;
}

const LONG = ['L0', 'L1', 'L2', 'L3'];
const SHORT = ['S14', 'S16', 'S20'];
const ALL = [...LONG, ...SHORT];
const MODELS = ['ets', 'seasonal_naive', 'naive'];
const BORROWING = SHORT.flatMap((sku) => [`${sku}/ets`, `${sku}/seasonal_naive`]).sort();

/** Four long SKUs (36 months) and three short ones (14, 16 and 20 months), all to December 2024. */
async function dataset(): Promise<string> {
  let file = 'sku,month,units\n';
  LONG.forEach((sku, k) => { file += monthly(sku, 0, 100 + 20 * k); });
  for (const sku of SHORT) file += monthly(sku, 36 - Number(sku.slice(1)), 80);
  return (await importCsv(store, [file], { frequency: 'monthly', models: MODELS })).datasetId!;
}
const current = async (id: string): Promise<Dataset> => (await store.getDataset(id))!;
const append = async (id: string, file: string) => appendActuals(store, await current(id), [file]);

async function jobsOf(filter: { batchId?: string; datasetId?: string }): Promise<Job[]> {
  return (await store.listJobs({ ...filter, limit: 1000 })).jobs;
}
const name = (j: Job) => `${j.sku}/${j.modelId}`;
/** The borrowing jobs of a batch: name -> [status, inputHash]. */
async function borrowing(batchId: string): Promise<Record<string, [string, string | null]>> {
  const jobs = (await jobsOf({ batchId })).filter((j) => BORROWING.includes(name(j)));
  return Object.fromEntries(jobs.map((j) => [name(j), [j.status, j.inputHash]]));
}
const keys = (b: Record<string, [string, string | null]>) => Object.fromEntries(Object.entries(b).map(([k, [, hash]]) => [k, hash]));
const statuses = (b: Record<string, [string, string | null]>) => [...new Set(Object.values(b).map(([status]) => status))];

/** Runs every pending job as a worker does (claim, ForecastHandler, complete); `failing` jobs are failed instead. */
async function runAll(failing: (job: Job) => boolean = () => false): Promise<void> {
  const handler = new ForecastHandler(store, { threads: 1, inline: true });
  for (;;) {
    const claimed = await store.claim({ workerId: 'test-worker', limit: 50, leaseMs: 60_000 });
    if (claimed.length === 0) break;
    for (const { job, jobId, leaseToken } of claimed) {
      if (failing(job)) {
        await store.fail({ jobId, leaseToken }, 'failed by the test');
        continue;
      }
      const result = await handler.run(job, { signal: new AbortController().signal, reportProgress: () => {} });
      expect(await store.complete({ jobId, leaseToken }, result)).toBe(true);
    }
  }
  await handler.close();
}

describe.each(backends)('%s: the month to date, day by day, into a monthly dataset: short SKUs\' seasonal jobs', (_, open) => {
  beforeEach(async () => {
    ({ store, close } = await open());
  });

  it('are reused while only the month to date changes, and get a new key from anything the pooled profile is made from', async () => {
    const id = await dataset();
    const imported = (await jobsOf({ datasetId: id })).filter((j) => BORROWING.includes(name(j)));
    expect(imported.map(name).sort()).toEqual(BORROWING);
    expect(imported.every((j) => /^[0-9a-f]{64}$/.test(j.inputHash ?? ''))).toBe(true); // keyed on the pool
    const importKeys = Object.fromEntries(imported.map((j) => [name(j), j.inputHash]));
    await runAll();
    // The short SKUs did borrow: the forecasts carry the pooled profile where cross-validation kept it.
    const results = await Promise.all(imported.map(async (j) => (await store.getJob(j.id))!.result as ForecastResult));
    expect(results.some((r) => r.seasonalProfile?.scope === 'dataset')).toBe(true);

    // January to date, day by day: every SKU changes (its provisional January), no whole month does.
    for (const to of [2, 3]) {
      const out = await append(id, days(ALL, 1, to));
      expect(out.partial.provisional).toBe(ALL.length);
      // Was: 15 (the six borrowing jobs queued and recomputed every day).
      expect(out.jobsReused).toBe(ALL.length * MODELS.length);
      const b = await borrowing(out.batchId!);
      expect(keys(b)).toEqual(importKeys);
      expect(statuses(b)).toEqual(['completed']);
    }
    // What was reused is what the job computes now from the dataset as it is (a run with no key borrows the current pool).
    const reused = (await jobsOf({ datasetId: id })).find((j) => name(j) === 'S14/ets' && j.status === 'completed' && j.id > imported[imported.length - 1].id)!;
    const handler = new ForecastHandler(store, { threads: 1, inline: true });
    const fresh = await handler.run({ ...reused, inputHash: null }, { signal: new AbortController().signal, reportProgress: () => {} }) as ForecastResult;
    expect(fresh.forecast).toEqual(((await store.getJob(reused.id))!.result as ForecastResult).forecast);
    expect(fresh.seasonalProfile).toEqual(((await store.getJob(reused.id))!.result as ForecastResult).seasonalProfile);

    // Another SKU's whole period edited (L0's December): the pool changed, the short SKUs' own histories did not.
    await editSeries(store, await current(id), (await store.getSeries(id, 'L0'))!, { edits: [{ date: '2024-12-01', value: 999 }] });
    await runAll();
    const afterEdit = await append(id, days(ALL, 1, 4));
    const edited = await borrowing(afterEdit.batchId!);
    expect(statuses(edited)).toEqual(['pending']);
    for (const job of BORROWING) expect(edited[job][1]).not.toBe(importKeys[job]);
    expect(afterEdit.jobsReused).toBe(ALL.length * MODELS.length - BORROWING.length);
    // One of them fails: a failed job is never reused, the next day's file queues it again.
    await runAll((job) => name(job) === 'S14/ets');
    const day5 = await append(id, days(ALL, 1, 5));
    expect(await borrowing(day5.batchId!)).toMatchObject({ 'S14/ets': ['pending', edited['S14/ets'][1]], 'S16/ets': ['completed', edited['S16/ets'][1]] });
    expect(day5.jobsReused).toBe(ALL.length * MODELS.length - 1);
    await runAll();
    expect((await append(id, days(ALL, 1, 6))).jobsReused).toBe(ALL.length * MODELS.length);

    // A closed period appended for another SKU alone (L0's whole January): the pool and its cut-off move.
    const l0 = await append(id, days(['L0'], 1, 31));
    expect(l0.partial.settled).toBe(1);
    expect(await borrowing(l0.batchId!)).toEqual({}); // the short SKUs did not change: not planned
    await runAll();
    const afterClosed = await append(id, days(SHORT.concat(['L1', 'L2', 'L3']), 1, 7));
    const closed = await borrowing(afterClosed.batchId!);
    expect(statuses(closed)).toEqual(['pending']);
    for (const job of BORROWING) expect(closed[job][1]).not.toBe(edited[job][1]);
    await runAll();

    // A settings change: new keys (the settings are in every key), planned with the pool, so the
    // next month to date reuses what the change computed.
    const settings = await changeSettings(store, await current(id), { horizon: 6 });
    const changed = await borrowing(settings.batchId!);
    expect(statuses(changed)).toEqual(['pending']);
    for (const job of BORROWING) expect(changed[job][1]).not.toBe(closed[job][1]);
    await runAll();
    const afterSettings = await append(id, days(SHORT.concat(['L1', 'L2', 'L3']), 1, 8));
    expect(keys(await borrowing(afterSettings.batchId!))).toEqual(keys(changed));
    expect(afterSettings.jobsReused).toBe((ALL.length - 1) * MODELS.length);
  });

  it('another SKU edited between the append\'s read and its write: the store refuses, the file is merged again, and the keys name the pool with the edit', async () => {
    const id = await dataset();
    const importKeys = keys(await borrowing((await jobsOf({ datasetId: id }))[0].batchId!));
    await runAll();
    let raced = false;
    const racing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'appendActuals' || raced) return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<Store['appendActuals']>) => {
          raced = true;
          await editSeries(store, await current(id), (await store.getSeries(id, 'L0'))!, { edits: [{ date: '2024-12-01', value: 999 }] });
          return target.appendActuals(...args);
        };
      },
    });
    // The file has no line for L0 (absentSkus keep): only the dataset's version tells of its edit.
    const out = await appendActuals(racing, await current(id), [days(ALL.filter((sku) => sku !== 'L0'), 1, 2)]);
    expect(raced).toBe(true);
    const b = await borrowing(out.batchId!);
    // Was (keyed on the pool as read before the edit): completed at once from the import's results.
    expect(statuses(b)).toEqual(['pending']);
    for (const job of BORROWING) expect(b[job][1]).not.toBe(importKeys[job]);
    await runAll(); // the worker reads the same pool: no job is superseded
    expect(keys(await borrowing((await append(id, days(ALL.filter((sku) => sku !== 'L0'), 1, 3))).batchId!))).toEqual(keys(b));
  });

  it('a new SKU joins the pool: its first month to date gives the short SKUs\' jobs new keys', async () => {
    const id = await dataset();
    await runAll();
    const before = await append(id, days(ALL, 1, 2));
    const out = await append(id, days([...ALL, 'N'], 1, 3));
    expect(out.skusAdded).toBe(1);
    const b = await borrowing(out.batchId!);
    expect(statuses(b)).toEqual(['pending']);
    const had = keys(await borrowing(before.batchId!));
    for (const job of BORROWING) expect(b[job][1]).not.toBe(had[job]);
  });
});
