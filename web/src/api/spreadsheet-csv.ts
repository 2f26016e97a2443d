/**
 * The CSV dialect the web app downloads in: what a spreadsheet in the planner's language opens by
 * double-click (the API's `delimiter`, `decimal`, `bom`; docs/http-api.md). Where the locale
 * writes 1,5 (German, French, ...) Excel splits fields on `;` and reads a decimal comma, so a
 * comma-separated file opened as one column and 25.596216 as 25596216; every locale gets the UTF-8
 * byte order mark, without which Excel shows "München" as "MÃ¼nchen".
 */
export interface SpreadsheetCsv {
  delimiter?: 'semicolon';
  decimal?: 'comma';
  bom: 'true';
}

export function spreadsheetCsv(locale: string | undefined): SpreadsheetCsv {
  let decimal = '.';
  try {
    decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  } catch {
    // An unknown locale tag: the plain dialect.
  }
  return decimal === ',' ? { delimiter: 'semicolon', decimal: 'comma', bom: 'true' } : { bom: 'true' };
}

/** How the downloads are written, for their tooltips. */
export function spreadsheetCsvNote(dialect: SpreadsheetCsv): string {
  return dialect.decimal === 'comma'
    ? 'For a spreadsheet in your language: ; between fields, a decimal comma, UTF-8 with a byte order mark (the API without options gives plain comma-separated CSV)'
    : 'For a spreadsheet: comma-separated, UTF-8 with a byte order mark';
}
