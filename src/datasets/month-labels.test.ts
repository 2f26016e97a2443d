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
