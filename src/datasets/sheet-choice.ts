import { DatasetValidationError, isDatasetValidationError } from './dataset-validation-error.js';
import type { WorkbookSheets } from './xlsx-record-stream.js';

/**
 * A workbook refused as read from its first sheet, when it has others: a cover or notes sheet
 * first is common, and the refusal named that sheet's lines ("found Report generated ...") without
 * saying other sheets exist or how to read one. The refusal then lists them, names `sheet`, and
 * carries them (`sheets`) for the web app's sheet select. A sheet named by the caller is left as
 * refused: it was the one asked for. Only a refusal of what was read (no rows or columns found,
 * every row rejected, the header's line) is about the sheet: one of a setting the caller gave (a
 * holdout too long) would be the same whichever sheet was read.
 */
export function offeringSheets(error: unknown, book: WorkbookSheets, named: string | undefined): unknown {
  if (!isDatasetValidationError(error) || named !== undefined || book.sheets.length < 2) return error;
  if (error.details.some((d) => d.path === 'sheet') || !error.details.every((d) => aboutTheSheet(d.path))) return error;
  const read = book.read ?? book.sheets[0];
  const others = book.sheets.filter((s) => s !== read);
  const list = others.map((s) => `'${s}'`).join(', ');
  error.message += ` (read from the workbook's first sheet, '${read}'; it also has ${list}: choose the sheet to read)`;
  error.details.push({ path: 'sheet', message: `the workbook has ${book.sheets.map((s) => `'${s}'`).join(', ')} and the first, '${read}', was read: give sheet=${others[0]} (CLI --sheet '${others[0]}') to read another` });
  (error as DatasetValidationError).sheets = book.sheets;
  return error;
}

function aboutTheSheet(path: string): boolean {
  return path === 'file' || path === 'format' || path === 'headerRow' || path.startsWith('mapping.') || path.startsWith('line ');
}
