import { describe, expect, it } from 'vitest';
import { readCleaningCsv } from './cleaning-csv.js';
import { isoFromDay } from './date-parse.js';

describe('readCleaningCsv', () => {
  const file = 'sku,date,value\nA,04/01/2024,555\nA,05/01/2024,9\n';

  it('reads dates the file cannot settle in the dataset\'s day order', async () => {
    // Month-first dataset: April and May, not the 4th and 5th of January.
    const { rows } = await readCleaningCsv([file], 'mdy');
    expect(rows.map((r) => isoFromDay(r.day))).toEqual(['2024-04-01', '2024-05-01']);
    const dayFirst = await readCleaningCsv([file], 'dmy');
    expect(dayFirst.rows.map((r) => isoFromDay(r.day))).toEqual(['2024-01-04', '2024-01-05']);
  });

  it('keeps a file\'s own order where its dates settle it, and without a dataset order reads the file alone (one day, several months: month-first)', async () => {
    const settled = await readCleaningCsv(['sku,date,value\nA,04/13/2024,1\n'], 'dmy');
    expect(isoFromDay(settled.rows[0].day)).toBe('2024-04-13');
    const guessed = await readCleaningCsv([file]);
    expect(isoFromDay(guessed.rows[0].day)).toBe('2024-04-01');
  });

  it('refuses a row wider than its header (an unquoted "1,234"), as an import does, instead of reading the fragment 1', async () => {
    const { rows, rejected } = await readCleaningCsv(['sku,date,value\nA,2024-03-01,1,234\nA,2024-04-01,"1,500"\nA,2024-05-01,7,\n']);
    expect(rows.map((r) => [isoFromDay(r.day), r.value])).toEqual([['2024-04-01', 1500], ['2024-05-01', 7]]);
    expect(rejected).toEqual([{ line: 2, reason: 'row has 4 fields, the header has 3 (a value with an unquoted delimiter, like 1,234?)' }]);
  });

  it('reads a file declared Windows-1252, as the refusal of its bytes tells the planner to do', async () => {
    const bytes = Buffer.from('sku,date,value\nCaf\xe9,2024-03-01,5\n', 'latin1');
    await expect(readCleaningCsv([bytes])).rejects.toThrow(/declare its encoding/);
    const { rows } = await readCleaningCsv([bytes], null, 'windows-1252');
    expect(rows.map((r) => r.sku)).toEqual(['Café']);
  });
});
