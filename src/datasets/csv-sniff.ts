import type { Charset } from './text-charset.js';

/**
 * Looking at the first bytes of an upload before parsing it: which text encoding, whether it is
 * text at all, and which delimiter separates its fields.
 */
export type Delimiter = ',' | ';' | '\t' | '|';
const candidates: Delimiter[] = [',', ';', '\t', '|'];

/** What a client may give as a delimiter: the character, or its name (a tab is awkward to type in a URL). */
const delimiterNames: Record<string, Delimiter> = { ',': ',', ';': ';', '\t': '\t', '|': '|', comma: ',', semicolon: ';', tab: '\t', pipe: '|' };
export const delimiterChoices = "',' (comma), ';' (semicolon), a tab (tab) or '|' (pipe)";

/** The delimiter a client named, or null when it names none of the four. */
export function delimiterNamed(text: string): Delimiter | null {
  return Object.hasOwn(delimiterNames, text.toLowerCase()) ? delimiterNames[text.toLowerCase()] : null;
}

/**
 * UTF-16 when a UTF-16 byte order mark says so (Excel's "Unicode text"), UTF-8 when its mark
 * does; otherwise the declared charset, or UTF-8. A mark wins over a declaration, as in browsers.
 */
export function detectEncoding(head: Uint8Array, declared: Charset = 'utf-8'): Charset | 'utf-16le' | 'utf-16be' {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return declared;
}

/**
 * Whether decoded text looks like a binary file: NUL bytes, or many control or replacement
 * characters in the first chunk. A spreadsheet saved as .xlsx (a zip) is the usual culprit.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  return bad / sample.length > 0.02;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Counts a character on one line, outside quotes. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) n++;
  }
  return n;
}

/**
 * The delimiter that splits the first lines into the same, largest number of fields. Ties go to
 * the order comma, semicolon, tab, pipe; a single-column file gets a comma. `skip`: the lines
 * above the header, when the caller named its line (headerRow): a title there says nothing.
 */
export function detectDelimiter(head: string, skip = 0): Delimiter {
  const all = head.split(/\r\n|\n|\r/).slice(skip).filter((l) => l.trim() !== '');
  // The last line of a chunk may be cut short (and, of the first 20, the last may end inside a
  // quoted value: measured as before, so a file whose first lines decided reads as it did).
  const lines = all.slice(0, 20);
  if (lines.length > 2) lines.pop();
  if (all.length > 2) all.pop();
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of candidates) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    if (counts.length === 0 || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length;
    const score = consistent * 10 + Math.min(counts[0], 9) / 10;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  // Measured against the first line, a title above the header (`Sales report Q4 2025`, no
  // delimiter in it) let no delimiter agree with the lines below. Only then, each is measured by
  // the count most of the lines share, from the first line that has it (a title of many lines
  // would outnumber the header and rows in a fixed window): a file whose first line decided keeps
  // its delimiter.
  // Not where a quoted value runs over lines (a SKU "a<newline>b"): counted line by line, its rows
  // split into pieces that agree with nothing, and a delimiter inside other values would win.
  const spansLines = all.some((l) => (l.match(/"/g)?.length ?? 0) % 2 === 1);
  if (bestScore < 5 && !spansLines) {
    for (const d of candidates) {
      const from = all.findIndex((l) => countOutsideQuotes(l, d) > 0);
      if (from < 0) continue;
      const window = all.slice(from, from + 20);
      const counts = window.map((l) => countOutsideQuotes(l, d)).filter((c) => c > 0);
      const usual = mode(counts);
      const consistent = counts.filter((c) => c === usual).length / window.length;
      const score = consistent * 10 + Math.min(usual, 9) / 10;
      if (consistent >= 0.5 && score > bestScore) {
        best = d;
        bestScore = score;
      }
    }
  }
  return best;
}

function mode(values: number[]): number {
  const seen = new Map<number, number>();
  let best = values[0];
  for (const v of values) {
    const n = (seen.get(v) ?? 0) + 1;
    seen.set(v, n);
    if (n > seen.get(best)! || (n === seen.get(best)! && v > best)) best = v;
  }
  return best;
}
