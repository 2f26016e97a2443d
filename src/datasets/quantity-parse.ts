/**
 * Reading a quantity as a spreadsheet wrote it. With a semicolon delimiter (the European export)
 * a comma is the decimal mark and dots group thousands ("1.234,5"); otherwise a dot is the decimal
 * mark. Anything else, including "", "NaN", "1e400" and hex, is not a number.
 */
const plain = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const european = /^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;

export type DecimalMark = '.' | ',';

export function parseQuantity(raw: string, decimal: DecimalMark = '.'): number | null {
  const text = raw.trim();
  if (text === '') return null;
  let value: number;
  if (decimal === ',' && text.includes(',')) {
    if (!european.test(text)) return null;
    value = Number(text.replace(/\./g, '').replace(',', '.'));
  } else if (decimal === ',' && european.test(text) && /\.\d{3}$/.test(text) && text.split('.').length > 2) {
    // "1.234.567" with a comma decimal mark: dots only group thousands.
    value = Number(text.replace(/\./g, ''));
  } else {
    if (!plain.test(text)) return null;
    value = Number(text);
  }
  return Number.isFinite(value) ? value : null;
}
