import type { Frequency, ImportReport, NewSeries } from './dataset.js';
import { endedEarlyWarning, futureRowsWarning } from './accumulator-warnings.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import { classifyDemand } from './demand-class.js';
import type { GrowableColumns } from './growable-columns.js';
import { readPeriods, singleDayPartial, type PartialPeriod, type PeriodHole } from './partial-periods.js';
import type { PeriodGrid } from './period-grid.js';
import { filledWithZero, type RejectedDay } from './rejected-lines.js';

/**
 * The accepted rows, bucketed by SKU, summed into the periods of a grid: a regular series per SKU
 * and what the report says of them (duplicates, gaps up to the file's end, too short, negative
 * totals, partial periods, rows dated in the future). Split from SeriesAccumulator, which keeps
 * the rows and decides the frequency and the grid; this is the one pass over them by period.
 */
export interface PeriodSeriesInput {
  grid: PeriodGrid;
  frequency: Frequency;
  /** The kept rows' days (their dates parse, their SKU is no total dropped), and the same ascending. */
  usedDays: Set<number>;
  sortedDays: number[];
  skus: readonly string[];
  attributesOf: (s: number) => Record<string, string> | undefined;
  rows: GrowableColumns;
  /** Each row's line. */
  rowLines: Int32Array;
  /** The rows whose date parses by SKU: SKU s's are order[starts[s]] to order[starts[s + 1] - 1]. */
  starts: Int32Array;
  order: Int32Array;
  /** Per SKU, 1 when dropped as a pivot table's total. */
  dropped: Uint8Array;
  dayOf: Float64Array;
  /** Finer dates summed into coarser periods (SKU by SKU, or by the file's days alone). */
  aggregating: boolean;
  byFileOnly: boolean;
  /** Per SKU, its rejected lines' days (fillGaps=zero; RejectedLines.daysBySku). */
  rejectedBySku: ReadonlyMap<number, RejectedDay[]>;
  options: {
    fillGaps: 'zero' | 'report';
    minLength: number;
    now?: number;
    partialInside?: boolean;
    periodsDatedLike?: string;
  };
  warn: (message: string) => void;
}

export interface PeriodSeries {
  series: NewSeries[];
  /** Lines that fell in a (sku, period) already seen, and on a (sku, day) already seen (aggregating). */
  duplicates: number;
  sameDayLines: number;
  gaps: ImportReport['gaps'];
  tooShort: ImportReport['tooShort'];
  /** The kept rows' first and last day (Infinity and -Infinity with none). */
  minDay: number;
  maxDay: number;
  /** Periods whose returns outweigh their sales: negative demand, which no model should be fed unseen. */
  negative: { count: number; first?: string };
  partial: PartialPeriod[];
  holes: PeriodHole[];
  /** The usual spacing of the file's dates in days (AccumulatedDataset.spacing). */
  spacing: number;
  /** The periods filled with 0 (fillGaps=zero) that had a rejected line: demand the models see as 0. */
  filledRejected: Array<{ sku: string; date: string; line: number; reason: string }>;
}

/** No series: a file without a frequency (no dates, or one per SKU). */
export function noPeriodSeries(): PeriodSeries {
  return { series: [], duplicates: 0, sameDayLines: 0, gaps: [], tooShort: [], minDay: Infinity, maxDay: -Infinity, negative: { count: 0 }, partial: [], holes: [], spacing: 1, filledRejected: [] };
}

export function periodSeries(input: PeriodSeriesInput): PeriodSeries {
  const { grid, frequency, usedDays, sortedDays, skus, attributesOf, rows, rowLines, starts, order, dropped, dayOf, aggregating, byFileOnly, rejectedBySku, options, warn } = input;
  const skuCount = starts.length - 1;
  const series: NewSeries[] = [];
  const gaps: ImportReport['gaps'] = [];
  const tooShort: ImportReport['tooShort'] = [];
  const negative: PeriodSeries['negative'] = { count: 0 };
  const filledRejected: PeriodSeries['filledRejected'] = [];
  let duplicates = 0;
  let sameDayLines = 0;
  let minDay = Infinity;
  let maxDay = -Infinity;
  let partial: PartialPeriod[] = [];
  let holes: PeriodHole[] = [];
  let spacing = 1;
  let severalDaysInAPeriod = false;
  // Per day of the file, the last SKU seen on it: a line whose day already holds its own SKU is a
  // second line of that day (a typed array, not a Set per SKU: a million-line export is read once).
  const firstDay = sortedDays.length > 0 ? sortedDays[0] : 0;
  const dayStamp = aggregating && sortedDays.length > 0 ? new Int32Array(sortedDays[sortedDays.length - 1] - firstDay + 1).fill(-1) : null;
  // Per series (same order): its periods missing inside it, and after its last row up to the
  // file's last period (the tail: an export that omits zero rows says nothing of a SKU that
  // stopped selling), with the day of its last row. Settled once the partial periods are known.
  const innerMissing: number[] = [];
  const tails: Array<{ series: number; periods: number; lastDay: number }> = [];
  let fileLast = 0;
  const dateCache = new Map<number, string>();
  const dateOf = (period: number) => {
    let text = dateCache.get(period);
    if (text === undefined) {
      text = isoFromDay(grid.date(period));
      dateCache.set(period, text);
    }
    return text;
  };
  // The file's last period, which every SKU's history reaches: a missing tail is a gap like
  // any other. Not for actuals (partialInside), which add only the periods the file has.
  const tailToEnd = !options.partialInside;
  // ... up to the last period not after today's: a row mistyped into the future (2095 for 2025)
  // must not pad every other SKU with decades of zeros (read as stopped, forecast 0 from 2096)
  // nor build their grids that long. A file wholly in the future keeps its own end.
  // One reading of the clock for the tail and the future rows' warning below (two could fall on
  // either side of midnight).
  const today = Math.floor((options.now ?? Date.now()) / DAY_MS);
  const currentPeriod = grid.index(today);
  let tailEndDay = sortedDays.length > 0 ? sortedDays[sortedDays.length - 1] : 0;
  for (let k = sortedDays.length - 1; k >= 0; k--) {
    if (grid.index(sortedDays[k]) <= currentPeriod) {
      tailEndDay = sortedDays[k];
      break;
    }
  }
  fileLast = sortedDays.length > 0 ? grid.index(tailEndDay) : 0;
  for (let s = 0; s < skuCount; s++) {
    const from = starts[s];
    const to = starts[s + 1];
    if (from === to || dropped[s] === 1) continue;
    const byPeriod = new Map<number, number>();
    const dayOfPeriod = byFileOnly && !severalDaysInAPeriod ? new Map<number, number>() : null;
    if (dayStamp) {
      for (let k = from; k < to; k++) {
        const at = dayOf[rows.date[order[k]]] - firstDay;
        if (dayStamp[at] === s) sameDayLines++;
        else dayStamp[at] = s;
      }
    }
    for (let k = from; k < to; k++) {
      const r = order[k];
      const day = dayOf[rows.date[r]];
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
      const p = grid.index(day);
      const before = byPeriod.get(p);
      if (before !== undefined) duplicates++;
      byPeriod.set(p, (before ?? 0) + rows.value[r]);
      if (dayOfPeriod) {
        const seen = dayOfPeriod.get(p);
        if (seen === undefined) dayOfPeriod.set(p, day);
        else if (seen !== day) severalDaysInAPeriod = true;
      }
    }
    const periods = [...byPeriod.keys()].sort((a, b) => a - b);
    const first = periods[0];
    const last = periods[periods.length - 1];
    const missing = last - first + 1 - periods.length;
    const tail = tailToEnd ? Math.max(0, fileLast - last) : 0;
    if (tail > 0) {
      let lastDay = -Infinity;
      for (let k = from; k < to; k++) lastDay = Math.max(lastDay, dayOf[rows.date[order[k]]]);
      tails.push({ series: series.length, periods: tail, lastDay });
    }
    innerMissing.push(missing);
    // Exactly sized: pushing would leave up to half of every array as spare capacity. The tail
    // is filled as an inner gap is (fillGaps=zero), or left out and listed (report).
    const kept = options.fillGaps === 'zero' ? Array.from({ length: last + tail - first + 1 }, (_, k) => first + k) : periods;
    const dates: string[] = new Array(kept.length);
    const original: number[] = new Array(kept.length);
    for (let k = 0; k < kept.length; k++) {
      dates[k] = dateOf(kept[k]);
      original[k] = byPeriod.get(kept[k]) ?? 0;
    }
    const rejectedHere = rejectedBySku.get(s);
    if (rejectedHere) {
      for (const f of filledWithZero(rejectedHere, (day) => grid.index(day), first, last + tail, (p) => byPeriod.has(p))) {
        filledRejected.push({ sku: skus[s], date: dateOf(f.period), line: f.line, reason: f.reason });
      }
    }
    for (let k = 0; k < original.length; k++) {
      if (original[k] >= 0) continue;
      negative.count++;
      negative.first ??= `${skus[s]} ${dates[k]}: ${original[k]}`;
    }
    let volume = 0;
    for (const v of original) volume += v;
    if (original.length < options.minLength) {
      tooShort.push({ sku: skus[s], length: original.length, needed: options.minLength });
    }
    const attributes = attributesOf(s);
    series.push({
      sku: skus[s],
      ...(attributes ? { attributes } : {}),
      dates,
      original,
      edits: {},
      length: original.length,
      volume,
      demandClass: classifyDemand(original),
    });
  }
  const datedLike = options.periodsDatedLike === undefined ? undefined : dayFromIso(options.periodsDatedLike);
  if (aggregating || (byFileOnly && severalDaysInAPeriod)) ({ partial, holes, usual: spacing } = readPeriods(grid, usedDays, options.partialInside));
  // A one-day actuals file has no spacing to read a frequency from: its day is checked alone.
  else if (options.partialInside && usedDays.size === 1) partial = singleDayPartial(grid, [...usedDays][0], datedLike);
  // A partial last period (the month to date) is provisional: a SKU without a row in it yet has
  // sold nothing so far, not stopped. It gets 0 there under fillGaps=zero, marked provisional
  // as every SKU's value of that period is (provisionalOf), but it is no gap, and not the end
  // its history is measured against: the last whole period is.
  const toDate = partial.some((p) => p.edge === 'last' && p.period === dateOf(fileLast)) ? 1 : 0;
  const tailOf = new Map<number, number>();
  for (const t of tails) t.periods -= toDate;
  for (const t of tails) if (t.periods > 0) tailOf.set(t.series, t.periods);
  for (let i = 0; i < series.length; i++) {
    const missing = innerMissing[i] + (tailOf.get(i) ?? 0);
    if (missing > 0) gaps.push({ sku: series[i].sku, missing });
  }
  const ended = tails.filter((t) => t.periods > 0);
  if (ended.length > 0) {
    warn(endedEarlyWarning(ended.map((t) => ({ sku: series[t.series].sku, last: isoFromDay(t.lastDay), periods: t.periods })), frequency, isoFromDay(tailEndDay), options.fillGaps, series.length));
  }
  // Rows dated after the current period (the server's today): a mistyped year (2099 for 2024)
  // stretches the dataset by decades of zeros, its forecasts starting after them.
  const current = currentPeriod;
  const future = new Map<number, { line: number; date: string; periods: number; lines: number }>();
  let futureLines = 0;
  for (let k = 0; k < order.length; k++) {
    const r = order[k];
    if (dropped[rows.sku[r]] === 1) continue;
    const p = grid.index(dayOf[rows.date[r]]);
    if (p <= current) continue;
    futureLines++;
    const line = rowLines[r];
    const seen = future.get(rows.sku[r]);
    if (seen === undefined) future.set(rows.sku[r], { line, date: isoFromDay(dayOf[rows.date[r]]), periods: p - current, lines: 1 });
    else {
      seen.lines++;
      if (line < seen.line) Object.assign(seen, { line, date: isoFromDay(dayOf[rows.date[r]]) });
      seen.periods = Math.max(seen.periods, p - current);
    }
  }
  if (future.size > 0) {
    warn(futureRowsWarning([...future].map(([s, f]) => ({ sku: skus[s], ...f })), futureLines, frequency, isoFromDay(grid.date(current)), isoFromDay(today)));
  }
  return { series, duplicates, sameDayLines, gaps, tooShort, minDay, maxDay, negative, partial, holes, spacing, filledRejected };
}

const DAY_MS = 86_400_000;
