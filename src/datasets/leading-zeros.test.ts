import { describe, expect, it } from 'vitest';
import { leadingZerosWarning, matchLeadingZeros, renameSeries, withoutLeadingZeros } from './leading-zeros.js';
import type { NewSeries } from './dataset.js';

describe('matchLeadingZeros', () => {
  it('drops leading zeros in each all-digit part of a key, and only there', () => {
    expect(withoutLeadingZeros('00123')).toBe('123');
    expect(withoutLeadingZeros('000')).toBe('0');
    expect(withoutLeadingZeros('S01 / 00123')).toBe('S01 / 123');
    expect(withoutLeadingZeros('007 / 0042')).toBe('7 / 42');
    expect(withoutLeadingZeros('A0012')).toBe('A0012');
  });

  it('reads a code as the one dataset SKU it equals without leading zeros; several such SKUs are no match', () => {
    const dataset = ['00123', 'S01 / 00456', 'S02 / 00456', '0555', '00555', 'ABC'];
    const out = matchLeadingZeros(['123', 'S01 / 456', '555', 'XYZ', '999'], dataset);
    expect(out.readAs).toEqual(new Map([['123', '00123'], ['S01 / 456', 'S01 / 00456']]));
    expect(out.ambiguous).toEqual([{ sku: '555', matches: ['00555', '0555'] }]);
  });

  it('sums the lines of one SKU under two codes period by period', () => {
    const s = (sku: string, dates: string[], original: number[]): NewSeries => ({ sku, dates, original, edits: {}, length: dates.length, volume: 0, demandClass: 'smooth' });
    const out = renameSeries([s('00123', ['2026-01-01'], [5]), s('123', ['2026-01-01', '2026-02-01'], [2, 3]), s('B', ['2026-01-01'], [1])], new Map([['123', '00123']]));
    expect(out.joined).toEqual(['00123']);
    expect(out.series.map((x) => [x.sku, x.dates, x.original])).toEqual([['00123', ['2026-01-01', '2026-02-01'], [7, 3]], ['B', ['2026-01-01'], [1]]]);
  });

  it('says how many SKUs it read so, with examples, in the singular for one', () => {
    expect(leadingZerosWarning(new Map([['123', '00123']]), [])).toBe("read 1 SKU as the dataset's SKU whose code has leading zeros (123 as 00123), as a file saved by Excel loses them");
    const many = new Map(Array.from({ length: 7 }, (_, k) => [`${k + 1}`, `000${k + 1}`]));
    expect(leadingZerosWarning(many, ['0001'])).toBe("read 7 SKUs as the dataset's SKUs whose codes have leading zeros (1 as 0001, 2 as 0002, 3 as 0003, 4 as 0004, 5 as 0005, and 2 more), as a file saved by Excel loses them; 0001 also had lines under the dataset's own code, summed with them as one SKU's lines");
  });
});
