import { delimiterNamed, type Delimiter } from './csv-sniff.js';

/**
 * Excel's separator hint: a first line `sep=;` names the delimiter (for Excel) and is no row. Read
 * as one, it became a header of `sep=` and nothing was found. Case-insensitive; only the four
 * delimiters the reader knows count, any other `sep=` line is left as data. The web app's preview
 * keeps a copy of this rule (web/src/components/sep-line.ts; web knows only the HTTP contract),
 * and sep-line.test.ts keeps the two in step.
 */
export function sepLine(text: string): { delimiter: Delimiter; length: number } | null {
  const hint = /^sep=(.)(?:\r\n|\n|\r)/i.exec(text);
  const delimiter = hint ? delimiterNamed(hint[1]) : null;
  return delimiter ? { delimiter, length: hint![0].length } : null;
}
