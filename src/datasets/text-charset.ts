import { TextDecoder, TextEncoder } from 'node:util';

/**
 * The text encodings a CSV may be declared in. UTF-8 is the default and the only one that can be
 * checked: any byte sequence is valid Windows-1252, so that one is taken on the planner's word
 * (Excel's plain "CSV" on a Western Windows). Labels are WHATWG's, so `cp1252`, `latin1` and
 * `iso-8859-1` name Windows-1252 as browsers read them.
 */
export type Charset = 'utf-8' | 'windows-1252';
export const charsets: readonly Charset[] = ['utf-8', 'windows-1252'];

/** The charset a label names, or null for an unknown or unsupported one. */
export function charsetOf(label: string): Charset | null {
  try {
    const encoding = new TextDecoder(label.trim()).encoding as Charset;
    return charsets.includes(encoding) ? encoding : null;
  } catch {
    return null;
  }
}

/**
 * A file declared Windows-1252 whose bytes are UTF-8 (`Stück` read as `StÃ¼ck`): any byte is
 * Windows-1252, so nothing refuses it, but non-ASCII bytes that all form UTF-8 sequences are
 * almost never Western text. The first such character and how Windows-1252 reads it, or null.
 */
export function utf8ReadAs1252(head: Uint8Array): { char: string; misread: string } | null {
  if (!head.some((b) => b >= 0x80)) return null;
  let text: string;
  try {
    // A sequence cut at the end of the head is no evidence either way: streamed, it is left out.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
  const char = [...text].find((c) => c.codePointAt(0)! >= 0x80);
  if (char === undefined) return null;
  return { char, misread: new TextDecoder('windows-1252').decode(new TextEncoder().encode(char)) };
}
