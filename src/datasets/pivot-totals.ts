import type { GrowableColumns } from './growable-columns.js';

/**
 * A pivot table's totals, which an export of one carries as data: a "Grand Total" row (a SKU of
 * that name, the sum of the others) and a "Grand Total" column (each SKU's sum over the periods).
 * Read as data, the row becomes a SKU as large as all the others together, forecast and counted
 * in every total of the portfolio twice.
 *
 * A row is dropped only when its SKU is named exactly like a total (`isTotalLabel`: "TOTAL-CARE
 * SHAMPOO" and "Total Care" are SKUs) and it also behaves like one: it comes after every other
 * SKU of the file (a pivot table's grand total is its last row), or its values are the sum of the
 * other SKUs' on more than half of its dates (a total placed anywhere else, or repeated per date
 * in a long file). A SKU named so that does neither is kept and warned about. A column named like
 * a total is never a period (csv-dataset-reader.ts drops it by name alone: no such header is a date).
 */
const totalLabels = new Set(['total', 'totals', 'grand total', 'sum', 'summe', 'gesamt', 'gesamtsumme', 'gesamtergebnis']);

/** Whether a SKU or a header is named like a total: exactly, ignoring case, spacing and a trailing colon. */
export function isTotalLabel(text: string): boolean {
  return totalLabels.has(text.trim().toLowerCase().replace(/\s*:$/, '').replace(/\s+/g, ' '));
}

/** A SKU named like a total, as the accumulator saw it: its first line and how many values. */
export interface TotalNamed {
  firstLine: number;
  values: number;
}

export interface TotalsInput {
  skus: readonly string[];
  /** The SKUs named like a total (by index). */
  named: ReadonlyMap<number, TotalNamed>;
  /** The last line of any SKU not named like a total (0: none). */
  lastOtherLine: number;
  rows: GrowableColumns;
  /** Day number per date id; NaN for a date that does not parse. */
  dayOf: Float64Array;
}

/**
 * Equal as a total is to the sum it was computed from, after each was rounded for display (a
 * sheet's two decimals over many SKUs): within half a percent, or 0.01. Nothing but a total
 * matches a whole portfolio's sum that closely on most dates.
 */
function sameTotal(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(0.01, 0.005 * Math.abs(b));
}

/** The SKUs to drop (a flag per SKU index) and a warning for each SKU named like a total. */
export function judgeTotals(input: TotalsInput): { dropped: Uint8Array; warnings: string[] } {
  const { skus, named, lastOtherLine, rows, dayOf } = input;
  const dropped = new Uint8Array(skus.length);
  const warnings: string[] = [];
  if (named.size === 0) return { dropped, warnings };
  // Per day: the other SKUs' sum, and each named SKU's own.
  const others = new Map<number, number>();
  const own = new Map<number, Map<number, number>>();
  for (const s of named.keys()) own.set(s, new Map());
  for (let r = 0; r < rows.length; r++) {
    const day = dayOf[rows.date[r]];
    if (Number.isNaN(day)) continue;
    const values = own.get(rows.sku[r]) ?? others;
    values.set(day, (values.get(day) ?? 0) + rows.value[r]);
  }
  for (const [s, seen] of named) {
    const where = `'${skus[s]}' (${seen.values} value${seen.values === 1 ? '' : 's'} from line ${seen.firstLine})`;
    // Nothing else to be the total of: a file of one SKU named Total is that SKU's history.
    if (lastOtherLine === 0) {
      warnings.push(`kept the SKU ${where} although it is named like a total: the file has no other SKU`);
      continue;
    }
    const days = own.get(s)!;
    let sums = 0;
    for (const [day, value] of days) if (sameTotal(value, others.get(day) ?? 0)) sums++;
    const last = seen.firstLine > lastOtherLine;
    const summing = sums * 2 > days.size;
    const of = `${sums} of ${days.size} date${days.size === 1 ? '' : 's'}`;
    if (last || summing) {
      dropped[s] = 1;
      const why = [last ? 'it comes after every other SKU' : '', summing ? `its values are the other SKUs' sum on ${of}` : ''].filter(Boolean).join(', and ');
      warnings.push(`dropped ${where} as a pivot table's total, not a SKU: ${why}`);
    } else {
      warnings.push(`kept the SKU ${where} although it is named like a total: it does not come last, and its values are the other SKUs' sum on only ${of}; if it is a total, take its rows out of the file`);
    }
  }
  return { dropped, warnings };
}
