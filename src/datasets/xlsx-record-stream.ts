import type ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import type { RecordSink } from './csv-record-parser.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Reads an .xlsx upload row by row with exceljs's streaming WorkbookReader: the zip is inflated as
 * it arrives and only the shared strings (the workbook's string table) are held, never the sheet.
 * Each row becomes the same string fields a CSV record would be, numbered by its sheet row, so
 * mapping, cleaning, the report and the limits are the CSV's. The sheet read is the one named
 * (`sheet`), else the workbook's first. Dates (cells with a date format) are written as ISO text;
 * numbers as JavaScript writes them (a dot decimal mark); formulas by their cached result.
 */
export type XlsxSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** A zip file starts with "PK\x03\x04" (an .xlsx is one). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** One cell as the text a CSV export would hold. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const day = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const seconds = value.getUTCHours() * 3600 + value.getUTCMinutes() * 60 + value.getUTCSeconds();
    return seconds === 0 ? day : `${day} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** The workbook's sheets as far as known (all of them once read), and the one read: filled as it reads. */
export interface WorkbookSheets {
  sheets: string[];
  read: string | null;
}

/**
 * exceljs's streaming reader pipes the upload into unzipper's Parse (0.10) and takes the zip's
 * entries as they come (its iterateStream), until that Parse says 'end'. But the Parse says 'end'
 * itself when its writable side finishes (it ends it on parsing the zip's end record), not when
 * its readable side has handed out the entries it pushed: those still wait there while the
 * reader is paused on an earlier entry (a sheet stored before the shared strings, spooled to a
 * temp file). The reader then stopped short: xl/workbook.xml, which exceljs itself writes last,
 * was never read, and a valid workbook was refused as unreadable ("Cannot read properties of
 * undefined (reading 'sheets')"), or read with sheets missing, as timing had it (a few uploads in
 * a hundred of a 3-sheet workbook, most with a dozen sheets, more under load). The input sees
 * what it is piped into and drops that early 'end': the readable side's own 'end' follows once
 * every entry is handed out (the Parse pushes its end after the end record), and a zip that ends
 * short is still an 'error' (FILE_ENDED), never a wait.
 */
function holdingZipEnd(input: Readable): Readable {
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    // A stream's own 'end' sets readableEnded before it is emitted; one emitted by hand does not.
    if (destination instanceof Readable) {
      const emit = destination.emit.bind(destination) as (event: string | symbol, ...args: unknown[]) => boolean;
      destination.emit = ((event: string | symbol, ...args: unknown[]) => (event === 'end' && !destination.readableEnded ? false : emit(event, ...args))) as T['emit'];
    }
    return pipe(destination, options);
  };
  return input;
}

export async function readXlsxRecords(source: XlsxSource, options: { sheet?: string }, onRecord: RecordSink, book: WorkbookSheets = { sheets: [], read: null }): Promise<void> {
  // Loaded on the first .xlsx, not at import: exceljs and its zip libraries cost every process
  // that imports the CLI (a worker too) ~0.4-0.5 s of CPU to load, and only an upload needs them.
  const { default: excel } = await import('exceljs');
  const input = holdingZipEnd(Readable.from(source as AsyncIterable<Uint8Array>, { objectMode: false }));
  const workbook = new excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore',
  });
  const seen: string[] = [];
  let read = false;
  let width = 0;
  try {
    for await (const sheet of workbook) {
      const reader = sheet as unknown as { name: string } & AsyncIterable<{ number: number; values: ExcelJS.CellValue[] }>;
      seen.push(reader.name);
      // The workbook part lists every sheet; it usually comes before them in the zip.
      const listed = (workbook as unknown as { model?: { sheets?: Array<{ name: string }> } }).model?.sheets?.map((s) => s.name);
      const first = listed?.[0];
      book.sheets = listed && listed.length >= seen.length ? listed : [...seen];
      const wanted = options.sheet !== undefined ? reader.name === options.sheet : !read && (first === undefined || reader.name === first);
      if (wanted) book.read = reader.name;
      // A sheet we skip must still be drained: the zip is one stream.
      for await (const row of reader) {
        if (!wanted) continue;
        const values = row.values;
        if (width === 0) width = values.length - 1;
        const n = Math.max(width, values.length - 1);
        const fields = new Array<string>(n);
        for (let i = 0; i < n; i++) fields[i] = cellText(values[i + 1]).trim();
        // Trailing empty cells are not stored in a sheet: a short row is padded to the header.
        onRecord(fields, row.number);
      }
      if (wanted) read = true;
    }
  } catch (error) {
    if (error instanceof DatasetValidationError) throw error;
    throw new DatasetValidationError(`the file is binary (a zip) but not a readable .xlsx workbook: ${(error as Error).message}`, [
      { path: 'file', message: 'not a readable .xlsx workbook (save it again from Excel, or as CSV)' },
    ]);
  }
  if (seen.length > book.sheets.length) book.sheets = seen;
  if (!read) {
    if (options.sheet !== undefined) {
      throw new DatasetValidationError(`no sheet named '${options.sheet}'`, [{ path: 'sheet', message: `the workbook has ${seen.map((s) => `'${s}'`).join(', ') || 'no sheets'}` }]);
    }
    throw new DatasetValidationError('the workbook has no sheet', [{ path: 'file', message: 'no worksheet in the .xlsx' }]);
  }
}
