/**
 * An incremental RFC 4180 parser: text goes in chunk by chunk, records come out with the physical
 * line they started on. Quoted fields may hold delimiters, quotes ("") and line breaks; LF, CRLF and
 * lone CR all end a record. Anything that needs one more character to decide (a quote inside a
 * quoted field, a CR) is carried to the next chunk, so chunk boundaries never change the result.
 * Text after a closing quote is kept (lenient, as spreadsheets write it), except after a quoted
 * field that spans lines: `"12 inch pipe` on two rows opens on the first and "closes" on the
 * second, taking every line between as one value, and text right after that quote is the sign
 * (a CsvQuoteError names the line it opened on). A quote never closed would swallow every line
 * after it into one field, so `end` names its line instead; one that swallows no line (the last
 * field of the file, at most its final line break) is read as if closed.
 */
const QUOTE = 34;
const LF = 10;
const CR = 13;

export type RecordSink = (fields: string[], line: number) => void;

/** A quoted field that spans lines and is followed by text after its closing quote (see the header). */
export class CsvQuoteError extends Error {
  constructor(readonly line: number, readonly closedOn: number) {
    super(`a quoted field opened on line ${line} runs to line ${closedOn} and has text after its closing quote`);
  }
}

export class CsvRecordParser {
  private readonly delimiter: number;
  private carry = '';
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private line = 1;
  private recordLine = 1;
  private fieldStarted = false;
  private quoteLine = 1;
  // Set when a quoted field spanning lines has just closed: the next character must end the field.
  private closedSpanning = false;

  /** `firstLine`: the line the text starts on, when lines before it were read apart (a `sep=;` line). */
  constructor(delimiter: string, private readonly onRecord: RecordSink, firstLine = 1) {
    if (delimiter.length !== 1) throw new Error(`delimiter must be one character, got '${delimiter}'`);
    this.delimiter = delimiter.charCodeAt(0);
    this.line = firstLine;
    this.recordLine = firstLine;
  }

  /** The line the text pushed so far ends on (a refusal of the next bytes can name it). */
  get currentLine(): number {
    return this.line;
  }

  push(chunk: string): void {
    this.consume(this.carry + chunk, false);
  }

  /**
   * Ends the text. Returns the line of a quote opened and never closed, whose record is not
   * emitted (it holds the rest of the file), for the reader to refuse the file; null otherwise.
   */
  end(): number | null {
    this.consume(this.carry, true);
    if (this.inQuotes) {
      // Open to the end of the file: harmless when it holds no line break but a final one.
      const value = this.field.replace(/(?:\r\n|\n|\r)$/, '');
      if (/[\r\n]/.test(value)) return this.quoteLine;
      this.inQuotes = false;
      this.field = value;
    }
    if (this.fieldStarted || this.fields.length > 0 || this.field !== '') this.endRecord();
    return null;
  }

  private consume(text: string, final: boolean): void {
    this.carry = '';
    const n = text.length;
    const delim = this.delimiter;
    let i = 0;
    let segStart = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (c === QUOTE) {
          if (i + 1 >= n && !final) {
            this.field += text.slice(segStart, i);
            this.carry = text.slice(i);
            return;
          }
          this.field += text.slice(segStart, i);
          if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
            this.field += '"';
            i += 2;
          } else {
            this.inQuotes = false;
            this.closedSpanning = this.line !== this.quoteLine;
            i += 1;
          }
          segStart = i;
          continue;
        }
        if (c === LF) this.line++;
        else if (c === CR) {
          if (i + 1 >= n && !final) {
            this.field += text.slice(segStart, i);
            this.carry = text.slice(i);
            return;
          }
          if (text.charCodeAt(i + 1) !== LF) this.line++;
        }
        i++;
        continue;
      }
      if (this.closedSpanning) {
        if (c !== delim && c !== LF && c !== CR) throw new CsvQuoteError(this.quoteLine, this.line);
        this.closedSpanning = false;
      }
      if (c === delim) {
        this.fields.push(this.field + text.slice(segStart, i));
        this.field = '';
        this.fieldStarted = true;
        i++;
        segStart = i;
        continue;
      }
      if (c === LF || c === CR) {
        if (c === CR && i + 1 >= n && !final) {
          this.field += text.slice(segStart, i);
          this.carry = text.slice(i);
          return;
        }
        this.field += text.slice(segStart, i);
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
        i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        segStart = i;
        continue;
      }
      if (c === QUOTE && this.field === '' && i === segStart) {
        this.inQuotes = true;
        this.quoteLine = this.line;
        this.fieldStarted = true;
        i++;
        segStart = i;
        continue;
      }
      i++;
    }
    this.field += text.slice(segStart, n);
    if (n > segStart) this.fieldStarted = true;
  }

  private endRecord(): void {
    this.fields.push(this.field);
    const fields = this.fields;
    const line = this.recordLine;
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
    // A blank (or whitespace-only) line is no record.
    if (!(fields.length === 1 && fields[0].trim() === '')) this.onRecord(fields, line);
  }
}

/** Parses a whole string (tests, small bodies). */
export function parseCsvText(text: string, delimiter = ','): Array<{ fields: string[]; line: number }> {
  const out: Array<{ fields: string[]; line: number }> = [];
  const parser = new CsvRecordParser(delimiter, (fields, line) => out.push({ fields, line }));
  parser.push(text);
  parser.end();
  return out;
}
