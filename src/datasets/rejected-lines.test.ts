import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { appendActuals } from './actuals.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { importCsv } from './import-dataset.js';
import { dayFromIso } from './date-parse.js';
import { filledWithZero, RejectedLines, REJECTED_ROWS_KEPT } from './rejected-lines.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-rejected-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

// The review's file (finding 6): three quantities that do not read, on periods no other line has.
const messy = [
  'sku,date,sales',
  'A,2024-01-01,10',
  'A,2024-01-01,5',
  'A,2024-02-01,-3',
  'A,2024-04-01,abc',
  'A,2024-05-01,',
  'A,2024-06-01,1e3',
  'A,2024-07-01,"1,234.5"',
  'A,2024-08-01,NaN',
  'A,not-a-date,4',
  ',2024-09-01,4',
  'A,2024-10-01,12',
  'A,2024-11-01,12,extra',
  ...Array.from({ length: 11 }, (_, m) => `B,2024-${String(m + 1).padStart(2, '0')}-01,7`),
].join('\n');

describe('rejected lines whose periods are filled with 0', () => {
  it('warns, naming the periods and the lines, under fillGaps=zero', async () => {
    const out = await importCsv(store, [messy], { dryRun: true });
    expect(out.report.rejectedCount).toBe(6);
    const warning = out.report.warnings.find((w) => w.includes('filled with 0 had a line that was rejected'));
    expect(warning).toBe("3 periods filled with 0 had a line that was rejected: A 2024-04-01 (line 5: quantity 'abc' is not a number), "
      + "A 2024-05-01 (line 6: quantity is empty), A 2024-08-01 (line 9: quantity 'NaN' is not a number); fillGaps=zero feeds them to the models "
      + 'as no sales: fix those lines and import again (maxRejected=0 refuses a file with any rejected line)');
  });

  it('does not warn of a rejected line whose period has another line, nor under fillGaps=report', async () => {
    const text = ['sku,date,sales', 'A,2024-01-01,1', 'A,2024-02-01,2', 'A,2024-02-01,x', 'A,2024-03-01,3', 'A,2024-04-01,4', 'A,2024-05-01,5'].join('\n');
    const out = await importCsv(store, [text], { dryRun: true });
    expect(out.report.rejectedCount).toBe(1);
    expect(out.report.warnings.join('\n')).not.toContain('filled with 0');
    const report = await importCsv(store, [messy], { dryRun: true, settings: { fillGaps: 'report' } });
    expect(report.report.warnings.join('\n')).not.toContain('filled with 0');
  });

  it('warns of a wide file\'s bad cell too', async () => {
    const text = ['sku,2024-01,2024-02,2024-03,2024-04,2024-05', 'A,1,2,oops,4,5', 'B,1,2,3,4,5'].join('\n');
    const out = await importCsv(store, [text], { dryRun: true });
    expect(out.report.warnings.join('\n')).toContain("1 period filled with 0 had a line that was rejected: A 2024-03-01 (line 2: quantity 'oops' is not a number (column '2024-03'))");
  });
});

describe('maxRejected (strict mode)', () => {
  it('refuses a file with more rejected lines than allowed, naming maxRejected and the lines, and stores nothing', async () => {
    const before = (await store.listDatasets()).length;
    const error = await importCsv(store, [messy], { maxRejected: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    const refusal = error as DatasetValidationError;
    expect(refusal.message).toMatch(/^too many rejected lines: 6 lines were rejected, maxRejected allows 5; nothing was imported \(line 5: quantity 'abc' is not a number; line 6: quantity is empty; line 9: quantity 'NaN' is not a number; \.\.\.\)$/);
    expect(refusal.details[0]).toEqual({ path: 'maxRejected', message: '6 rejected lines, more than the 5 allowed' });
    expect(refusal.details.slice(1).map((d) => d.path)).toEqual(['line 5', 'line 6', 'line 9', 'line 10', 'line 11', 'line 13']);
    expect(refusal.report?.rejectedCount).toBe(6);
    expect((await store.listDatasets()).length).toBe(before);
    // A dry run is refused alike: it previews what the import would do.
    await expect(importCsv(store, [messy], { maxRejected: 0, dryRun: true })).rejects.toThrow(/maxRejected allows 0/);
  });

  it('imports a file within the limit, and one with no rejected line under maxRejected=0', async () => {
    const within = await importCsv(store, [messy], { maxRejected: 6, createJobs: false });
    expect(within.datasetId).not.toBeNull();
    const clean = ['sku,date,sales', ...Array.from({ length: 8 }, (_, m) => `A,2024-${String(m + 1).padStart(2, '0')}-01,3`)].join('\n');
    const ok = await importCsv(store, [clean], { maxRejected: 0, createJobs: false });
    expect(ok.report.rejectedCount).toBe(0);
    expect((await store.listDatasets()).length).toBe(2);
  });

  it('refuses actuals alike, leaving the series as they were', async () => {
    const clean = ['sku,date,sales', ...Array.from({ length: 8 }, (_, m) => `A,2024-${String(m + 1).padStart(2, '0')}-01,3`)].join('\n');
    const imported = await importCsv(store, [clean], { createJobs: false });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    const actuals = ['sku,date,sales', 'A,2024-09-01,4', 'A,2024-10-01,n/a'].join('\n');
    await expect(appendActuals(store, dataset, [actuals], { maxRejected: 0 })).rejects.toThrow(/too many rejected lines: 1 line was rejected, maxRejected allows 0/);
    expect((await store.getSeries(dataset.id, 'A'))?.original).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
    const accepted = await appendActuals(store, dataset, [actuals], { maxRejected: 1 });
    expect(accepted.report.rejectedCount).toBe(1);
    expect((await store.getSeries(dataset.id, 'A'))?.original).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 4]);
  });
});

// The bookkeeping alone (rejected-lines.ts), dates read by a stand-in for the accumulator's reader.
const isoDay = (raw: string) => (/^\d{4}-\d{2}-\d{2}$/.test(raw) ? dayFromIso(raw) : null);

describe('RejectedLines', () => {
  it('keeps each SKU\'s first rejected line, whatever order the lines come in', () => {
    const rejected = new RejectedLines();
    rejected.noteSku('A', 9);
    rejected.row(4, "quantity 'x' is not a number", 'A', '2024-03-01');
    rejected.noteSku('B', 7);
    expect([...rejected.skus()]).toEqual([['A', 4], ['B', 7]]);
  });

  it('gives a quantity-rejected line its period, and a SKU-only line or an unread date the undated line', () => {
    const rejected = new RejectedLines();
    rejected.row(5, "quantity 'abc' is not a number", 'A', ' 2024-04-01 ');
    rejected.row(6, 'quantity is empty', 'A', '2024-05-01');
    rejected.noteSku('A', 12);
    rejected.noteSku('A', 10);
    rejected.row(3, 'quantity is empty', 'B', 'soon');
    rejected.row(2, 'quantity is empty', '', '2024-04-01');
    const periods = rejected.periods(isoDay);
    expect(periods.get('A')).toEqual({ lines: [{ date: '2024-04-01', line: 5 }, { date: '2024-05-01', line: 6 }], undatedLine: 10 });
    expect(periods.get('B')).toEqual({ lines: [], undatedLine: 3 });
    expect(periods.has('')).toBe(false);
  });

  it('lists the dated rows by SKU number, leaving out SKUs with no accepted line and dates that do not read', () => {
    const rejected = new RejectedLines();
    rejected.row(5, 'r5', 'A', '2024-04-01');
    rejected.row(6, 'r6', 'gone', '2024-04-01');
    rejected.row(7, 'r7', 'A', 'never');
    const ids = new Map([['A', 0]]);
    expect([...rejected.daysBySku((sku) => ids.get(sku), isoDay)]).toEqual([[0, [{ day: dayFromIso('2024-04-01'), line: 5, reason: 'r5' }]]]);
  });

  it('past REJECTED_ROWS_KEPT rows keeps no date: truncated, and the line counts as undated', () => {
    const rejected = new RejectedLines();
    for (let i = 0; i < REJECTED_ROWS_KEPT; i++) rejected.row(i + 2, 'quantity is empty', 'A', '2024-01-01');
    expect(rejected.truncated).toBe(true);
    rejected.row(1, 'quantity is empty', 'B', '2024-01-01');
    expect(rejected.periods(isoDay).get('B')).toEqual({ lines: [], undatedLine: 1 });
    expect(rejected.periods(isoDay).get('A')?.undatedLine).toBeUndefined();
  });
});

describe('filledWithZero', () => {
  it('names each period in the span with no line of its own once, by its first rejected line', () => {
    const rows = [
      { day: 3, line: 9, reason: 'later' },
      { day: 3, line: 4, reason: 'first' },
      { day: 1, line: 5, reason: 'has a line' },
      { day: 8, line: 6, reason: 'after the span' },
    ];
    expect(filledWithZero(rows, (day) => day, 0, 5, (p) => p === 1)).toEqual([{ period: 3, line: 4, reason: 'first' }]);
  });
});
