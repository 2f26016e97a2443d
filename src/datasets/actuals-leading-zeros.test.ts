import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { appendActuals } from './actuals.js';
import type { Dataset } from './dataset.js';
import { isDatasetValidationError } from './dataset-validation-error.js';
import { importCsv } from './import-dataset.js';

/**
 * Actuals whose item codes lost their leading zeros (a file re-saved in Excel: 123 for 00123),
 * through the real verb on a real SQLite file: read as the dataset's SKUs, not as phantom new ones
 * beside them, which with absentSkus=zero would have zeroed every real SKU.
 */
let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-zeros-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const month = (k: number) => `2025-${String(k + 1).padStart(2, '0')}-01`; // month(12): 2026-01-01
const nextMonth = '2026-01-01';

/** 12 months (2025) of 10 for each SKU, keyed by `columns` (one key column, or store x item). */
async function monthlyDataset(skus: string[][], columns = ['item']): Promise<Dataset> {
  let file = `${columns.join(',')},month,units\n`;
  for (const key of skus) for (let k = 0; k < 12; k++) file += `${key.join(',')},${month(k)},10\n`;
  const imported = await importCsv(store, [file], { createJobs: false, ...(columns.length > 1 ? { mapping: { sku: columns, date: 'month', quantity: 'units' } } : {}) });
  return (await store.getDataset(imported.datasetId!))!;
}

const last = async (dataset: Dataset, sku: string) => {
  const s = (await store.getSeries(dataset.id, sku))!;
  return [s.dates.at(-1), s.original.at(-1)];
};

describe('actuals whose codes lost their leading zeros', () => {
  it('reads 123 as the dataset\'s 00123, so absentSkus=zero zeroes none of the real SKUs (was: 2 new SKUs, and 00123 and 00456 written 0)', async () => {
    const dataset = await monthlyDataset([['00123'], ['00456'], ['ABC']]);
    const out = await appendActuals(store, dataset, [`item,month,units\n123,${nextMonth},7\n456,${nextMonth},8\nABC,${nextMonth},9\n`], { absentSkus: 'zero' });
    expect(out).toMatchObject({ skusAdded: 0, skusChanged: 3, periodsAdded: 3 });
    expect(await last(dataset, '00123')).toEqual([nextMonth, 7]);
    expect(await last(dataset, '00456')).toEqual([nextMonth, 8]);
    expect(await store.missingSkus(dataset.id, ['123', '456'])).toEqual(['123', '456']);
    expect((await store.getDataset(dataset.id))!.skuCount).toBe(3);
    expect(out.report.warnings).toContain("read 2 SKUs as the dataset's SKUs whose codes have leading zeros (123 as 00123, 456 as 00456), as a file saved by Excel loses them");
    expect(out.report.warnings.join('\n')).not.toMatch(/no line in this file/);
  });

  it('reads a composite key\'s item part the same: S01 / 123 is S01 / 00123, and S02\'s item is not confused with it', async () => {
    const dataset = await monthlyDataset([['S01', '00123'], ['S02', '00123']], ['store', 'item']);
    const out = await appendActuals(store, dataset, [`store,item,month,units\nS01,123,${nextMonth},5\n`]);
    expect(out).toMatchObject({ skusAdded: 0, skusChanged: 1 });
    expect(await last(dataset, 'S01 / 00123')).toEqual([nextMonth, 5]);
    expect(await last(dataset, 'S02 / 00123')).toEqual([month(11), 10]);
    expect(out.report.warnings[0]).toBe("read 1 SKU as the dataset's SKU whose code has leading zeros (S01 / 123 as S01 / 00123), as a file saved by Excel loses them");
  });

  it('sums the lines of a code with and without its zeros in one file, as one SKU\'s lines', async () => {
    const dataset = await monthlyDataset([['00123'], ['B']]);
    const out = await appendActuals(store, dataset, [`item,month,units\n00123,${nextMonth},5\n123,${nextMonth},2\nB,${nextMonth},1\n`]);
    expect(out).toMatchObject({ skusAdded: 0, skusChanged: 2 });
    expect(await last(dataset, '00123')).toEqual([nextMonth, 7]);
    expect(out.report.warnings).toContain("read 1 SKU as the dataset's SKU whose code has leading zeros (123 as 00123), as a file saved by Excel loses them; 00123 also had lines under the dataset's own code, summed with them as one SKU's lines");
  });

  it('never maps a code the dataset has itself, and leaves a code two of its SKUs match a new SKU, saying so', async () => {
    const dataset = await monthlyDataset([['123'], ['00123'], ['0555'], ['00555']]);
    const out = await appendActuals(store, dataset, [`item,month,units\n123,${nextMonth},4\n555,${nextMonth},6\n`]);
    expect(out).toMatchObject({ skusAdded: 1, skusChanged: 2 });
    expect(await last(dataset, '123')).toEqual([nextMonth, 4]);
    expect(await last(dataset, '00123')).toEqual([month(11), 10]);
    expect(await last(dataset, '555')).toEqual([nextMonth, 6]);
    expect(out.report.warnings.join('\n')).not.toMatch(/^read /m);
    expect(out.report.warnings).toContain("1 SKU of the file matches several of the dataset's SKUs once leading zeros are ignored, so it was added as a new SKU (555: 00555 or 0555): if it is one of those, send its code with the zeros");
  });
});

describe('absentSkus=zero and a file of none of the dataset\'s SKUs', () => {
  it('is refused naming absentSkus, and nothing is written (was: every SKU of the dataset got 0)', async () => {
    const dataset = await monthlyDataset([['A'], ['B']]);
    const error = await appendActuals(store, dataset, [`item,month,units\nX1,${nextMonth},5\nX2,${nextMonth},6\n`], { absentSkus: 'zero' }).catch((e: unknown) => e);
    expect(isDatasetValidationError(error)).toBe(true);
    if (!isDatasetValidationError(error)) return;
    expect(error.message).toBe("none of the file's 2 SKUs is in the dataset: with absentSkus=zero every SKU of the dataset would get 0 for the file's periods; nothing was appended");
    expect(error.details.map((d) => d.path)).toEqual(['absentSkus', 'file']);
    expect(await last(dataset, 'A')).toEqual([month(11), 10]);
    expect(await store.missingSkus(dataset.id, ['X1', 'X2'])).toEqual(['X1', 'X2']);
    expect(await store.listActuals(dataset.id)).toEqual([]);
    // Without absentSkus=zero the same file adds two SKUs, as any file of new SKUs does.
    const kept = await appendActuals(store, dataset, [`item,month,units\nX1,${nextMonth},5\nX2,${nextMonth},6\n`]);
    expect(kept).toMatchObject({ skusAdded: 2 });
  });
});
