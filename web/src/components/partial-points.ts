import type { AggregateSeries, SkuSeries } from '../api/types.js';
import { formatCount, formatCounted, formatDayRange } from '../format.js';

/**
 * A history date whose value is the period to date (actuals of December 1 to 5 in a monthly
 * dataset): the chart draws it apart from the history line, as a marker named by its days, so a
 * month of five days never reads as a collapse of demand.
 */
export interface PartialPoint {
  date: string;
  /** "Dec 1 – 5 so far (5 of 31 days)". */
  label: string;
  /** "Dec 1 – 5 so far": written on the chart beside the marker. */
  short: string;
}

const dayCount = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * What a period of `days` days is called: "week", "month", "quarter", "year". Read from the API's
 * day count, not the dataset's frequency, which a page may not have loaded yet when it speaks.
 */
export function periodNoun(days: number): string {
  return days === 7 ? 'week' : days >= 28 && days <= 31 ? 'month' : days >= 90 && days <= 92 ? 'quarter' : days >= 365 ? 'year' : 'period';
}

/** "5 of 31 days": how much of its period a provisional value covers. */
export function partialDays(from: string, to: string, periodDays: number): string {
  return `${formatCount(dayCount(from, to))} of ${formatCounted(periodDays, 'day')}`;
}

/** What part of its period a provisional value covers, in words (`more`: said inside the brackets too). */
export function partialLabel(from: string, to: string, periodDays: number, more = ''): string {
  return `${formatDayRange(from, to)} so far (${partialDays(from, to, periodDays)}${more})`;
}

/**
 * A SKU's provisional periods, as the API flags them. An edited one is the planner's value for
 * the whole period (the models train on it, docs/planning-cycle.md): drawn as history.
 */
export function skuPartialPoints(series: Pick<SkuSeries, 'dates' | 'edits' | 'provisional'>): PartialPoint[] {
  const provisional = series.provisional ?? {};
  return series.dates.flatMap((date, i) => {
    const p = provisional[date];
    if (!p || series.edits[String(i)] !== undefined) return [];
    return [{ date, label: partialLabel(p.from, p.to, p.periodDays), short: `${formatDayRange(p.from, p.to)} so far` }];
  });
}

/** A total's dates that sum values to date, with how many of its SKUs are to date there when not all. */
export function totalPartialPoints(history: AggregateSeries['history']): PartialPoint[] {
  return history.dates.flatMap((date, i) => {
    // Optional: an API from before provisionalSpan (a rolling upgrade) sends none; nothing is marked.
    const span = history.provisionalSpan?.[i];
    const count = history.provisional?.[i] ?? 0;
    if (!span || count === 0) return [];
    const some = count < history.skus[i] ? `, ${formatCount(count)} of ${formatCounted(history.skus[i], 'SKU')}` : '';
    return [{ date, label: partialLabel(span.from, span.to, span.periodDays, some), short: `${formatDayRange(span.from, span.to)} so far` }];
  });
}
