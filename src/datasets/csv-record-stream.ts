import { TextDecoder, TextEncoder } from 'node:util';
import { CsvQuoteError, CsvRecordParser, type RecordSink } from './csv-record-parser.js';
import { detectDelimiter, detectEncoding, looksBinary, stripBom } from './csv-sniff.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { sepLine } from './sep-line.js';
import { utf8ReadAs1252, type Charset } from './text-charset.js';
import { notUtf8, unfinishedTail } from './not-utf8.js';

/**
 * Feeds a byte stream through the CSV parser: the first 64 KB decide the encoding (a byte order
 * mark, else the declared charset, else UTF-8), whether it is text at all (a binary file is
 * refused) and the delimiter; then text is decoded and parsed chunk by chunk, so only one chunk is
 * ever held. An empty file is refused, and so is a byte that is not UTF-8 anywhere in the file:
 * decoding it to U+FFFD would turn `Café` and `Cafè` into one SKU and sum them.
 */
export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const SNIFF_BYTES = 64 * 1024;

export async function readCsvRecords(
  source: CsvSource,
  /** headerRow: the header's line when the caller named it, where the delimiter is sniffed from. */
  options: { delimiter?: string; charset?: Charset; headerRow?: number },
  /** The delimiter, and the file's first chunk of text (to sniff conventions such as the decimal mark). */
  onStart: (delimiter: string, head: string) => void,
  onRecord: RecordSink,
): Promise<{ delimiter: string; utf8As1252: ReturnType<typeof utf8ReadAs1252> }> {
  let delimiter = options.delimiter ?? ',';
  let utf8As1252: ReturnType<typeof utf8ReadAs1252> = null;
  let parser: CsvRecordParser | null = null;
  let decoder: TextDecoder | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let sawText = false;
  const encoder = new TextEncoder();

  const feed = (text: string) => {
    if (!sawText && text.trim() !== '') sawText = true;
    // The binary sniff reads the first 8 KB: a NUL further on would become part of a SKU or a
    // name, which PostgreSQL cannot store (and SQLite would): refused here, naming its line.
    const nul = text.indexOf('\u0000');
    if (nul >= 0) throw nulInText((parser as CsvRecordParser).currentLine + (text.slice(0, nul).match(/\n/g)?.length ?? 0));
    refusingStrayQuotes(() => parser!.push(text));
  };
  let tail: Uint8Array = new Uint8Array(0);
  const decode = (bytes: Uint8Array | undefined, stream: boolean, line: number): string => {
    try {
      const text = decoder!.decode(bytes, { stream });
      if (bytes) tail = unfinishedTail(bytes);
      return text;
    } catch {
      throw notUtf8(concat([tail, bytes ?? tail.subarray(0, 0)], tail.length + (bytes?.length ?? 0)), line, decoder!.encoding);
    }
  };
  const start = (head: Uint8Array) => {
    const encoding = detectEncoding(head, options.charset);
    decoder = new TextDecoder(encoding, { fatal: true });
    if (encoding === 'windows-1252') utf8As1252 = utf8ReadAs1252(head);
    let text: string;
    try {
      text = decode(head, true, 1);
    } catch (error) {
      // Binary bytes are rarely valid UTF-8 either: tell which it is by the control characters
      // alone, which Windows-1252 (mapping every byte) shows without replacement characters.
      if (looksBinary(new TextDecoder('windows-1252').decode(head))) throw binary();
      throw error;
    }
    if (looksBinary(text)) throw binary();
    let clean = stripBom(text);
    // Excel's `sep=;` first line (sep-line.ts). A delimiter the client gave still wins.
    const hint = sepLine(clean);
    const hinted = hint?.delimiter ?? null;
    if (hint) clean = clean.slice(hint.length);
    // headerRow counts the `sep=` line, which `clean` no longer has.
    if (!options.delimiter) delimiter = hinted ?? detectDelimiter(clean, Math.max(0, (options.headerRow ?? 1) - 1 - (hint ? 1 : 0)));
    onStart(delimiter, clean);
    parser = new CsvRecordParser(delimiter, onRecord, hinted ? 2 : 1);
    feed(clean);
  };

  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (parser === null) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes < SNIFF_BYTES) continue;
      start(concat(pending, pendingBytes));
      pending = [];
      continue;
    }
    feed(decode(bytes, true, (parser as CsvRecordParser).currentLine));
  }
  if (parser === null) start(concat(pending, pendingBytes));
  feed(decode(undefined, false, (parser as CsvRecordParser | null)!.currentLine));
  const unclosed = refusingStrayQuotes(() => parser!.end());
  if (unclosed !== null) throw unclosedQuote(unclosed);
  if (!sawText) throw new DatasetValidationError('the file is empty', [{ path: 'file', message: 'no header and no rows' }]);
  return { delimiter, utf8As1252 };
}

function nulInText(line: number): DatasetValidationError {
  return new DatasetValidationError(`line ${line} holds a NUL character (\\u0000), which no text field may: is the file binary, or cut from one?`, [
    { path: 'file', message: `a NUL character on line ${line}` },
  ]);
}

/**
 * A quote that opens a field and is never closed (`"12 inch pipe`): every line after it is that
 * one field, so reading on would quietly drop the rest of the file behind one rejected row.
 */
function unclosedQuote(line: number): DatasetValidationError {
  return new DatasetValidationError(
    `line ${line} opens a quoted field that is never closed, so the rest of the file would be read as one value: ` +
      'close it, or write a quote inside a value twice ("12"" pipe")',
    [{ path: 'file', message: `unclosed quote on line ${line}` }],
  );
}

/** Runs a step of the parser, refusing the file when it meets a stray quote (strayQuote). */
function refusingStrayQuotes<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof CsvQuoteError) throw strayQuote(error);
    throw error;
  }
}

/**
 * A quote that opens a field and is closed by another stray quote lines later (two rows each
 * with `"12 inch pipe`): every line between is one value, which reading on would drop unseen.
 */
function strayQuote(error: CsvQuoteError): DatasetValidationError {
  return new DatasetValidationError(
    `line ${error.line} opens a quoted field that runs to line ${error.closedOn}, where a quote followed by more text ends it, so the lines between would be read as one value: ` +
      'close each quoted field on its own line, or write a quote inside a value twice ("12"" pipe")',
    [{ path: 'file', message: `unclosed quote on line ${error.line}` }],
  );
}

function binary(): DatasetValidationError {
  return new DatasetValidationError('the file is not text: it looks binary (save a spreadsheet as CSV first)', [
    { path: 'file', message: 'binary content (NUL bytes or control characters)' },
  ]);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
