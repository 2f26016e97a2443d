import { TextDecoder } from 'node:util';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * The refusal of bytes the file's encoding cannot decode, naming the line and the byte. Nearly
 * always an Excel "CSV (Comma delimited)", which Windows writes in its ANSI code page: the byte is
 * shown as Windows-1252 would read it, so the planner recognises the `é` of `Café`.
 * `bytes` is the chunk that failed, after the unfinished character the chunk before it ended
 * with (unfinishedTail), and `line` the line its first byte is on.
 */
export function notUtf8(bytes: Uint8Array, line: number, encoding: string): DatasetValidationError {
  if (encoding !== 'utf-8') {
    return new DatasetValidationError(`the file is not valid ${encoding.toUpperCase()} (near line ${line})`, [
      { path: 'file', message: `undecodable ${encoding.toUpperCase()} near line ${line}` },
    ]);
  }
  const at = Math.max(0, firstInvalidUtf8(bytes));
  const where = line + lineBreaks(bytes, at);
  const byte = bytes[at];
  const hex = byte === undefined ? '' : `the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} ('${new TextDecoder('windows-1252').decode(bytes.subarray(at, at + 1))}' in Windows-1252)`;
  // A decoder fails on an unfinished character only when it is flushed, at the end of the file. One
  // byte there may as well be a Windows-1252 letter ending the file without a line break ("Café").
  const cut = byte === undefined || unfinishedTail(bytes.subarray(at)).length === bytes.length - at;
  const shown = !cut ? hex : bytes.length - at === 1 ? `${hex} at the end of the file (or a character cut off there)` : 'a character cut off at the end of the file';
  return new DatasetValidationError(
    `the file is not UTF-8: line ${where} has ${shown}; save it as "CSV UTF-8 (Comma delimited)" in Excel, or declare its encoding (charset=windows-1252 over HTTP, --charset windows-1252 on the command line)`,
    [{ path: 'file', message: `not UTF-8 on line ${where}` }],
  );
}

/** Where the first byte that breaks UTF-8 is (a character cut off at the end counts), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return i;
      const d = b[i + k];
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Line breaks (LF, CRLF or a lone CR) before `end`. */
function lineBreaks(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    if (b[i] === 0x0a) n++;
    else if (b[i] === 0x0d && b[i + 1] !== 0x0a) n++;
  }
  return n;
}

const none = new Uint8Array(0);

/**
 * The bytes of a character a chunk ends in the middle of, which a streaming decoder holds until
 * the next chunk: kept so a refusal in that next chunk can show the byte at fault.
 */
export function unfinishedTail(b: Uint8Array): Uint8Array {
  for (let k = 1; k <= Math.min(4, b.length); k++) {
    const c = b[b.length - k];
    if ((c & 0xc0) === 0x80) continue;
    if (c < 0xc0) return none;
    const length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return length > k ? b.subarray(b.length - k) : none;
  }
  return none;
}
