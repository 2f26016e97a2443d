import { resolveLongColumns } from './column-mapping.js';
import { readCsvRecords, type CsvSource } from './csv-record-stream.js';
import { quantityProblem, tooWide, tooWideReason } from './csv-dataset-reader.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { parseDateAuto, type DayOrder } from './date-parse.js';
import { resolveDayOrder } from './day-order.js';
import { decimalMarkOf, parseQuantity } from './quantity-parse.js';
import { REJECTED_CAP } from './line-ledger.js';
import type { Charset } from './text-charset.js';

/**
 * A cleaning CSV: corrected values as `sku, date, value` rows (header synonyms as for an import,
 * with "value" first among the quantity names). Read with the same stream reader, so it takes the
 * same delimiters, encodings and decimal commas. The caller places each day on a SKU's calendar.
 */
export interface CleaningRow {
  sku: string;
  day: number;
  value: number;
  line: number;
}

export interface CleaningFile {
  rows: CleaningRow[];
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number;
}

/**
 * `dayOrder`: the dataset's (its import's report), followed where the file's own dates cannot
 * settle day-first against month-first: a correction for 04/01/2024 in a month-first dataset is
 * April's, not the 4th of January's. `charset`: the file's declared encoding, as for an import.
 */
export async function readCleaningCsv(source: CsvSource, dayOrder: DayOrder | null = null, charset?: Charset): Promise<CleaningFile> {
  const raw: Array<{ sku: string; date: string; value: number; line: number }> = [];
  const rejected: CleaningFile['rejected'] = [];
  let rejectedCount = 0;
  const reject = (line: number, reason: string) => {
    rejectedCount++;
    if (rejected.length < REJECTED_CAP) rejected.push({ line, reason });
  };
  let columns: { sku: number; date: number; quantity: number } | null = null;
  let width = 0;
  let decimal: '.' | ',' = '.';
  await readCsvRecords(source, { charset }, (d, head) => {
    decimal = decimalMarkOf(d, head);
  }, (fields, line) => {
    if (!columns) {
      const headers = fields.map((f) => f.trim());
      const valueColumn = headers.find((h) => h.toLowerCase() === 'value');
      columns = resolveLongColumns(headers, valueColumn ? { quantity: valueColumn } : {});
      width = headers.length;
      return;
    }
    // `A,2024-03-01,1,234`: the value read would be the fragment 1, a correction nobody meant.
    if (tooWide(fields, width)) return reject(line, tooWideReason(fields, width));
    const sku = (fields[columns.sku] ?? '').trim();
    const date = (fields[columns.date] ?? '').trim();
    const text = fields[columns.quantity];
    if (sku === '') return reject(line, 'SKU is empty');
    if (date === '') return reject(line, 'date is empty');
    const value = text === undefined ? null : parseQuantity(text, decimal);
    const problem = quantityProblem(text, value, false);
    if (problem) return reject(line, problem);
    raw.push({ sku, date, value: value!, line });
  });
  const { order } = resolveDayOrder(new Set(raw.map((r) => r.date)), dayOrder);
  const rows: CleaningRow[] = [];
  for (const r of raw) {
    const day = parseDateAuto(r.date, order);
    if (day === null) reject(r.line, `date '${r.date}' does not parse`);
    else rows.push({ sku: r.sku, day, value: r.value, line: r.line });
  }
  if (rows.length === 0) {
    throw new DatasetValidationError(
      'nothing usable in the cleaning file',
      rejected.length > 0 ? rejected.slice(0, 20).map((r) => ({ path: `line ${r.line}`, message: r.reason })) : [{ path: 'file', message: 'no rows' }],
    );
  }
  rejected.sort((a, b) => a.line - b.line);
  return { rows, rejected, rejectedCount };
}
