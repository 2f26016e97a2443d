import type { Store } from '../stores/store.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import type { Dataset } from './dataset.js';
import { modelHistory } from './model-history.js';
import { periodGrid, type Weekday } from './period-grid.js';

/** A dataset's history end, and which dates fall after it, compared by period. */
export interface HistoryEnd {
  /** The date of the last whole period (null: the dataset has no dated history). */
  end: string | null;
  /** Whether `date` falls in a period after `end` (any date when `end` is null): by period, not date text. */
  isAfter(date: string): boolean;
}

/**
 * The date of a dataset's last whole stored period, as its series and forecasts date it: the period
 * just before its forecasts start, which forecast vs actual scores a snapshot after. The report's
 * `dateRange.end` is the last day a row of the import had (2024-12-15 in a monthly file dated
 * mid-month) while the series keep the period's date (2024-12-01; 2024-12-31 for month ends, the
 * week's first day for weekly data). When that period is provisional (the month to date), the models
 * did not see it (modelHistory) and forecast it, so the history end is the period before it: the
 * month to date's forecast is scored once the whole month arrives.
 *
 * The day is put on the grid of one series' dates: they carry the dataset's convention (month
 * starts or ends, the weekday a week starts on), which is the import's own period grid
 * (periodGrid), not a copy of it. One series is read, not every one: the longest, whose dates
 * are the most to read a convention from (a SKU of one date cannot tell a month end from a start).
 * `forecastStarts` (each SKU's first forecast date, when a snapshot has them) settle the end: the
 * period before the earliest start of the current SKUs: those starting on the latest start a tenth
 * of them (and two at least) share, or a period before it. Without them, the longest series' provisional
 * periods say whether the last period is whole (a limit: a longest SKU that stopped selling, or
 * has the last period whole while most have it to date, reads it as whole).
 */
export async function storedHistoryEnd(store: Store, dataset: Pick<Dataset, 'id' | 'frequency' | 'report'>, forecastStarts: string[] = []): Promise<HistoryEnd> {
  const end = dataset.report.dateRange?.end ?? null;
  if (end === null) return { end, isAfter: () => true };
  // A day is never partial: daily dates are their own periods.
  if (dataset.frequency === 'daily') return { end, isAfter: (date) => date > end };
  const first = (await store.listSkus(dataset.id, { sort: 'length', order: 'desc', limit: 1, offset: 0 })).items[0];
  const series = first ? await store.getSeries(dataset.id, first.sku) : null;
  if (!series || series.dates.length === 0) return { end, isAfter: (date) => date > end };
  const grid = periodGrid(dataset.frequency, series.dates.map(dayFromIso), dataset.report.weekStart as Weekday | undefined);
  let last = grid.index(dayFromIso(end));
  const starts = forecastStarts.map((date) => grid.index(dayFromIso(date)));
  const latest = latestShared(starts, 0.1);
  if (latest !== null) {
    // Where the current SKUs' forecasts start, the history ends the period before: a month to
    // date the models left out is forecast, and so scored, whichever SKU is the longest. Current:
    // starting at the latest start a tenth of them share (one SKU dated ahead does not set it),
    // or a period before it, as SKUs a file left out (absentSkus keep) or a store whose actuals
    // come later do; their forecasts of that period are scored when its actuals come. A SKU
    // further behind stopped selling: its stale forecast neither dates nor scores the snapshot.
    // Each SKU's own forecast starts after its own history, so no SKU is scored on its history.
    const earliest = Math.min(...starts.filter((s) => s >= latest - 1 && s <= latest));
    last = Math.min(last, earliest - 1);
  } else {
    const { leftOut } = modelHistory(series);
    if (leftOut > 0 && grid.index(dayFromIso(series.dates[series.dates.length - 1])) === last) {
      last = grid.index(dayFromIso(series.dates[series.dates.length - leftOut])) - 1;
    }
  }
  return { end: isoFromDay(grid.date(last)), isAfter: (date) => grid.index(dayFromIso(date)) > last };
}

/** The latest value at least `share` of `values` hold (one SKU alone never decides); null for none. */
function latestShared(values: number[], share: number): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  for (const [v, n] of counts) if (n >= Math.max(2, share * values.length) && (best === null || v > best)) best = v;
  return best;
}
