import type { ColumnMapping } from '../api/types.js';

export interface CsvPreview {
  delimiter: string;
  columns: string[];
  rows: string[][];
  rowCount: number;
  /** A guess from the header names, shown until the API's detection answers. */
  guess: ColumnMapping | null;
}

function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const find = (columns: string[], pattern: RegExp) => columns.find((c) => pattern.test(c)) ?? '';

/** The first lines of a CSV, for the upload preview only: the API does the real parsing. */
export function csvPreview(text: string, maxRows = 6): CsvPreview {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  const delimiter = [',', ';', '\t', '|'].reduce((best, d) => (header.split(d).length > header.split(best).length ? d : best), ',');
  const columns = header ? splitLine(header.replace(/^\uFEFF/, ''), delimiter) : [];
  const rows = lines.slice(1, 1 + maxRows).map((l) => splitLine(l, delimiter));
  const sku = find(columns, /sku|item|product|series|id/i);
  const date = find(columns, /date|period|month|week|day|time/i);
  const quantity = find(columns, /qty|quantity|sales|demand|units|value|volume/i);
  return {
    delimiter,
    columns,
    rows,
    rowCount: Math.max(0, lines.length - 1),
    guess: sku && date && quantity ? { sku, date, quantity } : null,
  };
}
