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
});
