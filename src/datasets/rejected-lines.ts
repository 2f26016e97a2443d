import { isoFromDay } from './date-parse.js';
import { detach } from './growable-columns.js';

/**
 * The rejected lines as the series built from the other lines must know them (LineLedger only
 * counts them for the report): a rejected line may hold a sale, so actuals never call its SKU
 * absent from the file nor write 0 in its period, and an import says when fillGaps=zero fills
 * its period with 0 (rejectedFilledWarning).
 *
 * Two kinds of line: one rejected for its quantity keeps its SKU and raw date (`row`, the first
 * REJECTED_ROWS_KEPT only; past them it is undated); any other whose SKU was read keeps its SKU
 * alone, undated (`noteSku`). The raw dates are read only at the end, by the day order the
 * accepted lines settled, through the reader the caller gives.
 */
export class RejectedLines {
  private readonly rows: Array<{ sku: string; date: string; line: number; reason: string }> = [];
  /** The first rejected line of each SKU read (AccumulatedDataset.rejectedSkus). */
  private readonly skuLines = new Map<string, number>();
  /** Of those, the first line with no date read (RejectedPeriods.undatedLine). */
  private readonly undatedLines = new Map<string, number>();

  /** A rejected line whose SKU was read; `undated` unless its date is kept (row). */
  noteSku(sku: string, line: number, undated = true): void {
    const seen = this.skuLines.get(sku);
    if (seen === undefined || line < seen) this.skuLines.set(seen === undefined ? detach(sku) : sku, line);
    const first = undated ? this.undatedLines.get(sku) : null;
    if (first === undefined || (first !== null && line < first)) this.undatedLines.set(first === undefined ? detach(sku) : sku, line);
  }

  /** A line rejected for its quantity: its SKU and date are kept, to say if its period is filled with 0. */
  row(line: number, reason: string, sku: string, rawDate: string): void {
    const kept = this.rows.length < REJECTED_ROWS_KEPT;
    // Past the rows kept, its date is not known: undated.
    if (sku !== '') this.noteSku(sku, line, !kept);
    if (kept) this.rows.push({ sku: detach(sku), date: detach(rawDate.trim()), line, reason });
  }

  /** Rows past REJECTED_ROWS_KEPT were not kept: the filled periods' warning then names only some. */
  get truncated(): boolean {
    return this.rows.length >= REJECTED_ROWS_KEPT;
  }

  /** AccumulatedDataset.rejectedSkus. */
  skus(): ReadonlyMap<string, number> {
    return this.skuLines;
  }

  /**
   * The kept rows by SKU number, with their day: the rows whose SKU has accepted lines (`skuId`)
   * and whose date reads (`dayOf`), the ones a period filled with 0 may have lost.
   */
  daysBySku(skuId: (sku: string) => number | undefined, dayOf: (raw: string) => number | null): Map<number, RejectedDay[]> {
    const out = new Map<number, RejectedDay[]>();
    for (const r of this.rows) {
      const s = skuId(r.sku);
      const day = s === undefined ? null : dayOf(r.date);
      if (s === undefined || day === null) continue;
      const list = out.get(s);
      if (list) list.push({ day, line: r.line, reason: r.reason });
      else out.set(s, [{ day, line: r.line, reason: r.reason }]);
    }
    return out;
  }

  /** AccumulatedDataset.rejectedPeriods: the rows' dates as `dayOf` reads them, by SKU. */
  periods(dayOf: (raw: string) => number | null): Map<string, RejectedPeriods> {
    const out = new Map<string, RejectedPeriods>();
    const of = (sku: string) => {
      let entry = out.get(sku);
      if (!entry) out.set(sku, (entry = { lines: [] }));
      return entry;
    };
    const undated = (entry: RejectedPeriods, line: number) => {
      if (entry.undatedLine === undefined || line < entry.undatedLine) entry.undatedLine = line;
    };
    for (const r of this.rows) {
      if (r.sku === '') continue;
      const day = dayOf(r.date);
      if (day === null || !Number.isFinite(day)) undated(of(r.sku), r.line);
      else of(r.sku).lines.push({ date: isoFromDay(day), line: r.line });
    }
    for (const [sku, line] of this.undatedLines) undated(of(sku), line);
    return out;
  }
}

/** A SKU's rejected lines by period (AccumulatedDataset.rejectedPeriods). */
export interface RejectedPeriods {
  lines: Array<{ date: string; line: number }>;
  undatedLine?: number;
}

export interface RejectedDay {
  day: number;
  line: number;
  reason: string;
}

/**
 * Of one series' rejected rows (daysBySku), the periods from `first` to `last` that have no line
 * of their own and so are filled with 0, each with its first rejected line.
 */
export function filledWithZero(rows: readonly RejectedDay[], periodOf: (day: number) => number, first: number, last: number, has: (period: number) => boolean): Array<{ period: number; line: number; reason: string }> {
  const out: Array<{ period: number; line: number; reason: string }> = [];
  const seen = new Set<number>();
  for (const r of [...rows].sort((a, b) => a.line - b.line)) {
    const p = periodOf(r.day);
    if (p < first || p > last || has(p) || seen.has(p)) continue;
    seen.add(p);
    out.push({ period: p, line: r.line, reason: r.reason });
  }
  return out;
}

/** How many quantity-rejected lines keep their SKU and date for rejectedFilledWarning. */
export const REJECTED_ROWS_KEPT = 100_000;
