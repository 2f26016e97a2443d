import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { appendActuals } from './actuals.js';
import type { Dataset } from './dataset.js';
import { importCsv } from './import-dataset.js';

/**
 * Periods an actuals file covers only in part, through the real verb on a real SQLite file: a
 * partial value never replaces a complete one; it fills a period with none, marked provisional
 * until a file covers the period whole.
 */
let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-partial-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10); // day(0): a Monday
const week = (w: number) => day(7 * w);

/** SKUs A and B, 20 Monday weeks (week(0) to week(19)) of 700 each. */
async function weeklyDataset(): Promise<Dataset> {
  let file = 'sku,week,units\n';
  for (const sku of ['A', 'B']) for (let w = 0; w < 20; w++) file += `${sku},${week(w)},700\n`;
  const imported = await importCsv(store, [file], { createJobs: false });
  return (await store.getDataset(imported.datasetId!))!;
}

/** A daily file: `perDay` units a day for each SKU, over days [from, to). */
function daily(skus: string[], from: number, to: number, perDay = 100): string {
  let out = 'sku,date,units\n';
  for (let d = from; d < to; d++) for (const sku of skus) out += `${sku},${day(d)},${perDay}\n`;
  return out;
}

/** A daily file as `daily`, without the days in `closed` (a holiday: no SKU sold). */
function dailyClosed(skus: string[], from: number, to: number, closed: number[], perDay = 100): string {
  return daily(skus, from, to, perDay).split('\n').filter((line) => !closed.some((c) => line.includes(`,${day(c)},`))).join('\n');
}

const series = async (dataset: Dataset, sku: string) => (await store.getSeries(dataset.id, sku))!;
const last = async (dataset: Dataset, sku: string) => (await series(dataset, sku)).original.at(-1);

describe('actuals covering a period in part', () => {
  it('never lower a complete week: Monday to Wednesday of a stored week of 700 leave it at 700 (was: replaced by 300, a value revised)', async () => {
    const dataset = await weeklyDataset();
    // Week 18 whole (the same 700), then Monday to Wednesday of week 19: 300.
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 18, 7 * 19 + 3)]);
    expect(await last(dataset, 'A')).toBe(700);
    expect(out.report.partialPeriods).toEqual([{ edge: 'last', period: week(19), from: week(19), to: day(7 * 19 + 2), days: 3, of: 7, values: { provisional: 0, kept: 1 } }]);
    expect(out).toMatchObject({ valuesRevised: 0, revisions: [], skusChanged: 0, actuals: null, jobsCreated: 0 });
    expect(out.partial).toEqual({
      provisional: 0, kept: 1, settled: 0,
      values: [{ sku: 'A', period: week(19), value: 300, previous: 700, stored: 'complete', outcome: 'kept' }],
    });
    const warning = out.report.warnings.find((w) => w.startsWith('partial periods'));
    expect(warning).toContain(`the last (${week(19)}) has data from ${week(19)} to ${day(7 * 19 + 2)} only, 3 of its 7 days (1 SKU kept the stored value)`);
    expect(warning).not.toMatch(/summed as if whole/);
  });

  it('an export taken mid-week starts with part of a stored week: that week is kept, the whole weeks after it are written', async () => {
    const dataset = await weeklyDataset();
    // Wednesday of week 19 to Sunday of week 20: week 19 has 5 of its 7 days.
    const out = await appendActuals(store, dataset, [daily(['A', 'B'], 7 * 19 + 2, 7 * 21)]);
    for (const sku of ['A', 'B']) {
      const s = await series(dataset, sku);
      expect(s.dates.slice(-2)).toEqual([week(19), week(20)]);
      expect(s.original.slice(-2)).toEqual([700, 700]);
      expect(s.provisional).toBeUndefined();
    }
    expect(out.report.partialPeriods).toEqual([expect.objectContaining({ edge: 'first', period: week(19), days: 5, values: { provisional: 0, kept: 2 } })]);
    expect(out).toMatchObject({ valuesRevised: 0, periodsAdded: 2, skusChanged: 2 });
  });

  it('fill a week with no value as provisional, replaced by a file covering more of it, kept against one covering less, settled by the whole week', async () => {
    const dataset = await weeklyDataset();
    // The current week to date: Monday to Wednesday of week 20.
    const first = await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    expect(first).toMatchObject({ periodsAdded: 1, skusChanged: 1, valuesRevised: 0 });
    expect(first.partial).toMatchObject({ provisional: 1, kept: 0, values: [{ sku: 'A', period: week(20), value: 300, previous: null, stored: 'none', outcome: 'provisional' }] });
    expect(first.report.partialPeriods![0].values).toEqual({ provisional: 1, kept: 0 });
    let a = await series(dataset, 'A');
    expect(a.dates.at(-1)).toBe(week(20));
    expect(a.original.at(-1)).toBe(300);
    expect(a.provisional).toEqual({ [week(20)]: { from: week(20), to: day(7 * 20 + 2), value: 300 } });

    // Week 19 whole, then Tuesday and Wednesday of week 20: not Monday, so it does not cover what is stored.
    const later = await appendActuals(store, dataset, [daily(['A'], 7 * 19, 7 * 19 + 7) + daily(['A'], 7 * 20 + 1, 7 * 20 + 3).slice('sku,date,units\n'.length)]);
    expect(later.report.partialPeriods).toEqual([expect.objectContaining({ edge: 'last', from: day(7 * 20 + 1), to: day(7 * 20 + 2), days: 2 })]);
    expect(later.partial.values).toEqual([{ sku: 'A', period: week(20), value: 200, previous: 300, stored: 'provisional', outcome: 'kept', storedSpan: { from: week(20), to: day(7 * 20 + 2) } }]);
    expect(await last(dataset, 'A')).toBe(300);

    // Monday to Thursday: covers what was stored and more, so it replaces it (audited).
    const wider = await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 4)]);
    expect(wider).toMatchObject({ valuesRevised: 1, revisions: [{ sku: 'A', date: week(20), previous: 300, value: 400 }] });
    expect(wider.partial).toMatchObject({ provisional: 1, kept: 0 });
    expect((await series(dataset, 'A')).provisional).toEqual({ [week(20)]: { from: week(20), to: day(7 * 20 + 3), value: 400 } });

    // Tuesday and Wednesday alone: less than the stored Monday to Thursday, kept.
    const narrower = await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 1, 7 * 20 + 3)]);
    expect(narrower.partial.values).toContainEqual({ sku: 'A', period: week(20), value: 200, previous: 400, stored: 'provisional', outcome: 'kept', storedSpan: { from: week(20), to: day(7 * 20 + 3) } });
    expect(await last(dataset, 'A')).toBe(400);

    // The whole week: the value is final.
    const whole = await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 21)]);
    expect(whole).toMatchObject({ valuesRevised: 1, revisions: [{ sku: 'A', date: week(20), previous: 400, value: 700 }] });
    expect(whole.partial).toEqual({ provisional: 0, kept: 0, settled: 1, values: [] });
    a = await series(dataset, 'A');
    expect(a.original.at(-1)).toBe(700);
    expect(a.provisional).toBeUndefined();

    // Now complete, part of it again is kept.
    const again = await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    expect(again.partial).toMatchObject({ provisional: 0, kept: 1, values: [{ stored: 'complete', outcome: 'kept' }] });
    expect(await last(dataset, 'A')).toBe(700);
  });

  it('a whole week equal to the provisional value still makes it final (the SKU changed: its week is complete now)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    // Thursday to Sunday sold nothing: the whole week is the same 300.
    const out = await appendActuals(store, dataset, [`sku,date,units\n${Array.from({ length: 7 }, (_, k) => `A,${day(7 * 20 + k)},${k < 3 ? 100 : 0}`).join('\n')}\n`]);
    expect(out).toMatchObject({ valuesRevised: 0, skusChanged: 1, partial: { settled: 1 } });
    expect(out.actuals).not.toBeNull();
    const a = await series(dataset, 'A');
    expect(a.original.at(-1)).toBe(300);
    expect(a.provisional).toBeUndefined();
  });

  it('a new SKU\'s partial week is provisional too; a kept value the file\'s days alone exceed is named, to restate it whole', async () => {
    const dataset = await weeklyDataset();
    // B's week 19 restated by its Tuesday alone (777 against the 700 stored), between whole weeks; N is new.
    let file = `sku,date,units\nB,${day(7 * 19 + 1)},777\n`;
    for (let d = 7 * 17; d < 7 * 19; d++) file += `B,${day(d)},100\n`;
    for (let d = 7 * 20; d < 7 * 22; d++) file += `B,${day(d)},100\n`;
    file += `N,${day(7 * 22)},5\nN,${day(7 * 22 + 1)},5\n`;
    for (let d = 7 * 22; d < 7 * 22 + 2; d++) file += `B,${day(d)},100\n`;
    const out = await appendActuals(store, dataset, [file]);
    expect(out.report.partialPeriods).toEqual([
      expect.objectContaining({ edge: 'inside', period: week(19), days: 1, values: { provisional: 0, kept: 1 } }),
      expect.objectContaining({ edge: 'last', period: week(22), days: 2, values: { provisional: 2, kept: 0 } }),
    ]);
    expect((await series(dataset, 'B')).original.slice(-4)).toEqual([700, 700, 700, 200]);
    const n = await series(dataset, 'N');
    expect(n).toMatchObject({ dates: [week(22)], original: [10], provisional: { [week(22)]: { from: week(22), to: day(7 * 22 + 1) } } });
    const warning = out.report.warnings.find((w) => w.startsWith('partial periods'))!;
    expect(warning).toContain(`for 1 SKU the file's days alone exceed the stored value (B ${week(19)}: 777 against 700): send the whole period to restate it`);
  });

  it('an import exported mid-week stores its last week as provisional: actuals with more of that week replace it', async () => {
    // Daily history for 10 weeks and Monday to Wednesday of the 11th, summed into weeks.
    const imported = await importCsv(store, [daily(['A'], 0, 7 * 10 + 3)], { createJobs: false, frequency: 'weekly' });
    expect(imported.report.partialPeriods).toEqual([expect.objectContaining({ edge: 'last', period: week(10), days: 3 })]);
    const dataset = (await store.getDataset(imported.datasetId!))!;
    expect(await series(dataset, 'A')).toMatchObject({ original: [...Array<number>(10).fill(700), 300], provisional: { [week(10)]: { from: week(10), to: day(7 * 10 + 2) } } });
    // Monday to Friday of it: more of the week than the import had.
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 10, 7 * 10 + 5)]);
    expect(out).toMatchObject({ valuesRevised: 1, revisions: [{ sku: 'A', date: week(10), previous: 300, value: 500 }] });
    expect((await series(dataset, 'A')).provisional).toEqual({ [week(10)]: { from: week(10), to: day(7 * 10 + 4), value: 500 } });
  });
});

describe('a period with a day closed in its middle (a holiday) is a whole period', () => {
  it('a new week with its Wednesday closed is stored complete, not provisional forever (was: provisional, and the same file again could not settle it)', async () => {
    const dataset = await weeklyDataset();
    const out = await appendActuals(store, dataset, [dailyClosed(['A', 'B'], 7 * 20, 7 * 23, [7 * 21 + 2])]);
    expect(out.report.partialPeriods).toBeUndefined();
    expect(out.report.warnings.join('\n')).toContain(`${week(21)} (no data on ${day(7 * 21 + 2)}, 6 of its 7 days)`);
    await appendActuals(store, dataset, [dailyClosed(['A', 'B'], 7 * 20, 7 * 23, [7 * 21 + 2])]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-3)).toEqual([700, 600, 700]);
    expect(a.provisional).toBeUndefined();
  });

  it('a restated old week with its Wednesday closed replaces the stored value (the whole week was open)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [dailyClosed(['A', 'B'], 7 * 17, 7 * 20, [7 * 18 + 2], 50)]);
    expect((await series(dataset, 'A')).original.slice(-3)).toEqual([350, 300, 350]);
  });

  it('a monthly dataset: a December closed on the 25th, between November and January, is a whole month', async () => {
    let file = 'sku,month,units\n';
    for (let m = 1; m <= 10; m++) file += `A,2024-${String(m).padStart(2, '0')}-01,3000\n`;
    const imported = await importCsv(store, [file], { createJobs: false, frequency: 'monthly' });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    let dailyFile = 'sku,date,units\n';
    for (let d = Date.UTC(2024, 10, 1); d < Date.UTC(2025, 1, 1); d += 86_400_000) {
      const iso = new Date(d).toISOString().slice(0, 10);
      if (iso !== '2024-12-25') dailyFile += `A,${iso},100\n`;
    }
    await appendActuals(store, dataset, [dailyFile]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-3)).toEqual([3000, 3000, 3100]);
    expect(a.provisional).toBeUndefined();
  });
});

describe('rolling upgrade to migration 029', () => {
  it('a week a process older than 029 settled (its write leaves the flag) is complete: a later part of it does not overwrite it', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    // A process before 029 appends the whole week: its UPDATE sets the values, not provisional.
    const a0 = await series(dataset, 'A');
    const db = new Database(path.join(dir, 'jobs.db'));
    try {
      db.prepare('UPDATE series SET original = ?, volume = volume + 400, updated_at = updated_at + 1 WHERE dataset_id = ? AND sku = ?')
        .run(JSON.stringify([...a0.original.slice(0, -1), 700]), dataset.id, 'A');
    } finally {
      db.close();
    }
    expect((await series(dataset, 'A')).provisional).toBeUndefined();
    // Back on 029: Monday to Wednesday of that week again (a week-to-date file sent again).
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    expect((await series(dataset, 'A')).original.at(-1)).toBe(700);
  });
});

describe('an import\'s partial periods', () => {
  it('one that starts mid-week keeps its first week as a complete value, not provisional for good (no actuals ever restate it)', async () => {
    const imported = await importCsv(store, [daily(['A'], 2, 7 * 10)], { createJobs: false, frequency: 'weekly' });
    expect(imported.report.partialPeriods).toEqual([expect.objectContaining({ edge: 'first', period: week(0), days: 5 })]);
    expect(imported.report.warnings.join('\n')).toContain('expect that period to look low');
    const dataset = (await store.getDataset(imported.datasetId!))!;
    const a = await series(dataset, 'A');
    expect(a.original[0]).toBe(500);
    expect(a.provisional).toBeUndefined();
  });
});

describe('a planner\'s edit of a provisional period', () => {
  it('gives way when the period settles, also at the same value (was: an edit grossing the week to date up to 700 outlived the whole week of 300)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    const before = await series(dataset, 'A');
    const i = before.dates.length - 1;
    await store.updateSeries(dataset.id, [{ sku: 'A', edits: { [i]: 700 }, volume: before.volume + 400, demandClass: before.demandClass }], null, null);
    // The whole week arrives: Thursday to Sunday sold nothing, the week is 300.
    let file = 'sku,date,units\n';
    for (let k = 0; k < 7; k++) file += `A,${day(7 * 20 + k)},${k < 3 ? 100 : 0}\n`;
    const out = await appendActuals(store, dataset, [file]);
    expect(out.partial.settled).toBe(1);
    const a = await series(dataset, 'A');
    expect(a.original.at(-1)).toBe(300);
    expect(a.provisional).toBeUndefined();
    expect(a.edits[i]).toBeUndefined();
    expect(a.volume).toBe(before.volume);
  });
});

describe('files that leave a provisional period behind', () => {
  it('a file that passes over a provisional week names it (was: left provisional without a word)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    // The next export starts at week 21: week 20's Thursday to Sunday never arrive.
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 21, 7 * 23)]);
    const a = await series(dataset, 'A');
    expect(a.provisional).toEqual({ [week(20)]: { from: week(20), to: day(7 * 20 + 2), value: 300 } });
    expect(out.report.warnings).toContain(`provisional periods this file passes over without a day of them, still provisional: ${week(20)} (1 SKU, stored from ${week(20)} to ${day(7 * 20 + 2)}); send those periods whole to settle them`);
  });

  it('incremental exports (each the days since the last): Thursday to Sunday after a stored Monday to Wednesday add up to the whole week (was: kept at 300)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 3, 7 * 22)]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-2)).toEqual([700, 700]);
    expect(a.provisional).toBeUndefined();
    expect(out.partial).toMatchObject({ settled: 1, values: [{ sku: 'A', period: week(20), value: 400, previous: 300, outcome: 'joined', storedSpan: { from: week(20), to: day(7 * 20 + 2) } }] });
    expect(out.revisions).toEqual([{ sku: 'A', date: week(20), previous: 300, value: 700 }]);
    // The same file again: its days are the stored week's now, kept.
    await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 3, 7 * 22)]);
    expect((await series(dataset, 'A')).original.slice(-2)).toEqual([700, 700]);
  });

  it('days that neither cover nor follow the stored ones keep the provisional value, and the message names both spans', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 2)]);
    // Thursday on: Wednesday is missing between the two.
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 3, 7 * 22)]);
    expect((await series(dataset, 'A')).original.slice(-2)).toEqual([200, 700]);
    expect(out.report.warnings.join('\n')).toContain(`A ${week(20)}: 200 for ${week(20)} to ${day(7 * 20 + 1)}; the file has 400 for its own days of that period`);
  });
});

describe('a long hole inside a period', () => {
  it('a stored complete week is never replaced by a file missing four of its days in the middle (was: Monday, Tuesday and Sunday, 300, over 700)', async () => {
    const dataset = await weeklyDataset();
    // Weeks 17 to 19, but week 18 has only Monday, Tuesday and Sunday: the Wednesday to Saturday export is missing.
    const closed = [2, 3, 4, 5].map((d) => 7 * 18 + d);
    await appendActuals(store, dataset, [dailyClosed(['A', 'B'], 7 * 17, 7 * 20, closed)]);
    expect((await series(dataset, 'A')).original.slice(-3)).toEqual([700, 700, 700]);
  });
});

/** Lines `sku,day(d),perDay` for d in [from, to) where `keep(d)`, without a header. */
function lines(skus: string[], from: number, to: number, perDay = 100, keep: (d: number) => boolean = () => true): string {
  let out = '';
  for (let d = from; d < to; d++) if (keep(d)) for (const sku of skus) out += `${sku},${day(d)},${perDay}\n`;
  return out;
}
const head = 'sku,date,units\n';
const weekday = (d: number) => d % 7 < 5;

describe('a join settles by the sides of the period the file lacks, not by its edge', () => {
  it('a one-week file Thursday to Friday after a stored Monday to Wednesday is not the whole week: it lacks Saturday and Sunday (was: settled at 500)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 3, 7 * 20 + 5)]);
    const a = await series(dataset, 'A');
    expect(a.original.at(-1)).toBe(500);
    expect(out.partial.settled).toBe(0);
    expect(a.provisional).toEqual({ [week(20)]: { from: week(20), to: day(7 * 20 + 4), value: 500 } });
  });

  it('a join inside the file (it starts with a late line of an old week) settles the week when the file has its end (was: provisional Monday to Sunday for good)', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    // A correction for Tuesday of week 15 (its stored 700 kept), then the days since the last export.
    const out = await appendActuals(store, dataset, [head + lines(['A'], 7 * 15 + 1, 7 * 15 + 2) + lines(['A'], 7 * 20 + 3, 7 * 22)]);
    expect(out.report.partialPeriods!.map((p) => [p.edge, p.period])).toEqual([['first', week(15)], ['inside', week(20)]]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-2)).toEqual([700, 700]);
    expect(a.provisional).toBeUndefined();
  });

  it('weekday-only sales, weeks starting on Sunday: an import cut on Wednesday joined with Thursday on settles the week (Monday starts it, Friday ends it)', async () => {
    // Sunday weeks: day(-1) is Sunday 2023-12-31. History: weekdays of 10 weeks, then Monday to Wednesday.
    const imported = await importCsv(store, [head + lines(['A'], -1, 7 * 10 + 3, 100, weekday)], { createJobs: false, frequency: 'weekly', weekStart: 'sunday' });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    const before = await series(dataset, 'A');
    expect(before.original.at(-1)).toBe(300);
    expect(Object.values(before.provisional ?? {})).toHaveLength(1);
    await appendActuals(store, dataset, [head + lines(['A'], 7 * 10 + 3, 7 * 14 + 5, 100, weekday)]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-5)).toEqual([500, 500, 500, 500, 500]);
    expect(a.provisional).toBeUndefined();
  });

  it('a monthly dataset of weekday sales: December to date (from Monday the 2nd) joined with the rest of December settles it', async () => {
    const weekdays = (from: number, to: number) => {
      let out = head;
      for (let t = from; t <= to; t += 86_400_000) {
        const dt = new Date(t);
        if (dt.getUTCDay() !== 0 && dt.getUTCDay() !== 6) out += `A,${dt.toISOString().slice(0, 10)},10\n`;
      }
      return out;
    };
    const imported = await importCsv(store, [weekdays(Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 10))], { createJobs: false, frequency: 'monthly' });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    expect(Object.values((await series(dataset, 'A')).provisional ?? {})).toEqual([{ from: '2024-12-02', to: '2024-12-10', value: 70 }]);
    await appendActuals(store, dataset, [weekdays(Date.UTC(2024, 11, 11), Date.UTC(2025, 1, 28))]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-3)).toEqual([220, 230, 200]);
    expect(a.provisional).toBeUndefined();
  });

  it('a join that settles the week is counted as settled, not as provisional, in the counts and the warning', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 3, 7 * 22)]);
    expect((await series(dataset, 'A')).provisional).toBeUndefined();
    expect(out.partial.settled).toBe(1);
    expect(out.partial.provisional).toBe(0);
    expect(out.partial.values).toMatchObject([{ sku: 'A', outcome: 'joined', settled: true }]);
    expect(out.report.partialPeriods![0].values).toEqual({ provisional: 0, kept: 0 });
    expect(out.report.warnings.join('\n')).not.toContain('written as provisional');
  });
});

describe('a one-day file (was: never checked, readPeriods needs two days)', () => {
  it('Thursday alone after a stored Monday to Wednesday neither replaces the week to date nor makes it final', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 20 + 3, 7 * 20 + 4)]);
    const a = await series(dataset, 'A');
    // Joined to the days before it (400), still provisional: the file lacks Friday to Sunday.
    expect(a.original.at(-1)).toBe(400);
    expect(a.provisional).toEqual({ [week(20)]: { from: week(20), to: day(7 * 20 + 3), value: 400 } });
    expect(out.partial.settled).toBe(0);
  });

  it('Thursday alone never replaces a complete stored week; the week\'s own date (its Monday) is a weekly value', async () => {
    const dataset = await weeklyDataset();
    const out = await appendActuals(store, dataset, [daily(['A'], 7 * 19 + 3, 7 * 19 + 4)]);
    expect((await series(dataset, 'A')).original.at(-1)).toBe(700);
    expect(out.report.partialPeriods).toMatchObject([{ period: week(19), from: day(7 * 19 + 3), to: day(7 * 19 + 3), days: 1, of: 7 }]);
    await appendActuals(store, dataset, ['sku,week,units\nA,' + week(19) + ',650\n']);
    expect((await series(dataset, 'A')).original.at(-1)).toBe(650);
  });
});

describe('a SKU with no line in the week to date', () => {
  it('is settled by Thursday to Sunday like the others: it sold nothing Monday to Wednesday (was: provisional Thursday to Sunday for good)', async () => {
    const dataset = await weeklyDataset();
    // A sells every day; B only from Thursday.
    await appendActuals(store, dataset, [daily(['A'], 7 * 20, 7 * 20 + 3)]);
    const out = await appendActuals(store, dataset, [daily(['A', 'B'], 7 * 20 + 3, 7 * 21)]);
    expect((await series(dataset, 'A')).provisional).toBeUndefined();
    const b = await series(dataset, 'B');
    expect(b.original.at(-1)).toBe(400);
    expect(b.provisional).toBeUndefined();
    expect(out.partial).toMatchObject({ provisional: 0, settled: 2 });
  });
});

describe('a day closed at an inner period\'s edge, between whole periods', () => {
  it('a week with its Monday closed (Easter Monday) between whole weeks is a whole week (was: provisional Tuesday to Sunday for good)', async () => {
    const dataset = await weeklyDataset();
    const out = await appendActuals(store, dataset, [dailyClosed(['A', 'B'], 7 * 20, 7 * 23, [7 * 21])]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-3)).toEqual([700, 600, 700]);
    expect(a.provisional).toBeUndefined();
    expect(out.report.warnings.join('\n')).toContain(`${week(21)} (no data on ${day(7 * 21)}, 6 of its 7 days)`);
  });

  it('a monthly dataset: January closed on New Year\'s Day, between December and February, is a whole month', async () => {
    let file = 'sku,month,units\n';
    for (let m = 1; m <= 11; m++) file += `A,2024-${String(m).padStart(2, '0')}-01,3000\n`;
    const imported = await importCsv(store, [file], { createJobs: false, frequency: 'monthly' });
    const dataset = (await store.getDataset(imported.datasetId!))!;
    let dailyFile = 'sku,date,units\n';
    for (let t = Date.UTC(2024, 11, 1); t < Date.UTC(2025, 2, 1); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      if (iso !== '2025-01-01') dailyFile += `A,${iso},100\n`;
    }
    await appendActuals(store, dataset, [dailyFile]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-3)).toEqual([3100, 3000, 2800]);
    expect(a.provisional).toBeUndefined();
  });

  it('an old week restated from its Tuesday, with no day of the week before, stays partial: the stored 700 is kept', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [daily(['A', 'B'], 7 * 15 + 1, 7 * 15 + 7) + daily(['A', 'B'], 7 * 19, 7 * 21).replace('sku,date,units\n', '')]);
    expect((await series(dataset, 'A')).original[15]).toBe(700);
  });
});

describe('actuals: holes that add up, and one-date weekly files dated on the week\'s end (third review)', () => {
  /** A daily file of the given days (offsets from day(0)), 100 a day for each SKU. */
  const days = (skus: string[], list: number[]) => `sku,date,units\n${list.flatMap((d) => skus.map((sku) => `${sku},${day(d)},100`)).join('\n')}\n`;
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('an inner week with only Wednesday and Saturday (or Tuesday, Thursday, Saturday) between whole weeks keeps its complete 700: short holes that together lack most of it (was: 200, stored as complete)', async () => {
    for (const inWeek of [[2, 5], [1, 3, 5]]) {
      const dataset = await weeklyDataset();
      await appendActuals(store, dataset, [days(['A', 'B'], [...range(7 * 10, 7 * 18), ...inWeek.map((d) => 7 * 18 + d), ...range(7 * 19, 7 * 20)])]);
      expect((await series(dataset, 'A')).original[18], inWeek.join(',')).toBe(700);
      expect((await series(dataset, 'A')).original[19]).toBe(700);
    }
  });

  it('a one-date weekly file dated the Sunday that ends a Monday week restates that week, and a new week is not provisional', async () => {
    const dataset = await weeklyDataset();
    await appendActuals(store, dataset, [`sku,week,units\nA,${day(7 * 19 + 6)},650\n`]);
    expect(await last(dataset, 'A')).toBe(650);
    await appendActuals(store, dataset, [`sku,week,units\nA,${day(7 * 20 + 6)},640\n`]);
    const a = await series(dataset, 'A');
    expect(a.original.at(-1)).toBe(640);
    expect(a.provisional).toBeUndefined();
  });
});

describe('a one-date file for a history dated on one day of each period', () => {
  /** SKUs A and B, 24 months of 500 dated on the 15th, month first (01/15/2023), as a sales export may date them. */
  async function midMonthDataset(): Promise<Dataset> {
    let file = 'SKU,Date,Units\n';
    for (const sku of ['A', 'B']) for (let m = 0; m < 24; m++) file += `${sku},${String((m % 12) + 1).padStart(2, '0')}/15/${2023 + Math.floor(m / 12)},500\n`;
    const imported = await importCsv(store, [file], { createJobs: false });
    return (await store.getDataset(imported.datasetId!))!;
  }

  it('the import records the day its periods were dated by; a file of daily sales summed into months records none', async () => {
    expect((await midMonthDataset()).report.periodsDatedLike).toBe('2024-12-15');
    const summed = await importCsv(store, [daily(['A'], 0, 120)], { createJobs: false, frequency: 'monthly' });
    expect((await store.getDataset(summed.datasetId!))!.report.periodsDatedLike).toBeUndefined();
  });

  it('January dated 01/15/2025 is the whole month, and so is February after it: complete, so forecast vs actual counts them (was: provisional for good, 1 of 31 days)', async () => {
    const dataset = await midMonthDataset();
    const jan = await appendActuals(store, dataset, ['SKU,Date,Units\nA,01/15/2025,510\nB,01/15/2025,490\n']);
    expect(jan.report.partialPeriods ?? []).toEqual([]);
    expect(jan.partial.provisional).toBe(0);
    await appendActuals(store, dataset, ['SKU,Date,Units\nA,02/15/2025,520\nB,02/15/2025,480\n']);
    const a = await series(dataset, 'A');
    expect(a.dates.slice(-2)).toEqual(['2025-01-01', '2025-02-01']);
    expect(a.original.slice(-2)).toEqual([510, 520]);
    expect(a.provisional).toBeUndefined();
  });

  it('a file of one other day of the month (a daily export of the 20th) is still a partial month: provisional, never over a complete one', async () => {
    const dataset = await midMonthDataset();
    const out = await appendActuals(store, dataset, ['SKU,Date,Units\nA,01/20/2025,40\n']);
    expect(out.report.partialPeriods).toMatchObject([{ period: '2025-01-01', from: '2025-01-20', to: '2025-01-20', days: 1, of: 31 }]);
    expect((await series(dataset, 'A')).provisional).toEqual({ '2025-01-01': { from: '2025-01-20', to: '2025-01-20', value: 40 } });
    await appendActuals(store, dataset, ['SKU,Date,Units\nA,12/20/2024,40\n']);
    expect(await last(dataset, 'A')).toBe(40); // January's provisional value; December's complete 500 was kept
    expect((await series(dataset, 'A')).original.at(-2)).toBe(500);
  });
});

describe('a month-end dataset: a lone month-end day before days of the next month', () => {
  /** SKUs A and B, 12 months of 300 dated on month ends (2025-11-30 to 2026-10-31). */
  async function monthEndDataset(): Promise<Dataset> {
    let file = 'sku,date,units\n';
    for (const sku of ['A', 'B']) {
      for (let m = 0; m < 12; m++) {
        const y = 2025 + Math.floor((m + 10) / 12);
        const mo = ((m + 10) % 12) + 1;
        file += `${sku},${new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10)},300\n`;
      }
    }
    const imported = await importCsv(store, [file], { createJobs: false });
    return (await store.getDataset(imported.datasetId!))!;
  }
  /** Days `from` to `to` of a month (`.mm.yyyy`), 10 a day, for A and B. */
  const days = (from: number, to: number, month: string) => {
    let out = '';
    for (let d = from; d <= to; d++) for (const sku of ['A', 'B']) out += `${sku},${String(d).padStart(2, '0')}${month},10\n`;
    return out;
  };

  it('records the month ends as the day it dates its periods by', async () => {
    expect((await monthEndDataset()).report.periodsDatedLike).toBe('2026-10-31');
  });

  it('the days since the last export, starting on November\'s last day, join the provisional days 1-29 into a whole November, never replace it with one day', async () => {
    const dataset = await monthEndDataset();
    await appendActuals(store, dataset, ['sku,date,units\n' + days(1, 29, '.11.2026')]);
    expect((await series(dataset, 'A')).provisional).toEqual({ '2026-11-30': { from: '2026-11-01', to: '2026-11-29', value: 290 } });
    const out = await appendActuals(store, dataset, ['sku,date,units\n' + days(30, 30, '.11.2026') + days(1, 5, '.12.2026')]);
    expect(out.report.partialPeriods).toEqual([
      expect.objectContaining({ edge: 'first', period: '2026-11-30', from: '2026-11-30', to: '2026-11-30' }),
      expect.objectContaining({ edge: 'last', period: '2026-12-31', from: '2026-12-01', to: '2026-12-05' }),
    ]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-2)).toEqual([300, 50]); // 290 + 10: November whole, not 10
    expect(a.provisional).toEqual({ '2026-12-31': { from: '2026-12-01', to: '2026-12-05', value: 50 } });
    // Joined into a whole November: nothing to send apart.
    expect(out.report.warnings.join('\n')).not.toContain('in a file of its own');
  });

  it('the same lone day after a whole November is kept out: one day never replaces the month', async () => {
    const dataset = await monthEndDataset();
    await appendActuals(store, dataset, ['sku,date,units\nA,30.11.2026,310\nB,30.11.2026,310\n']); // a one-date file: the whole month
    const out = await appendActuals(store, dataset, ['sku,date,units\n' + days(30, 30, '.11.2026') + days(1, 5, '.12.2026')]);
    const a = await series(dataset, 'A');
    expect(a.original.slice(-2)).toEqual([310, 50]);
    // The warning says what to do, as the docs do (planning-cycle.md): the closed month in a file of its own.
    expect(out.report.warnings.find((w) => w.startsWith('partial periods'))).toContain(
      'the line dated 2026-11-30 before days of a later month is read as that day\'s sales, not as the whole month: send the closed month in a file of its own',
    );
  });
});

