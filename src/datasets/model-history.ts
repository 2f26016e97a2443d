import type { SeriesRecord } from './dataset.js';
import { cleanedValues } from './series-values.js';

/** A series as its models see it: the dates and cleaned values a job trains on. */
export interface ModelHistory {
  dates: string[];
  values: number[];
  /** How many periods at the end were left out (trailing provisional values): 0 for most series. */
  leftOut: number;
}

/**
 * The history a forecasting job trains on, and the one its input hash names: the cleaned values
 * (edits applied) without the SKU's trailing provisional periods (the month to date, summed from
 * five days of December). Trained on, such a value reads as a collapse: a seasonal model copies
 * the low month forward a year, and the bands widen to cover it. Left out, the history ends on
 * the last whole period, so the forecast's first date is the provisional period itself: the
 * current month gets a forecast, which forecast vs actual scores once the whole month arrives.
 *
 * Only the trailing run is left out. A provisional value inside the history (a period a later
 * file passed over without a day of it) is kept as it is: leaving it out would close up the
 * dates, so every earlier value would slide a period against its season, and a zero in its place
 * (as fillGaps 'zero' fills a gap) says less than the sum of the days we have, which is at least
 * a lower bound of the period. The SKU's page names it, and a planner's edit settles it.
 *
 * A provisional value the planner edited (the week to date grossed up to a whole week) is the
 * planner's value for the whole period, so it is kept, and ends the run: it is what they asked
 * the models to see. A flag counts only while the stored value is the one it was written with,
 * as the stores read it (dataset-rows.ts), so a plan made from a series in memory hashes the same
 * history the worker later reads from the store.
 */
export function modelHistory(series: Pick<SeriesRecord, 'dates' | 'original' | 'edits' | 'provisional'>): ModelHistory {
  const values = cleanedValues(series);
  const provisional = series.provisional;
  let end = series.dates.length;
  if (provisional) {
    while (end > 0) {
      const i = end - 1;
      const flag = provisional[series.dates[i]];
      if (!flag || flag.value !== series.original[i] || series.edits?.[i] !== undefined) break;
      end = i;
    }
  }
  const leftOut = series.dates.length - end;
  return leftOut === 0
    ? { dates: series.dates, values, leftOut }
    : { dates: series.dates.slice(0, end), values: values.slice(0, end), leftOut };
}
