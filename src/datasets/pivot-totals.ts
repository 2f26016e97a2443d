import { isoFromDay } from './date-parse.js';
import type { GrowableColumns } from './growable-columns.js';

/**
 * A pivot table's totals, which an export of one carries as data: a "Grand Total" row (a SKU of
 * that name, the sum of the others) and a "Grand Total" column (each SKU's sum over the periods).
 * Read as data, the row becomes a SKU as large as all the others together, forecast and counted
 * in every total of the portfolio twice.
 *
 * A row is dropped only when its SKU is named exactly like a total (`isTotalLabel`: "TOTAL-CARE
 * SHAMPOO" and "Total Care" are SKUs) and it also behaves like one. Either its values are the
 * other SKUs' sum on most of its dates, counting only dates where it or they sold something (a
 * date where all are 0 is no evidence), and at least three such dates (one value that happens to
 * be the sum is none either), or on every such date, however few, each time the sum of two or more
 * SKUs that sold (a month or two of actuals with a total in each month's block); or it comes after every other SKU of the file (a pivot table's grand
 * total is its last row) and is at least as large as each of them on each of its dates, as a sum
 * of non-negative parts is (a brand named "Total" sorted last but selling less than another SKU
 * is no total). A SKU named so that does neither is kept and warned about; so is one the dataset
 * already has (actuals: `known`), whatever it looks like. A column named like a total is never a
 * period (csv-dataset-reader.ts drops it by name alone: no such header is a date).
 */
const totalLabels = new Set(['total', 'totals', 'grand total', 'total result', 'sum', 'summe', 'gesamt', 'gesamtsumme', 'gesamtergebnis', 'gesamt ergebnis']);

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
  /** The rows of SKU s are order[starts[s]] .. order[starts[s + 1] - 1] (those whose date parses). */
  starts: Int32Array;
  order: Int32Array;
  /** Day number per date id. */
  dayOf: Float64Array;
  /** SKUs never dropped: the dataset already has them (actuals). */
  known?: ReadonlySet<string>;
}

/**
 * Dates with sales a total must match on, at the least, to be taken for one by its values on most
 * of them; on fewer, it must match on every one, the sum of two or more SKUs selling.
 */
const MIN_SUM_DATES = 3;

/**
 * Equal as a total is to the sum it was computed from, after each was rounded for display (a
 * sheet's two decimals over many SKUs): within half a percent, or 0.01. Nothing but a total
 * matches a whole portfolio's sum that closely on most dates.
 */
function sameTotal(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(0.01, 0.005 * Math.abs(b));
}

/** A SKU's values summed per day. */
function daySums(input: TotalsInput, s: number): Map<number, number> {
  const { rows, starts, order, dayOf } = input;
  const days = new Map<number, number>();
  for (let k = starts[s]; k < starts[s + 1]; k++) {
    const r = order[k];
    const day = dayOf[rows.date[r]];
    days.set(day, (days.get(day) ?? 0) + rows.value[r]);
  }
  return days;
}

/** The SKUs to drop (a flag per SKU index) and a warning for each SKU named like a total. */
export function judgeTotals(input: TotalsInput): { dropped: Uint8Array; warnings: string[] } {
  const { skus, named, lastOtherLine, starts, known } = input;
  const dropped = new Uint8Array(skus.length);
  const warnings: string[] = [];
  const judged = [...named.keys()].filter((s) => !known?.has(skus[s]));
  if (judged.length === 0) return { dropped, warnings };
  // Per day of a judged SKU: every SKU's sum, and the two largest SKUs' values (the largest other
  // than a judged SKU itself is one of them), each SKU's values summed per day first.
  const own = new Map(judged.map((s) => [s, daySums(input, s)]));
  const all = new Map<number, number>();
  for (const days of own.values()) for (const day of days.keys()) all.set(day, 0);
  const top = new Map<number, Array<{ s: number; value: number }>>();
  const selling = new Map<number, number>();
  // The file's dates with sales, of every SKU: a file of a month or two is judged on all of them.
  const fileSelling = new Set<number>();
  for (let s = 0; s < skus.length; s++) {
    if (starts[s] === starts[s + 1]) continue;
    for (const [day, value] of own.get(s) ?? daySums(input, s)) {
      if (Math.abs(value) > 1e-9) fileSelling.add(day);
      const sum = all.get(day);
      if (sum === undefined) continue;
      all.set(day, sum + value);
      if (Math.abs(value) > 1e-9) selling.set(day, (selling.get(day) ?? 0) + 1);
      const best = top.get(day) ?? [];
      best.push({ s, value });
      best.sort((a, b) => b.value - a.value);
      if (best.length > 2) best.pop();
      top.set(day, best);
    }
  }
  for (const s of judged) {
    const seen = named.get(s)!;
    const where = `'${skus[s]}' (${seen.values} value${seen.values === 1 ? '' : 's'} from line ${seen.firstLine})`;
    // Nothing else to be the total of: a file of one SKU named Total is that SKU's history.
    if (lastOtherLine === 0) {
      warnings.push(`kept the SKU ${where} although it is named like a total: the file has no other SKU`);
      continue;
    }
    const days = own.get(s)!;
    let dated = 0;
    let sums = 0;
    // Dates where it is the sum of two or more other SKUs selling (one SKU's equal is no evidence).
    let sumsOfParts = 0;
    let larger: { s: number; day: number } | null = null;
    for (const [day, value] of days) {
      const others = all.get(day)! - value;
      if (Math.abs(value) > 1e-9 || Math.abs(others) > 1e-9) {
        dated++;
        if (sameTotal(value, others)) {
          sums++;
          if ((selling.get(day) ?? 0) - (Math.abs(value) > 1e-9 ? 1 : 0) >= 2) sumsOfParts++;
        }
      }
      const biggest = top.get(day)!.find((t) => t.s !== s);
      if (larger === null && biggest !== undefined && value < biggest.value && !sameTotal(value, biggest.value)) larger = { s: biggest.s, day };
    }
    const last = seen.firstLine > lastOtherLine;
    const lastAndLargest = last && larger === null;
    // Fewer dates than the rule needs are enough only in a file that has no more (a month or two
    // of actuals) and only when it has a value on each: one sale of a SKU named Total in a longer
    // file that happens to equal two others' that day is no evidence.
    const shortFile = fileSelling.size < MIN_SUM_DATES && [...fileSelling].every((day) => days.has(day));
    const summing = (dated >= MIN_SUM_DATES && sums * 2 > dated) || (shortFile && dated > 0 && sumsOfParts === dated);
    const of = `${sums} of ${dated} date${dated === 1 ? '' : 's'} with sales`;
    if (lastAndLargest || summing) {
      dropped[s] = 1;
      const why = [
        lastAndLargest ? 'it comes after every other SKU and none is larger on any date' : '',
        summing ? `its values are the other SKUs' sum on ${of}` : '',
      ].filter(Boolean).join('; ');
      warnings.push(`dropped ${where} as a pivot table's total, not a SKU: ${why}`);
    } else {
      const position = !last ? 'it does not come last'
        : `it comes last, but '${skus[larger!.s]}' is larger on ${isoFromDay(larger!.day)}, so it is no sum of them`;
      const fewer = dated < MIN_SUM_DATES ? ` (${MIN_SUM_DATES} are needed, or every one as the sum of two or more SKUs)` : '';
      warnings.push(`kept the SKU ${where} although it is named like a total: ${position}, and its values are the other SKUs' sum on only ${of}${fewer}; if it is a total, take its rows out of the file`);
    }
  }
  return { dropped, warnings };
}
