import Papa from 'papaparse';
import type { ColumnMapping, ImportReport } from '../api/types.js';
import { sepLine } from './sep-line.js';

/**
 * The upload preview, from the first bytes of the file only: the file itself is never read whole
 * in the browser (the API streams and parses it). The encoding comes from the byte order mark
 * (UTF-16 LE/BE, as Excel's "Unicode text" writes it, else UTF-8), the rows from papaparse, which
 * knows quoting and detects the delimiter (unless Excel's `sep=` line names it). An .xlsx (a zip) has no text to preview: the API's dry
 * run names its columns.
 */
export interface CsvPreview {
  delimiter: string;
  columns: string[];
  rows: string[][];
  /** A guess from the header names, shown until the API's detection answers. */
  guess: ColumnMapping | null;
}

/** How much of a file the preview reads, and how much of it the dry run checks. */
export const PREVIEW_BYTES = 64 * 1024;
export const DRY_RUN_BYTES = 1024 * 1024;

const find = (columns: string[], pattern: RegExp) => columns.find((c) => pattern.test(c)) ?? '';

/**
 * The first lines of CSV text (already decoded), for the preview table only. `from`: what the
 * API's dry run found, the header's line (below a report title: report.headerRow) and the
 * delimiter, which papaparse cannot guess past a title.
 */
export function csvPreview(text: string, maxRows = 6, from: { headerRow?: number; delimiter?: string } = {}): CsvPreview {
  let clean = text.replace(/^\uFEFF/, '');
  if (from.headerRow && from.headerRow > 1) clean = dropLines(clean, from.headerRow - 1);
  // Excel's `sep=;` line names the delimiter and is no row, as the API reads it (it showed as a
  // header of `SEP=` over the real header, with the columns run together).
  const hint = sepLine(clean);
  if (hint) clean = clean.slice(hint.length);
  const delimiter = from.delimiter ?? hint?.delimiter;
  const parsed = Papa.parse<string[]>(clean, { preview: maxRows + 1, skipEmptyLines: 'greedy', ...(delimiter ? { delimiter } : {}) });
  const [header = [], ...rows] = parsed.data;
  const columns = header.map((c) => c.trim());
  const sku = find(columns, /sku|item|product|series|id/i);
  const date = find(columns, /date|period|month|week|day|time/i);
  const quantity = find(columns, /qty|quantity|sales|demand|units|value|volume/i);
  return {
    delimiter: parsed.meta.delimiter,
    columns,
    rows: rows.map((r) => r.map((c) => c.trim())),
    guess: sku && date && quantity ? { sku, date, quantity } : null,
  };
}

/** The text after its first `count` lines (a title above the header has no quoted line breaks). */
function dropLines(text: string, count: number): string {
  const breaks = /\r\n|\n|\r/g;
  for (let i = 0; i < count; i++) if (breaks.exec(text) === null) return '';
  return text.slice(breaks.lastIndex);
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A byte order mark decides, as the API reads it; without one, the encoding the planner chose (UTF-8 by default). */
export function encodingOf(head: Uint8Array, declared: 'windows-1252' | undefined = undefined): TextEncodingName {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return declared ?? 'utf-8';
}

/** A zip (an .xlsx workbook) starts with PK\x03\x04. */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/**
 * Where the last complete line of `head` ends (just after its line break), in bytes, so a dry run
 * on a slice never sees a row cut in two. UTF-16 breaks are two bytes wide.
 */
export function lastLineEnd(head: Uint8Array, encoding: TextEncodingName): number {
  if (encoding === 'utf-8' || encoding === 'windows-1252') {
    const i = head.lastIndexOf(0x0a);
    return i < 0 ? head.length : i + 1;
  }
  for (let i = head.length - 2; i >= 0; i -= 1) {
    const evenFromStart = i % 2 === 0;
    if (!evenFromStart) continue;
    if (encoding === 'utf-16le' ? head[i] === 0x0a && head[i + 1] === 0 : head[i] === 0 && head[i + 1] === 0x0a) return i + 2;
  }
  return head.length;
}

/**
 * Whether decoded text looks binary (a PNG, a PDF): a NUL, or over 2% control or replacement
 * characters in its first 8 KiB. The API's rule (csv-sniff's looksBinary), which refuses such a
 * file as "not text": the page then shows that refusal alone, no mapping form or preview of
 * binary characters (planner walkthrough, finding 9).
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.02;
}

export interface FileLook {
  kind: 'csv' | 'xlsx';
  /** Not text (looksBinary): no preview; the page shows the API's refusal alone. */
  binary?: boolean;
  preview: CsvPreview | null;
  /** The decoded text the preview was made from, to make it again from the dry run's header line. */
  previewText: string | null;
  /** What a dry run checks: the whole file, or its first DRY_RUN_BYTES cut at a line end. */
  sample: Blob;
  partial: boolean;
}

/**
 * Reads at most DRY_RUN_BYTES of the file (Blob slices are lazy) to preview it and choose a
 * dry-run sample. `charset`: the planner's choice for a file without a byte order mark.
 */
export async function lookAtFile(file: Blob, charset?: 'windows-1252'): Promise<FileLook> {
  const head = new Uint8Array(await file.slice(0, DRY_RUN_BYTES).arrayBuffer());
  if (isZip(head)) return { kind: 'xlsx', preview: null, previewText: null, sample: file, partial: false };
  const encoding = encodingOf(head, charset);
  const text = new TextDecoder(encoding).decode(head.subarray(0, Math.min(head.length, PREVIEW_BYTES)));
  // A UTF-8 file's stray Windows-1252 byte is no sign of binary (the API says "not UTF-8" of it):
  // judged, as the API judges it, by the control characters alone, which Windows-1252 shows as such.
  const sniffed = encoding === 'utf-8' ? new TextDecoder('windows-1252').decode(head.subarray(0, 8192)) : text;
  if (looksBinary(sniffed)) return { kind: 'csv', binary: true, preview: null, previewText: null, sample: file.slice(0, Math.min(file.size, DRY_RUN_BYTES)), partial: false };
  const preview = csvPreview(text);
  if (file.size <= DRY_RUN_BYTES) return { kind: 'csv', preview, previewText: text, sample: file, partial: false };
  return { kind: 'csv', preview, previewText: text, sample: file.slice(0, lastLineEnd(head, encoding)), partial: true };
}

/**
 * A dry run's report as the page shows it. On the first megabyte only, the sample's last period
 * is cut where the sample ends, so the API's partial-periods warning would blame the file for the
 * cut; it is left out (the import of the whole file says it if the file itself ends mid-period).
 */
export function dryRunReport(report: ImportReport, partialSample: boolean): ImportReport {
  if (!partialSample) return report;
  return { ...report, warnings: report.warnings.filter((w) => !w.startsWith('partial periods summed as if whole')) };
}
