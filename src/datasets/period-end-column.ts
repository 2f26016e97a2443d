/**
 * A date column named for the last day of its periods: `week_ending`, `Week Ending`, `wk_end`,
 * `W/E`, `period_end`, `End Date`. Retail and syndicated exports date a week by the day it ends
 * (a Sunday, or the Saturday of a Sunday week); read by its weekday alone such a file made weeks
 * that start on that day, so a week of daily actuals from Monday to Sunday was cut in two. Under
 * such a name the weeks end on the dates' weekday instead (SeriesAccumulator.setPeriodEndColumn).
 * Matched on the normalized header (column-mapping.ts: lower case, no spaces, `_`, `-` or `.`).
 */
const periodEndHeader = /^(?:(?:week|wk|period|fiscalweek|fiscalperiod)(?:ending|ended|end)|w\/e|endof(?:week|period)|end)(?:date|day)?$/;

export function isPeriodEndColumn(normalizedHeader: string): boolean {
  return periodEndHeader.test(normalizedHeader);
}
