import type { ImportReport, ProvisionalPeriod } from './dataset.js';
import { dayFromIso, dayParts, isoFromDay } from './date-parse.js';
import type { PeriodGrid } from './period-grid.js';

export type PartialPeriod = NonNullable<ImportReport['partialPeriods']>[number];

/**
 * The file's first and last periods when finer data was summed into them but the data does not
 * cover them: an export taken on 10 December makes a December of ten days, which a model would
 * read as a collapse in demand. Only the file's ends are checked (a SKU launched mid-month is
 * real demand, not a cut). A period counts as partial when the days it lacks at that end are at
 * least the file's usual spacing of dates (the 95th percentile gap), so a file of weekdays that
 * ends on a Friday does not flag its last week, and one of daily orders that ends on the 30th does.
 * With `inside` (actuals, whose periods replace the stored ones) every period between the ends is
 * checked the same way, and the usual spacing is that of days within one period: one day of an
 * old week, in a file of recent weeks, would otherwise become that week's whole new total.
 */
export function partialPeriods(grid: PeriodGrid, usedDays: Iterable<number>, inside = false): PartialPeriod[] {
  return readPeriods(grid, usedDays, inside).partial;
}

/**
 * A period between the file's ends with days missing in its middle only (a holiday, a closed
 * Wednesday for every SKU): the period is whole, its value complete; only warned about
 * (periodHolesWarning). Were it partial, no later file could ever cover it more, and it would stay
 * provisional, out of accuracy, forever.
 */
export interface PeriodHole {
  period: string;
  /** The longest run of days missing inside it. */
  from: string;
  to: string;
  /** Distinct days the file has in the period, of its `of`. */
  days: number;
  of: number;
}

/**
 * Actuals' partial periods (`inside`) and the inner periods with a hole only.
 *
 * A lone day on the day the dataset dates its periods by (2026-11-30 for month ends) followed by
 * days of the next period is read as that day, not as the whole month: the export of the days
 * since the last one that starts on a month's last day looks the same, and read as the month it
 * would write one day's sales over November (or over the provisional days 1-29 it joins). The
 * warning names such a period and says to send the closed month in a file of its own
 * (singleDayPartial reads a one-date file on that day as whole periods).
 */
export function readPeriods(grid: PeriodGrid, usedDays: Iterable<number>, inside = false): { partial: PartialPeriod[]; holes: PeriodHole[]; usual: number } {
  const days = [...new Set(usedDays)].sort((a, b) => a - b);
  const holes: PeriodHole[] = [];
  if (days.length < 2) return { partial: [], holes, usual: 1 };
  // Distinct days the file has in [from, to] (not the span: a week with a closed Wednesday has 6).
  const present = (from: number, to: number) => {
    let n = 0;
    for (const d of days) if (d >= from && d <= to) n++;
    return n;
  };
  const gaps: number[] = [];
  // With `inside`, the spacing of days in one period or from one to the next: a file of a few
  // weeks and one old day has two long gaps among twenty, which a percentile of every gap takes
  // for its spacing. (Within one period alone would leave out the weekend of weekday-only sales,
  // which falls between Monday weeks, and flag every week as missing it.)
  for (let i = 1; i < days.length; i++) {
    if (!inside || grid.index(days[i]) - grid.index(days[i - 1]) <= 1) gaps.push(days[i] - days[i - 1]);
  }
  if (gaps.length === 0) for (let i = 1; i < days.length; i++) gaps.push(days[i] - days[i - 1]);
  gaps.sort((a, b) => a - b);
  const usual = gaps[Math.floor(0.95 * (gaps.length - 1))];
  const first = days[0];
  const last = days[days.length - 1];
  const out: PartialPeriod[] = [];
  const describe = (edge: PartialPeriod['edge'], index: number, from: number, to: number): PartialPeriod => {
    const [start, end] = grid.bounds(index);
    return { edge, period: isoFromDay(grid.date(index)), from: isoFromDay(from), to: isoFromDay(to), days: present(from, to), of: end - start + 1 };
  };
  const firstIndex = grid.index(first);
  const lastIndex = grid.index(last);
  // The days the file has in its end periods, not their bounds: actuals compare what two files
  // cover of a period (a week's Tuesday to Wednesday does not cover a stored Monday to Wednesday).
  let firstTo = first;
  let lastFrom = last;
  for (const day of days) {
    const index = grid.index(day);
    if (index === firstIndex) firstTo = day;
    if (index === lastIndex && day < lastFrom) lastFrom = day;
  }
  const [firstStart] = grid.bounds(firstIndex);
  if (first - firstStart >= usual) out.push(describe('first', firstIndex, first, firstTo));
  if (inside) {
    // The days each inner period has: its first, its last, and its longest gap. Days missing at a
    // period's start or end make it partial: a later file can bring them (an old week restated
    // from its Wednesday). A short hole in the middle (a holiday) is the whole period with a day
    // closed: its value is complete, the hole only warned about; a long one makes it partial.
    // `missing`: the days every gap longer than the usual spacing leaves out, all of them, not
    // the longest alone (a week of Wednesday and Saturday has two short holes and lacks 5 days).
    const spans = new Map<number, { from: number; to: number; gap: number; gapFrom: number; missing: number }>();
    for (const day of days) {
      const index = grid.index(day);
      if (index === firstIndex || index === lastIndex) continue;
      const span = spans.get(index);
      if (span === undefined) spans.set(index, { from: day, to: day, gap: 0, gapFrom: day, missing: 0 });
      else {
        if (day - span.to > usual) span.missing += day - span.to - 1;
        if (day - span.to > span.gap) {
          span.gap = day - span.to;
          span.gapFrom = span.to;
        }
        span.to = day;
      }
    }
    const position = new Map(days.map((day, i) => [day, i]));
    for (const [index, { from, to, gap, gapFrom, missing }] of spans) {
      const [start, end] = grid.bounds(index);
      // A hole counts as a day closed only when short: at most max(usual spacing, 3) days missing,
      // and under half the period. A longer one (Wednesday to Saturday of a week, a failed daily
      // export) is not the period's value: partial, so a complete value stored stays.
      const short = (missing: number) => missing <= Math.max(usual, 3) && missing < (end - start + 1) / 2;
      // Days missing at the period's start (end) are such a hole too when the file has the days of
      // the period before (after) up to them: Easter Monday between whole weeks, New Year's Day
      // between December and February. An old week restated from its Wednesday, with no day of
      // the week before, stays partial.
      const before = days[position.get(from)! - 1];
      const after = days[position.get(to)! + 1];
      const runs: Array<[number, number]> = [];
      let partial = false;
      if (from - start >= usual) {
        if (before !== undefined && grid.index(before) === index - 1 && short(from - before - 1)) runs.push([Math.max(before + 1, start), from - 1]);
        else partial = true;
      }
      if (end - to >= usual) {
        if (after !== undefined && grid.index(after) === index + 1 && short(after - to - 1)) runs.push([to + 1, Math.min(after - 1, end)]);
        else partial = true;
      }
      const atEdges = runs.reduce((n, [a, b]) => n + b - a + 1, 0);
      if (gap > usual) {
        if (short(gap - 1)) runs.push([gapFrom + 1, gapFrom + gap - 1]);
        else partial = true;
      }
      // Each hole short, but together no closed day: the period lacks too much to be its value.
      if (!partial && atEdges + missing > 0 && !short(atEdges + missing)) partial = true;
      if (partial) out.push(describe('inside', index, from, to));
      else if (runs.length > 0) {
        const [holeFrom, holeTo] = runs.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
        holes.push({ period: isoFromDay(grid.date(index)), from: isoFromDay(holeFrom), to: isoFromDay(holeTo), days: present(start, end), of: end - start + 1 });
      }
    }
  }
  const [, lastEnd] = grid.bounds(lastIndex);
  if (lastEnd - last >= usual && !(firstIndex === lastIndex && out.length > 0)) out.push(describe('last', lastIndex, lastFrom, last));
  return { partial: out, holes, usual };
}

/**
 * An actuals file of one date: no spacing to tell a day from a period. The date is the period's
 * value when it is the day the period starts on (the dataset's week date, a month's first) or the
 * one it ends on (a week-ending Sunday, a month-end dataset's date: exports date a period either
 * way), or the day of its period the dataset's own history dated every period by (`datedLike`,
 * ImportReport.periodsDatedLike: a history of the 15th of each month is continued by a file of
 * 2025-01-15); any other day (a daily export of Thursday) is a partial period, so it never
 * replaces a complete value. The price: a daily export of a week's last day alone reads as that week.
 */
export function singleDayPartial(grid: PeriodGrid, day: number, datedLike?: number): PartialPeriod[] {
  if (grid.frequency === 'daily') return [];
  const index = grid.index(day);
  const [start, end] = grid.bounds(index);
  if (day === start || day === end) return [];
  if (datedLike !== undefined && samePlaceInPeriod(grid, day, datedLike)) return [];
  return [{ edge: 'last', period: isoFromDay(grid.date(index)), from: isoFromDay(day), to: isoFromDay(day), days: 1, of: end - start + 1 }];
}

/**
 * Whether two days sit at the same place in their periods: the same weekday for weeks, the same
 * day of the month for months, and the same month of the period too for quarters and years.
 * Calendar places, not day counts: the 15th is 14 days into every month, but 15 February and
 * 15 May are 45 and 44 days into their quarters. A period's last day is a place of its own too:
 * 2026-09-30 and 2026-10-31 are both month ends (a month-end history is dated all on one place).
 */
export function samePlaceInPeriod(grid: PeriodGrid, a: number, b: number): boolean {
  if (grid.frequency === 'daily') return true;
  const offset = (day: number) => {
    const [start] = grid.bounds(grid.index(day));
    if (grid.frequency === 'weekly') return day - start;
    const from = dayParts(start);
    const at = dayParts(day);
    return ((at.y - from.y) * 12 + at.m - from.m) * 100 + at.d;
  };
  const isEnd = (day: number) => day === grid.bounds(grid.index(day))[1];
  return offset(a) === offset(b) || (isEnd(a) && isEnd(b));
}

/** The warning of inner periods with a short hole (in their middle, or at an edge between whole periods): stored as whole periods. */
export function periodHolesWarning(holes: PeriodHole[]): string {
  const shown = holes.slice(0, 10).map((h) => `${h.period} (no data ${h.from === h.to ? `on ${h.from}` : `from ${h.from} to ${h.to}`}, ${h.days} of its ${h.of} days)`);
  return `periods with a few days missing between days of the file, stored as whole periods (a day closed, or no sales): ${shown.join('; ')}${holes.length > 10 ? `; and ${holes.length - 10} more` : ''}`;
}

const describePeriod = (p: PartialPeriod) => `${p.edge === 'inside' ? 'the period' : `the ${p.edge}`} (${p.period}) has data from ${p.from} to ${p.to} only, ${p.days} of its ${p.of} days`;
const skus = (n: number) => `${n} SKU${n === 1 ? '' : 's'}`;

/** The warning that goes with an import's partialPeriods. */
export function partialPeriodsWarning(partial: PartialPeriod[]): string {
  return `partial periods summed as if whole: ${partial.map(describePeriod).join('; ')}; trim the file to whole periods or expect ${partial.length === 1 ? 'that period' : 'those periods'} to look low`;
}

/**
 * The warning of actuals' partial periods, which are not summed as if whole: per period, how many
 * SKUs kept their stored value and how many had it written as provisional (`values`, counted by
 * the merge); and the kept values the file's days alone exceed, the sign of a stored value to
 * restate in full.
 */
export function partialValuesWarning(partial: PartialPeriod[], values: ReadonlyArray<{ sku: string; period: string; value: number; previous: number | null; outcome: 'provisional' | 'kept' | 'joined'; storedSpan?: { from: string; to: string } }>): string {
  const parts = partial.map((p) => {
    const { provisional = 0, kept = 0 } = p.values ?? {};
    const fate = [
      ...(kept > 0 ? [`${skus(kept)} kept the stored value`] : []),
      ...(provisional > 0 ? [`${skus(provisional)} written as provisional`] : []),
    ];
    return `${describePeriod(p)}${fate.length > 0 ? ` (${fate.join(', ')})` : ''}`;
  });
  const exceeding = values.filter((v) => v.outcome === 'kept' && !v.storedSpan && v.previous !== null && v.value > v.previous);
  const example = exceeding[0];
  // A provisional value kept against days that neither cover nor follow its own (Thursday to
  // Sunday after Monday to Tuesday): the two spans, and what settles it.
  const apart = values.filter((v) => v.outcome === 'kept' && v.storedSpan);
  const span = apart[0];
  const joined = values.filter((v) => v.outcome === 'joined');
  const lone = partial.find(loneClosingDay);
  return `partial periods, never written over a complete value: ${parts.join('; ')}; a provisional value is replaced by the first file that covers its period whole`
    + (lone ? `; the line dated ${lone.from} before days of a later ${periodNoun(lone.of)} is read as that day's sales, not as the whole ${periodNoun(lone.of)}: send the closed ${periodNoun(lone.of)} in a file of its own` : '')
    + (joined.length > 0 ? `; for ${skus(joined.length)} the file's days follow the provisional ones stored with none in common, and were added to them (${joined[0].sku} ${joined[0].period}: ${joined[0].previous ?? 0} for ${joined[0].storedSpan!.from} to ${joined[0].storedSpan!.to}, plus ${joined[0].value})` : '')
    + (span ? `; for ${skus(apart.length)} the provisional value stored covers other days than the file's and was kept (${span.sku} ${span.period}: ${span.previous} for ${span.storedSpan!.from} to ${span.storedSpan!.to}; the file has ${span.value} for its own days of that period): send the whole period, or the days following the stored ones, to settle it` : '')
    + (example ? `; for ${skus(exceeding.length)} the file's days alone exceed the stored value (${example.sku} ${example.period}: ${example.value} against ${example.previous}): send the whole period to restate it` : '');
}

/**
 * A file's first period with one day alone, the day the dataset dates its periods by or the
 * period's last (2026-11-30 before December 1-5): an export that closes November on one line,
 * followed by December to date, reads as the day (readPeriods), so the planner is told to send
 * the closed month apart. Not when that day joined stored days into a whole period (neither
 * written provisional nor kept).
 */
function loneClosingDay(p: PartialPeriod): boolean {
  if (p.edge !== 'first' || p.days !== 1 || p.from !== p.to) return false;
  if ((p.values?.provisional ?? 0) + (p.values?.kept ?? 0) === 0) return false;
  return p.from === p.period || dayFromIso(p.from) === dayFromIso(p.period) + p.of - 1;
}

/** What a period of `days` days is called, for a warning. */
function periodNoun(days: number): string {
  return days === 7 ? 'week' : days >= 28 && days <= 31 ? 'month' : days >= 90 && days <= 92 ? 'quarter' : days >= 365 ? 'year' : 'period';
}

/** The warning of provisional periods a file passes over (it has later periods, but no day of these). */
export function skippedProvisionalWarning(skipped: ReadonlyArray<{ sku: string; period: string; from: string; to: string }>): string {
  const byPeriod = new Map<string, { count: number; from: string; to: string }>();
  for (const s of skipped) {
    const p = byPeriod.get(s.period);
    if (p) p.count++;
    else byPeriod.set(s.period, { count: 1, from: s.from, to: s.to });
  }
  const shown = [...byPeriod].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, 10)
    .map(([period, p]) => `${period} (${skus(p.count)}, stored from ${p.from} to ${p.to})`);
  return `provisional periods this file passes over without a day of them, still provisional: ${shown.join('; ')}${byPeriod.size > 10 ? `; and ${byPeriod.size - 10} more` : ''}; send those periods whole to settle them`;
}

/**
 * An imported series' provisional period: the file's partial last period, if the series has a
 * value for it (on the grid the file was read on, so named by the same dates). An export taken on
 * 10 December stores a December of ten days; actuals with more of December must replace it, which
 * they do only for a value marked provisional (actuals-merge.ts). A partial first period is not
 * marked: it is the start of the export, not a period still running, and no later actuals restate
 * it, so it would stay provisional (out of forecast vs actual) for good; it is stored as the value
 * it is, and the import's warning says it looks low (trim the file to whole periods).
 */
export function provisionalOf(partial: PartialPeriod[] | undefined, dates: string[], original: number[]): Record<string, ProvisionalPeriod> | undefined {
  if (!partial || partial.length === 0 || dates.length === 0) return undefined;
  const out: Record<string, ProvisionalPeriod> = {};
  const i = dates.length - 1;
  for (const p of partial) if (p.edge === 'last' && p.period === dates[i]) out[p.period] = { from: p.from, to: p.to, value: original[i] };
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The same partial periods named by the dates of `grid`'s periods: actuals are read on a grid of
 * the file's own days (a month dated by its first day) and stored on the dataset's (a month-end
 * dataset keeps 2024-11-30), so the warning names the period as the planner will find it.
 */
export function partialPeriodsOn(grid: PeriodGrid, partial: PartialPeriod[]): PartialPeriod[] {
  return partial.map((p) => ({ ...p, period: isoFromDay(grid.date(grid.index(dayFromIso(p.period)))) }));
}
