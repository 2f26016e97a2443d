import { counted } from './counted.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Where the header is. ERP and Excel report exports put a title above it (`Sales report Q4 2025`,
 * a blank line, then the header): read as the header, that title made one column and every row a
 * misfit. The first line is tried as the header first, exactly as before titles were looked for,
 * so a file that read before reads the same. Only when its columns are refused (the reader cannot
 * map them, or every row held has cells past its width) is a later line used: the first of the
 * held records (LOOKAHEAD) at least as wide as the body's usual row with no number in it (a header
 * has names; a row has quantities). `headerRow` (1-based, the line or sheet row) says where it is
 * when that cannot tell.
 */
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

// A month header that reads as a number: `01.2023`, `1/2023`, `2023.01`, SAP's `202301`.
const monthLike = /^(?:\d{1,2}[./]\d{4}|\d{4}[./]\d{1,2}|(?:19|20)\d{2}(?:0[1-9]|1[0-2]))$/;

function hasNumber(fields: string[]): boolean {
  return fields.some((f) => plainNumber.test(f.trim()) && !monthLike.test(f.trim()));
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

/**
 * The index among the first records of the line to read as the header when the first line's
 * columns are refused: the first after it at least as wide as the body (of two cells or more)
 * with no number in it, or 0 when none is.
 */
export function laterHeader(records: string[][]): number {
  if (records.length < 2) return 0;
  const counts = records.map(nonEmptyCells);
  const body = bodyWidth(counts.slice(1));
  // One column is no file's layout (a delimiter not split on): its lines are no header either.
  if (body < 2) return 0;
  for (let i = 1; i < records.length; i++) {
    if (counts[i] >= body && !hasNumber(records[i])) return i;
  }
  return 0;
}

/** Whether the header would be refused by its rows alone (every one a misfit): no reader state. */
export type RowsRefuse = (header: string[], rows: string[][]) => boolean;

/**
 * A record sink that finds the header first (the first line, a later one when the first is
 * refused, or the `headerRow` given) and then passes the header and every record after it on,
 * with their line numbers. The sink refuses a header by throwing a DatasetValidationError from
 * the call that passes it. `end()` flushes a file shorter than the lookahead and refuses a
 * `headerRow` the file does not reach. With a `headerRow`, nothing above it is held: its count,
 * the first non-empty line's text and the last line number only, however far down it is.
 */
export class HeaderRowFinder {
  private held: Array<{ fields: string[]; line: number }> | null = [];
  private lastLine = 0;
  /** Above a given headerRow: the first non-empty line's cells, joined. */
  private firstAbove: string | null = null;
  skipped: SkippedAbove | null = null;
  /** The body's usual count of non-empty cells, as the lookahead saw it (0 with a headerRow given). */
  bodyCells = 0;
  /** The header was kept though every row held is too wide for it, no later line being a header: its line and cells. */
  misfitHeader: { line: number; cells: number } | null = null;

  constructor(
    private readonly next: RecordSink,
    private readonly headerRow?: number,
    private readonly rowsRefuse: RowsRefuse = () => false,
  ) {}

  readonly push: RecordSink = (fields, line) => {
    this.lastLine = line;
    if (this.held === null) return this.next(fields, line);
    if (this.headerRow !== undefined) {
      if (line < this.headerRow) {
        if (this.firstAbove === null && nonEmptyCells(fields) > 0) this.firstAbove = joined(fields);
        return;
      }
      if (line > this.headerRow) throw blankHeaderRow(this.headerRow);
      this.held = null;
      if (line > 1) this.skipped = { headerLine: line, firstText: this.firstAbove ?? '' };
      return this.next(fields, line);
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
    this.held = null;
    if (held.length === 0) return;
    const records = held.map((r) => r.fields);
    const later = laterHeader(records);
    this.bodyCells = bodyWidth(records.slice(1).map(nonEmptyCells));
    const rows = records.slice(1).filter((r) => nonEmptyCells(r) > 0);
    if (rows.length > 0 && this.rowsRefuse(records[0], rows)) {
      if (later > 0) return this.release(held, later, `every row below it has cells past its ${counted(records[0].length, 'column')}`);
      this.misfitHeader = { line: held[0].line, cells: records[0].length };
    }
    try {
      this.next(held[0].fields, held[0].line);
    } catch (error) {
      if (later === 0 || !(error instanceof DatasetValidationError)) throw error;
      // A line as wide as the rows that named the SKU and date columns is the header, refused as
      // such (`sku,date`: no quantity column), not a title above one: its first row is no header.
      if (error.headerNamed && nonEmptyCells(held[0].fields) >= this.bodyCells) throw error;
      return this.release(held, later, error.message);
    }
    for (const r of held.slice(1)) this.next(r.fields, r.line);
  }

  /** The first line refused (`why`): the later one read as the header; if it is refused too, that refusal says where it was read. */
  private release(held: Array<{ fields: string[]; line: number }>, at: number, why: string): void {
    this.noteSkipped(held, at);
    const line = held[at].line;
    try {
      this.next(held[at].fields, line);
    } catch (error) {
      if (!(error instanceof DatasetValidationError)) throw error;
      error.details.push({ path: 'headerRow', message: `line ${held[0].line} was refused as the header (${why}), so line ${line}, the first below it with names and no numbers, was read as the header: if the header is on another line, give it as headerRow (CLI --header-row)` });
      throw error;
    }
    for (const r of held.slice(at + 1)) this.next(r.fields, r.line);
  }

  private noteSkipped(held: Array<{ fields: string[]; line: number }>, at: number): void {
    const first = held.slice(0, at).find((r) => nonEmptyCells(r.fields) > 0);
    this.skipped = { headerLine: held[at].line, firstText: first ? joined(first.fields) : '' };
  }
}

/** A line's cells as the warning quotes them: a quoted title's line breaks as spaces. */
function joined(fields: string[]): string {
  return fields.map((f) => f.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' ');
}

function blankHeaderRow(row: number): DatasetValidationError {
  return new DatasetValidationError(`headerRow ${row} is an empty line or inside a quoted value`, [
    { path: 'headerRow', message: `line ${row} of the file starts no line of cells (it is empty, or inside a quoted value begun above it): give the line of the header` },
  ]);
}

/**
 * A refusal of the header's columns, when that header is narrower than the rows below it (a
 * title the rule could not tell from a header): the detail that names `headerRow`.
 */
export function narrowHeaderHint(header: string[], line: number, bodyCells: number): { path: string; message: string } | null {
  const cells = nonEmptyCells(header);
  if (bodyCells === 0 || cells >= bodyCells) return null;
  return {
    path: 'headerRow',
    message: `line ${line}, read as the header, has ${cells === 1 ? '1 cell' : `${cells} cells`} but the rows below have ${bodyCells}: if it is a title above the header, give the header's line as headerRow (CLI --header-row)`,
  };
}

/** The report's warning for a header every row is too wide for (each row then rejected): where to say the header is. */
export function misfitHeaderWarning(header: { line: number; cells: number }): string {
  return `line ${header.line}, read as the header, has ${counted(header.cells, 'column')} and every row below it has more: if it is a title above the header, give the header's line (headerRow; CLI --header-row; 'Header on line' in the web app)`;
}

/** The report's warning for lines skipped above the header. */
export function skippedWarning(skipped: SkippedAbove): string {
  const lines = skipped.headerLine - 1;
  const text = skipped.firstText.length > 60 ? `${skipped.firstText.slice(0, 57)}...` : skipped.firstText;
  return `skipped ${lines === 1 ? '1 line' : `${lines} lines`} above the header (line ${skipped.headerLine})${text ? `: '${text}'` : ''}; if the header is on another line, give it (headerRow; CLI --header-row; 'Header on line' in the web app)`;
}
