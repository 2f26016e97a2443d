import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';
import { isoFromDay } from './date-parse.js';
import { isWeekColumn, weekNumberDay } from './week-numbers.js';

const base: CsvReadOptions = { fillGaps: 'zero', minLength: 0 };

describe('weekNumberDay', () => {
  it.each([['01/2024', '2024-01-01'], ['1/2024', '2024-01-01'], ['KW 01/2024', '2024-01-01'], ['kw02-2024', '2024-01-08'], ['2024/03', '2024-01-15'], ['53/2020', '2020-12-28'], ['2024 KW 52', '2024-12-23']])(
    '%s is the week of Monday %s', (text, expected) => {
      expect(isoFromDay(weekNumberDay(text)!)).toBe(expected);
    },
  );

  it('is null for a week that does not exist, undefined for a text of another shape', () => {
    expect(weekNumberDay('54/2024')).toBeNull();
    expect(weekNumberDay('53/2024')).toBeNull(); // 2024 has 52 ISO weeks
    expect(weekNumberDay('00/2024')).toBeNull();
    expect(weekNumberDay('2024-01-08')).toBeUndefined();
    expect(weekNumberDay('2024-W02')).toBeUndefined();
    // Hyphenated or dotted without a KW marker: a month (2024-01, 01-2024) or a German month (01.2024).
    for (const text of ['2024-01', '2024-12', '01-2024', '52.2024', '2024.01']) expect(weekNumberDay(text), text).toBeUndefined();
  });

  it('knows a week column by its header', () => {
    for (const h of ['kw', 'wk', 'kalenderwoche', 'woche', 'verkaufswoche', 'week', 'isoweek', 'weekno']) expect(isWeekColumn(h), h).toBe(true);
    for (const h of ['datum', 'monat', 'date', 'month', 'kunde', 'kwartaal', 'kwh']) expect(isWeekColumn(h), h).toBe(false);
  });
});

describe('a week column\'s numbered weeks', () => {
  const weeks = Array.from({ length: 14 }, (_, i) => `${String(i + 1).padStart(2, '0')}/2024`);

  it('reads a KW column\'s 01/2024 as calendar week 1, not January (weeks 13 to 52 were refused, 1 to 12 read as months)', async () => {
    const { series, report } = await readCsvDataset([`Artikelnummer;KW;Menge\n${weeks.map((w, i) => `A1;${w};${i + 1}`).join('\n')}\n`], base);
    expect(report.rejectedCount).toBe(0);
    expect(report.frequency).toBe('weekly');
    expect(series[0].dates.slice(0, 3)).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
    expect(series[0].original).toEqual(weeks.map((_, i) => i + 1));
    expect(report.warnings).toContain("the column 'KW' holds numbered weeks ('01/2024'), read as ISO weeks by their Monday (2024-01-01), not as months");
  });

  it('warns once for the column, naming its first week, not once per week', async () => {
    const lines = Array.from({ length: 52 }, (_, w) => `A1,${String(w + 1).padStart(2, '0')}/2024,1`);
    const { report } = await readCsvDataset([`SKU,KW,Units\n${lines.join('\n')}\n`], base);
    expect(report.warnings.filter((w) => w.includes('numbered weeks'))).toEqual([
      "the column 'KW' holds numbered weeks ('01/2024'), read as ISO weeks by their Monday (2024-01-01), not as months",
    ]);
  });

  it('reads a week column of 2024-01 .. 2024-12 as months, never as weeks 1 to 12', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
    const { series, report } = await readCsvDataset([`SKU,Week,Units\n${months.map((m, i) => `A1,${m},${i + 1}`).join('\n')}\n`], base);
    expect(report.frequency).toBe('monthly');
    expect(series[0].dates.slice(0, 2)).toEqual(['2024-01-01', '2024-02-01']);
    expect(report.warnings.join('\n')).not.toMatch(/numbered weeks/);
  });

  it('refuses a week that does not exist; a column not named for weeks reads 01/2024 as a month, as before', async () => {
    const bad = await readCsvDataset(['Artikel;Woche;Menge\nA1;51/2024;1\nA1;52/2024;2\nA1;54/2024;3\n'], base);
    expect(bad.report.rejectedReasons).toMatchObject([{ reason: 'date does not parse', count: 1, lines: [4] }]);
    const months = await readCsvDataset(['Artikel;Monat;Menge\nA1;01/2024;1\nA1;02/2024;2\n'], base);
    expect(months.series[0].dates).toEqual(['2024-01-01', '2024-02-01']);
    expect(months.report.warnings.join('\n')).not.toMatch(/weeks/);
  });
});
