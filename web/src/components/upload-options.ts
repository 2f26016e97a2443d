import type { Frequency, UploadOptions } from '../api/types.js';
import type { Charset } from './EncodingSelect.js';
import type { FileLook } from './csv-preview.js';
import { sentMapping, type Mapping } from './upload-mapping.js';

/** What the planner chose on the upload form, sent with every check and the import ('' : detected). */
export interface Choices {
  mapping: Mapping | null;
  format: 'long' | 'wide' | '';
  frequency: Frequency | '';
  weekStart: string;
  /** The header's line, 1-based, as typed ('' : the API finds it). */
  headerRow: string;
  /** An .xlsx of several sheets: the one chosen ('' : the first). */
  sheet: string;
  /** A CSV's encoding without a byte order mark ('' : UTF-8). */
  charset: Charset;
}

/** The import's options from the form's choices; `columns`: the file's header in its own order. */
export function uploadOptions(name: string, o: Choices, columns: string[], kind: FileLook['kind']): UploadOptions {
  return {
    name,
    mapping: sentMapping(o.mapping, columns, o.format),
    format: o.format || undefined,
    frequency: o.frequency || undefined,
    weekStart: o.frequency === 'weekly' ? o.weekStart || undefined : undefined,
    headerRow: headerRowOf(o.headerRow),
    sheet: o.sheet || undefined,
    // A workbook has no text encoding: sent for a CSV only, as the checks do.
    charset: kind === 'csv' ? o.charset || undefined : undefined,
  };
}

/**
 * The typed header line as sent: a whole number, else none (the API finds it). A 0 is sent too:
 * the API refuses it naming headerRow, where dropped it would read as the field left empty.
 */
export function headerRowOf(typed: string | undefined): number | undefined {
  return typed && /^\d+$/.test(typed) ? Number(typed) : undefined;
}
