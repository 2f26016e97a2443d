import { MAX_ABS_VALUE } from '../forecasting/index.js';
import type { Frequency, ImportReport } from './dataset.js';
import { normalizeHeader, presentColumns, resolveLongColumns, resolveWideSkuColumn, SKU_KEY_SEPARATOR, type MappingRequest } from './column-mapping.js';
import { readCsvRecords, type CsvSource } from './csv-record-stream.js';
import { delimiterChoices, delimiterNamed } from './csv-sniff.js';
import { chooseDayOrder, compileDateFormat, dayParts, parseDateAuto, type DayOrder } from './date-parse.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { serialDateHeaders } from './excel-serial.js';
import { unreadMonthLabel } from './month-labels.js';
import { isWeekColumn } from './week-numbers.js';
import { isPeriodEndColumn } from './period-end-column.js';
import { isTotalLabel } from './pivot-totals.js';
import { decimalMarkOf, parseQuantity, type DecimalMark } from './quantity-parse.js';
import type { Weekday } from './period-grid.js';
import { looksLikeZip, readXlsxRecords, type WorkbookSheets } from './xlsx-record-stream.js';
import { offeringSheets } from './sheet-choice.js';
import { HeaderRowFinder, misfitHeaderWarning, narrowHeaderHint, skippedWarning } from './header-row.js';
import { SeriesAccumulator, type AccumulatedDataset } from './series-accumulator.js';
import type { Charset } from './text-charset.js';

/**
 * Reads a sales CSV from a stream, chunk by chunk, into series and an import report. Nothing but
 * the accepted rows (compactly, see SeriesAccumulator) and one chunk of text is held, so a large
 * file imports in bounded memory. The first 64 KB decide the encoding, whether it is text at all
 * and the delimiter (a byte the encoding cannot decode is refused wherever it is); the header decides long or wide format and the columns.
 */
export interface CsvReadOptions {
  mapping?: MappingRequest;
  /**
   * Without `mapping`: columns to read by when the file has them (actuals: the dataset's own);
   * the rest are detected, and a wide file stays wide (presentColumns).
   */
  preferredMapping?: MappingRequest;
  dateFormat?: string;
  format?: 'long' | 'wide' | 'auto';
  delimiter?: string;
  /** The text's encoding when it has no byte order mark (default UTF-8). */
  charset?: Charset;
  frequency?: Frequency;
  weekStart?: Weekday;
  /** Actuals: their dataset's day order, for dates the file cannot settle (AccumulatorOptions). */
  dayOrder?: DayOrder | 'unrecorded';
  /** An .xlsx upload: the sheet to read (default: the first). */
  sheet?: string;
  /** The header's line (1-based; an .xlsx's sheet row): default, found (header-row.ts). */
  headerRow?: number;
  fillGaps: 'zero' | 'report';
  /** The clock rows dated after the current period are judged by (AccumulatorOptions.now). */
  now?: number;
  minLength: number;
  /** Actuals: partial periods between the file's ends are named too (AccumulatorOptions). */
  partialInside?: boolean;
  /** Actuals: the day of their period the dataset's history dated its periods by (AccumulatorOptions). */
  periodsDatedLike?: string;
  /**
   * Actuals: which of these SKUs (the file's named like a pivot table's total) the dataset already
   * has; those are never dropped as a total (SeriesAccumulator.keepKnownSkus).
   */
  knownSkus?: (skus: string[]) => Promise<Iterable<string>>;
}

type ReportMapping = NonNullable<ImportReport['mapping']>;

export interface CsvDataset extends AccumulatedDataset {
  mapping: ReportMapping;
  delimiter: string;
  /** The header row as read: what a mapping can choose from. */
  columns: string[];
  /** An .xlsx read from its first sheet (none named): its sheets, for a refusal after the read (sheet-choice.ts). */
  book: WorkbookSheets | null;
}

type Layout =
  | { kind: 'long'; sku: number; date: number; quantity: number; width: number; skuColumns: number[]; attributeColumns: number[]; keyNames: string[] }
  | { kind: 'wide'; sku: number; dateColumns: number[]; headers: string[]; unnamedFrom: number; skuGiven: boolean };

export async function readCsvDataset(source: CsvSource, options: CsvReadOptions): Promise<CsvDataset> {
  if (options.dateFormat) {
    try {
      compileDateFormat(options.dateFormat);
    } catch (error) {
      throw new DatasetValidationError('invalid dateFormat', [{ path: 'dateFormat', message: (error as Error).message }]);
    }
  }
  // Checked here too, not only by the routes: a delimiter that is not one would be quietly split on.
  const givenDelimiter = options.delimiter === undefined ? undefined : delimiterNamed(options.delimiter);
  if (givenDelimiter === null) {
    throw new DatasetValidationError('invalid delimiter', [{ path: 'delimiter', message: `must be ${delimiterChoices}` }]);
  }
  const acc = new SeriesAccumulator({ ...options, dropTotals: true });
  let layout: Layout | null = null;
  let mapping: ReportMapping | null = null;
  let decimal: DecimalMark = '.';
  let columns: string[] = [];
  /** The header a line is compared with to be set aside as repeated; none in a headerless file. */
  let header: string[] | null = null;
  let xlsx = false;
  /** A wide file's rows with a SKU, and those whose SKU is a date (a transposed file: `datedSku`). */
  const skuCells = { rows: 0, dates: 0, example: '' };
  const onRecord = (fields: string[], line: number) => {
    // A sheet stores no trailing empty cells: a short row is padded to the header.
    if (xlsx && fields.length < columns.length) fields = [...fields, ...new Array<string>(columns.length - fields.length).fill('')];
    if (layout === null) {
      columns = fields.map((f) => f.trim());
      let decided: ReturnType<typeof decideLayout>;
      try {
        decided = decideLayout(fields, options, acc, decimal);
      } catch (error) {
        if (error instanceof DatasetValidationError) {
          error.columns = columns;
          const hint = narrowHeaderHint(fields, line, finder.bodyCells);
          if (hint) error.details.push(hint);
        }
        // The finder may offer a later line as the header: not padded to this one.
        columns = [];
        throw error;
      }
      layout = decided.layout;
      mapping = decided.mapping;
      if (!decided.headerless) {
        header = columns;
        return;
      }
    }
    // A headerless file's first row is data: compared with itself it was set aside as a header.
    if (isJunk(fields, header, line, acc)) return;
    acc.rowsRead++;
    if (!xlsx && tooWide(fields, columns.length)) return acc.reject(line, tooWideReason(fields, columns.length));
    if (layout.kind === 'long') readLongRow(fields, line, layout, acc, decimal);
    else {
      const sku = (fields[layout.sku] ?? '').trim();
      if (sku !== '') {
        skuCells.rows++;
        if (datedSku(sku)) {
          skuCells.dates++;
          skuCells.example ||= sku;
        }
      }
      readWideRow(fields, line, layout, acc, decimal);
    }
  };
  // A header every row held is too wide for (a 2-cell title over 3 columns) is refused as one
  // (each row would be rejected so). Not in a sheet, whose rows are never refused for it.
  const finder = new HeaderRowFinder(onRecord, options.headerRow, (head, rows) => !xlsx && rows.every((r) => tooWide(r, head.length)));
  const book: WorkbookSheets = { sheets: [], read: null };
  const { first, all } = await peekFirst(source);
  let delimiter = '';
  xlsx = first !== undefined && typeof first !== 'string' && looksLikeZip(first);
  if (xlsx) {
    if (givenDelimiter !== undefined) throw new DatasetValidationError('delimiter is for CSV files', [{ path: 'delimiter', message: 'this file is an .xlsx workbook, whose cells need none' }]);
    try {
      await readXlsxRecords(all, { sheet: options.sheet }, finder.push, book);
      finder.end();
      if (layout === null) throw new DatasetValidationError('the sheet is empty', [{ path: 'file', message: 'no header and no rows' }]);
    } catch (error) {
      throw offeringSheets(error, book, options.sheet);
    }
  } else {
    if (options.sheet !== undefined) throw new DatasetValidationError('sheet is for .xlsx files', [{ path: 'sheet', message: 'this file is not an .xlsx workbook' }]);
    const read = await readCsvRecords(all, { delimiter: givenDelimiter, charset: options.charset, headerRow: options.headerRow }, (d, head) => {
      decimal = decimalMarkOf(d, head);
    }, finder.push);
    delimiter = read.delimiter;
    if (read.utf8As1252) {
      const { char, misread } = read.utf8As1252;
      acc.warn(`the file was read as Windows-1252, as declared, but its bytes are UTF-8: '${char}' reads as '${misread}'; if its text looks garbled, send it again as UTF-8 (no charset; Encoding 'UTF-8' in the web app)`);
    }
    finder.end();
  }
  if (finder.skipped) acc.warn(skippedWarning(finder.skipped));
  if (finder.misfitHeader) acc.warn(misfitHeaderWarning(finder.misfitHeader));
  const finalLayout = layout as Layout | null;
  if (finalLayout?.kind === 'wide' && !finalLayout.skuGiven && skuCells.rows > 0 && skuCells.dates === skuCells.rows) {
    // A row per date and a column per store or product (`Date,30001,30002`) read wide would make
    // SKUs of its dates and periods of its numbers: refused, whatever the headers read as, unless
    // the mapping names the SKU column (its codes are SKUs however they read).
    const column = finalLayout.headers[finalLayout.sku];
    throw Object.assign(new DatasetValidationError(`the SKU column '${column}' holds dates, not SKUs`, [{
      path: 'mapping.sku',
      message: `every value of '${column}' is a date (like '${skuCells.example}'), so its headers are no periods: a file with a row per date is not a wide file; give format=long and a mapping, or turn the sheet so each SKU is a row`,
    }]), { columns });
  }
  const named = acc.totalNamedSkus();
  if (named.length > 0 && options.knownSkus) acc.keepKnownSkus(await options.knownSkus(named));
  const dataset = acc.finish(finalLayout?.kind ?? 'long', { mapping: mapping ?? undefined, ...(xlsx ? { fileType: 'xlsx' } : { delimiter, fileType: 'csv' }), ...(finder.skipped ? { headerRow: finder.skipped.headerLine } : {}), ...(book.sheets.length > 1 ? { sheet: book.read ?? undefined, sheets: book.sheets } : {}) } as Partial<ImportReport>);
  return { ...dataset, mapping: mapping!, delimiter, columns, book: options.sheet === undefined ? book : null };
}

/**
 * The first chunk of a source (to tell a zip from text) and the whole source again, first chunk
 * included, without reading further than that one chunk.
 */
async function peekFirst(source: CsvSource): Promise<{ first: Uint8Array | string | undefined; all: AsyncIterable<Uint8Array | string> }> {
  const iterator = Symbol.asyncIterator in source
    ? (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
    : (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
  let head = await iterator.next();
  while (!head.done && head.value.length === 0) head = await iterator.next();
  const first = head.done ? undefined : head.value;
  async function* all(): AsyncGenerator<Uint8Array | string> {
    if (first !== undefined) yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { first, all: all() };
}

function decideLayout(header: string[], options: CsvReadOptions, acc: SeriesAccumulator, decimal: DecimalMark): { layout: Layout; mapping: ReportMapping; headerless: boolean } {
  const headers = header.map((h) => h.trim());
  const request = options.mapping ?? presentColumns(options.preferredMapping, headers);
  const skuRequest = request?.sku;
  const explicitLong = request?.date !== undefined || request?.quantity !== undefined;
  const parse = options.dateFormat ? compileDateFormat(options.dateFormat) : null;
  const order = chooseDayOrder(headers).order;
  let isDate = headers.map((h) => h !== '' && (parse ? parse(h) : parseDateAuto(h, order)) !== null);
  // Serial dates only where no header is a date of another form, as the accumulator reads them
  // only when every date is one (and its warning says so).
  if (!parse && !isDate.includes(true)) isDate = serialDateHeaders(headers) ?? isDate;
  const dateCount = isDate.filter(Boolean).length;
  // A pivot table's total column (`Item;2024-03;Grand Total`) is no column of data: not counted.
  const isTotal = headers.map((h, i) => !isDate[i] && isTotalLabel(h));
  const counted = headers.length - isTotal.filter(Boolean).length;
  // A SKU column and one date (`Item;2024-03`, a month of actuals for a wide dataset) cannot be a
  // long file, which needs three columns: wide too.
  const oneDate = dateCount === 1 && counted === 2;
  const wide = options.format === 'wide' || (options.format !== 'long' && !explicitLong && (oneDate || (dateCount >= 2 && dateCount >= (counted - 1) / 2)));
  if (wide) {
    if ((Array.isArray(skuRequest) && skuRequest.length > 1) || (request?.attributes?.length ?? 0) > 0) {
      throw new DatasetValidationError('a wide file has one SKU column and no attributes', [
        { path: Array.isArray(skuRequest) && skuRequest.length > 1 ? 'mapping.sku' : 'mapping.attributes', message: 'composite keys and attributes need a long file (one row per sku, date, quantity)' },
      ]);
    }
    const sku = resolveWideSkuColumn(headers, isDate, Array.isArray(skuRequest) ? skuRequest[0] : skuRequest);
    // `Foo-24` beside `Jan-24`: refused, never a column ignored and its month zero-filled. Under a
    // dateFormat the file says what its dates are: `Plan-24` is then a column ignored as no date.
    const unread = parse ? null : unreadMonthLabel(headers.flatMap((h, i) => (i === sku || isTotal[i] ? [] : [{ text: h, read: isDate[i], where: `column ${i + 1}` }])));
    if (unread) throw unread;
    const dateColumns = headers.map((_, i) => i).filter((i) => i !== sku && isDate[i]);
    if (dateColumns.length === 0) {
      throw new DatasetValidationError('a wide file needs date columns', [{ path: 'format', message: 'no header parses as a date' }]);
    }
    // Empty headers at the end are a trailing delimiter (Excel's `;` after the last cell): not worth
    // a warning unless a row has a value under one (readWideRow). An unnamed column before them is
    // named by its place, not as ''.
    let named = headers.length;
    while (named > 0 && headers[named - 1] === '') named--;
    const ignored = headers.flatMap((h, i) => (i === sku || isDate[i] || isTotal[i] || i >= named ? [] : [h === '' ? `column ${i + 1} (no header)` : h]));
    if (ignored.length > 0) acc.warn(`columns ignored (not dates): ${ignored.join(', ')}`);
    const totals = headers.filter((h, i) => i !== sku && isTotal[i]);
    if (totals.length > 0) acc.warn(`dropped the column${totals.length === 1 ? '' : 's'} ${totals.map((h) => `'${h}'`).join(', ')} as a pivot table's total, not a period`);
    return {
      layout: { kind: 'wide', sku, dateColumns, headers, unnamedFrom: named, skuGiven: skuRequest !== undefined },
      mapping: { sku: headers[sku], date: '(one column per date)', quantity: '(cells)' },
      headerless: false,
    };
  }
  // A file without a header: three columns whose first row already reads as sku, date, quantity.
  // The quantity in the file's own decimal mark: `A;31.01.2024;1,5` is a row of a semicolon file.
  if (!request && headers.length === 3 && isDate[1] && parseQuantity(headers[2], decimal) !== null) {
    acc.warn('no header row: columns read as sku, date, quantity');
    return {
      layout: { kind: 'long', sku: 0, date: 1, quantity: 2, width: 3, skuColumns: [0], attributeColumns: [], keyNames: ['column 1'] },
      mapping: { sku: 'column 1', date: 'column 2', quantity: 'column 3' },
      headerless: true,
    };
  }
  const columns = resolveLongColumns(headers, request);
  acc.setAttributeNames(columns.attributeColumns.map((i) => headers[i]), columns.skuColumns.length > 1 ? columns.skuColumns.length : 0);
  if (isWeekColumn(normalizeHeader(headers[columns.date]))) acc.setWeekColumn(headers[columns.date]);
  if (isPeriodEndColumn(normalizeHeader(headers[columns.date]))) acc.setPeriodEndColumn(headers[columns.date]);
  const used = [columns.date, columns.quantity, ...columns.skuColumns, ...columns.attributeColumns];
  return {
    layout: {
      kind: 'long', sku: columns.sku, date: columns.date, quantity: columns.quantity, width: Math.max(...used) + 1,
      skuColumns: columns.skuColumns, attributeColumns: columns.attributeColumns, keyNames: columns.skuColumns.map((i) => headers[i]),
    },
    mapping: columns.mapping,
    headerless: false,
  };
}

/**
 * Whether a wide file's SKU cell is a date (`2024-01-01`, `01.03.2024`) from 1990 to two years
 * after this one; a number alone never is (SKU 2024, 20240101), nor a style-colour code that
 * reads as a date of another millennium (`1001-05`, May 1001).
 */
function datedSku(text: string, thisYear = new Date().getUTCFullYear()): boolean {
  if (!/\D/.test(text)) return false;
  const day = parseDateAuto(text, 'dmy') ?? parseDateAuto(text, 'mdy');
  if (day === null) return false;
  const { y } = dayParts(day);
  return y >= 1990 && y <= thisYear + 2;
}

/**
 * A CSV row with more fields than the header, past it not all empty: a value held an unquoted
 * delimiter ("1,234" in a comma file), so every field after it has moved one column right and the
 * quantity read would be a fragment. Refused rather than read shifted. Trailing empty fields
 * (`a,b,c,`) are only a trailing delimiter. (A sheet has no delimiter: cells past its header are
 * notes.)
 */
export function tooWide(fields: string[], width: number): boolean {
  for (let i = width; i < fields.length; i++) if (fields[i].trim() !== '') return true;
  return false;
}

export function tooWideReason(fields: string[], width: number): string {
  return `row has ${fields.length} fields, the header has ${width} (a value with an unquoted delimiter, like 1,234?)`;
}

/**
 * A line that is not data: every field empty (an export's `,,,,,`) or the header again (files
 * concatenated). Set aside and counted, never reported as a bad row.
 */
function isJunk(fields: string[], header: string[] | null, line: number, acc: SeriesAccumulator): boolean {
  let empty = true;
  for (let i = 0; i < fields.length; i++) {
    if (fields[i].trim() !== '') {
      empty = false;
      break;
    }
  }
  if (empty) {
    acc.setAside(line, 'empty line');
    return true;
  }
  if (header !== null && fields.length === header.length && fields[0].trim() === header[0] && fields.every((f, i) => f.trim() === header[i])) {
    acc.setAside(line, 'repeated header');
    return true;
  }
  return false;
}

/**
 * The reason a quantity cannot be used, or null when it can. A negative quantity is a return in
 * an import (summed, counted in the report); a correction (cleaning file) may refuse it.
 */
export function quantityProblem(raw: string | undefined, value: number | null, negativeAllowed = true): string | null {
  if (raw === undefined || raw.trim() === '') return 'quantity is empty';
  if (value === null) return `quantity '${raw.trim().slice(0, 40)}' is not a number`;
  if (value < 0 && !negativeAllowed) return `quantity ${value} is negative`;
  if (Math.abs(value) > MAX_ABS_VALUE) return `quantity ${raw.trim().slice(0, 40)} is beyond 1e15, the largest the models take (rescale the data)`;
  return null;
}

function readLongRow(fields: string[], line: number, layout: Extract<Layout, { kind: 'long' }>, acc: SeriesAccumulator, decimal: DecimalMark): void {
  if (fields.length < layout.width) {
    acc.reject(line, `row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header needs ${layout.width}`);
    return;
  }
  let sku: string;
  if (layout.skuColumns.length > 1) {
    const parts = layout.skuColumns.map((i) => fields[i].trim());
    const empty = parts.findIndex((p) => p === '');
    if (empty >= 0) return acc.reject(line, parts.every((p) => p === '') ? 'SKU is empty' : `SKU part '${layout.keyNames[empty]}' is empty`);
    sku = parts.join(SKU_KEY_SEPARATOR);
  } else {
    sku = fields[layout.sku].trim();
    if (sku === '') return acc.reject(line, 'SKU is empty');
  }
  const rawDate = fields[layout.date];
  if (rawDate.trim() === '') return acc.emptyDate(line, sku);
  const raw = fields[layout.quantity];
  const value = parseQuantity(raw, decimal);
  const problem = quantityProblem(raw, value);
  if (problem) return acc.rejectRow(line, problem, sku, rawDate);
  acc.noteMarks(line, raw, value!, decimal);
  acc.add(sku, rawDate, value!, line, layout.attributeColumns.length > 0 ? layout.attributeColumns.map((i) => fields[i]) : undefined);
}

function readWideRow(fields: string[], line: number, layout: Extract<Layout, { kind: 'wide' }>, acc: SeriesAccumulator, decimal: DecimalMark): void {
  const sku = (fields[layout.sku] ?? '').trim();
  if (sku === '') return acc.reject(line, 'SKU is empty');
  for (const c of layout.dateColumns) {
    const raw = fields[c];
    // An empty cell in a wide file is a missing period, not a bad row.
    if (raw === undefined || raw.trim() === '') continue;
    const value = parseQuantity(raw, decimal);
    const problem = quantityProblem(raw, value);
    if (problem) {
      acc.rejectRow(line, `${problem} (column '${layout.headers[c]}')`, sku, layout.headers[c]);
      continue;
    }
    acc.noteMarks(line, raw, value!, decimal);
    acc.add(sku, layout.headers[c], value!, line);
  }
  for (let c = layout.unnamedFrom; c < fields.length; c++) {
    if (fields[c].trim() !== '') acc.warn(`values under column ${c + 1}, which has no header, are ignored`);
  }
}
