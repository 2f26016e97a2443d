import { describe, expect, it } from 'vitest';
import { SeriesAccumulator } from './series-accumulator.js';

describe('SeriesAccumulator: returns', () => {
  it('a period whose returns outweigh its sales is summed negative and warned about, naming the SKU and period', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency: 'monthly' });
    let line = 2;
    for (const [sku, date, value] of [
      ['A', '2023-01-03', 5], ['A', '2023-01-20', -2], ['A', '2023-02-04', 1], ['A', '2023-02-11', -4], ['A', '2023-03-01', 3],
      ['B', '2023-01-05', 2], ['B', '2023-02-05', 2], ['B', '2023-03-05', -1], ['B', '2023-03-06', 1],
    ] as const) acc.add(sku, date, value, line++);
    const { series, report } = acc.finish('long');
    expect(series.map((s) => [s.sku, s.original])).toEqual([['A', [3, -3, 3]], ['B', [2, 2, 0]]]);
    expect(report.returns).toEqual({ lines: 3, quantity: -7 });
    expect(report.warnings).toContain("1 (sku, period) total is negative, returns outweighing sales (A 2023-02-01: -3); that SKU's forecasts are not clipped at 0");
  });

  it('says nothing of negative totals when returns stay within their periods\' sales', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency: 'monthly' });
    acc.add('A', '2023-01-03', 5, 2);
    acc.add('A', '2023-01-04', -1, 3);
    acc.add('A', '2023-02-03', 5, 4);
    expect(acc.finish('long').report.warnings.join('\n')).not.toContain('negative, returns');
  });
});

describe('SeriesAccumulator: day-first or month-first', () => {
  const read = (dates: string[], options: { dayOrder?: 'dmy' | 'mdy' | 'unrecorded'; dateFormat?: string } = {}) => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency: 'monthly', ...options });
    dates.forEach((date, k) => acc.add('A', date, k + 1, k + 2));
    const { series, report } = acc.finish('long');
    return { dates: series[0]?.dates ?? [], report };
  };

  it('a file whose dates are all one ambiguous value is read day-first with a warning, as datasets.md promises', () => {
    const { dates, report } = read(['04/01/2024', '04/01/2024']);
    expect(dates).toEqual(['2024-01-01']);
    expect(report.dayOrder).toBe('dmy');
    expect(report.warnings).toContain("dates like '04/01/2024' could be day-first or month-first; read as day-first (give dateFormat to choose)");
    // One that reads the same either way is no question.
    expect(read(['01/01/2024']).report.warnings.join('\n')).not.toMatch(/day-first/);
  });

  it('reads dates the file cannot settle in the dataset\'s order, without a warning', () => {
    const { dates, report } = read(['04/01/2024'], { dayOrder: 'mdy' });
    expect(dates).toEqual(['2024-04-01']);
    expect(report.dayOrder).toBe('mdy');
    expect(report.warnings).toEqual([]);
    // A 10-day export of a month-first dataset: ten days of January, not January to October.
    const tenDays = read(Array.from({ length: 10 }, (_, k) => `01/${String(k + 1).padStart(2, '0')}/24`), { dayOrder: 'mdy' });
    expect(tenDays.dates).toEqual(['2024-01-01']);
    expect(tenDays.report.detectedFrequency).toBe('daily');
  });

  it('a number over 12 still settles it, with a warning when that is not the dataset\'s order', () => {
    const { dates, report } = read(['13/01/2024', '04/01/2024'], { dayOrder: 'mdy' });
    expect(dates).toEqual(['2024-01-01']);
    expect(report.dayOrder).toBe('dmy');
    expect(report.warnings).toContain("dates like '13/01/2024' can only be day-first, but the dataset's were read month-first: read day-first (give dateFormat to choose)");
  });

  it('a dataset that kept no order: read as the file alone says, with a warning even where the file\'s own rule decided', () => {
    const tenDays = read(Array.from({ length: 10 }, (_, k) => `01/${String(k + 1).padStart(2, '0')}/24`), { dayOrder: 'unrecorded' });
    expect(tenDays.dates).toHaveLength(10);
    expect(tenDays.report.warnings.join('\n')).toMatch(/^dates like '01\/02\/24' could be day-first or month-first, and the dataset keeps no order to follow .*: read as day-first from this file alone/m);
    expect(read(['13/01/2024'], { dayOrder: 'unrecorded' }).report.warnings).toEqual([]);
  });

  it('keeps the order a dateFormat gives, and none for dates that have none', () => {
    expect(read(['01/04/2024'], { dateFormat: 'MM/DD/YYYY' }).report.dayOrder).toBe('mdy');
    expect(read(['2024-01-04', '2024-02-04']).report.dayOrder).toBeNull();
  });
});

describe('SeriesAccumulator: a date column named for the periods\' ends', () => {
  /** Ten weeks of A dated on Sundays (2024-09-01 to 2024-11-03), under a date column named `column`. */
  const read = (column: string | null, options: { weekStart?: 'sunday' | 'monday'; frequency?: 'weekly' } = {}) => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, ...options });
    if (column !== null) acc.setPeriodEndColumn(column);
    for (let w = 0; w < 10; w++) acc.add('A', new Date(Date.UTC(2024, 8, 1 + 7 * w)).toISOString().slice(0, 10), 10, w + 2);
    return acc.finish('long');
  };

  it('week_ending Sundays make Monday-to-Sunday weeks, dated by their Monday, and the report says so (was: weeks starting on Sunday)', () => {
    const { series, report } = read('week_ending');
    expect(report.weekStart).toBe('monday');
    expect(series[0].dates.slice(0, 2)).toEqual(['2024-08-26', '2024-09-02']);
    expect(series[0].original).toEqual(Array(10).fill(10));
    expect(report.warnings).toContain("the column 'week_ending' dates each week by its last day, a sunday: read as weeks from monday to sunday, each dated by its monday (weekStart=monday; give weekStart to choose another)");
    // The history's dates were all the weeks' last day: a one-date actuals file on a Sunday is a whole week.
    expect(report.periodsDatedLike).toBe('2024-11-03');
  });

  it('a weekStart given wins; without such a name Sundays start the weeks as before', () => {
    expect(read('week_ending', { weekStart: 'sunday' }).report).toMatchObject({ weekStart: 'sunday' });
    expect(read('week_ending', { weekStart: 'sunday' }).report.warnings.join('\n')).not.toContain('last day');
    expect(read(null).report.weekStart).toBe('sunday');
    // Numbered weeks under such a name (`47/2024`) are whole ISO weeks, read by their Monday, as under any week column.
    const numbered = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0 });
    numbered.setWeekColumn('Week Ending');
    numbered.setPeriodEndColumn('Week Ending');
    for (let w = 1; w <= 10; w++) numbered.add('A', `${String(w).padStart(2, '0')}/2024`, 10, w + 1);
    expect(numbered.finish('long').report).toMatchObject({ weekStart: 'monday', frequency: 'weekly' });
    // The web app sends back the weekday its dry run reported: the stored report still says why.
    expect(read('week_ending', { weekStart: 'monday' }).report.warnings.join('\n')).toContain("the column 'week_ending' dates each week by its last day");
  });
});
