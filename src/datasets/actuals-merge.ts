import type { Frequency, NewSeries, SeriesRecord } from './dataset.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import { classifyDemand } from './demand-class.js';
import type { ActualsRevision } from './planning-cycle-store.js';
import { periodGrid } from './period-grid.js';
import { cleanedValues, sum } from './series-values.js';

/**
 * One SKU's history after new actuals: periods the history lacks are appended (or prepended),
 * periods it has take the new value when it differs (the previous value goes to the audit, and a
 * planner's edit of that period gives way to the new actual), every other period and its edit
 * stay as they were. Periods are matched on the dataset's calendar (periodGrid of the existing
 * dates), so 2025-03-01 and 2025-03-31 are one monthly period; new periods take the dates of the
 * existing convention. Gaps between the old history and the new periods are zero when the
 * dataset fills gaps with zero. A new SKU (no history yet) is placed on `calendar`, the dates of
 * a series on the dataset's most common convention (dataset-calendar.ts), so its periods are
 * dated as the dataset's are (month ends, the weeks' weekday) rather than as the file wrote them:
 * totals then keep one date a period.
 */
export interface MergedSeries {
  series: NewSeries;
  changed: boolean;
  revisions: ActualsRevision[];
  periodsAdded: number;
}

const dayOf = dayFromIso;

export function mergeActuals(existing: SeriesRecord, incoming: Pick<NewSeries, 'dates' | 'original'>, frequency: Frequency, fillGaps: 'zero' | 'report', calendar: string[] = []): MergedSeries {
  // A new SKU takes the dataset's calendar, or its own dates' when there is none to follow.
  const reference = existing.dates.length > 0 ? existing.dates : calendar.length > 0 ? calendar : incoming.dates;
  const grid = periodGrid(frequency, reference.map(dayOf));
  const periods = new Map<number, { date: string; value: number; edit?: number }>();
  existing.dates.forEach((date, i) => {
    periods.set(grid.index(dayOf(date)), { date, value: existing.original[i], edit: existing.edits[i] });
  });
  const revisions: ActualsRevision[] = [];
  let periodsAdded = 0;
  incoming.dates.forEach((date, j) => {
    const p = grid.index(dayOf(date));
    const value = incoming.original[j];
    const had = periods.get(p);
    if (!had) {
      periods.set(p, { date: isoFromDay(grid.date(p)), value });
      periodsAdded++;
    } else if (had.value !== value) {
      revisions.push({ sku: existing.sku, date: had.date, previous: had.value, value });
      periods.set(p, { date: had.date, value });
    }
  });
  const keys = [...periods.keys()].sort((a, b) => a - b);
  if (fillGaps === 'zero' && keys.length > 1) {
    for (let p = keys[0] + 1; p < keys[keys.length - 1]; p++) {
      if (!periods.has(p)) {
        periods.set(p, { date: isoFromDay(grid.date(p)), value: 0 });
        periodsAdded++;
      }
    }
    keys.length = 0;
    keys.push(...[...periods.keys()].sort((a, b) => a - b));
  }
  const dates: string[] = [];
  const original: number[] = [];
  const edits: Record<number, number> = {};
  keys.forEach((p, i) => {
    const period = periods.get(p)!;
    dates.push(period.date);
    original.push(period.value);
    if (period.edit !== undefined) edits[i] = period.edit;
  });
  const cleaned = cleanedValues({ original, edits });
  // Whatever else a series carries (attributes) stays as it was.
  const { datasetId: _datasetId, updatedAt: _updatedAt, ...kept } = existing;
  return {
    series: { ...kept, sku: existing.sku, dates, original, edits, length: dates.length, volume: sum(cleaned), demandClass: classifyDemand(cleaned) },
    changed: periodsAdded > 0 || revisions.length > 0,
    revisions,
    periodsAdded,
  };
}
