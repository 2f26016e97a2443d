/**
 * Excel's separator hint, read as the API reads it (a copy of src/datasets/sep-line.ts, kept in
 * step by its test: web knows only the HTTP contract): a first line `sep=;` names the delimiter
 * and is no row. Only `,` `;` a tab and `|` count; any other `sep=` line is data.
 */
export function sepLine(text: string): { delimiter: ',' | ';' | '\t' | '|'; length: number } | null {
  const hint = /^sep=([,;\t|])(?:\r\n|\n|\r)/i.exec(text);
  return hint ? { delimiter: hint[1] as ',' | ';' | '\t' | '|', length: hint[0].length } : null;
}
