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
    expect(report.warnings).toContain('1 (sku, period) totals are negative, returns outweighing sales (A 2023-02-01: -3); forecasts of those SKUs are not clipped at 0');
  });

  it('says nothing of negative totals when returns stay within their periods\' sales', () => {
    const acc = new SeriesAccumulator({ fillGaps: 'zero', minLength: 0, frequency: 'monthly' });
    acc.add('A', '2023-01-03', 5, 2);
    acc.add('A', '2023-01-04', -1, 3);
    acc.add('A', '2023-02-03', 5, 4);
    expect(acc.finish('long').report.warnings.join('\n')).not.toContain('negative, returns');
  });
});
