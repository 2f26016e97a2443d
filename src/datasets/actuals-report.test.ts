import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { absentSkusWarning, appendActuals } from './actuals.js';
import type { Dataset } from './dataset.js';
import { importCsv } from './import-dataset.js';

/**
 * What an append says in its report's warnings, through the real verb on a real SQLite file: the
 * zeros it writes into gaps (scored as actuals later), and no frequency guessed from a file whose
 * frequency is the dataset's.
 */
let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-actuals-report-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The last day of month `m` of 2026 (1-based; 13 is January 2027). */
const monthEnd = (m: number) => new Date(Date.UTC(2026, m, 0)).toISOString().slice(0, 10);

/** Store x item SKUs, month ends from January to September 2026, 10 a month. */
async function monthlyDataset(keys: Array<[string, string]>): Promise<Dataset> {
  let file = 'store,item,month,units\n';
  for (const [s, i] of keys) for (let m = 1; m <= 9; m++) file += `${s},${i},${monthEnd(m)},10\n`;
  const imported = await importCsv(store, [file], { createJobs: false, mapping: { sku: ['store', 'item'], date: 'month', quantity: 'units' } });
  return (await store.getDataset(imported.datasetId!))!;
}

describe('a month a SKU had no line for, filled with 0 when a later month arrives', () => {
  it('is named with a count and the SKU\'s period (was: October became 0 without a word, then scored as an actual)', async () => {
    const dataset = await monthlyDataset([['S01', '00140'], ['S02', '00141']]);
    // October: S02 / 00141 has no line (absentSkus keep: left as it was, warned about).
    await appendActuals(store, dataset, [`store,item,month,units\nS01,00140,${monthEnd(10)},12\n`]);
    const november = await appendActuals(store, dataset, [`store,item,month,units\nS01,00140,${monthEnd(11)},13\nS02,00141,${monthEnd(11)},14\n`]);
    const s02 = (await store.getSeries(dataset.id, 'S02 / 00141'))!;
    expect(s02.dates.slice(-3)).toEqual([monthEnd(9), monthEnd(10), monthEnd(11)]);
    expect(s02.original.slice(-3)).toEqual([10, 0, 14]);
    expect(november.report.warnings).toContain(
      `1 SKU had no line for 1 period before the file's values, filled with 0 as the dataset's fillGaps says: S02 / 00141 ${monthEnd(10)}; if it sold in that period, send it again: a file's value revises the 0`,
    );
  });

  it('counts the SKUs and periods, in the plural, and says nothing when nothing was filled', async () => {
    const dataset = await monthlyDataset([['S01', '1'], ['S02', '2'], ['S03', '3']]);
    const out = await appendActuals(store, dataset, [`store,item,month,units\nS01,1,${monthEnd(12)},5\nS02,2,${monthEnd(11)},6\nS03,3,${monthEnd(10)},7\n`]);
    expect(out.report.warnings).toContain(
      `2 SKUs had no line for 3 periods before the file's values, filled with 0 as the dataset's fillGaps says: S01 / 1 ${monthEnd(10)}, ${monthEnd(11)}; S02 / 2 ${monthEnd(10)}; if they sold in those periods, send them again: a file's value revises the 0`,
    );
    const again = await appendActuals(store, dataset, [`store,item,month,units\nS03,3,${monthEnd(11)},7\n`]);
    expect(again.report.warnings.join('\n')).not.toMatch(/filled with 0/);
  });
});

describe('a SKU of the file whose lines stop before the file\'s last period (an export that omits zero rows)', () => {
  const file = `store,item,month,units\nS01,1,${monthEnd(10)},5\nS01,1,${monthEnd(11)},6\nS01,1,${monthEnd(12)},7\nS02,2,${monthEnd(10)},8\n`;

  it('absentSkus=zero: gets 0 for the file\'s later periods, as a SKU with no line at all does, and is named (was: its history ended at its last line, its forecast dated before the others\' history end)', async () => {
    const dataset = await monthlyDataset([['S01', '1'], ['S02', '2']]);
    const out = await appendActuals(store, dataset, [file], { absentSkus: 'zero' });
    const s02 = (await store.getSeries(dataset.id, 'S02 / 2'))!;
    expect(s02.dates.slice(-4)).toEqual([monthEnd(9), monthEnd(10), monthEnd(11), monthEnd(12)]);
    expect(s02.original.slice(-4)).toEqual([10, 8, 0, 0]);
    expect(out.report.warnings).toContain(`1 of the file's SKUs has no line for its last periods (S02 / 2 last on ${monthEnd(10)}, 2 periods after): it got 0 for them, as SKUs with no line at all do (absentSkus=zero)`);
  });

  it('kept (the default): its history ends at its last line, and the warning says so and how to send it', async () => {
    const dataset = await monthlyDataset([['S01', '1'], ['S02', '2']]);
    const out = await appendActuals(store, dataset, [file]);
    expect((await store.getSeries(dataset.id, 'S02 / 2'))!.dates.at(-1)).toBe(monthEnd(10));
    expect(out.report.warnings).toContainEqual(expect.stringMatching(/^1 of the file's SKUs has no line for its last periods \(S02 \/ 2 last on 2026-10-31, 2 periods after\): its history ends there, .*absentSkus=zero/));
  });

  it('absentSkus=zero never writes 0 over a value the SKU has: only after its stored last period', async () => {
    const dataset = await monthlyDataset([['S01', '1'], ['S02', '2']]);
    await appendActuals(store, dataset, [`store,item,month,units\nS01,1,${monthEnd(10)},5\nS02,2,${monthEnd(10)},8\nS02,2,${monthEnd(11)},9\n`]);
    // A revision of October: S01 has November and December, S02 only October, and already has November.
    const out = await appendActuals(store, dataset, [file], { absentSkus: 'zero' });
    const s02 = (await store.getSeries(dataset.id, 'S02 / 2'))!;
    expect(s02.original.slice(-3)).toEqual([8, 9, 0]);
    expect(out.report.warnings).toContain(`1 of the file's SKUs has no line for its last periods (S02 / 2 last on ${monthEnd(10)}, 1 period after): it got 0 for them, as SKUs with no line at all do (absentSkus=zero)`);
  });
});

describe('the frequency of an actuals file is the dataset\'s', () => {
  it('all of October and one revised August is no "the dates look quarterly" (was: warned, the file\'s two dates read as a quarter apart)', async () => {
    const dataset = await monthlyDataset([['S01', '1'], ['S02', '2'], ['S03', '3']]);
    const out = await appendActuals(store, dataset, [`store,item,month,units\nS01,1,${monthEnd(10)},5\nS02,2,${monthEnd(10)},6\nS03,3,${monthEnd(10)},7\nS01,1,${monthEnd(8)},11\n`]);
    expect(out).toMatchObject({ valuesRevised: 1, periodsAdded: 3 });
    expect(out.report.warnings.join('\n')).not.toMatch(/the dates look/);
  });

  it('a file of three or more months for a weekly dataset still says its dates look monthly', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `A,${new Date(Date.UTC(2024, 0, 1 + 7 * w)).toISOString().slice(0, 10)},7\n`;
    const imported = await importCsv(store, [file], { createJobs: false });
    const weekly = (await store.getDataset(imported.datasetId!))!;
    const out = await appendActuals(store, weekly, ['sku,month,units\nA,2024-06-03,30\nA,2024-07-01,30\nA,2024-08-05,30\n']);
    expect(out.report.warnings).toContain('the dates look monthly; read as weekly, the periods between them are gaps');
  });
});

describe('absentSkusWarning', () => {
  it('says "the others" only when some are left, and speaks of one SKU in the singular', () => {
    const keep = absentSkusWarning(['B'], 'keep', 0);
    expect(keep).toMatch(/^1 of the dataset's SKUs has no line in this file \(B\): its history is left as it was; if it sold nothing in these periods, send it with 0 .*, or its forecast starts at/);
    expect(absentSkusWarning(['B'], 'zero', 1)).toBe("1 of the dataset's SKUs has no line in this file (B): it got 0 for the file's periods after its own history (absentSkus=zero)");
    expect(absentSkusWarning(['B', 'C'], 'zero', 2)).toBe("2 of the dataset's SKUs have no line in this file (B, C): both got 0 for the file's periods after their own history (absentSkus=zero)");
    expect(absentSkusWarning(['B', 'C', 'D'], 'zero', 3)).toMatch(/: all of them got 0 .*\(absentSkus=zero\)$/);
    expect(absentSkusWarning(['B', 'C', 'D'], 'zero', 2)).toMatch(/: 2 of them got 0 .*; the other's history already reaches those periods$/);
    expect(absentSkusWarning(['B', 'C', 'D', 'E'], 'zero', 2)).toMatch(/; the others' histories already reach those periods$/);
    expect(absentSkusWarning(['B', 'C'], 'zero', 0)).toBe("2 of the dataset's SKUs have no line in this file (B, C): their histories already reach the file's periods, so nothing got 0 (absentSkus=zero)");
  });
});
