import { describe, expect, it } from 'vitest';
import { isTotalLabel } from './pivot-totals.js';
import { SeriesAccumulator } from './series-accumulator.js';

describe('isTotalLabel', () => {
  it.each(['Total', 'TOTAL', ' Grand Total ', 'grand  total', 'Gesamtergebnis', 'Gesamt', 'Summe', 'Sum', 'Totals', 'Total:'])('%s is named like a total', (text) => {
    expect(isTotalLabel(text)).toBe(true);
  });

  it.each(['TOTAL-CARE SHAMPOO', 'Total Care', 'Subtotal', 'A Total', 'Grand Total 2023', 'Summer', 'Gesamtsortiment', ''])('%s is not', (text) => {
    expect(isTotalLabel(text)).toBe(false);
  });
});

describe('SeriesAccumulator: pivot-table totals', () => {
  const months = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];
  /** Rows in the order given, a line each from line 2; `dropTotals` as a file's reader sets it. */
  const read = (rows: Array<[string, string, number]>, dropTotals = true) => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, dropTotals });
    rows.forEach(([sku, date, value], k) => acc.add(sku, date, value, k + 2));
    return acc.finish('long');
  };
  const skuRows = (sku: string, values: number[]) => values.map((v, k): [string, string, number] => [sku, months[k], v]);

  it('drops a total that comes after every other SKU, naming it, even when its values are not their sum', () => {
    const { series, report } = read([...skuRows('A', [1, 2, 3, 4]), ...skuRows('B', [5, 6, 7, 8]), ...skuRows('Grand Total', [9, 9, 9, 9])]);
    expect(series.map((s) => s.sku)).toEqual(['A', 'B']);
    expect(report.skus).toBe(2);
    expect(report.warnings).toContain("dropped 'Grand Total' (4 values from line 10) as a pivot table's total, not a SKU: it comes after every other SKU");
  });

  it('drops a total anywhere whose values are the other SKUs\' sum on most dates, within rounding', () => {
    const interleaved = months.flatMap((m, k): Array<[string, string, number]> => [['Total', m, k === 3 ? 99 : 10.01 + 2 * k], ['A', m, 4 + k], ['B', m, 6 + k]]);
    const { series, report } = read(interleaved);
    expect(series.map((s) => s.sku)).toEqual(['A', 'B']);
    expect(series[1].original).toEqual([6, 7, 8, 9]);
    expect(report.warnings).toContain("dropped 'Total' (4 values from line 2) as a pivot table's total, not a SKU: its values are the other SKUs' sum on 3 of 4 dates");
  });

  it('keeps a SKU named like a total that neither comes last nor sums the others, and says so', () => {
    const { series, report } = read([...skuRows('Total', [1, 1, 1, 1]), ...skuRows('A', [1, 2, 3, 4]), ...skuRows('B', [5, 6, 7, 8])]);
    expect(series.map((s) => s.sku)).toEqual(['Total', 'A', 'B']);
    expect(report.warnings).toContain("kept the SKU 'Total' (4 values from line 2) although it is named like a total: it does not come last, and its values are the other SKUs' sum on only 0 of 4 dates; if it is a total, take its rows out of the file");
  });

  it('keeps SKUs that only contain the word, a file of only a total, and the rows of a JSON client', () => {
    const named = read([...skuRows('A', [1, 2, 3, 4]), ...skuRows('TOTAL-CARE SHAMPOO', [1, 2, 3, 4])]);
    expect(named.series.map((s) => s.sku)).toEqual(['A', 'TOTAL-CARE SHAMPOO']);
    expect(named.report.warnings.join('\n')).not.toMatch(/total/i);
    expect(read(skuRows('Summe', [1, 2, 3, 4])).series.map((s) => s.sku)).toEqual(['Summe']);
    const json = read([...skuRows('A', [1, 2, 3, 4]), ...skuRows('Total', [1, 2, 3, 4])], false);
    expect(json.series.map((s) => s.sku)).toEqual(['A', 'Total']);
    expect(json.report.warnings).toEqual([]);
  });

  it('a dropped total shapes nothing else: the date range is the SKUs\' own', () => {
    const { series, report } = read([...skuRows('A', [1, 2, 3]), ...skuRows('Grand Total', [1, 2, 3, 4])]);
    expect(series).toHaveLength(1);
    expect(report.dateRange).toEqual({ start: '2024-01-01', end: '2024-03-01' });
  });
});
