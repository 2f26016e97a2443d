import { afterEach, describe, expect, it } from 'vitest';
import { formatApiLabel, formatBytes, formatCount, formatCounted, formatDate, formatEta, formatFull, formatLocalDay, formatNumber, formatPercent, formatPeriod, formatTicks, setFormatLocale } from './format.js';

afterEach(() => setFormatLocale(undefined));

describe('format (Intl with the browser locale)', () => {
  it('formatBytes goes through Intl: 3,4 MB in de-DE (was 3.4 MB), 1.5 MB in en-US, at least 1 KB', () => {
    setFormatLocale('de-DE');
    expect(formatBytes(3.4 * 1048576)).toBe('3,4 MB');
    setFormatLocale('en-US');
    expect(formatBytes(1.5 * 1048576)).toBe('1.5 MB');
    expect(formatBytes(10)).toBe('1 KB');
    expect(formatBytes(12 * 1024)).toBe('12 KB');
  });

  it('writes numbers, counts and percentages the locale way', () => {
    setFormatLocale('en-US');
    expect(formatNumber(1234.567, 1)).toBe('1,235');
    expect(formatNumber(12.345, 2)).toBe('12.35');
    expect(formatNumber(52_340)).toBe('52.3K');
    expect(formatCount(50_000)).toBe('50,000');
    expect(formatCounted(1, 'SKU')).toBe('1 SKU');
    expect(formatCounted(0, 'new SKU')).toBe('0 new SKUs');
    expect(formatCounted(12_000, 'entry', 'entries')).toBe('12,000 entries');
    expect(formatPercent(12.34)).toBe('12.3%');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Number.NaN)).toBe('–');
    // Ticks take the decimals their step needs: never '<0.1' on an axis.
    expect(formatTicks([0, 0.02, 0.04, 0.06])).toEqual(['0', '0.02', '0.04', '0.06']);
    expect(formatTicks([0, 0.5, 1, 1.5])).toEqual(['0', '0.5', '1', '1.5']);
    expect(formatTicks([0, 250, 500])).toEqual(['0', '250', '500']);
    expect(formatTicks([-0.1, 5.551115123125783e-17, 0.1])).toEqual(['-0.1', '0', '0.1']);
    // Not 0, yet 0 at the digits shown: its bound, so an MAE of 0.004 never reads as a perfect 0.
    expect([formatNumber(0.004, 2), formatNumber(0.04, 1), formatNumber(0.0004), formatNumber(0, 2), formatNumber(0.005, 2)]).toEqual(['<0.01', '<0.1', '<0.1', '0', '0.01']);
    expect([formatNumber(-0.004, 2), formatNumber(-0.04, 1), formatNumber(-0.5, 1), formatPercent(-0.01)]).toEqual(['0', '0', '-0.5', '0%']);
    setFormatLocale('de-DE');
    expect(formatNumber(12.345, 2)).toBe('12,35');
    expect(formatCount(50_000)).toBe('50.000');
    expect(formatPercent(12.34)).toBe('12,3\u00a0%');
  });

  it('formatFull writes a table figure in full, never compact (12,345.6, not 12.3K)', () => {
    setFormatLocale('en-US');
    expect([formatFull(12_345.67), formatFull(52_340), formatFull(2.25, 0), formatFull(-0.01), formatFull(null)]).toEqual(['12,345.7', '52,340', '2', '0', '–']);
    setFormatLocale('de-DE');
    expect(formatFull(12_345.67)).toBe('12.345,7');
  });

  it("writes an API label's dates and SKU counts in the reader's format, its words as the API wrote them", () => {
    setFormatLocale('en-US');
    expect(formatApiLabel('2026-02-01 (1 SKU from 2026-01-01)')).toBe('Feb 1, 2026 (1 SKU from Jan 1, 2026)');
    expect(formatApiLabel('2024-01-01 (12000 SKUs; 12000 SKUs from 2024-02-01)')).toBe('Jan 1, 2024 (12,000 SKUs; 12,000 SKUs from Feb 1, 2024)');
    setFormatLocale('de-DE');
    expect(formatApiLabel('2024-02-01 (4 SKUs from 2023-09-01 to 2023-12-01)')).toBe('01.02.2024 (4 SKUs from 01.09.2023 to 01.12.2023)');
  });

  it('writes the data’s calendar dates without shifting them by the time zone', () => {
    setFormatLocale('en-GB');
    expect(formatDate('2024-12-01')).toBe('1 Dec 2024');
    setFormatLocale('de-DE');
    expect(formatDate('2024-12-01')).toBe('01.12.2024');
    expect(formatDate('not a date')).toBe('not a date');
    const dec = Date.UTC(2024, 11, 1) / 1000;
    setFormatLocale('en-US');
    expect(formatPeriod('monthly', dec)).toBe('Dec 2024');
    expect(formatPeriod('quarterly', dec)).toBe('Q4 2024');
    expect(formatPeriod('monthly', dec, { yearOnly: true })).toBe('2024');
    expect(formatPeriod('weekly', dec)).toBe('Dec 1');
    expect(formatPeriod('weekly', dec, { withYear: true })).toBe('Dec 1, 2024');
  });

  it("formatLocalDay names a moment's day in the browser's time zone: 03:00 UTC on Dec 2 is Dec 1 in New York", () => {
    const tz = process.env.TZ;
    setFormatLocale('en-US');
    try {
      process.env.TZ = 'America/New_York';
      // Formatters are kept once made (the browser's zone does not change under a page): this is this file's first of its kind.
      expect(formatLocalDay(Date.UTC(2024, 11, 2, 3, 0))).toBe('Dec 1, 2024');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
      setFormatLocale(undefined);
    }
  });

  it('says how long the queue still needs in its largest unit', () => {
    setFormatLocale('en-US');
    expect(formatEta(0.2)).toBe('1s left');
    expect(formatEta(720)).toBe('12m left');
    expect(formatEta(5400)).toBe('1.5h left');
    expect(formatEta(null)).toBe('');
  });
});
