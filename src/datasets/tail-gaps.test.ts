import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';
import { provisionalOf } from './partial-periods.js';
import { SeriesAccumulator } from './series-accumulator.js';

/**
 * A SKU whose rows end before the file's last period: an ERP export omits zero rows, so a SKU that
 * stopped selling simply has no more lines. The missing tail is a gap like one inside a series:
 * filled with 0 under fillGaps=zero, left out and listed under fillGaps=report; warned either way.
 * (Was: the series ended at its own last row, its forecast dated in the dataset's past, no warning.)
 */
const base: CsvReadOptions = { fillGaps: 'zero', minLength: 3 };

// Weekly, dated by each week's Sunday as the ERP writes them: 12 weeks ending 04.01.2026 to 22.03.2026.
const sunday = (k: number) => {
  const d = new Date(Date.UTC(2026, 0, 4 + 7 * k));
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};
function weeklyFile(): string {
  let text = 'Item;Week Ending;Units Sold\n';
  for (let k = 0; k < 12; k++) {
    text += `ART-1000;${sunday(k)};${50 + k}\n`;
    // Discontinued: no rows after the week ending 08.02.2026 (6 weeks before the file's end).
    if (k < 6) text += `ART-1039;${sunday(k)};${67 + (k % 2)}\n`;
    // An inner gap (week 3) and sales to the end.
    if (k !== 3) text += `ART-1040;${sunday(k)};${20 + k},5\n`;
  }
  return text;
}

describe('a SKU whose rows end before the file does', () => {
  it('fillGaps=zero: its series runs to the file\'s last period, the tail filled with 0 as an inner gap is, and the report says so', async () => {
    const { series, report } = await readCsvDataset([weeklyFile()], base);
    expect(report.frequency).toBe('weekly');
    expect(report.dateRange).toEqual({ start: '2026-01-04', end: '2026-03-22' });
    const of = (sku: string) => series.find((s) => s.sku === sku)!;
    // Every SKU ends on the same last week (dated by its Monday).
    for (const s of series) expect([s.sku, s.dates.length, s.dates.at(-1)]).toEqual([s.sku, 12, '2026-03-16']);
    expect(of('ART-1039').original).toEqual([67, 68, 67, 68, 67, 68, 0, 0, 0, 0, 0, 0]);
    expect(of('ART-1039').volume).toBe(405);
    expect(of('ART-1040').original[3]).toBe(0);
    // The tail counts as missing periods, as the inner gap does.
    expect(report.gaps).toEqual([{ sku: 'ART-1039', missing: 6 }, { sku: 'ART-1040', missing: 1 }]);
    expect(report.warnings).toContain(
      "1 SKU has no rows after its last sale ('ART-1039' last on 2026-02-08, 6 weeks): its weeks up to the dataset's end, 2026-03-22, are filled with 0 as fillGaps=zero says, so its forecast starts after the dataset's end, from its zeros; if it did sell then, send its rows",
    );
  });

  it('fillGaps=report: the tail is left out and listed under gaps, and a warning says the series ends early', async () => {
    const { series, report } = await readCsvDataset([weeklyFile()], { ...base, fillGaps: 'report' });
    const stopped = series.find((s) => s.sku === 'ART-1039')!;
    expect(stopped.original).toEqual([67, 68, 67, 68, 67, 68]);
    expect(stopped.dates.at(-1)).toBe('2026-02-02');
    expect(series.find((s) => s.sku === 'ART-1040')!.original).toHaveLength(11);
    expect(report.gaps).toEqual([{ sku: 'ART-1039', missing: 6 }, { sku: 'ART-1040', missing: 1 }]);
    expect(report.warnings).toContain(
      "1 SKU has no rows after its last sale ('ART-1039' last on 2026-02-08, 6 weeks): with fillGaps=report these weeks are left out (listed under gaps), so its series ends early and its forecast starts before the dataset's end, 2026-03-22",
    );
    expect(report.warnings).toContain('2 SKUs have missing periods, kept out (fillGaps: report); models see their values as consecutive');
  });

  it('names the SKUs that stopped first, each with its own last date and count, and how many more', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency: 'monthly' });
    let line = 2;
    for (let m = 1; m <= 12; m++) {
      const date = `2024-${String(m).padStart(2, '0')}-01`;
      acc.add('LIVE', date, 10, line++);
      for (const [sku, until] of [['S1', 3], ['S2', 9], ['S3', 6], ['S4', 11]] as const) if (m <= until) acc.add(sku, date, 5, line++);
    }
    const { series, report } = acc.finish('long');
    expect(series.map((s) => s.original.length)).toEqual([12, 12, 12, 12, 12]);
    expect(report.warnings).toContain(
      "4 SKUs have no rows after their last sale ('S1' last on 2024-03-01, 9 months; 'S3' last on 2024-06-01, 6 months; 'S2' last on 2024-09-01, 3 months; and 1 more): their months up to the dataset's end, 2024-12-01, are filled with 0 as fillGaps=zero says, so their forecasts start after the dataset's end, from their zeros; if they did sell then, send their rows",
    );
  });

  it('the month to date: a SKU with no day of it yet gets a provisional 0 there, no gap and no warning; the tail before it is a gap', () => {
    // Daily lines summed into months; the file ends on 10 March: March is partial (provisional).
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency: 'monthly' });
    let line = 2;
    for (let day = Date.UTC(2024, 0, 1); day <= Date.UTC(2024, 2, 10); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      acc.add('A', date, 3, line++);
      if (date <= '2024-02-29') acc.add('FEB', date, 2, line++);
      if (date <= '2024-01-31') acc.add('JAN', date, 1, line++);
    }
    const { series, report } = acc.finish('long');
    expect(report.partialPeriods).toEqual([{ edge: 'last', period: '2024-03-01', from: '2024-03-01', to: '2024-03-10', days: 10, of: 31 }]);
    const of = (sku: string) => series.find((s) => s.sku === sku)!;
    expect(of('FEB').original).toEqual([62, 58, 0]);
    expect(of('JAN').original).toEqual([31, 0, 0]);
    // March is to date for every SKU: stored provisional (storeImport: provisionalOf), so left out of the models' history.
    for (const sku of ['A', 'FEB', 'JAN']) {
      expect(provisionalOf(report.partialPeriods, of(sku).dates, of(sku).original)).toEqual({ '2024-03-01': { from: '2024-03-01', to: '2024-03-10', value: sku === 'A' ? 30 : 0 } });
    }
    // FEB sold to the last whole month: nothing missing. JAN lacks February: one month.
    expect(report.gaps).toEqual([{ sku: 'JAN', missing: 1 }]);
    const warning = report.warnings.find((w) => w.includes('no rows after'));
    expect(warning).toBe("1 SKU has no rows after its last sale ('JAN' last on 2024-01-31, 1 month): its months up to the dataset's end, 2024-03-10, are filled with 0 as fillGaps=zero says, so its forecast starts after the dataset's end, from its zeros; if it did sell then, send its rows");
  });

  it('actuals (partialInside) add only the periods their file has: no tail, no warning', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'report', minLength: 0, frequency: 'monthly', partialInside: true });
    acc.add('A', '2024-01-01', 1, 2);
    acc.add('A', '2024-02-01', 1, 3);
    acc.add('A', '2024-03-01', 1, 4);
    acc.add('B', '2024-01-01', 1, 5);
    const { series, report } = acc.finish('long');
    expect(series.find((s) => s.sku === 'B')!.original).toEqual([1]);
    expect(report.gaps).toEqual([]);
    expect(report.warnings.join('\n')).not.toContain('no rows after');
  });
});

describe('a row mistyped into the future', () => {
  it('does not stretch the other SKUs: their tails reach the last period not after today (was: 840 months of zeros each, read as stopped)', async () => {
    const month = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
    let text = 'sku,date,sales\n';
    for (let y = 2024; y <= 2025; y++) for (let m = 1; m <= 12; m++) text += `A,${month(y, m)},${10 + m}\nB,${month(y, m)},${20 + m}\n`;
    text += 'B,2095-12-01,5\n';
    const now = Date.UTC(2026, 11, 6, 12);
    const { series, report } = await readCsvDataset([text], { ...base, now });
    const a = series.find((s) => s.sku === 'A')!;
    expect([a.dates.length, a.dates.at(-1)]).toEqual([24, '2025-12-01']);
    expect(report.warnings.some((w) => /no rows after their last sale/.test(w))).toBe(false);
    // The typo itself is warned about (future-dates), and B alone carries it.
    expect(report.warnings.some((w) => /dated after the current period/.test(w))).toBe(true);
    // A file wholly after today (a test fixture, a wrong server clock) keeps its own end.
    const later = await readCsvDataset([text], { ...base, now: Date.UTC(2020, 0, 1) });
    expect(later.series.find((s) => s.sku === 'A')!.dates.at(-1)).toBe('2095-12-01');
  });
});

describe('many SKUs ending on one date', () => {
  it('says it looks like where part of the file stops (a region\'s cut-off), not as many stops, and how to import it (review)', async () => {
    const month = (m: number) => `2025-${String(m).padStart(2, '0')}-01`;
    let text = 'sku,date,sales\n';
    // North runs to December, South's extract stops at October: six SKUs, one day.
    for (let k = 0; k < 4; k++) for (let m = 1; m <= 12; m++) text += `N${k},${month(m)},${10 + m}\n`;
    for (let k = 0; k < 6; k++) for (let m = 1; m <= 10; m++) text += `S${k},${month(m)},${20 + m}\n`;
    const { report } = await readCsvDataset([text], { ...base, now: Date.UTC(2026, 0, 15) });
    const warning = report.warnings.find((w) => /no rows after their last sale/.test(w))!;
    expect(warning).toMatch(/6 of these 6 SKUs \(of 10\) end on the same day, 2025-10-01: if that is where their part of the file stops \(a region's or a system's cut-off\) rather than 6 items stopping at once, send their later rows, or import with fillGaps=report so their tails are not read as 0$/);
    // A few real stops among many SKUs say nothing of a cut-off.
    const few = await readCsvDataset([weeklyFile()], base);
    expect(few.report.warnings.join(' ')).not.toMatch(/same day/);
  });
});
