import { TextDecoder, TextEncoder } from 'node:util';
import { CsvRecordParser, type RecordSink } from './csv-record-parser.js';
import { detectDelimiter, detectEncoding, looksBinary, stripBom } from './csv-sniff.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Feeds a byte stream through the CSV parser: the first 64 KB decide the encoding, whether it is
 * text at all (a binary file is refused) and the delimiter; then text is decoded and parsed chunk
 * by chunk, so only one chunk is ever held. An empty file is refused.
 */
export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const SNIFF_BYTES = 64 * 1024;

export async function readCsvRecords(
  source: CsvSource,
  options: { delimiter?: string },
  /** The delimiter, and the file's first chunk of text (to sniff conventions such as the decimal mark). */
  onStart: (delimiter: string, head: string) => void,
  onRecord: RecordSink,
): Promise<{ delimiter: string }> {
  let delimiter = options.delimiter ?? ',';
  let parser: CsvRecordParser | null = null;
  let decoder: TextDecoder | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let sawText = false;
  const encoder = new TextEncoder();

  const feed = (text: string) => {
    if (!sawText && text.trim() !== '') sawText = true;
    parser!.push(text);
  };
  const start = (head: Uint8Array) => {
    decoder = new TextDecoder(detectEncoding(head));
    const text = decoder.decode(head, { stream: true });
    if (looksBinary(text)) {
      throw new DatasetValidationError('the file is not text: it looks binary (save a spreadsheet as CSV first)', [
        { path: 'file', message: 'binary content (NUL bytes or undecodable characters)' },
      ]);
    }
    const clean = stripBom(text);
    if (!options.delimiter) delimiter = detectDelimiter(clean);
    onStart(delimiter, clean);
    parser = new CsvRecordParser(delimiter, onRecord);
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
    feed(decoder!.decode(bytes, { stream: true }));
  }
  if (parser === null) start(concat(pending, pendingBytes));
  feed(decoder!.decode());
  parser!.end();
  if (!sawText) throw new DatasetValidationError('the file is empty', [{ path: 'file', message: 'no header and no rows' }]);
  return { delimiter };
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
