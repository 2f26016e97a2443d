/**
 * One cell of every CSV Skucast writes (forecasts.csv, metrics.csv, accuracy.csv, from the API and
 * the CLI alike): RFC 4180 quoting only where needed, and text that a spreadsheet would run as a
 * formula neutralized.
 *
 * SKUs, model labels and attributes come from uploaded files, so a SKU named `=HYPERLINK(...)` or
 * `@SUM(A1)` would become a live formula when a planner opens the export in Excel (CSV injection,
 * OWASP): a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`,
 * which spreadsheets read as "this is text" and do not show. Numbers are written as numbers and
 * never prefixed (a bias of -3.5 must stay a number to sum), and so is text that is only a number
 * (a SKU `-100`: a spreadsheet reads it as the number it reads without the prefix, never as a formula).
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(Math.round(value * 1e6) / 1e6) : '') : neutralized(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function neutralized(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}
