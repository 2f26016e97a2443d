import type { PartialValue, Span } from './actuals-merge.js';
import { dayFromIso } from './date-parse.js';
import type { SeriesRecord } from './dataset.js';
import type { PeriodGrid } from './period-grid.js';
import type { PartialPeriod } from './partial-periods.js';

/**
 * Per partial period of the file (keyed by its first day in it): the days the stored provisional
 * values of the file's SKUs cover, when the file's days follow them and all of those SKUs agree
 * (the week to date, Monday to Wednesday, before this file's Thursday on). A SKU of the file with
 * no value for the period had no line in that export, so sold nothing those days (actuals-merge.ts).
 * SKUs absent from this file are not read: one with a provisional value the file has no line of
 * stays provisional (a known limit, docs/planning-cycle.md).
 */
export function sharedStoredSpans(grid: PeriodGrid, partial: PartialPeriod[], series: Iterable<SeriesRecord>): Map<string, Span> {
  const byIndex = new Map<number, PartialPeriod>();
  for (const p of partial) byIndex.set(grid.index(dayFromIso(p.from)), p);
  const found = new Map<string, Span | null>();
  for (const s of series) {
    for (const [date, span] of Object.entries(s.provisional ?? {})) {
      const p = byIndex.get(grid.index(dayFromIso(date)));
      if (!p || dayFromIso(span.to) + 1 !== dayFromIso(p.from)) continue;
      const before = found.get(p.from);
      if (before === undefined) found.set(p.from, { from: span.from, to: span.to });
      else if (before !== null && (before.from !== span.from || before.to !== span.to)) found.set(p.from, null);
    }
  }
  const out = new Map<string, Span>();
  for (const [from, span] of found) if (span) out.set(from, span);
  return out;
}

/** What became of the SKUs' values for one partial period (a SKU names it by its own date: matched on the grid). */
export function valuesOf(grid: PeriodGrid, period: PartialPeriod, values: PartialValue[]): { provisional: number; kept: number } {
  const index = grid.index(dayFromIso(period.from));
  let provisional = 0;
  let kept = 0;
  for (const v of values) {
    if (grid.index(dayFromIso(v.period)) !== index) continue;
    if (v.outcome === 'kept') kept++;
    else if (!v.settled) provisional++;
  }
  return { provisional, kept };
}
