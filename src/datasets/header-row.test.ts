import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { HeaderRowFinder, laterHeader } from './header-row.js';

const base: CsvReadOptions = { fillGaps: 'zero', minLength: 0 };

async function refusal(promise: Promise<unknown>): Promise<DatasetValidationError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetValidationError);
  return error as DatasetValidationError;
}

/** Lines of a long file: A and B, six months each. */
function body(delimiter: string): string[] {
  const lines = [['Artikel', 'Monat', 'Menge', 'Filiale'].join(delimiter)];
  for (const sku of ['A', 'B']) for (let m = 1; m <= 6; m++) lines.push([sku, `2025-0${m}-01`, String(m * 10 + (sku === 'B' ? 1 : 0)), 'S1'].join(delimiter));
  return lines;
}

async function xlsx(rows: unknown[][], sheets: Record<string, unknown[][]> = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, other] of Object.entries(sheets)) workbook.addWorksheet(name).addRows(other);
  const sheet = workbook.addWorksheet('Data');
  rows.forEach((row, i) => {
    // A row left out of addRows is a blank sheet row: rows are placed by number.
    if (row.length > 0) sheet.getRow(i + 1).values = row as ExcelJS.CellValue[];
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('the header below a report title', () => {
  it('skips a title and a blank line above the header of a semicolon CSV, and says so', async () => {
    const text = ['Sales report Q4 2025', '', ...body(';')].join('\r\n');
    const { series, report } = await readCsvDataset([text], base);
    expect(report.delimiter).toBe(';');
    expect(report.mapping).toEqual({ sku: 'Artikel', date: 'Monat', quantity: 'Menge' });
    expect(report.headerRow).toBe(3);
    expect(report.warnings).toContain("skipped 2 lines above the header (line 3): 'Sales report Q4 2025'; if the header is on another line, give it (headerRow; CLI --header-row; 'Header on line' in the web app)");
    expect(report.rows).toBe(12);
    expect(report.rejectedCount).toBe(0);
    expect(series.map((s) => [s.sku, s.original])).toEqual([['A', [10, 20, 30, 40, 50, 60]], ['B', [11, 21, 31, 41, 51, 61]]]);
  });

  it('skips the title rows of an .xlsx sheet (title, generated-by line, blank row) by their sheet rows', async () => {
    const lines = body(',').map((l) => l.split(','));
    const file = await xlsx([['Sales report Q4 2025'], ['generated 2025-12-06'], [], ...lines.map((r, i) => (i === 0 ? r : [r[0], r[1], Number(r[2]), r[3]]))]);
    const { series, report } = await readCsvDataset([file], base);
    expect(report.headerRow).toBe(4);
    expect(report.warnings).toContain("skipped 3 lines above the header (line 4): 'Sales report Q4 2025'; if the header is on another line, give it (headerRow; CLI --header-row; 'Header on line' in the web app)");
    expect(series.map((s) => s.original)).toEqual([[10, 20, 30, 40, 50, 60], [11, 21, 31, 41, 51, 61]]);
  });

  it('reads the header on the line headerRow gives, where the rule cannot tell (a yearly wide header is numbers)', async () => {
    const text = 'Sales by year\nItem,2022,2023,2024\nA,1,2,3\nB,4,5,6\n';
    const unsure = await refusal(readCsvDataset([text], base));
    expect(unsure.details).toContainEqual({ path: 'headerRow', message: expect.stringContaining('line 1, read as the header, has 1 cell but the rows below have 4') });
    const { series, report } = await readCsvDataset([text], { ...base, headerRow: 2 });
    expect(report.format).toBe('wide');
    expect(report.headerRow).toBe(2);
    expect(series.map((s) => [s.sku, s.original])).toEqual([['A', [1, 2, 3]], ['B', [4, 5, 6]]]);
  });

  it('refuses a headerRow past the end of the file or on an empty line, naming headerRow', async () => {
    const text = ['Title', '', ...body(',')].join('\n');
    const past = await refusal(readCsvDataset([text], { ...base, headerRow: 40 }));
    expect(past.details).toEqual([{ path: 'headerRow', message: 'the file ends at line 15: give the line of the header, from 1 to 15' }]);
    const blank = await refusal(readCsvDataset([text], { ...base, headerRow: 2 }));
    expect(blank.details[0].path).toBe('headerRow');
  });

  it('headerRow 1 on an ordinary file reads it as before, with no warning', async () => {
    const { report } = await readCsvDataset([body(',').join('\n')], { ...base, headerRow: 1 });
    expect(report.headerRow).toBeUndefined();
    expect(report.warnings.filter((w) => w.startsWith('skipped'))).toEqual([]);
    expect(report.rows).toBe(12);
  });
});

describe('line 1 is the header unless its columns are refused', () => {
  const rows = (d: string) => body(d).slice(1);
  it('reads a header narrower than its rows (trailing empty headers) as before, never a wide first row', async () => {
    const text = ['sku,date,qty,,,', 'A,2025-01-01,-,x,y,z', ...['02', '03', '04', '05'].map((m, i) => `A,2025-${m}-01,${i + 5},x,y,z`)].join('\n');
    const { report } = await readCsvDataset([text], base);
    expect(report.mapping).toEqual({ sku: 'sku', date: 'date', quantity: 'qty' });
    expect(report.headerRow).toBeUndefined();
    expect(report.warnings.filter((w) => w.startsWith('skipped'))).toEqual([]);
  });

  it('skips a 2-cell title over a 3-column file, whose every row would be a misfit', async () => {
    const text = ['Exported on;06.12.2025', '', 'Artikel;Monat;Menge', ...rows(';').map((r) => r.split(';').slice(0, 3).join(';'))].join('\n');
    const { report, series } = await readCsvDataset([text], base);
    expect(report.headerRow).toBe(3);
    expect(report.mapping).toEqual({ sku: 'Artikel', date: 'Monat', quantity: 'Menge' });
    expect(report.warnings).toContainEqual(expect.stringContaining("skipped 2 lines above the header (line 3): 'Exported on 06.12.2025'"));
    expect(series.map((s) => s.original)).toEqual([[10, 20, 30, 40, 50, 60], [11, 21, 31, 41, 51, 61]]);
  });

  it('skips a title as wide as the rows when its columns are refused', async () => {
    const text = ['Filter: Store;All;Region: North', '# exported from ERP, 2025-12-06, user x', 'Artikel;Monat;Menge', ...rows(';').map((r) => r.split(';').slice(0, 3).join(';'))].join('\n');
    const { report } = await readCsvDataset([text], base);
    expect(report.headerRow).toBe(3);
    expect(report.mapping).toEqual({ sku: 'Artikel', date: 'Monat', quantity: 'Menge' });
  });

  it('a narrow title over a header with numbers (none to read instead): the rows\' refusal comes with a warning naming headerRow', async () => {
    const text = ['Exported on;06.12.2025', 'Item;2022;2023', 'A;1;2', 'B;3;4'].join('\n');
    const { report } = await readCsvDataset([text], base);
    expect(report.rejectedCount).toBe(3);
    expect(report.warnings).toContain("line 1, read as the header, has 2 columns and every row below it has more: if it is a title above the header, give the header's line (headerRow; CLI --header-row; 'Header on line' in the web app)");
  });

  it('a later line refused too: its refusal says line 1 was refused and names headerRow', async () => {
    const text = ['Sales report', 'Foo,Bar,Baz', 'A,2025-01-01,5', 'A,2025-02-01,6', 'A,2025-03-01,7'].join('\n');
    const error = await refusal(readCsvDataset([text], base));
    expect(error.columns).toEqual(['Foo', 'Bar', 'Baz']);
    expect(error.details).toContainEqual({ path: 'headerRow', message: expect.stringContaining('line 1 was refused as the header (every row below it has cells past its 1 column), so line 2, the first below it with names and no numbers, was read as the header') });
  });
});

describe('a long file without a quantity column', () => {
  it('is refused naming mapping.quantity and the columns found, never read as a wide file whose header is its first row', async () => {
    const quantity = { path: 'mapping.quantity', message: 'no column for the quantity: looked for sales, qty, quantity, units, demand, y; found sku, date' };
    for (const text of ['sku,date\nA,2024-01-01\nB,2024-02-01\n', 'sku,date\nA,2024-01-01\n', 'Item;Month\nA;2024-01\nA;2024-02\nB;2024-03\n']) {
      const error = await refusal(readCsvDataset([text], base));
      expect(error.message).toBe('could not find the columns: mapping.quantity');
      expect(error.details).toEqual([text.startsWith('Item') ? { ...quantity, message: quantity.message.replace('sku, date', 'Item, Month') } : quantity]);
    }
  });

  it('a wide file, with or without a title above it, still reads as one', async () => {
    const wide = await readCsvDataset(['sku,2024-01,2024-02,2024-03\nA,1,2,3\nB,4,5,6\n'], base);
    expect(wide.report.format).toBe('wide');
    expect(wide.series.map((s) => s.original)).toEqual([[1, 2, 3], [4, 5, 6]]);
    const titled = await readCsvDataset(['Sales by item and date\nItem,2024-01,2024-02\nA,1,2\nB,4,5\n'], base);
    expect(titled.report.format).toBe('wide');
    expect(titled.report.headerRow).toBe(2);
  });
});

describe('many title lines above a semicolon file', () => {
  const meta = Array.from({ length: 12 }, (_, i) => `Meta line ${i + 1}: value`);
  const rows: string[] = [];
  for (const sku of ['A', 'B']) for (let m = 1; m <= 12; m++) rows.push(`${sku};2025-${String(m).padStart(2, '0')}-01;${m}`);
  const text = [...meta, '', 'Artikel;Monat;Menge', ...rows].join('\n');
  it('sniffs the delimiter from the first line that has it, and finds the header', async () => {
    const { report } = await readCsvDataset([text], base);
    expect(report.delimiter).toBe(';');
    expect(report.headerRow).toBe(14);
    expect(report.rows).toBe(24);
  });
  it('sniffs it from the headerRow given', async () => {
    const { report } = await readCsvDataset([text], { ...base, headerRow: 14 });
    expect(report.delimiter).toBe(';');
    expect(report.mapping).toEqual({ sku: 'Artikel', date: 'Monat', quantity: 'Menge' });
    expect(report.rows).toBe(24);
  });
});

describe('a headerRow far down', () => {
  it('holds no record above it: only the first line\'s text and the count (a headerRow of 1e9 on a large file)', () => {
    const passed: Array<[string[], number]> = [];
    const finder = new HeaderRowFinder((fields, line) => passed.push([fields, line]), 5000);
    for (let line = 1; line < 5000; line++) {
      const fields = [line === 1 ? 'Report' : `row ${line}`, 'x'];
      finder.push(fields, line);
      // A record the finder kept would show this: it must have copied what it needs, and dropped the rest.
      fields.length = 0;
    }
    finder.push(['sku', 'date', 'qty'], 5000);
    expect(finder.skipped).toEqual({ headerLine: 5000, firstText: 'Report x' });
    expect(passed).toEqual([[['sku', 'date', 'qty'], 5000]]);
  });
});

describe('a title above a German MM.YYYY wide file', () => {
  it('is skipped: its month headers are no numbers', async () => {
    const text = ['Absatzbericht 2023', '', 'Artikel;01.2023;02.2023;03.2023', 'A;5;6;7', 'B;1;2;3'].join('\n');
    const { report, series } = await readCsvDataset([text], base);
    expect(report.headerRow).toBe(3);
    expect(report.format).toBe('wide');
    expect(series.map((s) => [s.sku, s.original])).toEqual([['A', [5, 6, 7]], ['B', [1, 2, 3]]]);
  });
});

describe('a quoted title of two lines', () => {
  const text = ['"Sales report', 'Q4 2025"', 'sku,date,qty', 'A,2025-01-01,5', 'A,2025-02-01,6', 'A,2025-03-01,7'].join('\n');
  it('is quoted in the warning on one line', async () => {
    const { report } = await readCsvDataset([text], base);
    expect(report.headerRow).toBe(3);
    expect(report.warnings).toContainEqual(expect.stringContaining("(line 3): 'Sales report Q4 2025';"));
  });
  it('a headerRow inside it is refused as inside a quoted value, not as an empty line', async () => {
    const error = await refusal(readCsvDataset([text], { ...base, headerRow: 2 }));
    expect(error.details).toEqual([{ path: 'headerRow', message: 'line 2 of the file starts no line of cells (it is empty, or inside a quoted value begun above it): give the line of the header' }]);
  });
});

describe('laterHeader: the line to read when the first is refused', () => {
  const rows = (...lines: string[]) => lines.map((l) => l.split(','));
  it('is the first line after the first as wide as the body with no number in it', () => {
    expect(laterHeader(rows('Sales report Q4 2025', 'sku,date,qty', 'A,2025-01-01,5', 'A,2025-02-01,6'))).toBe(1);
    // Month headers are no numbers: German MM.YYYY, YYYY.MM, SAP's YYYYMM.
    expect(laterHeader(rows('Absatz', 'Artikel,01.2023,02.2023,03.2023', 'A,5,6,7', 'B,1,2,3'))).toBe(1);
    expect(laterHeader(rows('Absatz', 'Artikel,2023.01,2023.02,2023.03', 'A,5,6,7', 'B,1,2,3'))).toBe(1);
    expect(laterHeader(rows('Absatz', 'Material,202301,202302,202303', 'A,5,6,7', 'B,1,2,3'))).toBe(1);
    expect(laterHeader(rows('Report,,,,', ',,,,', 'Item,Store,Date,Qty,Price', 'A,S1,2025-01-01,5,1.5', 'A,S1,2025-02-01,6,1.5'))).toBe(2);
  });
  it('is none when every later line holds a number (data, or a yearly wide header)', () => {
    expect(laterHeader(rows('A,2025-01-01,', 'A,2025-02-01,6', 'A,2025-03-01,7'))).toBe(0);
    expect(laterHeader(rows('Sales', 'Item,2022,2023', 'A,1,2'))).toBe(0);
    expect(laterHeader(rows('sku'))).toBe(0);
    // One column: the delimiter was not split on.
    expect(laterHeader([['sku|date|qty'], ['A|2023-01-01|1'], ['A|2023-02-01|2']])).toBe(0);
  });
});
