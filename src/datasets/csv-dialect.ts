/**
 * The CSV exports rewritten for a spreadsheet's locale: a German or French Excel opens a file by
 * double-click with `;` between fields and `,` before decimals, and reads UTF-8 only after a byte
 * order mark (without one "München" shows as "MÃ¼nchen" and 25.596216 as 25596216). The import
 * reads such files already; the exports now write them on request (`?delimiter=semicolon&decimal=comma&bom=true`).
 *
 * The exports are written once, in RFC 4180 with `,` and `.` (csv-field.ts), and rewritten here
 * record by record: every field re-quoted for the new delimiter, and `.` turned into the decimal
 * comma only in the numeric columns, known by their header (a SKU or a store named "1.5" stays as
 * it is). The default dialect passes the chunks through untouched.
 */
import { CsvRecordParser } from './csv-record-parser.js';

export interface CsvDialect {
  delimiter: ',' | ';' | '\t';
  decimal: '.' | ',';
  bom: boolean;
}

export const defaultCsvDialect: CsvDialect = { delimiter: ',', decimal: '.', bom: false };

/** The exports' numeric columns, by header: forecasts.csv, metrics.csv, accuracy.csv, totals.csv. */
const numericColumns = new Set([
  'forecast', 'lo80', 'hi80', 'lo95', 'hi95', 'actual', 'error', 'original', 'cleaned',
  'mae', 'rmse', 'mape', 'smape', 'mase', 'wape', 'bias',
]);

/** Whether an export's column of this header is numeric (its decimals follow the dialect). */
export function isNumericCsvColumn(header: string): boolean {
  return numericColumns.has(header);
}

const decimalNumber = /^[+-]?\d*\.\d+(e[+-]?\d+)?$/i;

export class CsvDialectError extends Error {
  constructor(readonly field: 'delimiter' | 'decimal', message: string) {
    super(message);
  }
}

/** From the query's words; a decimal comma in a comma-separated file would split every number. */
export function csvDialect(options: { delimiter?: string; decimal?: string; bom?: boolean }): CsvDialect {
  const delimiters: Record<string, CsvDialect['delimiter']> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\t': '\t' };
  const decimals: Record<string, CsvDialect['decimal']> = { '.': '.', point: '.', ',': ',', comma: ',' };
  const delimiter = delimiters[(options.delimiter ?? ',').toLowerCase()] as CsvDialect['delimiter'] | undefined;
  if (delimiter === undefined) throw new CsvDialectError('delimiter', `delimiter must be comma, semicolon or tab (also , ; or a tab): ${options.delimiter}`);
  const decimal = decimals[(options.decimal ?? '.').toLowerCase()] as CsvDialect['decimal'] | undefined;
  if (decimal === undefined) throw new CsvDialectError('decimal', `decimal must be point or comma (also . or ,): ${options.decimal}`);
  if (decimal === ',' && delimiter === ',') throw new CsvDialectError('decimal', 'a decimal comma needs another delimiter: add delimiter=semicolon (or tab)');
  return { delimiter, decimal, bom: options.bom ?? false };
}

export function isDefaultDialect(d: CsvDialect): boolean {
  return d.delimiter === ',' && d.decimal === '.' && !d.bom;
}

/** The records of `chunks` (RFC 4180, `,`, LF-terminated, as csv-field.ts writes them) in `dialect`. */
export async function* inDialect(chunks: AsyncIterable<string> | Iterable<string>, dialect: CsvDialect): AsyncGenerator<string> {
  if (isDefaultDialect(dialect)) {
    yield* chunks;
    return;
  }
  if (dialect.bom) yield '\uFEFF';
  const records: string[][] = [];
  const parser = new CsvRecordParser(',', (fields) => records.push(fields));
  let numeric: boolean[] | null = null;
  const written = () => {
    let out = '';
    for (const record of records.splice(0)) {
      numeric ??= record.map((h) => numericColumns.has(h));
      out += write(record, numeric, dialect);
    }
    return out;
  };
  for await (const chunk of chunks) {
    parser.push(chunk);
    const out = written();
    if (out) yield out;
  }
  parser.end();
  const out = written();
  if (out) yield out;
}

function write(record: string[], numeric: boolean[], d: CsvDialect): string {
  return record.map((field, i) => {
    const text = d.decimal === ',' && numeric[i] && decimalNumber.test(field) ? field.replace('.', ',') : field;
    return text.includes(d.delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(d.delimiter) + '\n';
}
