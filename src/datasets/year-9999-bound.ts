import { futureDates } from '../forecasting/index.js';
import type { Frequency, ImportReport } from './dataset.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * The latest last date of these series when a forecast of `horizon` periods after it would pass
 * 9999-12-31 (futureDates would write 10000-01-01: forecast dates stay yyyy-mm-dd), else null.
 * One check for every write that could move a forecast past it: an import's series, an append's
 * merged series, a settings change that raises the horizon.
 */
export function beyondYear9999(series: Iterable<{ dates: readonly string[] }>, frequency: Frequency, horizon: number): string | null {
  let last = '';
  for (const s of series) {
    const end = s.dates[s.dates.length - 1];
    if (end !== undefined && end > last) last = end;
  }
  if (last === '') return null;
  const ahead = futureDates(last, frequency, horizon);
  const end = ahead[ahead.length - 1];
  return end === undefined || /^\d{4}-\d{2}-\d{2}$/.test(end) ? null : last;
}

/**
 * A file's date so late that the forecast after it would pass 9999-12-31 is refused (400), naming
 * its line (`latest`: the file's row with the latest date), as a year before 1000 is (date-parse.ts):
 * `outcome` says what became of the request ("nothing was imported").
 */
export function refuseBeyondYear9999(
  series: Iterable<{ dates: readonly string[] }>, frequency: Frequency, horizon: number,
  latest: { date: string; line: number } | undefined, outcome: string, report?: ImportReport,
): void {
  const last = beyondYear9999(series, frequency, horizon);
  if (last === null) return;
  const where = latest ? `line ${latest.line}` : 'file';
  const date = latest?.date ?? last;
  throw new DatasetValidationError(
    `date '${date}' on ${where} is too late: a forecast of ${horizon} ${frequency} periods after it would run past 9999-12-31; ${outcome}`,
    [{ path: where, message: `date '${date}' is too late: its forecast (horizon ${horizon}) would run past 9999-12-31, the last date a forecast can have` }],
    report,
  );
}
