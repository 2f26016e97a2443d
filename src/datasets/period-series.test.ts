import { describe, expect, it } from 'vitest';
import { dayFromIso } from './date-parse.js';
import { GrowableColumns } from './growable-columns.js';
import { periodGrid } from './period-grid.js';
import { noPeriodSeries, periodSeries, type PeriodSeriesInput } from './period-series.js';
import type { RejectedDay } from './rejected-lines.js';

/** The input for rows of SKUs `skus` (a row: SKU number, ISO date, value; its line is its place + 2), bucketed as the accumulator does. */
function monthly(skus: string[], lines: Array<[number, string, number]>, extra: Partial<PeriodSeriesInput> = {}): PeriodSeriesInput {
  const dates = [...new Set(lines.map(([, iso]) => iso))];
  const dayOf = Float64Array.from(dates.map(dayFromIso));
  const rows = new GrowableColumns();
  for (const [s, iso, value] of lines) rows.push(s, dates.indexOf(iso), value);
  const order = Int32Array.from(lines.map((_, r) => r).sort((a, b) => lines[a][0] - lines[b][0]));
  const starts = new Int32Array(skus.length + 1);
  for (const [s] of lines) starts[s + 1]++;
  for (let s = 0; s < skus.length; s++) starts[s + 1] += starts[s];
  const usedDays = new Set(dayOf);
  return {
    grid: periodGrid('monthly', usedDays), frequency: 'monthly', usedDays, sortedDays: [...usedDays].sort((a, b) => a - b),
    skus, attributesOf: () => undefined, rows, rowLines: Int32Array.from(lines.map((_, r) => r + 2)), starts, order,
    dropped: new Uint8Array(skus.length), dayOf, aggregating: false, byFileOnly: false, rejectedBySku: new Map(),
    options: { fillGaps: 'zero', minLength: 3, now: Date.parse('2024-06-15') }, warn: () => {}, ...extra,
  };
}

describe('periodSeries', () => {
  it('sums each SKU into its periods, filling an inner gap and the tail to the file\'s end with 0, and reports them', () => {
    const warnings: string[] = [];
    const input = monthly(['A', 'B'], [
      [0, '2024-01-01', 5], [1, '2024-01-01', 1], [0, '2024-03-01', 2], [1, '2024-02-01', -4], [1, '2024-04-01', 3], [1, '2024-04-01', 4],
    ], { warn: (w) => warnings.push(w) });
    const out = periodSeries(input);
    expect(out.series.map((s) => [s.sku, s.dates, s.original])).toEqual([
      ['A', ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], [5, 0, 2, 0]],
      ['B', ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], [1, -4, 0, 7]],
    ]);
    expect(out.duplicates).toBe(1);
    expect(out.gaps).toEqual([{ sku: 'A', missing: 2 }, { sku: 'B', missing: 1 }]);
    expect(out.tooShort).toEqual([]);
    expect(out.negative).toEqual({ count: 1, first: 'B 2024-02-01: -4' });
    expect([out.minDay, out.maxDay]).toEqual([dayFromIso('2024-01-01'), dayFromIso('2024-04-01')]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^1 SKU .*A/);
  });

  it('names a period filled with 0 that had a rejected line, and leaves gaps out under fillGaps=report', () => {
    const rejected: RejectedDay[] = [{ day: dayFromIso('2024-02-10'), line: 9, reason: "quantity 'x' is not a number" }];
    const lines: Array<[number, string, number]> = [[0, '2024-01-01', 1], [0, '2024-03-01', 1]];
    const zero = periodSeries(monthly(['A'], lines, { rejectedBySku: new Map([[0, rejected]]) }));
    expect(zero.filledRejected).toEqual([{ sku: 'A', date: '2024-02-01', line: 9, reason: "quantity 'x' is not a number" }]);
    expect(zero.tooShort).toEqual([]);
    const report = periodSeries(monthly(['A'], lines, { options: { fillGaps: 'report', minLength: 3 } }));
    expect(report.series[0].dates).toEqual(['2024-01-01', '2024-03-01']);
    expect(report.tooShort).toEqual([{ sku: 'A', length: 2, needed: 3 }]);
  });

  it('warns of rows dated after the current period, and stops the tails there', () => {
    const warnings: string[] = [];
    const out = periodSeries(monthly(['A', 'B'], [[0, '2024-05-01', 1], [1, '2024-05-01', 1], [1, '2099-05-01', 1]], { warn: (w) => warnings.push(w) }));
    expect(out.gaps).toEqual([{ sku: 'B', missing: 899 }]);
    expect(out.series[0].dates).toEqual(['2024-05-01']);
    expect(warnings).toEqual([expect.stringMatching(/^1 line is dated after the current period \(2024-06-01, today being 2024-06-15\)/)]);
  });

  it('has nothing when there is no frequency', () => {
    expect(noPeriodSeries()).toMatchObject({ series: [], gaps: [], minDay: Infinity, maxDay: -Infinity, spacing: 1 });
  });
});
