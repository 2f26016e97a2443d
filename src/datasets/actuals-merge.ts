import type { Frequency, NewSeries, ProvisionalPeriod, SeriesRecord } from './dataset.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import { classifyDemand } from './demand-class.js';
import type { PartialPeriod } from './partial-periods.js';
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
 * dataset fills gaps with zero; a hole inside the stored history (a period an earlier append left
 * open for a rejected line) is never filled, only a line for it gives it a value. A new SKU (no history yet) is placed on `calendar`, the dates of
 * a series on the dataset's most common convention (dataset-calendar.ts), so its periods are
 * dated as the dataset's are (month ends, the weeks' weekday) rather than as the file wrote them:
 * totals then keep one date a period.
 *
 * A period the file covers only in part (`partial`, found over the whole file) is a sum of some of
 * its days, not the period's value, so it never replaces a complete one:
 *   - no value stored: it is written, marked provisional (the current week to date);
 *   - a provisional value stored: replaced if the file covers at least the days that one did
 *     (Monday to Thursday after Monday to Wednesday), else kept;
 *   - a provisional value stored and the file's days follow its days with none in common (the
 *     days since the last export): the two sums are added (`joined`), complete when the stored
 *     days start the period and the file has its end (by the days it lacks, not its edge);
 *   - a complete value stored: kept, whatever the partial sum (restating an old period takes the
 *     whole period).
 * A value of a period the file covers whole replaces a provisional one (audited as any revision
 * when it differs) and makes it complete; a planner's edit of the provisional value gives way to
 * it, as to a revision, even when the value is the same.
 */
export interface MergedSeries {
  series: NewSeries;
  changed: boolean;
  revisions: ActualsRevision[];
  periodsAdded: number;
  /** Provisional values a value of the whole period replaced (the period is complete now). */
  settled: number;
  /** What became of the SKU's values for the periods the file covers in part. */
  partialValues: PartialValue[];
  /** Provisional periods before the file's last period that the file has no day of: they stay provisional. */
  skipped: Array<{ sku: string; period: string; from: string; to: string }>;
  /**
   * The periods with no value, in the history or the file, that fillGaps 'zero' wrote 0 for (a
   * month the last file had no line of, before this file's): the append names them, since that 0
   * is scored as an actual.
   */
  filled: string[];
  /** The periods fillGaps 'zero' would have filled and did not, since the file had a rejected line for them (`rejected`). */
  unfilled: string[];
}

/** A SKU's value for a period the file covers only in part, and what became of it. */
export interface PartialValue {
  sku: string;
  /** The period, by the date the series keeps for it. */
  period: string;
  /** The file's sum over the days it has. */
  value: number;
  /** The value stored before (null: none). */
  previous: number | null;
  stored: 'none' | 'complete' | 'provisional';
  /**
   * `provisional`: written, to be replaced by a value covering more of the period; `kept`: the
   * stored value stays; `joined`: the file's days follow the stored provisional ones with none in
   * common, and the two sums were added (complete when together they cover the period).
   */
  outcome: 'provisional' | 'kept' | 'joined';
  /** A join that made the period complete (counted as settled, not as provisional). */
  settled?: boolean;
  /** The days the stored provisional value covered (absent: none was provisional). */
  storedSpan?: { from: string; to: string };
}

export interface MergeOptions {
  /** A new SKU's calendar (see above). */
  calendar?: string[];
  /** The periods the file covers in part (report.partialPeriods). */
  partial?: PartialPeriod[];
  /**
   * The usual spacing of the file's dates in days (AccumulatedDataset.spacing, default 1): a
   * partial period lacks its start (end) when the file's first (last) day in it is at least that
   * far from the period's start (end). Weekday-only sales ending on a Friday lack no end.
   */
  spacing?: number;
  /**
   * Per partial period (by the file's first day in it, `from`): the days the other SKUs' stored
   * provisional values cover, when the file's days follow them (sharedStoredSpans, actuals.ts). A
   * SKU with no value stored for that period had no line in the file that stored them, so sold
   * nothing on those days: its days join them as the others' do (complete when together whole).
   */
  sharedSpans?: ReadonlyMap<string, Span>;
  /**
   * The SKU's rejected lines in the file (actuals.ts): fillGaps 'zero' writes no 0 for a period
   * one of them is dated in (it may hold a sale), nor, when a rejected line's date could not be
   * read (`span`: the file's first and last dates), for any period within the file's span.
   */
  rejected?: { dates: string[]; span?: { from: string; to: string } };
}

const dayOf = dayFromIso;

/** The days a provisional value covers; the value is stamped on when the series is assembled. */
export type Span = Omit<ProvisionalPeriod, 'value'>;

interface Period {
  date: string;
  value: number;
  edit?: number;
  provisional?: Span;
}

export function mergeActuals(existing: SeriesRecord, incoming: Pick<NewSeries, 'dates' | 'original'>, frequency: Frequency, fillGaps: 'zero' | 'report', options: MergeOptions = {}): MergedSeries {
  const calendar = options.calendar ?? [];
  const spacing = Math.max(1, options.spacing ?? 1);
  // A new SKU takes the dataset's calendar, or its own dates' when there is none to follow.
  const reference = existing.dates.length > 0 ? existing.dates : calendar.length > 0 ? calendar : incoming.dates;
  const grid = periodGrid(frequency, reference.map(dayOf));
  // By a day the period has, not by the date it is named by (the file's convention or the dataset's).
  const covered = new Map<number, Span>();
  for (const p of options.partial ?? []) covered.set(grid.index(dayOf(p.from)), { from: p.from, to: p.to });
  const periods = new Map<number, Period>();
  existing.dates.forEach((date, i) => {
    const stored = existing.provisional?.[date];
    periods.set(grid.index(dayOf(date)), { date, value: existing.original[i], edit: existing.edits[i], ...(stored ? { provisional: { from: stored.from, to: stored.to } } : {}) });
  });
  const revisions: ActualsRevision[] = [];
  const partialValues: PartialValue[] = [];
  let periodsAdded = 0;
  let settled = 0;
  let provisionalMoved = false;
  // Days from..to make period p whole: within the file's usual spacing of its start and its end.
  const wholeWith = (p: number, from: string, to: string) => {
    const [start, end] = grid.bounds(p);
    return end - dayOf(to) < spacing && dayOf(from) - start < spacing;
  };
  incoming.dates.forEach((date, j) => {
    const p = grid.index(dayOf(date));
    const value = incoming.original[j];
    const cover = covered.get(p);
    const had = periods.get(p);
    if (!had) {
      const shared = cover ? options.sharedSpans?.get(cover.from) : undefined;
      if (cover && shared && wholeWith(p, shared.from, cover.to)) {
        // The other SKUs' week to date had no line of this one (it sold nothing then): with the
        // file's days, the period is whole.
        const period: Period = { date: isoFromDay(grid.date(p)), value };
        periods.set(p, period);
        periodsAdded++;
        settled++;
        partialValues.push({ sku: existing.sku, period: period.date, value, previous: null, stored: 'none', outcome: 'joined', storedSpan: { from: shared.from, to: shared.to }, settled: true });
        return;
      }
      const period: Period = { date: isoFromDay(grid.date(p)), value, ...(cover ? { provisional: { from: cover.from, to: cover.to } } : {}) };
      periods.set(p, period);
      periodsAdded++;
      if (cover) partialValues.push({ sku: existing.sku, period: period.date, value, previous: null, stored: 'none', outcome: 'provisional' });
      return;
    }
    let provisional: Span | undefined;
    if (cover) {
      const stored = had.provisional;
      // The days after the stored ones, none in common (an export of the days since the last one:
      // Thursday to Sunday after a stored Monday to Wednesday): the two sums add up.
      if (stored && dayOf(cover.from) === dayOf(stored.to) + 1) {
        const joined = { from: stored.from, to: cover.to };
        // Whole when the stored days start the period and the file has its end, judged by the
        // sides the file lacks, whatever its edge: a one-week file of Thursday to Friday lacks
        // the end (Saturday and Sunday), a file that starts with a late line of an old week and
        // goes on past this one has it. Within the file's usual spacing counts as reached
        // (weekday-only sales: Monday starts a Sunday week, Friday ends it).
        const whole = wholeWith(p, stored.from, cover.to);
        const sum = had.value + value;
        partialValues.push({
          sku: existing.sku, period: had.date, value, previous: had.value, stored: 'provisional', outcome: 'joined', storedSpan: { from: stored.from, to: stored.to },
          ...(whole ? { settled: true } : {}),
        });
        revisions.push({ sku: existing.sku, date: had.date, previous: had.value, value: sum });
        if (whole) settled++;
        else provisionalMoved = true;
        periods.set(p, { date: had.date, value: sum, ...(whole ? {} : { provisional: joined }) });
        return;
      }
      const kept = !stored || cover.from > stored.from || cover.to < stored.to;
      partialValues.push({
        sku: existing.sku, period: had.date, value, previous: had.value, stored: stored ? 'provisional' : 'complete', outcome: kept ? 'kept' : 'provisional',
        ...(stored ? { storedSpan: { from: stored.from, to: stored.to } } : {}),
      });
      if (kept) return;
      provisional = { from: cover.from, to: cover.to };
      if (cover.from !== stored.from || cover.to !== stored.to) provisionalMoved = true;
    } else if (had.provisional) {
      settled++;
      // The period is final now: a planner's edit of the week to date (grossed up to a whole week)
      // gives way to it as to a revision, also when the whole week's value equals the week to date's.
      periods.set(p, { date: had.date, value });
      if (had.value !== value) revisions.push({ sku: existing.sku, date: had.date, previous: had.value, value });
      return;
    }
    if (had.value !== value) {
      revisions.push({ sku: existing.sku, date: had.date, previous: had.value, value });
      periods.set(p, { date: had.date, value, ...(provisional ? { provisional } : {}) });
    } else {
      periods.set(p, { ...had, provisional });
    }
  });
  // Provisional periods the file passes over: it has later periods but no day of these.
  const seen = new Set(incoming.dates.map((d) => grid.index(dayOf(d))));
  const lastSeen = seen.size > 0 ? Math.max(...seen) : -Infinity;
  const skipped: MergedSeries['skipped'] = [];
  for (const [p, period] of periods) {
    if (period.provisional && p < lastSeen && !seen.has(p)) skipped.push({ sku: existing.sku, period: period.date, ...period.provisional });
  }
  const keys = [...periods.keys()].sort((a, b) => a - b);
  const filled: string[] = [];
  const unfilled: string[] = [];
  if (fillGaps === 'zero' && keys.length > 1) {
    const open = new Set((options.rejected?.dates ?? []).map((d) => grid.index(dayOf(d))));
    const span = options.rejected?.span;
    const [from, to] = span ? [grid.index(dayOf(span.from)), grid.index(dayOf(span.to))] : [Infinity, -Infinity];
    // A hole inside the stored history is one an earlier append left open (its line was rejected):
    // kept open until a line for it arrives, never given 0 by a later file that says nothing of it.
    const [storedFirst, storedLast] = existing.dates.length > 0
      ? [grid.index(dayOf(existing.dates[0])), grid.index(dayOf(existing.dates[existing.dates.length - 1]))] : [Infinity, -Infinity];
    for (let p = keys[0] + 1; p < keys[keys.length - 1]; p++) {
      if (!periods.has(p) && !(p > storedFirst && p < storedLast)) {
        const date = isoFromDay(grid.date(p));
        if (open.has(p) || (p >= from && p <= to)) {
          unfilled.push(date);
          continue;
        }
        periods.set(p, { date, value: 0 });
        filled.push(date);
        periodsAdded++;
      }
    }
    keys.length = 0;
    keys.push(...[...periods.keys()].sort((a, b) => a - b));
  }
  const dates: string[] = [];
  const original: number[] = [];
  const edits: Record<number, number> = {};
  const provisional: Record<string, ProvisionalPeriod> = {};
  keys.forEach((p, i) => {
    const period = periods.get(p)!;
    dates.push(period.date);
    original.push(period.value);
    if (period.edit !== undefined) edits[i] = period.edit;
    if (period.provisional) provisional[period.date] = { ...period.provisional, value: period.value };
  });
  const cleaned = cleanedValues({ original, edits });
  // Whatever else a series carries (attributes) stays as it was.
  const { datasetId: _datasetId, updatedAt: _updatedAt, provisional: _provisional, ...kept } = existing;
  return {
    series: {
      ...kept, sku: existing.sku, dates, original, edits, length: dates.length, volume: sum(cleaned), demandClass: classifyDemand(cleaned),
      ...(Object.keys(provisional).length > 0 ? { provisional } : {}),
    },
    changed: periodsAdded > 0 || revisions.length > 0 || settled > 0 || provisionalMoved,
    revisions,
    periodsAdded,
    settled,
    partialValues,
    skipped,
    filled,
    unfilled,
  };
}

/**
 * The periods the append filled with 0 (MergedSeries.filled), SKU by SKU: a SKU with no line in
 * last month's file (absentSkus keep) gets 0 for that month when this month's arrives, and forecast
 * vs actual scores that 0 as what it sold. Said with a count and the first few.
 */
export function filledGapsWarning(filled: Array<{ sku: string; dates: string[] }>): string {
  const periods = filled.reduce((n, f) => n + f.dates.length, 0);
  const shown = filled.slice(0, 5).map((f) => `${f.sku} ${f.dates.slice(0, 3).join(', ')}${f.dates.length > 3 ? ` and ${f.dates.length - 3} more` : ''}`);
  const more = filled.length > 5 ? `; and ${filled.length - 5} more SKU${filled.length === 6 ? '' : 's'}` : '';
  const one = filled.length === 1;
  return `${filled.length} SKU${one ? '' : 's'} had no line for ${periods} period${periods === 1 ? '' : 's'} before the file's values, filled with 0 as the dataset's fillGaps says: ${shown.join('; ')}${more}; if ${one ? 'it' : 'they'} sold in ${periods === 1 ? 'that period' : 'those periods'}, send ${periods === 1 ? 'it' : 'them'} again: a file's value revises the 0`;
}
