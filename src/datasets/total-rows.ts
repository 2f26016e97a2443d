import { counted } from './counted.js';
import type { LineLedger } from './line-ledger.js';
import { isTotalLabel } from './pivot-totals.js';

/** The set-aside reason of a total row (ImportReport.setAside), warned about by totalRowsWarning, not in the generic set-aside warning. */
export const TOTAL_ROW = 'total row';

/** Lines kept per label, to name in the warning. */
const LINES_NAMED = 5;

/**
 * An ERP export's closing total row: a SKU cell named like a total (`isTotalLabel`: Summe, Total,
 * Gesamt, Grand Total) and no date (`Summe;;;;155446,0`). Not a sale of a SKU, so not a rejected
 * row either: it was reported as "1 × date is empty (line 4331)", and a planner went looking for a
 * missing date (planner walkthrough, finding 10). Such lines are set aside and named in a warning
 * of their own, unless the dataset already has a SKU of that name (actuals: `known`), whose line
 * without a date is then rejected as any other. A total row with dates is pivot-totals.ts's.
 */
export class TotalRows {
  private readonly byLabel = new Map<string, { count: number; lines: number[] }>();

  /** Whether the line is a total row (then held here until settle); false: an ordinary empty date. */
  take(line: number, sku: string): boolean {
    if (!isTotalLabel(sku)) return false;
    const seen = this.byLabel.get(sku);
    if (seen === undefined) this.byLabel.set(sku, { count: 1, lines: [line] });
    else {
      seen.count++;
      if (seen.lines.length < LINES_NAMED) seen.lines.push(line);
    }
    return true;
  }

  /** The labels held, for the dataset to say which it already has as SKUs. */
  labels(): string[] {
    return [...this.byLabel.keys()];
  }

  /**
   * Sets the total rows aside in the ledger (a label the dataset has as a SKU: its lines rejected,
   * "date is empty", as before) and returns their warning, or null when there was none.
   */
  settle(ledger: LineLedger, known: ReadonlySet<string> | undefined, noteRejectedSku?: (sku: string, line: number) => void): string | null {
    const shown: Array<[string, { count: number; lines: number[] }]> = [];
    for (const [label, seen] of this.byLabel) {
      const reason = known?.has(label) ? null : TOTAL_ROW;
      for (const line of seen.lines) {
        if (reason === null) {
          ledger.reject(line, 'date is empty');
          // The dataset's own SKU named like a total: a rejected line of it, never read as absent (and zero-filled).
          noteRejectedSku?.(label, line);
        } else ledger.setAside(line, reason);
      }
      const more = seen.count - seen.lines.length;
      if (more > 0) {
        if (reason === null) ledger.rejectMore('date is empty', more);
        else ledger.setAsideMore(reason, more);
      }
      if (reason !== null) shown.push([label, seen]);
    }
    const count = shown.reduce((n, [, seen]) => n + seen.count, 0);
    if (count === 0) return null;
    if (count === 1) return `line ${shown[0][1].lines[0]} looks like a total row ('${shown[0][0]}', no date): skipped, not read as a SKU's sales`;
    const parts = shown.map(([label, seen]) => `'${label}' on line${seen.count === 1 ? '' : 's'} ${seen.lines.join(', ')}${seen.count > seen.lines.length ? ', …' : ''}`);
    return `${counted(count, 'line')} look like total rows, with no date (${parts.join('; ')}): skipped, not read as a SKU's sales`;
  }
}
