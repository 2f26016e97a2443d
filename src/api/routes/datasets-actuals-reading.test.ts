import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { appendActuals } from '../../datasets/actuals.js';
import { getOk, month2020 as month, postCsv, seasonalModels as models, threeSkuDataset } from './imported-dataset-fixture.js';

/**
 * An actuals file read the dataset's way, against the real app, a real SQLite file and the real
 * engine: its columns, long or wide, a SKU named Total, its day order and its calendar.
 */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

const post = (url: string, payload: string) => postCsv(t.app, url, payload);
const get = (url: string) => getOk(t.app, url);
const forecastDataset = () => threeSkuDataset(t.app, t.store);

describe('actuals by default read with the dataset\'s own columns, long or wide', () => {
  /** V0, V1: 24 months (2022-01 to 2023-12), wide, semicolons and decimal commas. */
  function wideHistory(): string {
    const months = Array.from({ length: 24 }, (_, k) => `${2022 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
    return [`Item;${months.join(';')}`, ...['V0', 'V1'].map((sku, i) => `${sku};${months.map((_, k) => `${10 + i + (k % 5)},5`).join(';')}`)].join('\n') + '\n';
  }

  it('a wide dataset takes a wide file and a long one (the report\'s labels for its date and quantity are no columns)', async () => {
    const imported = await post(`/api/datasets?models=${models}`, wideHistory());
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    expect(imported.json().report.format).toBe('wide');

    const wide = await post(`/api/datasets/${id}/actuals`, 'Item;2024-01;2024-02\nV0;1,5;2,5\nV1;3;4\n');
    expect(wide.statusCode, wide.body).toBe(200);
    expect(wide.json()).toMatchObject({ skusChanged: 2, periodsAdded: 4, valuesRevised: 0, historyEnd: '2024-02-01' });
    expect(wide.json().report.format).toBe('wide');

    const long = await post(`/api/datasets/${id}/actuals`, 'Item;Month;Qty\nV1;2024-03;7,25\n');
    expect(long.statusCode, long.body).toBe(200);
    expect(long.json()).toMatchObject({ skusChanged: 1, periodsAdded: 1, historyEnd: '2024-03-01' });
    const v1 = await get(`/api/datasets/${id}/skus/V1`);
    expect(v1.dates.slice(-3)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(v1.original.slice(-3)).toEqual([3, 4, 7.25]);

    // The usual monthly append of a wide dataset: one month, one date column.
    const oneMonth = await post(`/api/datasets/${id}/actuals`, 'Item;2024-04\nV0;9\n');
    expect(oneMonth.statusCode, oneMonth.body).toBe(200);
    expect(oneMonth.json()).toMatchObject({ skusChanged: 1, periodsAdded: 2, historyEnd: '2024-04-01' });
    expect(oneMonth.json().report.format).toBe('wide');
  });

  it('a long dataset takes a wide file; columns the file has are the dataset\'s, a renamed one is found as an import finds it', async () => {
    const id = await forecastDataset();
    const wide = await post(`/api/datasets/${id}/actuals`, `sku,${month(30)},${month(31)}\nA,5,6\n`);
    expect(wide.statusCode, wide.body).toBe(200);
    expect(wide.json()).toMatchObject({ skusChanged: 1, periodsAdded: 2 });
    const renamed = await post(`/api/datasets/${id}/actuals`, `sku,date,units\nB,${month(30)},9\n`);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().report.mapping).toEqual({ sku: 'sku', date: 'date', quantity: 'units' });
    expect((await get(`/api/datasets/${id}/skus/B`)).original[30]).toBe(9);
  });
});

describe('actuals of a dataset with a SKU named Total', () => {
  it('a SKU the dataset already has is never dropped from its actuals as a pivot table\'s total', async () => {
    // "Total" is a SKU (a brand): mid-file, its values no sum, so the import kept it (with a warning).
    let text = 'sku,date,qty\n';
    for (const [sku, level] of [['A1', 5], ['Total', 50], ['Z9', 1]] as const) {
      for (let k = 0; k < 12; k++) text += `${sku},${month(36 + k)},${level + k}\n`;
    }
    const imported = await post('/api/datasets?models=seasonal_naive', text);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().report.skus).toBe(3);
    const id = imported.json().datasetId as string;

    // January's actuals, sorted by SKU as an export would be: Total now comes last, larger than A1.
    const res = await post(`/api/datasets/${id}/actuals`, `sku,date,qty\nA1,${month(48)},8\nTotal,${month(48)},80\n`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.warnings.join('\n')).not.toMatch(/dropped 'Total'/);
    expect(res.json().skusChanged).toBe(2);
    const total = await get(`/api/datasets/${id}/skus/Total`);
    expect(total.original.at(-1)).toBe(80);
  });
});

describe('actuals dates in the dataset\'s day order', () => {
  /** A and B, 2023-01 to 2024-03 month-first (`02/01/2023` is February): the second part never changes. */
  function monthFirst(): string {
    let out = 'sku,date,qty\n';
    for (const sku of ['A', 'B']) {
      for (let k = 0; k < 15; k++) out += `${sku},${String((k % 12) + 1).padStart(2, '0')}/01/${2023 + Math.floor(k / 12)},${k < 12 ? 10 * (k + 1) : 101 + k - 12}\n`;
    }
    return out;
  }

  async function monthFirstDataset() {
    const res = await post(`/api/datasets?models=${models}`, monthFirst());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().report).toMatchObject({ dayOrder: 'mdy', dateRange: { start: '2023-01-01', end: '2024-03-01' } });
    return res.json().datasetId as string;
  }

  it('a month-first dataset reads 04/01/2024 as April: a new period, not a revision of January', async () => {
    const id = await monthFirstDataset();
    expect((await get(`/api/datasets/${id}`)).report.dayOrder).toBe('mdy');
    const res = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nA,04/01/2024,555\nB,04/01/2024,666\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ skusChanged: 2, periodsAdded: 2, valuesRevised: 0, revisions: [], historyEnd: '2024-04-01' });
    expect(res.json().report.warnings).toEqual([]);
    const a = await get(`/api/datasets/${id}/skus/A`);
    expect(a.dates.slice(-2)).toEqual(['2024-03-01', '2024-04-01']);
    expect(a.original.slice(-4)).toEqual([101, 102, 103, 555]);
  });

  it('a 10-day daily export for a month-first monthly dataset is ten days of January, not nine invented months, and its partial month keeps the stored January', async () => {
    const id = await monthFirstDataset();
    let file = 'sku,date,qty\n';
    for (let d = 1; d <= 10; d++) file += `A,01/${String(d).padStart(2, '0')}/24 10:00,2\n`;
    const res = await post(`/api/datasets/${id}/actuals`, file);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // Ten days of January never replace the whole January stored (101, not 20).
    expect(body).toMatchObject({ periodsAdded: 0, valuesRevised: 0, revisions: [], skusChanged: 0, actualsId: null });
    expect(body.partial).toEqual({ provisional: 0, kept: 1, settled: 0, values: [{ sku: 'A', period: '2024-01-01', value: 20, previous: 101, stored: 'complete', outcome: 'kept' }] });
    expect(body.report.partialPeriods).toEqual([expect.objectContaining({ period: '2024-01-01', days: 10, of: 31, values: { provisional: 0, kept: 1 } })]);
    expect(body.report.warnings.join('\n')).toMatch(/partial periods, never written over a complete value: the last \(2024-01-01\)/);
    const a = await get(`/api/datasets/${id}/skus/A`);
    expect(a.dates).toHaveLength(15);
    expect(a.original[12]).toBe(101);
  });

  it('a dataset imported before the order was kept reads as before, but says it guessed', async () => {
    const id = await monthFirstDataset();
    const stored = (await t.store.getDataset(id))!;
    const legacy = { ...stored, report: { ...stored.report } };
    delete legacy.report.dayOrder;
    const outcome = await appendActuals(t.store, legacy, ['sku,date,qty\nA,04/01/2024,555\n']);
    // Read day-first as before: 4 January. A lone day that is neither end of its month is a
    // partial period now, so January's stored value is kept (was: revised to 555).
    expect(outcome).toMatchObject({ periodsAdded: 0, valuesRevised: 0, partial: { kept: 1 } });
    expect(outcome.report.partialPeriods).toMatchObject([{ from: '2024-01-04', to: '2024-01-04', days: 1 }]);
    expect(outcome.report.warnings.join('\n')).toMatch(/^dates like '04\/01\/2024' could be day-first or month-first, and the dataset keeps no order to follow/m);
  });
});

describe('actuals on the dataset\'s calendar', () => {
  const day = (d: number) => new Date(Date.UTC(2024, 0, 7) + d * 86_400_000).toISOString().slice(0, 10); // day(0): a Sunday

  it('daily actuals of a dataset of Sunday weeks are summed into its Sunday weeks, not ISO Monday weeks that revise the wrong week', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `W,${day(7 * w)},${10 + w}\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().report.weekStart).toBe('sunday');
    const id = imported.json().datasetId as string;
    // Two whole Sunday-to-Saturday weeks of daily sales, from the history's last week on; and a new SKU.
    let daily = 'sku,date,units\n';
    for (let d = 7 * 19; d < 7 * 21; d++) daily += `W,${day(d)},1\nN,${day(d)},2\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ periodsAdded: 3, valuesRevised: 1, revisions: [{ sku: 'W', date: day(7 * 19), previous: 29, value: 7 }] });
    expect(res.json().report.partialPeriods).toBeUndefined();
    const w = await get(`/api/datasets/${id}/skus/W`);
    expect(w.dates.slice(-3)).toEqual([day(7 * 18), day(7 * 19), day(7 * 20)]);
    expect(w.original.slice(-3)).toEqual([28, 7, 7]);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual([day(7 * 19), day(7 * 20)]);
    // A week start other than the dataset's is refused, naming it.
    const other = await post(`/api/datasets/${id}/actuals?weekStart=monday`, daily);
    expect(other.statusCode).toBe(400);
    expect(other.json().details[0].path).toBe('weekStart');
  });

  it('daily actuals with one day of an old week between whole ones name that week as partial and keep it (QA: 74 -> 777, no warning)', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `W,${day(7 * w)},${70 + w}\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    // Week 2 restated whole, the Tuesday of week 9 corrected, two whole weeks after the history:
    // week 9 is neither end of the file, which is all an import checks.
    let daily = `sku,date,units\nW,${day(7 * 9 + 2)},777\n`;
    for (const d of [...Array.from({ length: 7 }, (_, k) => 7 * 2 + k), ...Array.from({ length: 14 }, (_, k) => 7 * 20 + k)]) daily += `W,${day(d)},1\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.partialPeriods).toEqual([{ edge: 'inside', period: day(7 * 9), from: day(7 * 9 + 2), to: day(7 * 9 + 2), days: 1, of: 7, values: { provisional: 0, kept: 1 } }]);
    expect(res.json().report.warnings.join('\n')).toContain(`partial periods, never written over a complete value: the period (${day(7 * 9)}) has data from ${day(7 * 9 + 2)} to ${day(7 * 9 + 2)} only, 1 of its 7 days (1 SKU kept the stored value)`);
    // Its one day is more than the week stored: the planner is told to restate the week whole.
    expect(res.json().report.warnings.join('\n')).toContain(`(W ${day(7 * 9)}: 777 against 79): send the whole period to restate it`);
    const w = await get(`/api/datasets/${id}/skus/W`);
    expect(w.original[9]).toBe(79);
    expect(w.original[2]).toBe(7);
    // A file of whole weeks names none.
    let whole = 'sku,date,units\n';
    for (let d = 7 * 22; d < 7 * 24; d++) whole += `W,${day(d)},1\n`;
    const quiet = await post(`/api/datasets/${id}/actuals`, whole);
    expect(quiet.statusCode, quiet.body).toBe(200);
    expect(quiet.json().report.partialPeriods).toBeUndefined();
  });

  it('a week_ending column of Sundays makes Monday-to-Sunday weeks: a week of daily actuals Monday to Sunday is that one week, whole (was: Sunday weeks, split 6 + 1 days, 60 of 70 units dropped)', async () => {
    // day(0) is Sunday 2024-01-07; 47 weeks ending on Sundays, to 2024-11-24.
    let file = 'week_ending,product_id,units\n';
    for (let w = 0; w < 47; w++) file += `${day(7 * w)},P1,100\n${day(7 * w)},P2,50\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    const { report } = imported.json();
    expect(report.weekStart).toBe('monday');
    expect(report.warnings).toContain("the column 'week_ending' dates each week by its last day, a sunday: read as weeks from monday to sunday, each dated by its monday (weekStart=monday; give weekStart to choose another)");
    const id = imported.json().datasetId as string;
    expect((await get(`/api/datasets/${id}/skus/P1`)).dates.at(-1)).toBe('2024-11-18');
    // The week ending Sunday 1 December, day by day from Monday 25 November: 10 a day.
    let daily = 'date,product_id,units\n';
    for (let d = 0; d < 7; d++) daily += `${new Date(Date.UTC(2024, 10, 25 + d)).toISOString().slice(0, 10)},P1,10\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.partialPeriods).toBeUndefined();
    expect(res.json().report.weekStart).toBe('monday');
    const p1 = await get(`/api/datasets/${id}/skus/P1`);
    expect(p1.dates.at(-1)).toBe('2024-11-25');
    expect(p1.original.at(-1)).toBe(70);
    expect(p1.provisional).toEqual({});
    // The next week as one line dated on its Sunday, as the history was: that whole week.
    const next = await post(`/api/datasets/${id}/actuals`, 'week_ending,product_id,units\n2024-12-08,P1,90\n');
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().report.partialPeriods).toBeUndefined();
    expect(next.json().report.warnings.join('\n')).not.toContain('dates each week by its last day');
    const after = await get(`/api/datasets/${id}/skus/P1`);
    expect(after.dates.slice(-2)).toEqual(['2024-11-25', '2024-12-02']);
    expect(after.original.slice(-2)).toEqual([70, 90]);
  });

  it('a weekly dataset imported before report.weekStart was kept takes its weeks from its series\' own weekday (QA: ISO weeks revised 28 to 1)', async () => {
    let file = 'sku,week,units\n';
    for (let w = 0; w < 20; w++) file += `W,${day(7 * w)},${10 + w}\n`;
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, file);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    // As a version before weekStart was recorded left it.
    const db = new Database(path.join(t.dir, 'jobs.db'));
    try {
      expect(db.prepare("UPDATE datasets SET report = json_remove(report, '$.weekStart') WHERE id = ?").run(id).changes).toBe(1);
    } finally {
      db.close();
    }
    expect((await get(`/api/datasets/${id}`)).report.weekStart).toBeUndefined();
    let daily = 'sku,date,units\n';
    for (let d = 7 * 19; d < 7 * 21; d++) daily += `W,${day(d)},1\nN,${day(d)},2\n`;
    // A week start other than the series' is refused, naming it, before anything changes.
    const other = await post(`/api/datasets/${id}/actuals?weekStart=monday`, daily);
    expect(other.statusCode).toBe(400);
    expect(other.json().details[0]).toMatchObject({ path: 'weekStart', message: expect.stringContaining('sunday') });
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ periodsAdded: 3, valuesRevised: 1, revisions: [{ sku: 'W', date: day(7 * 19), previous: 29, value: 7 }] });
    const w = await get(`/api/datasets/${id}/skus/W`);
    expect(w.dates.slice(-3)).toEqual([day(7 * 18), day(7 * 19), day(7 * 20)]);
    expect(w.original.slice(-3)).toEqual([28, 7, 7]);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual([day(7 * 19), day(7 * 20)]);
  });

  it('a new SKU of a month-end dataset is dated by month ends like the others, so totals keep one date a month', async () => {
    const ends = ['2024-01-31', '2024-02-29', '2024-03-31'];
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, `sku,date,qty\n${ends.map((d, k) => `A,${d},${k + 1}`).join('\n')}\n`);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    const res = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nA,2024-04-01,4\nN,2024-03-01,7\nN,2024-04-01,8\n');
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/A`)).dates).toEqual([...ends, '2024-04-30']);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual(['2024-03-31', '2024-04-30']);
    // A file of only new SKUs is dated the same way.
    const only = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nM,2024-04-01,5\n');
    expect(only.statusCode, only.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/M`)).dates).toEqual(['2024-04-30']);
    const totals = await get(`/api/datasets/${id}/aggregates`);
    expect(totals.total.history.dates).toEqual([...ends, '2024-04-30']);
    expect(totals.total.history.original).toEqual([1, 2, 3 + 7, 4 + 8 + 5]);
  });

  it('a dataset already mixed (month ends and starts) dates every new SKU by its most common convention, whichever SKUs the file revises', async () => {
    const ends = ['2024-01-31', '2024-02-29', '2024-03-31'];
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, `sku,date,qty\n${['A', 'B', 'S'].flatMap((sku) => ends.map((d, k) => `${sku},${d},${k + 1}`)).join('\n')}\n`);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    // S on month starts, as a new SKU was dated before b702f5d: two series on ends, one on starts.
    const db = new Database(path.join(t.dir, 'jobs.db'));
    try {
      expect(db.prepare("UPDATE series SET dates = ? WHERE dataset_id = ? AND sku = 'S'").run(JSON.stringify(['2024-01-01', '2024-02-01', '2024-03-01']), id).changes).toBe(1);
    } finally {
      db.close();
    }
    // One file revises S (on starts), the other A (on ends): their new SKUs get one date a month all the same.
    const first = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nS,2024-04-01,4\nN,2024-04-01,7\n');
    expect(first.statusCode, first.body).toBe(200);
    const second = await post(`/api/datasets/${id}/actuals`, 'sku,date,qty\nA,2024-04-01,4\nM,2024-04-01,8\n');
    expect(second.statusCode, second.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/N`)).dates).toEqual(['2024-04-30']);
    expect((await get(`/api/datasets/${id}/skus/M`)).dates).toEqual(['2024-04-30']);
    // S keeps its own convention: a dataset already mixed is not repaired.
    expect((await get(`/api/datasets/${id}/skus/S`)).dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
  });

  it('the partial period of daily actuals for a month-end dataset is named by the date it is stored under (2024-11-30), not the month\'s first day', async () => {
    const ends = ['2024-08-31', '2024-09-30', '2024-10-31'];
    const imported = await post(`/api/datasets?models=${models}&createJobs=false`, `sku,date,qty\n${ends.map((d, k) => `A,${d},${k + 1}`).join('\n')}\n`);
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json().datasetId as string;
    let daily = 'sku,date,qty\n';
    for (let d = 1; d <= 10; d++) daily += `A,2024-11-${String(d).padStart(2, '0')},2\nN,2024-11-${String(d).padStart(2, '0')},1\n`;
    const res = await post(`/api/datasets/${id}/actuals`, daily);
    expect(res.statusCode, res.body).toBe(200);
    const { report, historyEnd } = res.json();
    expect(historyEnd).toBe('2024-11-30');
    expect((await get(`/api/datasets/${id}/skus/A`)).dates.at(-1)).toBe('2024-11-30');
    expect(report.partialPeriods).toEqual([{ edge: 'last', period: '2024-11-30', from: '2024-11-01', to: '2024-11-10', days: 10, of: 30, values: { provisional: 2, kept: 0 } }]);
    const warning = report.warnings.find((w: string) => w.startsWith('partial periods'));
    expect(warning).toContain('the last (2024-11-30) has data from 2024-11-01 to 2024-11-10 only, 10 of its 30 days (2 SKUs written as provisional)');
    // Provisional, named by the date each series keeps: the first file with all of November replaces them.
    expect(res.json().partial).toMatchObject({ provisional: 2, kept: 0 });
    expect((await get(`/api/datasets/${id}/skus/A`)).provisional).toEqual({ '2024-11-30': { from: '2024-11-01', to: '2024-11-10', value: 20, periodDays: 30 } });
    expect((await get(`/api/datasets/${id}/skus/N`)).provisional).toEqual({ '2024-11-30': { from: '2024-11-01', to: '2024-11-10', value: 10, periodDays: 30 } });
    expect(report.warnings.join('\n')).not.toContain('(2024-11-01)');
  });
});
