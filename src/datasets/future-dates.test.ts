import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { appendActuals } from './actuals.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { importCsv } from './import-dataset.js';
import { importRows } from './import-rows.js';
import { changeSettings } from './requeue-edits.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-future-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = Date.UTC(2026, 11, 6, 12);
const month = (m: number) => `2024-${String(m).padStart(2, '0')}-01`;
// The review's file (finding 7): three SKUs of 2024, and one line of T0 typed 2099.
const typo = ['sku,date,sales', ...[0, 1, 2].flatMap((i) => Array.from({ length: 12 }, (_, m) => `T${i},${month(m + 1)},5`)), 'T0,2099-01-01,5'].join('\n');

describe('rows dated after the current period', () => {
  it('warns, naming the SKU, its line and how many periods past the current one it reaches', async () => {
    const out = await importCsv(store, [typo], { dryRun: true, now });
    expect(out.report.dateRange).toEqual({ start: '2024-01-01', end: '2099-01-01' });
    const warning = out.report.warnings.find((w) => w.includes('dated after the current period'));
    expect(warning).toBe("1 line is dated after the current period (2026-12-01, today being 2026-12-06): 'T0' 2099-01-01 (line 38), 865 months past it. "
      + "A sales history ends today: a mistyped year (2099 for 2024)? This SKU's lines add up to 865 months to the dataset, the periods up to them filled with 0 under fillGaps=zero, and forecasts start after them; fix the dates and import again");
  });

  it('says nothing of rows in the current period or before it', async () => {
    const text = ['sku,date,sales', ...Array.from({ length: 12 }, (_, m) => `A,2026-${String(m + 1).padStart(2, '0')}-01,5`)].join('\n');
    const out = await importCsv(store, [text], { dryRun: true, now });
    expect(out.report.warnings.join('\n')).not.toContain('dated after the current period');
    // The same file a month earlier: December 2026 is in the future then.
    const before = await importCsv(store, [text], { dryRun: true, now: Date.UTC(2026, 10, 30) });
    expect(before.report.warnings.join('\n')).toContain("1 line is dated after the current period (2026-11-01, today being 2026-11-30): 'A' 2026-12-01 (line 13), 1 month past it");
  });

  it('warns of POST /api/jobs data rows too (the same accumulator), stored in the dataset\'s report', async () => {
    const rows = [...Array.from({ length: 12 }, (_, m) => ({ sku: 'Z', date: month(m + 1), sales: 3 })), { sku: 'Z', date: '2030-06-01', sales: 3 }];
    const out = await importRows(store, rows, { models: ['naive'], reason: 'dataset_upload', createJobs: false, now });
    expect(out.report.warnings.join('\n')).toContain("1 line is dated after the current period (2026-12-01, today being 2026-12-06): 'Z' 2030-06-01 (line 13), 42 months past it");
  });

  it('warns of actuals dated after the current period too', async () => {
    const text = ['sku,date,sales', ...Array.from({ length: 12 }, (_, m) => `A,${month(m + 1)},5`)].join('\n');
    const imported = await importCsv(store, [text], { createJobs: false, now });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    const out = await appendActuals(store, dataset, ['sku,date,sales\nA,2025-01-01,4\nA,2205-02-01,4\n'], { now });
    expect(out.report.warnings.join('\n')).toContain("1 line is dated after the current period (2026-12-01, today being 2026-12-06): 'A' 2205-02-01 (line 3), 2138 months past it");
  });
});

describe('dates whose forecast would pass year 9999', () => {
  it('refuses a CSV line whose forecast would run past 9999-12-31, naming its line, nothing stored', async () => {
    const text = ['sku,date,sales', 'Z,2024-03-01,1', 'Z,9999-12-01,1'].join('\n');
    const error = await importCsv(store, [text], { now, createJobs: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toBe("date '9999-12-01' on line 3 is too late: a forecast of 6 yearly periods after it would run past 9999-12-31; nothing was imported");
    expect((error as DatasetValidationError).details).toEqual([{ path: 'line 3', message: "date '9999-12-01' is too late: its forecast (horizon 6) would run past 9999-12-31, the last date a forecast can have" }]);
    expect(await store.listDatasets()).toEqual([]);
  });

  it('refuses such a POST /api/jobs data row naming data[i].date, and accepts the latest date whose forecast fits', async () => {
    const rows = [{ sku: 'Z', date: '9999-12-01', sales: 1 }, { sku: 'Z', date: '2024-03-01', sales: 1 }];
    const error = await importRows(store, rows, { models: ['naive'], reason: 'dataset_upload', createJobs: true, now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toMatch(/^date '9999-12-01' in data\[0\]\.date is too late/);
    expect((error as DatasetValidationError).details[0].path).toBe('data[0].date');
    expect(await store.listDatasets()).toEqual([]);
    // Monthly, horizon 12: a last month of 9998-12 forecasts to 9999-12-01.
    const fits = Array.from({ length: 12 }, (_, m) => ({ sku: 'Y', date: `9998-${String(m + 1).padStart(2, '0')}-01`, sales: 2 }));
    const ok = await importRows(store, fits, { models: ['naive'], reason: 'dataset_upload', createJobs: false, now, settings: { horizon: 12 } });
    expect(ok.datasetId).toBeTruthy();
    const past = [...fits, { sku: 'Y', date: '9999-01-01', sales: 2 }];
    await expect(importRows(store, past, { models: ['naive'], reason: 'dataset_upload', createJobs: false, now, settings: { horizon: 12 } }))
      .rejects.toThrow(/^date '9999-01-01' in data\[12\]\.date is too late: a forecast of 12 monthly periods/);
  });
  it('refuses actuals whose merged series would forecast past 9999-12-31 as an import does, naming the line, nothing stored or queued', async () => {
    // Monthly, horizon 12: 9998-12 is the last month whose forecast fits.
    const file = ['item,month,units', ...Array.from({ length: 12 }, (_, m) => `A,9998-${String(m + 1).padStart(2, '0')}-01,10`)].join('\n');
    const imported = await importCsv(store, [file], { createJobs: false, now });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    expect(dataset.settings.horizon).toBe(12);
    const error = await appendActuals(store, dataset, ['item,month,units\nA,9998-12-01,11\nA,9999-06-01,7\n'], { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toBe("date '9999-06-01' on line 3 is too late: a forecast of 12 monthly periods after it would run past 9999-12-31; nothing was appended");
    expect((error as DatasetValidationError).details).toEqual([{ path: 'line 3', message: "date '9999-06-01' is too late: its forecast (horizon 12) would run past 9999-12-31, the last date a forecast can have" }]);
    const series = (await store.getSeries(dataset.id, 'A'))!;
    expect(series.dates.at(-1)).toBe('9998-12-01');
    expect(series.original.at(-1)).toBe(10);
    expect((await store.summary()).total).toBe(0);
    expect(await store.listActuals(dataset.id)).toEqual([]);
    // A revision of a period that fits is appended.
    const fits = await appendActuals(store, dataset, ['item,month,units\nA,9998-12-01,11\n'], { now });
    expect(fits.skusChanged).toBe(1);
  });

  it('refuses a settings change that raises the horizon past 9999-12-31 after the last date, naming horizon, nothing changed', async () => {
    const file = ['item,month,units', ...Array.from({ length: 12 }, (_, m) => `A,9998-${String(m + 1).padStart(2, '0')}-01,10`)].join('\n');
    const imported = await importCsv(store, [file], { createJobs: false, now, settings: { horizon: 6 } });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    const error = await changeSettings(store, dataset, { horizon: 13 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    const message = "a forecast of 13 monthly periods after the dataset's last date 9998-12-01 would run past 9999-12-31, the last date a forecast can have (at most 12 here); nothing was changed";
    expect((error as Error).message).toBe(`invalid horizon: ${message}`);
    expect((error as DatasetValidationError).details).toEqual([{ path: 'horizon', message }]);
    expect((await store.getDataset(dataset.id))!.settings.horizon).toBe(6);
    expect((await store.summary()).total).toBe(0);
    // The longest that fits is taken, and a shorter one than that too.
    expect((await changeSettings(store, dataset, { horizon: 12 })).settings.horizon).toBe(12);
  });
});
