import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';
import { DatasetValidationError } from './dataset-validation-error.js';

const base: CsvReadOptions = { fillGaps: 'zero', minLength: 0 };
const read = (text: string, options: Partial<CsvReadOptions> = {}) => readCsvDataset([text], { ...base, ...options });

async function refusal(promise: Promise<unknown>): Promise<DatasetValidationError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetValidationError);
  return error as DatasetValidationError;
}

describe('month labels (Excel\'s Jan-24)', () => {
  const de = ['Jan', 'Feb', 'Mrz', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'];
  const values = de.map((_, i) => 10 + i);

  it('reads a German export\'s months (Mrz-24, Mai-24, Okt-24, Dez-24) in a wide file: none zero-filled', async () => {
    const { series, report } = await read(`Artikelnummer;${de.map((m) => `${m}-24`).join(';')}\nA1;${values.join(';')}\n`);
    expect(report.warnings.join('\n')).not.toMatch(/ignored/);
    expect(series[0].dates).toEqual(values.map((_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`));
    expect(series[0].original).toEqual(values);
  });

  it('reads them in a long file, and with dateFormat MMM-YY', async () => {
    const text = `Artikel;Monat;Menge\n${de.map((m, i) => `A1;${m}-24;${values[i]}`).join('\n')}\n`;
    for (const options of [{}, { dateFormat: 'MMM-YY' }]) {
      const { series, report } = await read(text, options);
      expect(report.rejectedCount).toBe(0);
      expect(series[0].original).toEqual(values);
    }
  });

  it('refuses a wide file with a header shaped like its months that names none, naming the column', async () => {
    const error = await refusal(read('Item;Jan-24;Feb-24;Foo-24;Apr-24\nA;1;2;3;4\n'));
    expect(error.message).toBe("the month label 'Foo-24' (column 4) names no month");
    expect(error.details).toMatchObject([{ path: 'column 4' }]);
    expect(error.details[0].message).toMatch(/'Foo-24' is written like the file's months \('Jan-24'\)/);
  });

  it('under a dateFormat, a column shaped like a month label that names none (Plan-24 beside Jan-24 .. Mar-24) is ignored as no date, not refused', async () => {
    const { series, report } = await read('SKU,Jan-24,Feb-24,Mar-24,Plan-24\nA1,1,2,3,10\nB2,1,1,1,5\n', { dateFormat: 'MMM-YY' });
    expect(series.map((s) => s.original)).toEqual([[1, 2, 3], [1, 1, 1]]);
    expect(report.warnings).toContain('columns ignored (not dates): Plan-24');
  });

  it('refuses a long file with such a date, naming its first line, rather than zero-fill its month', async () => {
    const error = await refusal(read('sku,month,qty\nA,Jan-24,1\nA,Feb-24,2\nA,Foo-24,3\nB,Foo-24,3\nA,Apr-24,4\n'));
    expect(error.message).toBe("the month label 'Foo-24' (line 4) names no month");
  });

  it('a file of no month labels is not judged by their shape', async () => {
    // A wide file's other columns, or a long file's dates of other forms, keep their old reading.
    const wide = await read('Item;Abc-12;2024-01;2024-02\nA;x;1;2\n');
    expect(wide.report.warnings).toContain('columns ignored (not dates): Abc-12');
    const long = await read('sku,date,qty\nA,2024-01-01,1\nA,Abc-12,2\nA,2024-02-01,3\n');
    expect(long.report.rejectedReasons).toMatchObject([{ reason: 'date does not parse', count: 1 }]);
  });
});

describe('month labels that cannot be months (Excel\'s mmm-dd days, Jan-01 .. Jan-31)', () => {
  const days = Array.from({ length: 31 }, (_, i) => `Jan-${String(i + 1).padStart(2, '0')}`);

  it('refuses a long file of Jan-01 .. Jan-31, not 31 yearly periods from 2001 to 2031', async () => {
    const error = await refusal(read(`sku,date,qty\n${days.map((d, i) => `A,${d},${i + 1}`).join('\n')}\n`));
    expect(error.message).toBe("the labels 'Jan-01' to 'Jan-31' read as January 2001 to January 2031 are no months: 'Jan-31' would be January 2031, after next year");
    expect(error.details[0]).toMatchObject({ path: 'line 32' });
    expect(error.details[0].message).toMatch(/mmm-dd.*dateFormat=MMM-YY/);
  });

  it('refuses a wide file of them, a fortnight of one month\'s days, and days of two months', async () => {
    const wide = await refusal(read(`Item,${days.slice(0, 14).join(',')}\nA,${days.slice(0, 14).map((_, i) => i).join(',')}\n`));
    expect(wide.message).toMatch(/'Jan-01' to 'Jan-14' .* are no months: they are all January, over 14 years/);
    const twoMonths = ['Jan-01', 'Jan-02', 'Jan-03', 'Feb-01', 'Feb-02', 'Feb-03'];
    const error = await refusal(read(`sku,date,qty\n${twoMonths.map((d, i) => `A,${d},${i + 1}`).join('\n')}\n`));
    expect(error.message).toMatch(/they cover only 6 of the 26 months in between, neither monthly nor quarterly/);
  });

  it('reads months as months: a year of them, gaps and all, one alone, old ones, and any with a dateFormat', async () => {
    const year = await read(`Item,Jan-24,Feb-24,Apr-24,May-24,Jun-24,Jul-24\nA,1,2,3,4,5,6\n`);
    expect(year.series[0].original).toEqual([1, 2, 0, 3, 4, 5, 6]);
    expect((await read('Item;Dez-24\nA;5\n', { frequency: 'monthly' })).series[0].original).toEqual([5]);
    expect((await read('Item,Nov-99,Dec-99,Jan-00\nA,1,2,3\n')).series[0].dates).toEqual(['1999-11-01', '1999-12-01', '2000-01-01']);
    const given = await read(`sku,date,qty\n${['Jan-24', 'Jan-25', 'Jan-26'].map((d, i) => `A,${d},${i + 1}`).join('\n')}\n`, { dateFormat: 'MMM-YY' });
    expect(given.report.frequency).toBe('yearly');
  });

  it('reads a quarterly export\'s labels (Jan-24, Apr-24, Jul-24, a quarter missing too) as quarters', async () => {
    const quarters = await read(`Item,Jan-24,Apr-24,Jul-24,Oct-24,Apr-25\nA,1,2,3,4,6\n`);
    expect(quarters.report.frequency).toBe('quarterly');
    expect(quarters.series[0].original).toEqual([1, 2, 3, 4, 0, 6]);
    // and days of two months still are none: Jan-01 .. Feb-03 step 1, 11, 1, 11, 1 months.
    await expect(read(`sku,date,qty\n${['Jan-01', 'Jan-02', 'Jan-03', 'Feb-01', 'Feb-02', 'Feb-03'].map((d, i) => `A,${d},${i + 1}`).join('\n')}\n`)).rejects.toThrow('no months');
  });

  it('steps of a quarter or two only: every third day of January and April (Jan-03, Jan-06, Apr-03 ..., steps of 3 and 33 months) is no quarters', async () => {
    const days = ['Jan-03', 'Jan-06', 'Jan-09', 'Apr-03', 'Apr-06', 'Apr-09'];
    const error = await refusal(read(`sku,date,qty\n${days.map((d, i) => `A,${d},${i + 1}`).join('\n')}\n`));
    expect(error.message).toMatch(/they cover only 6 of the 76 months in between, neither monthly nor quarterly/);
    // A quarter missing more than once is still quarterly; Jan-01 .. Oct-01 alone read as 2001's quarters (a dateFormat decides).
    await expect(read('Item,Jan-24,Apr-24,Oct-24,Apr-25,Oct-25,Jan-26\nA,1,2,3,4,5,6\n')).resolves.toBeDefined();
    expect((await read('Item,Jan-01,Apr-01,Jul-01,Oct-01\nA,1,2,3,4\n')).series[0].dates).toEqual(['2001-01-01', '2001-04-01', '2001-07-01', '2001-10-01']);
  });
});
