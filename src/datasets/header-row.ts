import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Where the header is. ERP and Excel report exports put a title above it (`Sales report Q4 2025`,
 * a blank line, then the header): read as the header, that title made one column and every row a
 * misfit. The first records are held (LOOKAHEAD of them) and the header is the first line, unless
 * it and the lines after it, up to HEADER_SEARCH_LINES, have at most half the non-empty cells of
 * the body's usual row, and the first line that does not is at least as wide as the body and has
 * no number in it (a header has names; a row has quantities). Anything else (a first line as wide
 * as the rows, a narrow line followed by data, a line half as wide) keeps the first line, as
 * before: a file that parsed before reads the same. `headerRow` (1-based, the line or sheet row)
 * says where it is when the rule cannot tell.
 */
export const HEADER_SEARCH_LINES = 20;
const LOOKAHEAD = 60;

export type RecordSink = (fields: string[], line: number) => void;

/** What was skipped above the header: for the report's `headerRow` and its warning. */
export interface SkippedAbove {
  headerLine: number;
  /** The first non-empty skipped line's cells, joined: what the warning quotes. */
  firstText: string;
}

export function nonEmptyCells(fields: string[]): number {
  let n = 0;
  for (const f of fields) if (f.trim() !== '') n++;
  return n;
}

// A plain quantity: `12`, `-3`, `(2)`, `107,5`, `1.234,5`, `1 234`; never a date like `01.05.2025`.
const plainNumber = /^[-+(]?(?:\d{1,3}(?:[.,' \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\)?-?$/;

function hasNumber(fields: string[]): boolean {
  return fields.some((f) => plainNumber.test(f.trim()));
}

/** The most common non-zero count of non-empty cells among `counts` (ties: the wider). */
export function bodyWidth(counts: number[]): number {
  const seen = new Map<number, number>();
  for (const c of counts) if (c > 0) seen.set(c, (seen.get(c) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [width, count] of seen) {
    if (count > bestCount || (count === bestCount && width > best)) {
      best = width;
      bestCount = count;
    }
  }
  return best;
}

/** The index of the header among the first records (0: the first, as before). */
export function headerIndex(records: string[][]): number {
  if (records.length < 2) return 0;
  const counts = records.map(nonEmptyCells);
  const body = bodyWidth(counts.slice(1));
  if (counts[0] * 2 > body) return 0;
  const last = Math.min(HEADER_SEARCH_LINES, records.length - 1);
  for (let i = 1; i <= last; i++) {
    if (counts[i] * 2 <= body) continue;
    return counts[i] >= body && !hasNumber(records[i]) ? i : 0;
  }
  return 0;
}

/**
 * A record sink that finds the header first (headerIndex, or the `headerRow` given) and then
 * passes the header and every record after it on, with their line numbers. `end()` flushes a
 * file shorter than the lookahead and refuses a `headerRow` the file does not reach.
 */
export class HeaderRowFinder {
  private held: Array<{ fields: string[]; line: number }> | null = [];
  private lastLine = 0;
  skipped: SkippedAbove | null = null;
  /** The body's usual count of non-empty cells, as the lookahead saw it (0 with a headerRow given). */
  bodyCells = 0;

  constructor(private readonly next: RecordSink, private readonly headerRow?: number) {}

  readonly push: RecordSink = (fields, line) => {
    this.lastLine = line;
    if (this.held === null) return this.next(fields, line);
    if (this.headerRow !== undefined) {
      if (line < this.headerRow) {
        this.held.push({ fields, line });
        return;
      }
      if (line > this.headerRow) throw blankHeaderRow(this.headerRow);
      return this.release(this.held.length, fields, line);
    }
    this.held.push({ fields, line });
    if (this.held.length >= LOOKAHEAD) this.decide();
  };

  end(): void {
    if (this.held === null) return;
    if (this.headerRow !== undefined) {
      throw new DatasetValidationError(`headerRow ${this.headerRow} is past the end of the file`, [
        { path: 'headerRow', message: `the file ends at line ${this.lastLine}: give the line of the header, from 1 to ${this.lastLine}` },
      ]);
    }
    this.decide();
  }

  private decide(): void {
    const held = this.held!;
    const at = headerIndex(held.map((r) => r.fields));
    this.bodyCells = bodyWidth(held.slice(at + 1).map((r) => nonEmptyCells(r.fields)));
    this.release(at);
  }

  /** Drops the held records before `at` (noted in `skipped`) and passes the rest on. */
  private release(at: number, extra?: string[], extraLine?: number): void {
    const held = this.held!;
    this.held = null;
    const headerLine = at < held.length ? held[at].line : extraLine!;
    if (at > 0 || (this.headerRow !== undefined && headerLine > 1)) {
      const first = held.slice(0, at).find((r) => nonEmptyCells(r.fields) > 0);
      this.skipped = { headerLine, firstText: first ? first.fields.map((f) => f.trim()).filter(Boolean).join(' ') : '' };
    }
    for (const r of held.slice(at)) this.next(r.fields, r.line);
    if (extra) this.next(extra, extraLine!);
  }
}

function blankHeaderRow(row: number): DatasetValidationError {
  return new DatasetValidationError(`headerRow ${row} is an empty line`, [
    { path: 'headerRow', message: `line ${row} of the file is empty: give the line of the header` },
  ]);
}

/**
 * A refusal of the header's columns, when that header is far narrower than the rows below it (a
 * title the rule could not tell from a header): the detail that names `headerRow`.
 */
export function narrowHeaderHint(header: string[], line: number, bodyCells: number): { path: string; message: string } | null {
  const cells = nonEmptyCells(header);
  if (bodyCells === 0 || cells * 2 > bodyCells) return null;
  return {
    path: 'headerRow',
    message: `line ${line}, read as the header, has ${cells === 1 ? '1 cell' : `${cells} cells`} but the rows below have ${bodyCells}: if it is a title above the header, give the header's line as headerRow (CLI --header-row)`,
  };
}

/** The report's warning for lines skipped above the header. */
export function skippedWarning(skipped: SkippedAbove): string {
  const lines = skipped.headerLine - 1;
  const text = skipped.firstText.length > 60 ? `${skipped.firstText.slice(0, 57)}...` : skipped.firstText;
  return `skipped ${lines === 1 ? '1 line' : `${lines} lines`} above the header (line ${skipped.headerLine})${text ? `: '${text}'` : ''}; if the header is on another line, give it (headerRow; CLI --header-row; 'Header on line' in the web app)`;
}
