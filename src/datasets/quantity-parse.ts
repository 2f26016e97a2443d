/**
 * Reading a quantity as a spreadsheet or a shop exported it. With a semicolon delimiter (the
 * European export) a comma is the decimal mark and dots group thousands ("1.234,5"); otherwise a
 * dot is the decimal mark and commas group thousands ("1,234.5", quoted in a comma file). Either
 * way spaces, no-break spaces and apostrophes may group thousands ("1 234,5", "1'234"). A return
 * is written "-12", "12-" or "(12)". A currency symbol ($ € £ ¥ ₹) around the number is dropped
 * (`hasCurrency` tells the reader, which warns). Anything else, including "", "NaN", "1e400" and
 * hex, is not a number.
 */
const plain = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const european = /^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;
const commaGrouped = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const dotGrouped = /^[+-]?\d{1,3}(\.\d{3})+$/;
const groupSpace = /(\d)[ \u00a0\u202f\u2009'](?=\d{3}(?:\D|$))/g;
const currency = /^[$€£¥₹]\s*|\s*[$€£¥₹]$/g;
const currencyChar = /[$€£¥₹]/;

export type DecimalMark = '.' | ',';

/**
 * With a comma decimal mark, how a quantity used a dot: grouping thousands ("1.234", read as
 * 1234) or as a decimal mark after all ("12.5"); null when it has no dot. Two files in one: the
 * reader warns when it sees both.
 */
export function dotUse(raw: string): 'thousands' | 'decimal' | null {
  if (!raw.includes('.')) return null;
  const text = raw.trim().replace(currency, '').replace(/^\((.*)\)$|^(.*)-$/, '$1$2').trim();
  if (dotGrouped.test(text)) return 'thousands';
  return text.includes(',') ? null : 'decimal';
}

/**
 * A file's decimal mark. A semicolon file writes decimal commas, a comma file decimal dots. A tab
 * or pipe file (Excel's "Unicode text" is tab-separated in the locale's own numbers) is judged by
 * its first chunk: numbers like "1,5" or "1.234,5" and none like "1.5" or "1,234.5" make the comma
 * the decimal mark; anything else keeps the dot. ("1,234" and "1.234" say nothing: either mark.)
 */
export function decimalMarkOf(delimiter: string, head: string): DecimalMark {
  if (delimiter === ';') return ',';
  if (delimiter === ',') return '.';
  let comma = 0;
  let dot = 0;
  for (const token of head.split(/[\t|\r\n"]+/)) {
    const text = token.trim();
    if (/^[+-]?\d+,(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(text)) comma++;
    else if (/^[+-]?\d+\.(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(,\d{3})+\.\d+$/.test(text)) dot++;
  }
  return comma > 0 && dot === 0 ? ',' : '.';
}

export function hasCurrency(raw: string): boolean {
  return currencyChar.test(raw);
}

export function parseQuantity(raw: string, decimal: DecimalMark = '.'): number | null {
  let text = raw.trim();
  if (text === '') return null;
  // The common case first: a plain number, no symbols to strip.
  if (plain.test(text) && (decimal === '.' || !text.includes('.'))) {
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1).trim();
  } else if (text.endsWith('-') && !text.startsWith('-')) {
    negative = true;
    text = text.slice(0, -1).trim();
  }
  if (currencyChar.test(text)) text = text.replace(currency, '');
  if (text.startsWith('-') && currencyChar.test(text)) text = `-${text.slice(1).replace(currency, '')}`;
  if (/[ \u00a0\u202f\u2009']/.test(text)) text = text.replace(groupSpace, '$1');
  if (negative && /^[+-]/.test(text)) return null; // "(-12)", "-12-": no double signs
  const value = readNumber(text, decimal);
  if (value === null) return null;
  return negative ? -value : value;
}

function readNumber(text: string, decimal: DecimalMark): number | null {
  let value: number;
  if (decimal === ',' && text.includes(',')) {
    if (!european.test(text)) return null;
    value = Number(text.replace(/\./g, '').replace(',', '.'));
  } else if (decimal === ',' && dotGrouped.test(text)) {
    // "1.234" and "1.234.567" with a comma decimal mark: dots only group thousands (one group or
    // several alike; the reader warns when the same file also writes "12.5" with a decimal dot).
    value = Number(text.replace(/\./g, ''));
  } else if (decimal === '.' && commaGrouped.test(text)) {
    value = Number(text.replace(/,/g, ''));
  } else if (decimal === '.' && /^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(text)) {
    // "1.234,5" quoted in a comma file: both marks present, the comma last is the decimal mark.
    value = Number(text.replace(/\./g, '').replace(',', '.'));
  } else {
    if (!plain.test(text)) return null;
    value = Number(text);
  }
  return Number.isFinite(value) ? value : null;
}
