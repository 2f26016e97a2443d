import { describe, expect, it } from 'vitest';
import { isTotalLabel } from './pivot-totals.js';
import { SeriesAccumulator } from './series-accumulator.js';

describe('isTotalLabel', () => {
  it.each(['Total', 'TOTAL', ' Grand Total ', 'grand  total', 'Gesamtergebnis', 'Gesamt', 'Summe', 'Sum', 'Totals', 'Total:', 'Total Result', 'Gesamt Ergebnis'])('%s is named like a total', (text) => {
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

  it('drops a total that comes after every other SKU and is as large as each, naming it, even when its values are not their sum', () => {
    const { series, report } = read([...skuRows('A', [1, 2, 3, 4]), ...skuRows('B', [5, 6, 7, 8]), ...skuRows('Grand Total', [9, 9, 9, 9])]);
    expect(series.map((s) => s.sku)).toEqual(['A', 'B']);
    expect(report.skus).toBe(2);
    expect(report.warnings).toContain("dropped 'Grand Total' (4 values from line 10) as a pivot table's total, not a SKU: it comes after every other SKU and none is larger on any date");
  });

  it('drops a total anywhere whose values are the other SKUs\' sum on most dates, within rounding', () => {
    const interleaved = months.flatMap((m, k): Array<[string, string, number]> => [['Total', m, k === 3 ? 99 : 10.01 + 2 * k], ['A', m, 4 + k], ['B', m, 6 + k]]);
    const { series, report } = read(interleaved);
    expect(series.map((s) => s.sku)).toEqual(['A', 'B']);
    expect(series[1].original).toEqual([6, 7, 8, 9]);
    expect(report.warnings).toContain("dropped 'Total' (4 values from line 2) as a pivot table's total, not a SKU: its values are the other SKUs' sum on 3 of 4 dates with sales");
  });

  it('keeps a SKU named like a total that neither comes last nor sums the others, and says so', () => {
    const { series, report } = read([...skuRows('Total', [1, 1, 1, 1]), ...skuRows('A', [1, 2, 3, 4]), ...skuRows('B', [5, 6, 7, 8])]);
    expect(series.map((s) => s.sku)).toEqual(['Total', 'A', 'B']);
    expect(report.warnings).toContain("kept the SKU 'Total' (4 values from line 2) although it is named like a total: it does not come last, and its values are the other SKUs' sum on only 0 of 4 dates with sales; if it is a total, take its rows out of the file");
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

  // A SKU named like a total that a planner sells: the evidence must be real before it vanishes.
  it('dates where it and the others are all 0 are no evidence that it is their sum: kept', () => {
    const { series, report } = read([...skuRows('A1', [0, 0, 4, 0]), ...skuRows('Total', [0, 0, 2, 0]), ...skuRows('B2', [0, 0, 1, 0])]);
    expect(series.map((s) => s.sku)).toEqual(['A1', 'Total', 'B2']);
    expect(report.warnings).toContain("kept the SKU 'Total' (4 values from line 6) although it is named like a total: it does not come last, and its values are the other SKUs' sum on only 0 of 1 date with sales (3 are needed, or every one as the sum of two or more SKUs); if it is a total, take its rows out of the file");
  });

  it('one value that happens to equal the others\' sum is no evidence either: three dates with sales are needed', () => {
    const { series } = read([['A1', months[0], 5], ['A1', months[1], 6], ['Total', months[2], 7], ['B1', months[0], 2], ['B1', months[1], 6], ['B1', months[2], 7]]);
    expect(series.map((s) => s.sku)).toContain('Total');
    const three = read([...skuRows('A1', [1, 2, 3]), ...skuRows('Total', [4, 6, 8]), ...skuRows('B1', [3, 4, 5])]);
    expect(three.series.map((s) => s.sku)).toEqual(['A1', 'B1']);
  });

  it('on fewer than three dates, a total that is the sum of two or more selling SKUs on every one is dropped (a month or two of actuals)', () => {
    const two = read([['A1', months[0], 10], ['B2', months[0], 5], ['Total', months[0], 15], ['A1', months[1], 11], ['B2', months[1], 6], ['Total', months[1], 17]]);
    expect(two.series.map((s) => s.sku)).toEqual(['A1', 'B2']);
    expect(two.report.warnings).toContain("dropped 'Total' (2 values from line 4) as a pivot table's total, not a SKU: its values are the other SKUs' sum on 2 of 2 dates with sales");
    const one = read([['A1', months[0], 10], ['Total', months[0], 15], ['B2', months[0], 5]]);
    expect(one.report.warnings).toContain("dropped 'Total' (1 value from line 3) as a pivot table's total, not a SKU: its values are the other SKUs' sum on 1 of 1 date with sales");
    // Not on every date, or the sum of one SKU (its equal): kept.
    const notEvery = read([['A1', months[0], 10], ['B2', months[0], 5], ['Total', months[0], 15], ['A1', months[1], 11], ['B2', months[1], 6], ['Total', months[1], 3]]);
    expect(notEvery.series.map((s) => s.sku)).toContain('Total');
    const equal = read([['A1', months[0], 10], ['Total', months[0], 10], ['B2', months[0], 0], ['A1', months[1], 11], ['Total', months[1], 11]]);
    expect(equal.series.map((s) => s.sku)).toContain('Total');
  });

  it('a last SKU smaller than another SKU on a date cannot be their (non-negative) sum: kept, naming the larger', () => {
    // A file sorted by SKU: "Total" (a brand) sorts after A1 and B2, and sells far less than A1.
    const { series, report } = read([...skuRows('A1', [50, 60, 70, 80]), ...skuRows('B2', [3, 4, 5, 6]), ...skuRows('Total', [1, 2, 1, 2])]);
    expect(series.map((s) => s.sku)).toEqual(['A1', 'B2', 'Total']);
    expect(report.warnings).toContain("kept the SKU 'Total' (4 values from line 10) although it is named like a total: it comes last, but 'A1' is larger on 2024-01-01, so it is no sum of them, and its values are the other SKUs' sum on only 0 of 4 dates with sales; if it is a total, take its rows out of the file");
  });

  it('a dropped total\'s returns are not counted in the report\'s returns', () => {
    const { series, report } = read([...skuRows('A1', [5, -6, 7]), ...skuRows('B2', [5, -2, 7]), ...skuRows('Total', [10, -8, 14])]);
    expect(series.map((s) => s.sku)).toEqual(['A1', 'B2']);
    // The file's SKUs have two return lines, -8 in all; the total's -8 is not a third.
    expect(report.returns).toEqual({ lines: 2, quantity: -8 });
    expect(report.warnings).toContain('2 lines are returns (negative quantities, -8 in all), summed into their periods');
  });

  it('a SKU the dataset already has (actuals) is never dropped, last and the sum as it may be', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, dropTotals: true });
    [...skuRows('A', [1, 2, 3]), ...skuRows('B', [4, 5, 6]), ...skuRows('Total', [5, 7, 9])].forEach(([sku, date, value], k) => acc.add(sku, date, value, k + 2));
    expect(acc.totalNamedSkus()).toEqual(['Total']);
    acc.keepKnownSkus(['Total']);
    const { series, report } = acc.finish('long');
    expect(series.map((s) => s.sku)).toEqual(['A', 'B', 'Total']);
    expect(report.warnings.join('\n')).not.toMatch(/Total/);
  });
});

describe('SeriesAccumulator: the fewer-than-three-dates total rule is for a file of a month or two, not a SKU that sold once', () => {
  it('keeps a SKU named Total that sold on one date of a four-month file, its value equal to the two others that day', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, dropTotals: true });
    const rows: Array<[string, string, number]> = [
      ['A1', '2025-01-01', 1], ['B2', '2025-01-01', 2], ['Total', '2025-03-01', 7],
      ['A1', '2025-02-01', 2], ['B2', '2025-02-01', 3], ['A1', '2025-03-01', 3], ['B2', '2025-03-01', 4],
      ['A1', '2025-04-01', 4], ['B2', '2025-04-01', 5],
    ];
    rows.forEach(([sku, date, value], k) => acc.add(sku, date, value, k + 2));
    const { series } = acc.finish('long');
    expect(series.map((s) => s.sku)).toContain('Total');
  });
});
