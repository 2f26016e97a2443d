import type { AccumulatedDataset } from './series-accumulator.js';
import type { RejectedPeriods } from './rejected-lines.js';

/**
 * An actuals file's rejected lines, SKU by SKU, as the append uses them (actuals.ts): the first
 * line of each SKU's (rejectedSkus, heldBack) and their periods, so fillGaps 'zero' writes no 0
 * where a rejected line may hold a sale (actuals-merge.ts, `rejected`), under the dataset's codes
 * once leading zeros are matched.
 */
/** The file's rejected lines by SKU: the first line of each, and their periods (AccumulatedDataset.rejectedPeriods). */
export interface Rejected {
  lines: Map<string, number>;
  periods: Map<string, RejectedPeriods>;
}

export function rejectedOf(read: AccumulatedDataset): Rejected {
  return { lines: new Map(read.rejectedSkus ?? []), periods: new Map(read.rejectedPeriods ?? []) };
}

/** The same under the dataset's codes (leading zeros): two codes of one SKU are joined. */
export function renameRejected(rejected: Rejected, readAs: ReadonlyMap<string, string>): Rejected {
  const lines = new Map<string, number>();
  for (const [sku, line] of rejected.lines) {
    const as = readAs.get(sku) ?? sku;
    const seen = lines.get(as);
    if (seen === undefined || line < seen) lines.set(as, line);
  }
  const periods = new Map<string, RejectedPeriods>();
  for (const [sku, p] of rejected.periods) {
    const as = readAs.get(sku) ?? sku;
    const seen = periods.get(as);
    const undated = [seen?.undatedLine, p.undatedLine].filter((l): l is number => l !== undefined);
    periods.set(as, { lines: [...(seen?.lines ?? []), ...p.lines], ...(undated.length > 0 ? { undatedLine: Math.min(...undated) } : {}) });
  }
  return { lines, periods };
}

/** The merge's `rejected` for a SKU: its rejected lines' periods, and the file's span when one's date was not read. */
export function rejectedFor(rejected: Rejected, sku: string, span: { from: string; to: string } | undefined): { dates: string[]; span?: { from: string; to: string } } | undefined {
  const p = rejected.periods.get(sku);
  if (!p) return undefined;
  return { dates: p.lines.map((l) => l.date), ...(p.undatedLine !== undefined && span ? { span } : {}) };
}
