import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';
import { DatasetValidationError } from './dataset-validation-error.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const base: CsvReadOptions = { fillGaps: 'zero', minLength: 3 };

async function read(name: string, options: Partial<CsvReadOptions> = {}, highWaterMark = 16) {
  // Tiny chunks, so every chunk boundary case (CRLF, "", quotes) is crossed somewhere.
  return readCsvDataset(createReadStream(fixture(name), { highWaterMark }), { ...base, ...options });
}

async function refusal(promise: Promise<unknown>): Promise<DatasetValidationError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetValidationError);
  return error as DatasetValidationError;
}

describe('readCsvDataset', () => {
  it('reads semicolons with decimal commas and day.month.year dates', async () => {
    const { series, report } = await read('semicolon-decimal-comma.csv');
    expect(report.delimiter).toBe(';');
    expect(report.mapping).toEqual({ sku: 'Item', date: 'Period', quantity: 'Units' });
    expect(report.frequency).toBe('monthly');
    expect(report.rejectedCount).toBe(0);
    const a = series.find((s) => s.sku === 'A-100')!;
    expect(a.original[0]).toBeCloseTo(1201.5);
    expect(a.dates[0]).toBe('2023-01-01');
    expect(a.dates[11]).toBe('2023-12-01');
    expect(series.find((s) => s.sku === 'B-200')!.original[1]).toBeCloseTo(5.25);
  });

  it('reads with the delimiter given, by character or name, and refuses one that is none of the four naming delimiter', async () => {
    const text = 'sku|date|qty\nA|2023-01-01|1\nA|2023-02-01|2\n';
    const named = await readCsvDataset([text], { ...base, delimiter: 'pipe' });
    expect(named.report.delimiter).toBe('|');
    expect(named.series[0].original).toEqual([1, 2]);
    const asComma = await refusal(readCsvDataset([text], { ...base, delimiter: ',' }));
    expect(asComma.columns).toEqual(['sku|date|qty']);
    const bad = await refusal(readCsvDataset([text], { ...base, delimiter: '::' }));
    expect(bad.details).toEqual([{ path: 'delimiter', message: expect.stringMatching(/^must be ',' \(comma\)/) }]);
  });

  it('keeps delimiters, escaped quotes and line breaks inside quoted fields', async () => {
    const { series, report } = await read('quoted-fields.csv', {}, 7);
    expect(series.map((s) => s.sku).sort()).toEqual(['Gadget "Pro"', 'Two\nlines', 'Widget, large']);
    expect(series.find((s) => s.sku === 'Widget, large')!.original).toEqual([5, 7]);
    // The bad row is on line 10: each of the two quoted line breaks counts as a line.
    expect(report.rejected).toEqual([{ line: 10, reason: "quantity 'not-a-number' is not a number" }]);
  });

  it('strips a byte order mark and reads Windows line ends', async () => {
    const { series, report } = await read('bom-crlf.csv', {}, 5);
    expect(report.mapping?.sku).toBe('sku');
    expect(series.map((s) => s.sku)).toEqual(['S1', 'S2']);
    expect(series[0].original).toEqual([11, 12, 13, 14, 15, 16]);
    expect(report.rows).toBe(12);
  });

  it('reads mixed date formats in one file onto one monthly calendar', async () => {
    const { series, report } = await read('mixed-dates.csv');
    expect(report.rejected).toEqual([]);
    expect(report.frequency).toBe('monthly');
    expect(series[0].dates).toEqual(['2023-01-01', '2023-02-01', '2023-03-01', '2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01', '2023-08-01']);
    expect(series[0].original).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
  });

  it('detects the wide format and reads one row per SKU', async () => {
    const { series, report } = await read('wide.csv');
    expect(report.format).toBe('wide');
    expect(report.mapping?.sku).toBe('sku');
    expect(report.warnings.join(' ')).toContain('description');
    expect(series.find((s) => s.sku === 'W1')!.original).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
    // The empty cell of W3 is a gap, filled with zero.
    expect(series.find((s) => s.sku === 'W3')!.original[5]).toBe(0);
    expect(report.gaps).toContainEqual({ sku: 'W3', missing: 1 });
    expect(report.rejected).toEqual([
      { line: 5, reason: 'SKU is empty' },
      { line: 6, reason: "quantity 'x' is not a number (column '2023-01')" },
    ]);
  });

  it('a wide file saved with trailing delimiters warns of no empty column name; an unnamed column inside is named by its place', async () => {
    const trailing = await readCsvDataset(['SKU;2024-01;2024-02;2024-03;\r\nA;1;2;3;\r\n'], base);
    expect(trailing.report.warnings).toEqual([]);
    expect(trailing.series[0].original).toEqual([1, 2, 3]);
    const inside = await readCsvDataset(['SKU,,2024-01,2024-02,2024-03,2024-04,2024-05,2024-06,Total,,\nA,x,1,2,3,4,5,6,21,,\n'], base);
    expect(inside.report.warnings).toEqual(['columns ignored (not dates): column 2 (no header)', "dropped the column 'Total' as a pivot table's total, not a period"]);
  });

  it('reads a German export by its German headers (Artikelnummer, Datum, Menge), its other columns left alone', async () => {
    const text = 'Artikelnummer;Filiale;Datum;Menge\r\n4711;Berlin;01.01.2024;1,5\r\n4711;Berlin;01.02.2024;2\r\n4711;Berlin;01.03.2024;1.234\r\n';
    const { series, report } = await readCsvDataset([text], base);
    expect(report.mapping).toEqual({ sku: 'Artikelnummer', date: 'Datum', quantity: 'Menge' });
    expect(series.map((s) => [s.sku, s.dates, s.original])).toEqual([['4711', ['2024-01-01', '2024-02-01', '2024-03-01'], [1.5, 2, 1234]]]);
  });

  it.each([
    ['Jan-24', 'Feb-24', 'Mar-24'], ['Jan 2024', 'Feb 2024', 'Mar 2024'], ['January 2024', 'February 2024', 'March 2024'], ['2024-01', '2024-02', '2024-03'],
  ])('reads the months %s, %s, %s as Excel writes them, in a long file and as the headers of a wide one', async (...months) => {
    const long = await readCsvDataset([`sku,month,qty\n${months.map((m, i) => `A,${m},${i + 1}`).join('\n')}\n`], base);
    const wide = await readCsvDataset([`Item,${months.join(',')}\nA,1,2,3\n`], base);
    for (const { series, report } of [long, wide]) {
      expect(report.rejected).toEqual([]);
      expect(report.frequency).toBe('monthly');
      expect(series.map((s) => [s.sku, s.dates, s.original])).toEqual([['A', ['2024-01-01', '2024-02-01', '2024-03-01'], [1, 2, 3]]]);
    }
    expect(wide.report.format).toBe('wide');
  });

  it('reads the SKU from a Product Name beside a Product Category: three products stay three SKUs', async () => {
    const lines = ['Date,Product Name,Product Category,Units'];
    for (let m = 1; m <= 12; m++) {
      const month = `2024-${String(m).padStart(2, '0')}-01`;
      lines.push(`${month},Widget,Tools,1`, `${month},Gadget,Tools,2`, `${month},Gizmo,Toys,3`);
    }
    const { series, report } = await readCsvDataset([`${lines.join('\n')}\n`], base);
    expect(report.mapping).toEqual({ sku: 'Product Name', date: 'Date', quantity: 'Units' });
    expect(series.map((s) => s.sku).sort()).toEqual(['Gadget', 'Gizmo', 'Widget']);
  });

  describe('Excel serial dates (a sheet whose date cells lost their format)', () => {
    const serials = ['45292', '45323', '45352', '45383'];
    const serialWarning = "every date is a whole number from 25569 to 73050, read as an Excel serial date ('45292' as 2024-01-01), as a sheet saves date cells that lost their date format: check the dates";

    it('reads a date column of serials as dates, and says so', async () => {
      const { series, report } = await readCsvDataset([`sku,date,qty\n${serials.map((d, i) => `A,${d},${i + 1}`).join('\n')}\n`], base);
      expect(report.rejected).toEqual([]);
      expect(series[0].dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
      expect(series[0].original).toEqual([1, 2, 3, 4]);
      expect(report.frequency).toBe('monthly');
      expect(report.warnings).toContain(serialWarning);
    });

    it('reads the serial headers of a wide file as its periods, its quantities as quantities', async () => {
      const { series, report } = await readCsvDataset([`Item,${serials.join(',')}\nA,45292,2,3,4\n`], base);
      expect(report.format).toBe('wide');
      expect(series[0].dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
      expect(series[0].original).toEqual([45292, 2, 3, 4]);
      expect(report.warnings).toContain(serialWarning);
    });

    it('never reads quantities in the range of serials as dates', async () => {
      const long = await readCsvDataset(['sku,date,qty\nA,2024-01-01,45292\nA,2024-02-01,45323\nA,2024-03-01,45352\n'], base);
      expect(long.series[0].original).toEqual([45292, 45323, 45352]);
      expect(long.series[0].dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
      expect(long.report.warnings.join('\n')).not.toContain('serial');
      // A headerless row of a sku, a serial and a quantity is no header of dates: refused, not read wide.
      const headerless = await refusal(readCsvDataset(['A,45292,45300\nA,45323,45310\nA,45352,45320\n'], base));
      expect(headerless.details.map((d) => d.path)).toContain('mapping.quantity');
    });

    it('reads no serials when a date is written another way (each is refused, and the warning says why), nor with a dateFormat', async () => {
      const mixed = await readCsvDataset([`sku,date,qty\n${serials.map((d, i) => `A,${d},${i + 1}`).join('\n')}\nA,2024-05-01,5\nA,2024-06-01,6\n`], base);
      expect(mixed.series[0].dates).toEqual(['2024-05-01', '2024-06-01']);
      expect(mixed.report.rejectedReasons).toMatchObject([{ reason: 'date does not parse', count: 4, lines: [2, 3, 4, 5] }]);
      expect(mixed.report.warnings).toContain("4 lines have dates that look like Excel serial numbers ('45292'), but not every date is one (like '2024-05-01'), so none was read as one: format the date column as dates in the sheet and save it again");
      const format = await readCsvDataset([`sku,date,qty\n${serials.map((d, i) => `A,${d},${i + 1}`).join('\n')}\nA,2024-05-01,5\nA,2024-06-01,6\n`], { ...base, dateFormat: 'YYYY-MM-DD' });
      expect(format.report.rejectedCount).toBe(4);
      // A time of day makes a fraction: not a whole day, no serial date.
      const timed = await readCsvDataset(['sku,date,qty\nA,45292.5,1\nA,45323.5,2\n'], base);
      expect(timed.series).toEqual([]);
      expect(timed.report.rejectedReasons).toMatchObject([{ reason: 'date does not parse', count: 2 }]);
    });
  });

  describe('pivot-table exports', () => {
    it("drops a Total that is the others' sum on both dates of a two-month actuals file, rather than add it as a new SKU", async () => {
      const text = 'Date,SKU,Units\n2025-01-01,A1,10\n2025-01-01,B2,5\n2025-01-01,Total,15\n2025-02-01,A1,11\n2025-02-01,B2,6\n2025-02-01,Total,17\n';
      const { series } = await readCsvDataset([text], { ...base, minLength: 0, knownSkus: async () => [] });
      expect(series.map((s) => s.sku).sort()).toEqual(['A1', 'B2']);
    });

    it('a wide pivot drops its Grand Total row and column, keeping a SKU that merely contains the word', async () => {
      const text = [
        'Row Labels,Jan-24,Feb-24,Mar-24,Grand Total',
        'A,1,2,3,6',
        'TOTAL-CARE SHAMPOO,4,5,6,15',
        'Grand Total,5,7,9,21',
        '',
      ].join('\r\n');
      const { series, report } = await readCsvDataset([text], base);
      expect(report).toMatchObject({ format: 'wide', skus: 2, rejectedCount: 0 });
      expect(series.map((s) => [s.sku, s.dates, s.original])).toEqual([
        ['A', ['2024-01-01', '2024-02-01', '2024-03-01'], [1, 2, 3]],
        ['TOTAL-CARE SHAMPOO', ['2024-01-01', '2024-02-01', '2024-03-01'], [4, 5, 6]],
      ]);
      expect(report.warnings).toEqual([
        "dropped the column 'Grand Total' as a pivot table's total, not a period",
        "dropped 'Grand Total' (3 values from line 4) as a pivot table's total, not a SKU: it comes after every other SKU and none is larger on any date; its values are the other SKUs' sum on 3 of 3 dates with sales",
      ]);
    });

    it('drops LibreOffice\'s total row (Total Result) and a German one (Gesamt Ergebnis)', async () => {
      for (const label of ['Total Result', 'Gesamt Ergebnis']) {
        const { series, report } = await readCsvDataset([`Item;2024-01;2024-02;2024-03\nA;1;2;3\nB;4;5;6\n${label};5;7;9\n`], base);
        expect(series.map((s) => s.sku)).toEqual(['A', 'B']);
        expect(report.warnings.join('\n')).toContain(`dropped '${label}' (3 values from line 4) as a pivot table's total`);
      }
    });

    // A month of actuals for a wide dataset, which gives the frequency one date cannot.
    it('a German pivot of one month with its Gesamtergebnis column is still a wide file', async () => {
      const { series, report } = await readCsvDataset(['Artikel;2024-03;Gesamtergebnis\nA;5;5\nB;6;6\nGesamtergebnis;11;11\n'], { ...base, minLength: 0, frequency: 'monthly' });
      expect(report.format).toBe('wide');
      expect(series.map((s) => [s.sku, s.original])).toEqual([['A', [5]], ['B', [6]]]);
    });

    it('a long file with a total line per month drops it, and no total is summed into a period', async () => {
      const months = ['2024-01', '2024-02', '2024-03'];
      const text = `sku;month;qty\n${months.map((m, k) => `A;${m};${k + 1}\nB;${m};10\nGrand Total;${m};${k + 11}`).join('\n')}\n`;
      const { series, report } = await readCsvDataset([text], base);
      expect(series.map((s) => [s.sku, s.original])).toEqual([['A', [1, 2, 3]], ['B', [10, 10, 10]]]);
      expect(report.duplicates).toBe(0);
      expect(report.warnings).toContain("dropped 'Grand Total' (3 values from line 4) as a pivot table's total, not a SKU: its values are the other SKUs' sum on 3 of 3 dates with sales");
    });
  });

  it('a file without a header keeps its first row, and is recognised in a semicolon file with decimal commas', async () => {
    const comma = await readCsvDataset(['A,2024-01,5\nA,2024-02,6\nA,2024-03,7\n'], base);
    expect(comma.series[0].original).toEqual([5, 6, 7]);
    expect(comma.report).toMatchObject({ rows: 3, setAsideCount: 0 });
    const semicolon = await readCsvDataset(['A;31.01.2024;1,5\nA;29.02.2024;2,5\nA;31.03.2024;3\n'], base);
    expect(semicolon.series[0].dates).toEqual(['2024-01-31', '2024-02-29', '2024-03-31']);
    expect(semicolon.series[0].original).toEqual([1.5, 2.5, 3]);
    expect(semicolon.report.warnings).toContain('no header row: columns read as sku, date, quantity');
  });

  it("reads Excel's `sep=;` first line as the delimiter, not as the header, and counts it in line numbers", async () => {
    const text = '\ufeffsep=;\r\nsku;date;qty\r\nA;2024-01;1,5\r\nA;2024-02;x\r\nA;2024-03;3\r\nA;2024-04;4\r\nA;2024-05;5\r\n';
    for (const chunks of [[text], text.match(/[^]{1,3}/g)!]) {
      const { series, report } = await readCsvDataset(chunks, base);
      expect(report).toMatchObject({ delimiter: ';', mapping: { sku: 'sku', date: 'date', quantity: 'qty' } });
      expect(series[0].original).toEqual([1.5, 0, 3, 4, 5]);
      expect(report.rejected).toEqual([{ line: 4, reason: "quantity 'x' is not a number" }]);
    }
  });

  it('refuses an empty file', async () => {
    const error = await refusal(read('empty.csv'));
    expect(error.message).toBe('the file is empty');
  });

  it('refuses a binary file', async () => {
    const error = await refusal(read('binary.csv'));
    expect(error.details[0].path).toBe('file');
    expect(error.message).toMatch(/binary/);
  });

  it('refuses a NUL character past the binary sniff\'s first 8 KB, naming its line (was: kept inside a SKU, a 500 on PostgreSQL)', async () => {
    const rows = ['sku,date,qty', ...Array.from({ length: 1000 }, (_, i) => `S${i},2020-01-01,${i}`), 'EVIL\u0000X,2020-01-01,1'];
    const text = rows.join('\n') + '\n';
    expect(text.indexOf('\u0000')).toBeGreaterThan(8192);
    // In one chunk, and split into many (the NUL's chunk starting mid-file).
    for (const chunks of [[text], text.match(/[\s\S]{1,4096}/g)!]) {
      const error = await refusal(readCsvDataset(chunks, { fillGaps: 'zero', minLength: 3 }));
      expect(error.message).toBe('line 1002 holds a NUL character (\\u0000), which no text field may: is the file binary, or cut from one?');
      expect(error.details).toEqual([{ path: 'file', message: 'a NUL character on line 1002' }]);
    }
  });

  describe('encodings', () => {
    // ~70 KB of ASCII rows, then Windows-1252 rows: past the first 64 KB the encoding is settled.
    const ascii = ['sku,date,qty', ...Array.from({ length: 4000 }, (_, i) => `S${i},2020-01-01,${i}`)].join('\n');
    const months = (name: string, qty: number) => Array.from({ length: 6 }, (_, m) => `${name},2023-0${m + 1}-01,${qty}`).join('\n');
    const cp1252 = (text: string) => Uint8Array.from(text, (c) => (c === 'é' ? 0xe9 : c === 'è' ? 0xe8 : c.charCodeAt(0)));
    const late = cp1252(`${ascii}\n${months('Café', 1)}\n${months('Cafè', 100)}\n`);
    const chunked = (bytes: Uint8Array, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
    const readBytes = (bytes: Uint8Array, size: number, options: Partial<CsvReadOptions> = {}) => readCsvDataset(chunked(bytes, size), { ...base, minLength: 0, ...options });

    it('refuses a byte that is not UTF-8 anywhere, naming its line, never merging two SKUs into one', async () => {
      for (const size of [16, 1000, 65536]) {
        const error = await refusal(readBytes(late, size));
        expect(error.message).toBe('the file is not UTF-8: line 4002 has the byte 0xE9 (\'é\' in Windows-1252); save it as "CSV UTF-8 (Comma delimited)" in Excel, or declare its encoding (charset=windows-1252 over HTTP, --charset windows-1252 on the command line)');
        expect(error.details).toEqual([{ path: 'file', message: 'not UTF-8 on line 4002' }]);
      }
    });

    it('says a Windows-1252 file in the first 64 KB is not UTF-8, not that it looks binary', async () => {
      const error = await refusal(readBytes(cp1252('sku;date;qty\r\nCrème brulée;01.01.2023;1,5\r\n'), 16));
      expect(error.message).toMatch(/^the file is not UTF-8: line 2 has the byte 0xE8 \('è' in Windows-1252\)/);
    });

    it('reads a file declared windows-1252 as that, keeping Café and Cafè apart', async () => {
      for (const size of [16, 65536]) {
        const { series, report } = await readBytes(late, size, { charset: 'windows-1252' });
        expect(series.find((s) => s.sku === 'Café')!.original).toEqual([1, 1, 1, 1, 1, 1]);
        expect(series.find((s) => s.sku === 'Cafè')!.original).toEqual([100, 100, 100, 100, 100, 100]);
        expect(report.duplicates).toBe(0);
      }
    });

    it('warns when a file declared windows-1252 is UTF-8 (Stück read as StÃ¼ck), never for one that is Windows-1252', async () => {
      const utf8 = new TextEncoder().encode(`sku,date,qty\n${months('Stück-1', 1)}\n`);
      const { series, report } = await readBytes(utf8, 16, { charset: 'windows-1252' });
      expect(series.map((s) => s.sku)).toEqual(['StÃ¼ck-1']);
      expect(report.warnings).toContain("the file was read as Windows-1252, as declared, but its bytes are UTF-8: 'ü' reads as 'Ã¼'; if its text looks garbled, send it again as UTF-8 (no charset; Encoding 'UTF-8' in the web app)");
      const latin = await readBytes(cp1252(`sku;date;qty\r\n${months('Crème brulée', 1).replace(/,/g, ';')}\r\n`), 16, { charset: 'windows-1252' });
      expect(latin.series.map((s) => s.sku)).toEqual(['Crème brulée']);
      expect(latin.report.warnings.filter((w) => w.includes('Windows-1252'))).toEqual([]);
    });

    it('reads UTF-8 characters cut across chunks, and lets a byte order mark win over a declaration', async () => {
      const utf8 = new TextEncoder().encode(`sku,date,qty\n${months('Café ☃ 日本', 1)}\n`);
      for (const size of [1, 2, 3, 5]) {
        expect((await readBytes(utf8, size)).series.map((s) => s.sku)).toEqual(['Café ☃ 日本']);
      }
      const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
      expect((await readBytes(bom, 7, { charset: 'windows-1252' })).series.map((s) => s.sku)).toEqual(['Café ☃ 日本']);
    });

    it('refuses a UTF-8 character cut off at the end of the file', async () => {
      const cut = new TextEncoder().encode(`sku,date,qty\n${months('A', 1)}\nB,2023-01-01,1\n日`).subarray(0, -1);
      const error = await refusal(readBytes(cut, 4));
      expect(error.message).toMatch(/^the file is not UTF-8: line 9 has a character cut off at the end of the file;/);
      // One byte there reads as a Windows-1252 letter too: both are named.
      const cafe = new Uint8Array([...new TextEncoder().encode(`sku,date,qty\n${months('A', 1)}\nB,2023-01-01,1\nCaf`), 0xe9]);
      expect((await refusal(readBytes(cafe, 4))).message).toMatch(/^the file is not UTF-8: line 9 has the byte 0xE9 \('é' in Windows-1252\) at the end of the file \(or a character cut off there\);/);
    });
  });

  it('sums duplicates and fills gaps with zero', async () => {
    const { series, report } = await read('duplicates-gaps.csv');
    expect(report.duplicates).toBe(2);
    const d1 = series.find((s) => s.sku === 'D1')!;
    expect(d1.original).toEqual([8, 4, 0, 0, 6]);
    expect(d1.dates).toEqual(['2023-01-01', '2023-02-01', '2023-03-01', '2023-04-01', '2023-05-01']);
    // D2's rows end in March, the file in May: its missing tail is a gap too, filled the same.
    expect(series.find((s) => s.sku === 'D2')!.original).toEqual([1, 1, 3, 0, 0]);
    expect(report.gaps).toEqual([{ sku: 'D1', missing: 2 }, { sku: 'D2', missing: 2 }]);
  });

  it('reports gaps without filling them when fillGaps is report', async () => {
    const { series, report } = await read('duplicates-gaps.csv', { fillGaps: 'report' });
    expect(series.find((s) => s.sku === 'D1')!.original).toEqual([8, 4, 6]);
    expect(series.find((s) => s.sku === 'D2')!.original).toEqual([1, 1, 3]);
    expect(report.gaps).toEqual([{ sku: 'D1', missing: 2 }, { sku: 'D2', missing: 2 }]);
  });

  it('rejects every bad row with its line and reason', async () => {
    const { series, report } = await read('rejections.csv');
    expect(report.rejected).toEqual([
      { line: 3, reason: 'SKU is empty' },
      { line: 4, reason: "quantity 'ten' is not a number" },
      { line: 5, reason: "date 'not a date' does not parse" },
      { line: 6, reason: 'quantity is empty' },
      { line: 8, reason: 'row has 2 fields, the header needs 3' },
      { line: 9, reason: 'date is empty' },
      { line: 10, reason: "date '2023-02-31' does not parse" },
    ]);
    expect(report.rejectedCount).toBe(7);
    expect(report.rows).toBe(16);
    // line 7 (-4) is a return: summed into April, counted in the report
    expect(series[0].original).toEqual([10, 0, 0, -4, 0, 12]);
    expect(report.returns).toEqual({ lines: 1, quantity: -4 });
    expect(report.rejectedReasons!.map((g) => [g.reason, g.count, g.lines])).toEqual([
      ['date does not parse', 2, [5, 10]], ['SKU is empty', 1, [3]], ['quantity is not a number', 1, [4]],
      ['quantity is empty', 1, [6]], ['row has too few fields', 1, [8]], ['date is empty', 1, [9]],
    ]);
  });

  it('rejects a quantity beyond 1e15, the largest the models take, with its line; 1e15 itself is read (long and wide)', async () => {
    const long = await readCsvDataset(['sku,date,qty\nA,2024-01-01,1e15\nA,2024-02-01,1e308\nA,2024-03-01,-2e15\nA,2024-04-01,4\n'], base);
    expect(long.report.rejected).toEqual([
      { line: 3, reason: 'quantity 1e308 is beyond 1e15, the largest the models take (rescale the data)' },
      { line: 4, reason: 'quantity -2e15 is beyond 1e15, the largest the models take (rescale the data)' },
    ]);
    expect(long.series[0].original[0]).toBe(1e15);
    const wide = await readCsvDataset(['sku,2024-01-01,2024-02-01,2024-03-01\nA,1,9e307,3\n'], base);
    expect(wide.report.rejected).toEqual([{ line: 2, reason: "quantity 9e307 is beyond 1e15, the largest the models take (rescale the data) (column '2024-02-01')" }]);
  });

  it('reads tabs, header synonyms and ISO weeks', async () => {
    const { series, report } = await read('tab-weekly.tsv');
    expect(report.delimiter).toBe('\t');
    expect(report.frequency).toBe('weekly');
    expect(report.mapping).toEqual({ sku: 'item_id', date: 'week', quantity: 'demand' });
    expect(series[0].dates[0]).toBe('2024-01-01');
    expect(series[0].dates[1]).toBe('2024-01-08');
    expect(series[0].length).toBe(10);
  });

  it('lists SKUs too short to forecast', async () => {
    const { report } = await read('quoted-fields.csv', { minLength: 3 });
    expect(report.tooShort).toHaveLength(3);
    expect(report.tooShort[0]).toMatchObject({ length: 2, needed: 3 });
  });

  it('takes an explicit mapping and date format', async () => {
    const csv = 'code,when,amount,other\nX,03/04/2023,1,9\nX,03/05/2023,2,9\nX,03/06/2023,3,9\n';
    const { series, report } = await readCsvDataset([csv], { ...base, mapping: { sku: 'code', date: 'when', quantity: 'other' }, dateFormat: 'MM/DD/YYYY' });
    expect(report.mapping).toEqual({ sku: 'code', date: 'when', quantity: 'other' });
    expect(series[0].dates).toEqual(['2023-03-04', '2023-03-05', '2023-03-06']);
    expect(report.frequency).toBe('daily');
    expect(series[0].original).toEqual([9, 9, 9]);
  });

  it('names the field when a mapped column does not exist', async () => {
    const error = await refusal(readCsvDataset(['a,b,c\n1,2,3\n'], { ...base, mapping: { sku: 'nope' } }));
    expect(error.details.map((d) => d.path)).toContain('mapping.sku');
  });
  it('a semicolon file reads "1.234" as 1234, and warns when the same file also writes "12.5" with a decimal dot', async () => {
    const whole = 'sku;date;qty\nA;2023-01-01;1.234\nA;2023-02-01;12\nA;2023-03-01;1.234,5\n';
    const one = await readCsvDataset([whole], base);
    expect(one.series[0].original).toEqual([1234, 12, 1234.5]);
    expect(one.report.warnings.join('\n')).not.toContain('decimal mark');
    const mixed = await readCsvDataset([`${whole}A;2023-04-01;12.5\n`], base);
    expect(mixed.series[0].original).toEqual([1234, 12, 1234.5, 12.5]);
    expect(mixed.report.warnings).toContain(
      "1 quantity was read with the dot grouping thousands (line 2: '1.234' as 1234), but 1 uses it as a decimal mark (line 5: '12.5' as 12.5): check the quantity column",
    );
  });
  it('a row wider than the header (an unquoted "1,234") is refused, not read as 1; quoted it is 1234, and a trailing comma is harmless', async () => {
    const text = 'sku,date,qty\nA,2023-01-01,5\nA,2023-02-01,1,234\nA,2023-03-01,"1,234"\nA,2023-04-01,7,\nA,2023-05-01,2,,\n';
    const { series, report } = await readCsvDataset([text], base);
    expect(series[0].dates).toEqual(['2023-01-01', '2023-02-01', '2023-03-01', '2023-04-01', '2023-05-01']);
    expect(series[0].original).toEqual([5, 0, 1234, 7, 2]);
    expect(report.rejected).toEqual([{ line: 3, reason: 'row has 4 fields, the header has 3 (a value with an unquoted delimiter, like 1,234?)' }]);
    expect(report.rejectedReasons).toMatchObject([{ reason: 'row has more fields than the header', count: 1, lines: [3] }]);
  });
  it('refuses a quote opened and never closed, naming its line, rather than read the rest of the file as one value', async () => {
    // `"12 inch pipe` opens a quoted field on line 4: every line after it would be swallowed into
    // that field and S2..S3 lost, while the import reported one bad row.
    const lines = ['sku,name,date,qty'];
    for (const sku of ['S0', 'S1', 'S2', 'S3']) {
      for (let m = 1; m <= 6; m++) lines.push(`${sku},${sku === 'S0' && m === 3 ? '"12 inch pipe' : 'Pipe'},2023-0${m}-01,${m}`);
    }
    const text = `${lines.join('\n')}\n`;
    for (const chunks of [[text], text.match(/[^]{1,5}/g)!]) {
      const error = await refusal(readCsvDataset(chunks, base));
      expect(error.message).toMatch(/^line 4 opens a quoted field that is never closed/);
      expect(error.details).toEqual([{ path: 'file', message: 'unclosed quote on line 4' }]);
    }
    // Closed, even late and with text after it, it is read as before.
    const closed = await readCsvDataset([text.replace('"12 inch pipe', '"12 inch" pipe')], base);
    expect(closed.series.map((s) => s.sku)).toEqual(['S0', 'S1', 'S2', 'S3']);
  });

  it('refuses two stray quotes, which would read every line between them as one value, naming the first', async () => {
    const lines = ['sku,name,date,qty'];
    for (const sku of ['S0', 'S1']) for (let m = 1; m <= 6; m++) lines.push(`${sku},${m === 2 ? '"12 inch pipe' : 'Pipe'},2023-0${m}-01,${m}`);
    const error = await refusal(readCsvDataset([`${lines.join('\n')}\n`], base));
    expect(error.message).toMatch(/^line 3 opens a quoted field that runs to line 9, where a quote followed by more text ends it/);
    expect(error.details).toEqual([{ path: 'file', message: 'unclosed quote on line 3' }]);
  });

  it('a quote left open in the last field of the file, which swallows no line, reads as before', async () => {
    const { series } = await readCsvDataset(['sku,date,qty\nA,2023-01-01,1\nA,2023-02-01,2\nA,2023-03-01,"3'], base);
    expect(series[0].original).toEqual([1, 2, 3]);
  });

  it('a wide file warns when a row has values under the empty headers of a trailing delimiter, and not when none has', async () => {
    const warned = await readCsvDataset(['SKU;2024-01;2024-02;\nA;1;2;99\nB;3;4;98\n'], base);
    expect(warned.report.warnings).toContain('values under column 4, which has no header, are ignored');
    expect(warned.series.map((s) => s.original)).toEqual([[1, 2], [3, 4]]);
    const quiet = await readCsvDataset(['SKU;2024-01;2024-02;\nA;1;2;\nB;3;4;\n'], base);
    expect(quiet.report.warnings.filter((w) => /no header/.test(w))).toEqual([]);
  });

  it('a tab file in a comma-decimal locale (Excel "Unicode text" from a German Excel) reads "1,5" as 1.5 and "1.234" as 1234', async () => {
    const text = 'sku\tdate\tqty\tprice\nA\t2023-01-01\t1,5\t11,95\nA\t2023-02-01\t1.234\t11,95\nA\t2023-03-01\t2\t11,95\n';
    const { series, report } = await readCsvDataset([text], base);
    expect(report.rejectedCount).toBe(0);
    expect(series[0].original).toEqual([1.5, 1234, 2]);
  });
});

describe('readCsvDataset: SKU length', () => {
  // Every SKU must fit the API's route for one SKU (max-sku-length.ts): a longer one is its lines' refusal, not a SKU nobody can open.
  const months = ['2023-01-01', '2023-02-01', '2023-03-01'];
  const atCap = 'S'.repeat(1000);
  const over = 'L'.repeat(1001);

  it('a long file: the lines of a SKU over 1,000 characters are rejected naming its length, one at the cap is read', async () => {
    const csv = 'sku,date,qty\n' + months.flatMap((d, k) => [`${atCap},${d},${k + 1}`, `${over},${d},5`]).join('\n') + '\n';
    const { series, report } = await readCsvDataset([csv], base);
    expect(series.map((s) => s.sku)).toEqual([atCap]);
    expect(report.rejected).toEqual([3, 5, 7].map((line) => ({ line, reason: 'SKU is 1001 characters long: at most 1000 are taken' })));
  });

  it('a composite key is measured joined, as it is stored and addressed', async () => {
    const store = 'T'.repeat(500);
    const item = 'I'.repeat(498); // joined with ' / ': 1001
    const csv = 'store,item,date,qty\n' + months.flatMap((d) => [`${store},${item},${d},1`, `${store},I,${d},2`]).join('\n') + '\n';
    const { series, report } = await readCsvDataset([csv], { ...base, mapping: { sku: ['store', 'item'], date: 'date', quantity: 'qty' } });
    expect(series.map((s) => s.sku)).toEqual([`${store} / I`]);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(report.rejected[0].reason).toContain('SKU is 1001 characters long');
  });

  it('a wide file: the row of a SKU over the cap is rejected', async () => {
    const csv = `sku,${months.join(',')}\n${over},1,2,3\nB,1,2,3\n`;
    const { series, report } = await readCsvDataset([csv], base);
    expect(series.map((s) => s.sku)).toEqual(['B']);
    expect(report.rejected.map((r) => r.line)).toContain(2);
  });
});

describe('readCsvDataset: two columns of one name', () => {
  const rows = (header: string) => [header, ...['01', '02', '03'].map((m) => `A,2024-${m}-01,1,100`)].join('\n') + '\n';

  it('refuses a quantity column whose name another column has, naming mapping.quantity and both columns, never taking the first', async () => {
    const error = await refusal(readCsvDataset([rows('sku,date,sales,sales')], base));
    expect(error.details).toEqual([{
      path: 'mapping.quantity',
      message: "two columns are named 'sales' (3rd and 4th): choose one by its number, mapping.quantity: 3 or 4 (column numbers count from 1), or rename one in the file",
    }]);
    expect(error.columns).toEqual(['sku', 'date', 'sales', 'sales']);
    // Named explicitly, the name is still shared: refused the same way.
    const named = await refusal(readCsvDataset([rows('sku,date,sales,sales')], { ...base, mapping: { quantity: 'sales' } }));
    expect(named.details.map((d) => d.path)).toEqual(['mapping.quantity']);
    expect(named.details[0].message).toContain("two columns are named 'sales' (3rd and 4th)");
  });

  it('reads the column chosen by its number, or by an exact name when only the case differs', async () => {
    const fourth = await readCsvDataset([rows('sku,date,sales,sales')], { ...base, mapping: { quantity: 4 } });
    expect(fourth.series[0].original).toEqual([100, 100, 100]);
    const third = await readCsvDataset([rows('sku,date,sales,sales')], { ...base, mapping: { quantity: 3 } });
    expect(third.series[0].original).toEqual([1, 1, 1]);
    const exact = await readCsvDataset([rows('sku,date,Sales,sales')], { ...base, mapping: { quantity: 'sales' } });
    expect(exact.series[0].original).toEqual([100, 100, 100]);
    expect(await refusal(readCsvDataset([rows('sku,date,sales,sales')], { ...base, mapping: { quantity: 9 } }))).toMatchObject({ details: [{ path: 'mapping.quantity', message: 'no column 9: the header has 4 (sku, date, sales, sales)' }] });
  });

  it('refuses a shared SKU, date or attribute name too, and leaves shared names among unused columns alone', async () => {
    const sku = await refusal(readCsvDataset(['item,item,date,qty\nA,B,2024-01-01,1\n'], base));
    expect(sku.details).toMatchObject([{ path: 'mapping.sku', message: expect.stringContaining("two columns are named 'item' (1st and 2nd)") }]);
    const date = await refusal(readCsvDataset(['sku,date,date,qty\nA,2024-01-01,2024-02-01,1\n'], base));
    expect(date.details).toMatchObject([{ path: 'mapping.date', message: expect.stringContaining('mapping.date: 2 or 3') }]);
    const attribute = await refusal(readCsvDataset(['sku,date,qty,region,region\nA,2024-01-01,1,N,S\n'], { ...base, mapping: { attributes: ['region'] } }));
    expect(attribute.details).toMatchObject([{ path: 'mapping.attributes[0]', message: expect.stringContaining('mapping.attributes[0]: 4 or 5') }]);
    const byNumber = await readCsvDataset(['sku,date,qty,region,region\nA,2024-01-01,1,N,S\nA,2024-02-01,1,N,S\nA,2024-03-01,1,N,S\n'], { ...base, mapping: { attributes: [5] } });
    expect(byNumber.series[0].attributes).toEqual({ region: 'S' });
    const unused = await readCsvDataset([rows('sku,date,qty,note').replace('note', 'note,note').replace(/,100$/gm, ',x,y')], base);
    expect(unused.series[0].original).toEqual([1, 1, 1]);
  });
});
