import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DatasetValidationError } from './dataset-validation-error.js';
import { readXlsxRecords, type WorkbookSheets } from './xlsx-record-stream.js';

/** A workbook as exceljs writes it: its sheets stored before the shared strings and xl/workbook.xml. */
async function workbookOf(sheetCount: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (let s = 1; s <= sheetCount; s++) workbook.addWorksheet(`Sheet ${s}`).addRows([['sku', 'date', 'sales'], [`SKU-${s}`, '2025-01-01', s]]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('readXlsxRecords', () => {
  it('reads every entry of a workbook that arrives whole, sheets stored before xl/workbook.xml (was: refused as unreadable or read with sheets missing, by timing)', async () => {
    // unzipper's Parse (under exceljs's streaming reader) said 'end' once it had parsed the zip's
    // end record, while entries it had pushed still waited, paused, behind a sheet being spooled
    // to a temp file: the reader stopped there. With a dozen sheets nearly every read lost
    // xl/workbook.xml ("Cannot read properties of undefined (reading 'sheets')"), with two or
    // three a few in a hundred, more under load: the API's .xlsx tests failed so in CI, rarely.
    // Each read below is one upload; the race is the reader's, so every read must be whole.
    const file = await workbookOf(12);
    const names = Array.from({ length: 12 }, (_, i) => `Sheet ${i + 1}`);
    for (let read = 1; read <= 10; read++) {
      const rows: string[][] = [];
      const book: WorkbookSheets = { sheets: [], read: null };
      await readXlsxRecords([file], { sheet: 'Sheet 12' }, (fields) => rows.push(fields), book);
      expect(book, `read ${read}`).toEqual({ sheets: names, read: 'Sheet 12' });
      expect(rows, `read ${read}`).toEqual([['sku', 'date', 'sales'], ['SKU-12', '2025-01-01', '12']]);
    }
  });

  it('refuses a workbook cut short, whole or in chunks, as unreadable: the zip ending early is an error, never a wait for an end', async () => {
    const file = await workbookOf(3);
    for (const cut of [file.length - 10, Math.floor(file.length / 2), 100]) {
      const head = file.subarray(0, cut);
      for (const chunks of [[head], [head.subarray(0, 50), head.subarray(50)]]) {
        const error = await readXlsxRecords(chunks, {}, () => {}).then(() => null, (e: unknown) => e);
        expect(error, `cut at ${cut} of ${file.length}`).toBeInstanceOf(DatasetValidationError);
        expect((error as DatasetValidationError).details, `cut at ${cut}`).toEqual([{ path: 'file', message: 'not a readable .xlsx workbook (save it again from Excel, or as CSV)' }]);
      }
    }
  });
});
