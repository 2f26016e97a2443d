import { TextDecoder } from 'node:util';

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
