import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { importCsv } from './import-dataset.js';
import { importRows } from './import-rows.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-datasets-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows: Array<{ sku: string; date: string; sales: number | string }> = Array.from({ length: 24 }, (_, i) => ({ sku: i % 2 ? 'B' : 'A', date: `${2022 + Math.floor(i / 24)}-${String(Math.floor(i / 2) + 1).padStart(2, '0')}-01`, sales: 5 + i }));

describe('importRows (POST /api/jobs data)', () => {
  it('stores a dataset and its jobs through the import code', async () => {
    const out = await importRows(store, rows, { models: ['seasonal_naive', 'croston'], reason: 'initial_import', createJobs: true });
    expect(out.skusProcessed).toBe(2);
    expect(out.report).toMatchObject({ rows: 24, skus: 2, frequency: 'monthly' });
    expect(out.enqueue?.jobsCreated).toBe(4);
    const jobs = (await store.listJobs({ limit: 10 })).jobs;
    expect(new Set(jobs.map((j) => `${j.reason}/${j.priority}/${j.datasetId}`))).toEqual(new Set([`initial_import/3/${out.datasetId}`]));
    expect((await store.getSeries(out.datasetId, 'A'))?.original).toEqual([5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27]);
  });

  it('refuses a bad row naming it, and stores nothing', async () => {
    const bad = [...rows];
    bad[3] = { ...bad[3], sales: 'many' };
    bad[5] = { ...bad[5], date: '2022-02-30' };
    const error = await importRows(store, bad, { models: ['seasonal_naive'], reason: 'dataset_upload', createJobs: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as DatasetValidationError).details).toEqual([
      { path: 'data[3].sales', message: "quantity 'many' is not a number" },
      { path: 'data[5].date', message: "date '2022-02-30' does not parse" },
    ]);
    expect(await store.listDatasets()).toEqual([]);
    expect((await store.summary()).total).toBe(0);
  });
});

describe('an import that fails midway', () => {
  it('leaves no dataset, series or job behind when the store write fails', async () => {
    const failing: Store = Object.create(store, {
      // The real transaction, handed a second series with the same SKU: its insert fails after
      // the dataset row and the first series were written inside the transaction.
      createDataset: { value: (dataset: never, series: Array<{ sku: string }>, jobs: never, options: never) => store.createDataset(dataset, [...series, series[0]] as never, jobs, options) },
    });
    const csv = 'sku,date,sales\n' + rows.map((r) => `${r.sku},${r.date},${r.sales}`).join('\n');
    await expect(importCsv(failing, [csv], { models: ['seasonal_naive'] })).rejects.toThrow();
    expect(await store.listDatasets()).toEqual([]);
    expect((await store.summary()).total).toBe(0);
    expect(await store.getSeries('any', 'A')).toBeNull();
  });
});

describe('importRows with nothing to forecast', () => {
  it('names data when every SKU has a single date', async () => {
    const error = await importRows(store, [{ sku: 'A', date: '2023-01-01', sales: 1 }, { sku: 'B', date: '2023-01-01', sales: 2 }], { models: ['seasonal_naive'], reason: 'dataset_upload', createJobs: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as DatasetValidationError).details[0].path).toBe('data');
    expect(await store.listDatasets()).toEqual([]);
  });

  it('a CSV of one date per SKU is refused for that, not as rows without quantities', async () => {
    const error = await importCsv(store, ['sku,date,qty\nA,2024-01-01,5\nB,2024-01-01,6\n'], { models: ['seasonal_naive'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toBe('nothing usable: the frequency cannot be inferred from a single date');
    expect(await store.listDatasets()).toEqual([]);
  });
});

describe('an import whose last period is partial (the export taken mid-month)', () => {
  /** Daily sales of each SKU from its first month to November 10: whole months, then ten days of November. */
  const daily = (from: Record<string, number>) => {
    let csv = 'sku,day,units\n';
    for (const [sku, month] of Object.entries(from)) {
      for (let d = new Date(Date.UTC(2024, month, 1)); d <= new Date(Date.UTC(2024, 10, 10)); d.setUTCDate(d.getUTCDate() + 1)) {
        csv += `${sku},${d.toISOString().slice(0, 10)},3\n`;
      }
    }
    return csv;
  };

  it('lists SKUs too short, and refuses a holdout none reaches, by the whole months the models train on, not counting the month to date', async () => {
    // A: January to October whole (10 months); B: March to October (8). A holdout of 6 needs 10:
    // B is forecast with the holdout of 4 its 8 whole months allow (not 5, counting November).
    const out = await importCsv(store, [daily({ A: 0, B: 2 })], { frequency: 'monthly', models: ['naive'], createJobs: true });
    expect(Object.keys((await store.getSeries(out.datasetId!, 'A'))!.provisional ?? {})).toEqual(['2024-11-01']);
    expect(out.report.tooShort).toEqual([]);
    expect(out.jobsCreated).toBe(2);
    const jobs = (await store.listJobs({ datasetId: out.datasetId!, limit: 10 })).jobs;
    expect(Object.fromEntries(jobs.map((j) => [j.sku, j.settings.holdout]))).toEqual({ A: 6, B: 4 });
    // A holdout of 7 needs 11: A has 11 stored months but only 10 whole ones, so no SKU would get a job.
    const refused = await importCsv(store, [daily({ A: 0 })], { frequency: 'monthly', models: ['naive'], settings: { holdout: 7 }, createJobs: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatasetValidationError);
    expect((refused as DatasetValidationError).message).toMatch(/^invalid holdout: .*the longest has 10 periods/);
  });
});
