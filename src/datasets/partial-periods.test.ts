import { describe, expect, it } from 'vitest';
import { dayNumber, isoFromDay } from './date-parse.js';
import { partialPeriods, partialPeriodsOn, periodHolesWarning, readPeriods, samePlaceInPeriod, singleDayPartial } from './partial-periods.js';
import { periodGrid, weekdayIndex, type Weekday } from './period-grid.js';
import { SeriesAccumulator } from './series-accumulator.js';
import type { Frequency } from './dataset.js';

/** Daily lines of 1 unit for one SKU from `from` to `to` (inclusive), but for the days `skip` says. */
function accumulate(from: string, to: string, frequency: Frequency | undefined, skip: (day: number) => boolean = () => false) {
  const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency });
  const [a, b] = [from, to].map((d) => dayNumber(...(d.split('-').map(Number) as [number, number, number]))!);
  let line = 2;
  for (let day = a; day <= b; day++) if (!skip(day)) acc.add('A', isoFromDay(day), 1, line++);
  return acc.finish('long');
}

describe('partial periods at the ends of an aggregated file', () => {
  it('an export cut on 10 December flags December (10 of 31 days) and a start on 15 April flags April', () => {
    const { report, series } = accumulate('2019-04-15', '2019-12-10', 'monthly');
    expect(report.partialPeriods).toEqual([
      { edge: 'first', period: '2019-04-01', from: '2019-04-15', to: '2019-04-30', days: 16, of: 30 },
      { edge: 'last', period: '2019-12-01', from: '2019-12-01', to: '2019-12-10', days: 10, of: 31 },
    ]);
    expect(report.warnings.join('\n')).toContain('partial periods summed as if whole: the first (2019-04-01) has data from 2019-04-15 to 2019-04-30 only, 16 of its 30 days');
    // Still summed, not dropped: the planner decides.
    expect(series[0].original.at(-1)).toBe(10);
  });

  it('whole months, whole quarters and whole ISO weeks are not flagged', () => {
    expect(accumulate('2019-01-01', '2019-12-31', 'monthly').report.partialPeriods).toBeUndefined();
    expect(accumulate('2019-01-01', '2019-06-30', 'quarterly').report.partialPeriods).toBeUndefined();
    // 2019-01-07 is a Monday, 2019-03-31 a Sunday.
    expect(accumulate('2019-01-07', '2019-03-31', 'weekly').report.partialPeriods).toBeUndefined();
    expect(accumulate('2019-01-09', '2019-03-31', 'weekly').report.partialPeriods).toMatchObject([{ edge: 'first', period: '2019-01-07', days: 5, of: 7 }]);
  });

  it('a file of weekdays that ends on a Friday keeps its last week whole; one that ends on a Wednesday does not', () => {
    const weekend = (day: number) => ((day + 3) % 7) >= 5;
    // 2019-03-29 is a Friday.
    expect(accumulate('2019-01-07', '2019-03-29', 'weekly', weekend).report.partialPeriods).toBeUndefined();
    expect(accumulate('2019-01-07', '2019-03-27', 'weekly', weekend).report.partialPeriods).toMatchObject([{ edge: 'last', days: 3, of: 7 }]);
  });

  it('names the days the file has in an end period, not the period\'s bounds: a last week of Tuesday and Wednesday is from Tuesday', () => {
    // 2019-01-07 is a Monday; the last week, from 2019-01-21, has its Tuesday and Wednesday.
    expect(accumulate('2019-01-07', '2019-01-23', 'weekly', (d) => isoFromDay(d) === '2019-01-21').report.partialPeriods)
      .toEqual([{ edge: 'last', period: '2019-01-21', from: '2019-01-22', to: '2019-01-23', days: 2, of: 7 }]);
    // And a first week from Wednesday whose Sunday is missing ends on Saturday.
    expect(accumulate('2019-01-09', '2019-01-27', 'weekly', (d) => isoFromDay(d) === '2019-01-13').report.partialPeriods)
      .toEqual([{ edge: 'first', period: '2019-01-07', from: '2019-01-09', to: '2019-01-12', days: 4, of: 7 }]);
  });

  it('is not checked when nothing is aggregated (the dates are already on the period)', () => {
    expect(accumulate('2019-04-15', '2019-12-10', undefined).report.partialPeriods).toBeUndefined();
    expect(accumulate('2019-04-15', '2019-12-10', 'daily').report.partialPeriods).toBeUndefined();
  });
});

describe('partialPeriodsOn', () => {
  const day = (iso: string) => dayNumber(...(iso.split('-').map(Number) as [number, number, number]))!;

  it("names each period by another grid's date for it: a month-end dataset's 2019-12-31 for the file's 2019-12-01", () => {
    const { report } = accumulate('2019-04-15', '2019-12-10', 'monthly');
    const monthEnds = periodGrid('monthly', ['2019-01-31', '2019-02-28', '2019-03-31'].map(day));
    expect(partialPeriodsOn(monthEnds, report.partialPeriods!)).toEqual([
      { edge: 'first', period: '2019-04-30', from: '2019-04-15', to: '2019-04-30', days: 16, of: 30 },
      { edge: 'last', period: '2019-12-31', from: '2019-12-01', to: '2019-12-10', days: 10, of: 31 },
    ]);
    // A dataset dated by first days names them as the file's grid does.
    expect(partialPeriodsOn(periodGrid('monthly', [day('2019-01-01')]), report.partialPeriods!)).toEqual(report.partialPeriods);
  });
});

describe('partial periods inside the file (actuals: `inside`)', () => {
  const d = (iso: string) => dayNumber(...(iso.split('-').map(Number) as [number, number, number]))!;
  const days = (from: string, to: string, skip: (day: number) => boolean = () => false) => {
    const out: number[] = [];
    for (let x = d(from); x <= d(to); x++) if (!skip(x)) out.push(x);
    return out;
  };
  const run = (frequency: Frequency, used: number[], inside: boolean, weekStart?: Weekday) =>
    partialPeriods(periodGrid(frequency, used, weekStart), used, inside);

  it('names an old week of one day between whole weeks, only when asked (an import checks the ends alone)', () => {
    const used = [...days('2019-01-14', '2019-01-20'), d('2019-03-12'), ...days('2019-05-20', '2019-06-02')];
    expect(run('weekly', used, false)).toEqual([]);
    expect(run('weekly', used, true)).toEqual([{ edge: 'inside', period: '2019-03-11', from: '2019-03-12', to: '2019-03-12', days: 1, of: 7 }]);
  });

  it('takes a week with days missing in its middle only for a whole week with a hole (a holiday), not a partial one; days counts the days present', () => {
    // Was: flagged partial, so stored provisional, which no later file (with the same closed day) could settle.
    const closed = [...days('2019-01-07', '2019-01-20'), ...days('2019-01-21', '2019-01-27', (x) => x === d('2019-01-23')), ...days('2019-01-28', '2019-02-10')];
    expect(readPeriods(periodGrid('weekly', closed), closed, true)).toEqual({
      partial: [], holes: [{ period: '2019-01-21', from: '2019-01-23', to: '2019-01-23', days: 6, of: 7 }], usual: 1,
    });
    const mondaySunday = [...days('2019-01-07', '2019-01-20'), d('2019-02-04'), d('2019-02-10'), ...days('2019-03-04', '2019-03-17')];
    const read = readPeriods(periodGrid('weekly', mondaySunday), mondaySunday, true);
    // Five days missing in a row is no day closed (at most max(usual spacing, 3) days, under half
    // the period): partial, so a complete value stored for that week stays (was: a hole, 200 over 700).
    expect(read.partial).toEqual([{ edge: 'inside', period: '2019-02-04', from: '2019-02-04', to: '2019-02-10', days: 2, of: 7 }]);
    expect(read.holes).toEqual([]);
    const twoClosed = [...days('2019-01-07', '2019-01-20'), ...days('2019-01-21', '2019-01-27', (x) => x === d('2019-01-23') || x === d('2019-01-24')), ...days('2019-01-28', '2019-02-10')];
    expect(periodHolesWarning(readPeriods(periodGrid('weekly', twoClosed), twoClosed, true).holes)).toContain('2019-01-21 (no data from 2019-01-23 to 2019-01-24, 5 of its 7 days)');
  });

  it('counts the days an end period has, not its span: a last week of Monday, Tuesday and Thursday has 3 days', () => {
    const used = [...days('2019-01-07', '2019-01-20'), d('2019-01-21'), d('2019-01-22'), d('2019-01-24')];
    expect(run('weekly', used, true)).toEqual([{ edge: 'last', period: '2019-01-21', from: '2019-01-21', to: '2019-01-24', days: 3, of: 7 }]);
  });

  it('flags nothing on weekday-only sales, stores closed on Sundays, a SKU sold on Tuesdays and Thursdays, or whole months', () => {
    const weekend = (x: number) => weekdayIndex(x) >= 5;
    expect(run('weekly', days('2019-01-07', '2019-03-29', weekend), true)).toEqual([]);
    expect(run('weekly', days('2019-01-06', '2019-03-30', (x) => weekdayIndex(x) === 6), true, 'sunday')).toEqual([]);
    expect(run('weekly', days('2019-01-07', '2019-03-31', (x) => weekdayIndex(x) !== 1 && weekdayIndex(x) !== 3), true)).toEqual([]);
    expect(run('monthly', days('2019-01-01', '2019-03-31', weekend), true)).toEqual([]);
    expect(run('monthly', days('2019-01-07', '2019-06-30', (x) => weekdayIndex(x) !== 0), true)).toEqual([]);
    expect(run('monthly', days('2019-02-01', '2019-02-28'), true)).toEqual([]);
  });

  it('keeps the ends as before, with the inside periods between them in order', () => {
    const used = [...days('2019-01-20', '2019-02-28'), ...days('2019-04-01', '2019-04-05'), ...days('2019-06-01', '2019-06-30'), ...days('2019-08-01', '2019-08-03')];
    expect(run('monthly', used, true).map((p) => [p.edge, p.period])).toEqual([['first', '2019-01-01'], ['inside', '2019-04-01'], ['last', '2019-08-01']]);
  });
});

describe('singleDayPartial (an actuals file of one date)', () => {
  it('takes a period\'s own date (a week\'s first or last day, a month\'s first or last) as its value, any other day as partial', () => {
    const d = (iso: string) => dayNumber(...(iso.split('-').map(Number) as [number, number, number]))!;
    const monday = d('2019-01-07');
    const weekly = periodGrid('weekly', [monday], 'monday');
    expect(singleDayPartial(weekly, monday)).toEqual([]);
    expect(singleDayPartial(weekly, d('2019-01-10'))).toEqual([{ edge: 'last', period: '2019-01-07', from: '2019-01-10', to: '2019-01-10', days: 1, of: 7 }]);
    expect(singleDayPartial(weekly, d('2019-01-13'))).toEqual([]); // the Sunday that ends the week: a week-ending date
    const monthly = periodGrid('monthly', [d('2019-03-01')]);
    expect(singleDayPartial(monthly, d('2019-03-01'))).toEqual([]);
    expect(singleDayPartial(monthly, d('2019-03-31'))).toEqual([]);
    expect(singleDayPartial(monthly, d('2019-03-10'))).toMatchObject([{ from: '2019-03-10', days: 1, of: 31 }]);
    expect(singleDayPartial(periodGrid('daily', [monday]), monday)).toEqual([]);
  });

  it('also takes the day of its period the history dated periods by (report.periodsDatedLike), at every frequency, by calendar place, not day count', () => {
    const d = (iso: string) => dayNumber(...(iso.split('-').map(Number) as [number, number, number]))!;
    // Weekly, Monday weeks dated on their Wednesday: another Wednesday is a week, a Thursday is not.
    const weekly = periodGrid('weekly', [d('2019-01-09')], 'monday');
    expect(singleDayPartial(weekly, d('2019-03-06'), d('2019-01-09'))).toEqual([]);
    expect(singleDayPartial(weekly, d('2019-03-07'), d('2019-01-09'))).toMatchObject([{ period: '2019-03-04', days: 1, of: 7 }]);
    // Monthly on the 15th, February included (14 days in, as every month).
    const monthly = periodGrid('monthly', [d('2024-12-15')]);
    expect(singleDayPartial(monthly, d('2025-02-15'), d('2024-12-15'))).toEqual([]);
    expect(singleDayPartial(monthly, d('2025-02-16'), d('2024-12-15'))).toMatchObject([{ period: '2025-02-01', of: 28 }]);
    // Quarterly on the 15th of the quarter's second month: 15 February is 45 days into Q1, 15 May 44 into Q2.
    const quarterly = periodGrid('quarterly', [d('2024-11-15')]);
    expect(samePlaceInPeriod(quarterly, d('2025-02-15'), d('2024-11-15'))).toBe(true);
    expect(singleDayPartial(quarterly, d('2025-05-15'), d('2024-11-15'))).toEqual([]);
    expect(singleDayPartial(quarterly, d('2025-04-15'), d('2024-11-15'))).toMatchObject([{ period: '2025-04-01', of: 91 }]);
    // Yearly on 30 June: another 30 June is a year, 30 July is not.
    const yearly = periodGrid('yearly', [d('2023-06-30')]);
    expect(singleDayPartial(yearly, d('2025-06-30'), d('2023-06-30'))).toEqual([]);
    expect(singleDayPartial(yearly, d('2025-07-30'), d('2023-06-30'))).toMatchObject([{ period: '2025-01-01', of: 365 }]);
    // Without a recorded day (a dataset imported before it was kept), the 15th stays partial.
    expect(singleDayPartial(monthly, d('2025-02-15'))).toMatchObject([{ from: '2025-02-15', days: 1 }]);
  });

  it('an import records the day only when its dates were whole periods all on one day of them (not for dates that differ, nor for days summed into weeks)', () => {
    const finish = (frequency: Frequency | undefined, rows: Array<[string, string]>) => {
      const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency });
      rows.forEach(([sku, date], i) => acc.add(sku, date, 1, i + 2));
      return acc.finish('long').report.periodsDatedLike;
    };
    const months = (day: number) => Array.from({ length: 6 }, (_, k): [string, string] => ['A', `2024-${String(k + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`]);
    expect(finish(undefined, months(15))).toBe('2024-06-15');
    expect(finish(undefined, [...months(15).slice(0, 5), ['A', '2024-06-20']])).toBeUndefined();
    const days = Array.from({ length: 60 }, (_, k): [string, string] => ['A', isoFromDay(dayNumber(2024, 1, 1)! + k)]);
    expect(finish('weekly', days)).toBeUndefined();
    // Month ends are one place (30, 31, 29 February); the 28th stays one with a 28 February among them.
    const ends = Array.from({ length: 6 }, (_, k): [string, string] => ['A', isoFromDay(dayNumber(2024, k + 2, 1)! - 1)]);
    expect(finish(undefined, ends)).toBe('2024-06-30');
    expect(finish(undefined, [...months(28), ['A', '2024-07-28']])).toBe('2024-07-28');
  });
});

describe('readPeriods: a day closed at an inner period\'s edge', () => {
  it('is a hole when the file has the neighbouring period up to it, short; a partial period otherwise', () => {
    const d = (iso: string) => dayNumber(...(iso.split('-').map(Number) as [number, number, number]))!;
    const span = (from: string, to: string, skip: string[] = []) => {
      const out: number[] = [];
      for (let x = d(from); x <= d(to); x++) if (!skip.includes(isoFromDay(x))) out.push(x);
      return out;
    };
    const easter = span('2019-04-08', '2019-05-05', ['2019-04-22']);
    expect(readPeriods(periodGrid('weekly', easter), easter, true)).toMatchObject({ partial: [], holes: [{ period: '2019-04-22', from: '2019-04-22', to: '2019-04-22', days: 6 }] });
    // Monday to Wednesday missing after a whole week: a hole of 3 days, under half the week.
    const three = span('2019-04-08', '2019-05-05', ['2019-04-22', '2019-04-23', '2019-04-24']);
    expect(readPeriods(periodGrid('weekly', three), three, true).holes).toMatchObject([{ from: '2019-04-22', to: '2019-04-24' }]);
    // Four days missing at its start: partial.
    const four = span('2019-04-08', '2019-05-05', ['2019-04-22', '2019-04-23', '2019-04-24', '2019-04-25']);
    expect(readPeriods(periodGrid('weekly', four), four, true).partial).toMatchObject([{ edge: 'inside', period: '2019-04-22', from: '2019-04-26' }]);
  });
});
