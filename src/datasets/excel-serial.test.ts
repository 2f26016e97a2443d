import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { isoFromDay } from './date-parse.js';
import { excelSerialDay, serialDateHeaders } from './excel-serial.js';

const iso = (text: string) => {
  const day = excelSerialDay(text);
  return day === null ? null : isoFromDay(day);
};

describe('excelSerialDay', () => {
  it.each([['45292', '2024-01-01'], ['25569', '1970-01-01'], ['73050', '2099-12-31'], [' 45323 ', '2024-02-01']])('%s is %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  // Outside 1970-2099, with a time of day (a fraction), a sign or a thousands mark: not a date cell.
  it.each(['25568', '73051', '45292.5', '45292,0', '-45292', '+45292', '45.292', '4529', '2024', '20240101', ''])('%s is no serial date', (text) => {
    expect(iso(text)).toBeNull();
  });
});

describe('serialDateHeaders', () => {
  const today = 20_000; // 2024-10-04: headers up to 2026-10-04
  it('marks the serial dates of a wide header: three or more, left to right, a day, week, month, quarter or year apart', () => {
    expect(serialDateHeaders(['Item', '45292', '45323', '45352', 'Total'], today)).toEqual([false, true, true, true, false]);
    expect(serialDateHeaders(['Item', '45292', '45293', '45294', '45295'], today)).toEqual([false, true, true, true, true]);
    expect(serialDateHeaders(['Item', '45292', '45299', '45306'], today)).toEqual([false, true, true, true]);
    expect(serialDateHeaders(['Item', '45292', '45383', '45474', '45566'], today)).toEqual([false, true, true, true, true]);
    expect(serialDateHeaders(['Item', '44927', '45292', '45658'], today)).toEqual([false, true, true, true]);
    expect(serialDateHeaders(['Item', '32874', '32905', '32933'], today)).toEqual([false, true, true, true]); // 1990
  });

  it('is null for numbers irregularly spaced, from before 1990 or more than two years ahead (store numbers, codes)', () => {
    expect(serialDateHeaders(['Item', '31012', '31047', '31101', '31340'], today)).toBeNull();
    expect(serialDateHeaders(['Item', '45292', '45293', '45294', '45297'], today)).toBeNull();
    expect(serialDateHeaders(['Date', '30001', '30002', '30003'], today)).toBeNull(); // 1982
    expect(serialDateHeaders(['Item', '46297', '46298', '46299'], today)).toEqual([false, true, true, true]); // 2026-10-02..04
    expect(serialDateHeaders(['Item', '46298', '46299', '46300'], today)).toBeNull();
  });

  it('is null for what may be a row of data rather than a header', () => {
    // A headerless long row (sku, serial date, a quantity in range) has only two.
    expect(serialDateHeaders(['A', '45292', '45300'], today)).toBeNull();
    // Not in calendar order, or further apart than a year: numbers, not periods.
    expect(serialDateHeaders(['Item', '45292', '45352', '45323'], today)).toBeNull();
    expect(serialDateHeaders(['Item', '30000', '45292', '45323'], today)).toBeNull();
    expect(serialDateHeaders(['Item', '45292', '45292', '45323'], today)).toBeNull();
  });
});

describe('a wide file of serial headers, read', () => {
  const base: CsvReadOptions = { fillGaps: 'zero', minLength: 0 };
  const read = (text: string) => readCsvDataset([text], base);

  it('irregularly spaced numbers (store numbers) are no row of periods: refused, not read as 1984-85 quarters', async () => {
    const error = await read('Item,31012,31047,31101,31340\nA,5,6,7,8\nB,1,2,3,4\n').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as DatasetValidationError).details.map((d) => d.path)).toEqual(['mapping.date', 'mapping.quantity']);
  });

  it('a transposed file (a row per date, a column per store number) is not read as SKUs named by dates', async () => {
    for (const text of ['Date,30001,30002,30003\n2024-01-01,5,6,7\n2024-02-01,5,6,7\n', 'Date,45001,45002,45003\n2024-01-01,5,6,7\n2024-02-01,5,6,7\n']) {
      const error = await read(text).then(() => null, (e: unknown) => e);
      expect(error, text).toBeInstanceOf(DatasetValidationError);
    }
    const error = await read('Date,45001,45002,45003\n01.01.2024,5,6,7\n01.02.2024,5,6,7\n').then(() => null, (e: unknown) => e) as DatasetValidationError;
    expect(error.message).toBe("the SKU column 'Date' holds dates, not SKUs");
    expect(error.details[0]).toMatchObject({ path: 'mapping.sku' });
    expect(error.details[0].message).toMatch(/like '01\.01\.2024'/);
  });

  it('style-colour codes that read as dates of another millennium (1001-05, 1002-12) are SKUs, and any SKU is one when the mapping names its column', async () => {
    const months = '2024-01,2024-02,2024-03,2024-04,2024-05,2024-06';
    const styles = `Style,${months}\n1001-05,1,2,3,4,5,6\n1002-12,2,2,2,2,2,2\n`;
    for (const options of [base, { ...base, format: 'wide', mapping: { sku: 'Style' } }] satisfies CsvReadOptions[]) {
      const { series } = await readCsvDataset([styles], options);
      expect(series.map((s) => s.sku).sort()).toEqual(['1001-05', '1002-12']);
    }
    const named = await readCsvDataset([`Week,${months}\n2024-01-01,1,2,3,4,5,6\n2024-01-08,2,2,2,2,2,2\n`], { ...base, mapping: { sku: 'Week' } });
    expect(named.series.map((s) => s.sku)).toEqual(['2024-01-01', '2024-01-08']);
  });

  it('numeric SKUs, and a date among SKUs, are SKUs', async () => {
    const numeric = await read('Item,2024-01,2024-02,2024-03\n2024,1,2,3\n20240101,4,5,6\n');
    expect(numeric.series.map((s) => s.sku)).toEqual(['2024', '20240101']);
    const one = await read('Item,2024-01,2024-02,2024-03\n2024-01-01,1,2,3\nA,4,5,6\n');
    expect(one.series.map((s) => s.sku)).toEqual(['2024-01-01', 'A']);
  });
});

describe('serials that are not read, and why', () => {
  const base: CsvReadOptions = { fillGaps: 'zero', minLength: 0 };

  it('says a file of serials with a time of day (a fraction) has them, refusing each', async () => {
    const { report } = await readCsvDataset(['sku,date,qty\nA,45292.5,1\nA,45323.25,2\n'], base);
    expect(report.rejectedCount).toBe(2);
    expect(report.warnings).toContain("2 lines have dates like '45292.5', an Excel serial date with a time of day (the fraction), read as no date: format the date column as dates in the sheet and save it again");
  });

  it('says serials refused by a dateFormat are serials, once', async () => {
    const { report } = await readCsvDataset(['sku,date,qty\nA,45292,1\nA,45323,2\n'], { ...base, dateFormat: 'YYYY-MM-DD' });
    expect(report.rejectedCount).toBe(2);
    expect(report.warnings).toEqual(["dates like '45292' do not parse by dateFormat 'YYYY-MM-DD' but look like Excel serial dates ('45292' is 2024-01-01): without a dateFormat, a file whose every date is one reads them as such"]);
  });
});
